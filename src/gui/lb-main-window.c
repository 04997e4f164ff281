/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-main-window.h"

#include <glib/gi18n.h>

#include "lb-shortcuts-window.h"
#include "lb-worklist-page.h"

struct _LbMainWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toasts;
  GtkRevealer *offline_banner;
  GtkLabel *offline_label;
  GtkStack *stack;

  LbWorklistPage *worklist;
  LbReadingPage *reading;
  GCancellable *load_cancellable;
  /* The study opened from the worklist, until the reading page is shown for it. */
  LbLoadedStudy *revealing;
  guint reveal_timeout;
  /* Made when first asked for, and again after the keys change. */
  GtkShortcutsWindow *shortcuts;
  guint worklist_idle;
};

/* How long Enter on the worklist may leave the worklist on screen while the first image
 * loads: under 0.1 s still reads as an immediate answer. */
#define REVEAL_WAIT_MS 100

G_DEFINE_FINAL_TYPE (LbMainWindow, lb_main_window, ADW_TYPE_APPLICATION_WINDOW)

static void stop_revealing (LbMainWindow *self);

static void
cancel_load (LbMainWindow *self)
{
  stop_revealing (self);
  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }
}

static void
lb_main_window_dispose (GObject *object)
{
  LbMainWindow *self = LB_MAIN_WINDOW (object);

  cancel_load (self);
  g_clear_handle_id (&self->worklist_idle, g_source_remove);
  if (self->shortcuts != NULL)
    gtk_window_destroy (GTK_WINDOW (self->shortcuts));
  g_clear_object (&self->shortcuts);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_MAIN_WINDOW);

  G_OBJECT_CLASS (lb_main_window_parent_class)->dispose (object);
}

/* The page not shown is hidden, not just covered: assistive technologies (and the UI
 * tests) then see only what is on screen. */
static void
show_page (LbMainWindow *self, GtkWidget *page)
{
  GtkWidget *other = page == GTK_WIDGET (self->worklist) ? GTK_WIDGET (self->reading)
                                                         : GTK_WIDGET (self->worklist);

  gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child (self->stack, page);
  /* GTK 4.8 does not pass visibility on to the accessibility tree by itself. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (page), GTK_ACCESSIBLE_STATE_HIDDEN, FALSE, -1);
  if (other != NULL)
    {
      gtk_widget_set_visible (other, FALSE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (other), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
    }
}

static void on_open_study (LbWorklistPage *page, LbWorklistItem *item, LbMainWindow *self);
static void on_worklist_error (LbWorklistPage *page, GError *error, LbMainWindow *self);
static void on_worklist_offline (LbWorklistPage *page, GParamSpec *pspec, LbMainWindow *self);

/* A window opened on files builds its worklist after the first image is up: the
 * worklist's column view is the dearest part of the window to make. */
static LbWorklistPage *
ensure_worklist (LbMainWindow *self)
{
  if (self->worklist != NULL)
    return self->worklist;

  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  self->worklist = lb_worklist_page_new (LB_APPLICATION (app));
  gtk_widget_set_visible (GTK_WIDGET (self->worklist), FALSE);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->worklist), "worklist");
  g_signal_connect_object (self->worklist, "open-study", G_CALLBACK (on_open_study), self, 0);
  g_signal_connect_object (self->worklist, "error", G_CALLBACK (on_worklist_error), self, 0);
  g_signal_connect_object (self->worklist, "notify::offline", G_CALLBACK (on_worklist_offline),
                           self, 0);
  return self->worklist;
}

static gboolean
make_worklist_later (gpointer data)
{
  LbMainWindow *self = data;

  self->worklist_idle = 0;
  ensure_worklist (self);
  return G_SOURCE_REMOVE;
}

static void
show_worklist (LbMainWindow *self)
{
  show_page (self, GTK_WIDGET (ensure_worklist (self)));
  lb_worklist_page_focus (self->worklist);
}

static void
worklist_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbMainWindow *self = LB_MAIN_WINDOW (widget);

  /* Leaving a study stops its retrieval and frees the viewports' pictures; the cache
   * keeps the decoded frames for a quick return. */
  cancel_load (self);
  lb_reading_page_set_study (self->reading, NULL);
  lb_worklist_page_close_study (ensure_worklist (self));
  show_worklist (self);
}

static void
on_open_chosen (GtkNativeDialog *dialog, int response, gpointer data)
{
  LbMainWindow *self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          g_autofree char *path = g_file_get_path (file);
          if (path != NULL)
            g_strv_builder_add (builder, path);
        }
      g_auto (GStrv) paths = g_strv_builder_end (builder);
      if (paths[0] != NULL)
        lb_main_window_open_paths (self, (const char *const *) paths);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  /* A folder is what a patient CD or a download is; files can be picked inside it. */
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
    _("Open a Folder of DICOM Files"), GTK_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
    _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_chosen), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
study_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbMainWindow *self = LB_MAIN_WINDOW (widget);

  if (!lb_worklist_page_open_adjacent (ensure_worklist (self), g_variant_get_int32 (param)))
    lb_main_window_show_message (self, g_variant_get_int32 (param) > 0
                                    ? _("This is the last study in the worklist")
                                    : _("This is the first study in the worklist"));
}

static void
shortcuts_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbMainWindow *self = LB_MAIN_WINDOW (widget);

  if (self->shortcuts == NULL)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      self->shortcuts = lb_shortcuts_window_new (lb_application_get_keymap (LB_APPLICATION (app)));
      gtk_window_set_transient_for (GTK_WINDOW (self->shortcuts), GTK_WINDOW (self));
      gtk_window_set_hide_on_close (GTK_WINDOW (self->shortcuts), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->shortcuts));
}

static void
lb_main_window_class_init (LbMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_main_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lightboxrad/Lightbox/lb-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbMainWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, LbMainWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, LbMainWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, LbMainWindow, stack);

  gtk_widget_class_install_action (widget_class, "win.worklist", NULL, worklist_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.study", "i", study_action);
  gtk_widget_class_install_action (widget_class, "win.shortcuts", NULL, shortcuts_action);
}

static void
on_banner_revealed (GtkRevealer *banner, GParamSpec *pspec, LbMainWindow *self)
{
  /* Closed is hidden, not only folded away. */
  if (!gtk_revealer_get_child_revealed (banner) && !gtk_revealer_get_reveal_child (banner))
    {
      gtk_widget_set_visible (GTK_WIDGET (banner), FALSE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
    }
}

static void
lb_main_window_init (LbMainWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->offline_banner, "notify::child-revealed",
                    G_CALLBACK (on_banner_revealed), self);
}

static void
on_keymap_changed (LbKeymap *keymap, LbMainWindow *self)
{
  if (self->shortcuts != NULL)
    gtk_window_destroy (GTK_WINDOW (self->shortcuts));
  g_clear_object (&self->shortcuts);
}

static void
stop_revealing (LbMainWindow *self)
{
  g_clear_handle_id (&self->reveal_timeout, g_source_remove);
  if (self->revealing != NULL)
    g_signal_handlers_disconnect_by_data (self->revealing, self);
  g_clear_object (&self->revealing);
}

static void
reveal_reading (LbMainWindow *self)
{
  stop_revealing (self);
  show_page (self, GTK_WIDGET (self->reading));
}

static void
on_first_images (LbLoadedStudy *study, GParamSpec *pspec, LbMainWindow *self)
{
  if (lb_loaded_study_get_n_instances (study) > 0)
    reveal_reading (self);
}

/* Loading ended with nothing to show (an error): the reading page says so. */
static void
on_loading (LbLoadedStudy *study, GParamSpec *pspec, LbMainWindow *self)
{
  if (!lb_loaded_study_get_loading (study))
    reveal_reading (self);
}

static gboolean
on_reveal_timeout (gpointer data)
{
  LbMainWindow *self = data;

  self->reveal_timeout = 0;
  reveal_reading (self);
  return G_SOURCE_REMOVE;
}

/* A study from the archive waits a round trip or two for its first image, and the empty
 * reading page is drawn meanwhile.  A cached one has it in about 10 ms, and drawing the
 * page empty first would only put one more whole-window frame before the image (30-40 ms
 * on a software-rendered screen): its page is shown with the first image in it, or after
 * REVEAL_WAIT_MS with its progress mark. */
static void
on_open_study (LbWorklistPage *page, LbWorklistItem *item, LbMainWindow *self)
{
  cancel_load (self);
  self->load_cancellable = g_cancellable_new ();

  g_autoptr (LbLoadedStudy) study = lb_worklist_page_load_study (page, item,
                                                                 self->load_cancellable);
  lb_reading_page_set_study (self->reading, study);
  if (lb_worklist_item_get_cache_state (item) != LB_CACHE_STATE_CACHED)
    {
      reveal_reading (self);
      return;
    }
  self->revealing = g_object_ref (study);
  g_signal_connect (study, "notify::n-instances", G_CALLBACK (on_first_images), self);
  g_signal_connect (study, "notify::loading", G_CALLBACK (on_loading), self);
  self->reveal_timeout = g_timeout_add (REVEAL_WAIT_MS, on_reveal_timeout, self);
  on_first_images (study, NULL, self);
}

static void
on_worklist_error (LbWorklistPage *page, GError *error, LbMainWindow *self)
{
  lb_main_window_show_error (self, error);
}

static void
on_worklist_offline (LbWorklistPage *page, GParamSpec *pspec, LbMainWindow *self)
{
  const char *reason = lb_worklist_page_get_offline_reason (page);

  /* The banner says why: a refused password is for the reader to put right, not an
   * outage to wait out. */
  if (reason != NULL)
    {
      g_autofree char *text = g_strdup_printf (
        _("%s Showing the studies in the cache; reports wait in the outbox."), reason);
      gtk_label_set_label (self->offline_label, text);
    }
  lb_main_window_set_offline (self, lb_worklist_page_get_offline (page));
}

static LbMainWindow *
make_window (LbApplication *app)
{
  LbMainWindow *self = g_object_new (LB_TYPE_MAIN_WINDOW, "application", app, NULL);
  LbKeymap *keymap = lb_application_get_keymap (app);
  GSettings *settings = lb_application_get_settings (app);

  self->reading = lb_reading_page_new (lb_application_get_frame_cache (app), settings, keymap);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->reading), "reading");

  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  lb_keymap_attach (keymap, GTK_SHORTCUT_CONTROLLER (shortcuts), LB_KEYMAP_SCOPE_WINDOW);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  g_signal_connect_object (keymap, "changed", G_CALLBACK (on_keymap_changed), self, 0);
  return self;
}

LbMainWindow *
lb_main_window_new (LbApplication *app)
{
  g_return_val_if_fail (LB_IS_APPLICATION (app), NULL);

  LbMainWindow *self = make_window (app);
  show_worklist (self);
  return self;
}

LbReadingPage *
lb_main_window_get_reading_page (LbMainWindow *self)
{
  g_return_val_if_fail (LB_IS_MAIN_WINDOW (self), NULL);
  return self->reading;
}

typedef struct
{
  LbMainWindow *self;
  char **paths;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->self);
  g_strfreev (data->paths);
  g_free (data);
}

static void
on_paths_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OpenData *data = user_data;
  LbLoadedStudy *study = LB_LOADED_STUDY (source);
  g_autoptr (GError) error = NULL;

  if (!lb_loaded_study_load_paths_finish (study, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          lb_main_window_show_error (data->self, error);
          if (lb_loaded_study_get_n_instances (study) == 0)
            show_worklist (data->self);
        }
    }
  else
    {
      guint failed = lb_loaded_study_get_n_failed (study);
      if (failed > 0)
        {
          g_autofree char *message = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%u file could not be read: %s",
                         "%u files could not be read; the first: %s", failed),
            failed, lb_loaded_study_get_first_error (study));
          lb_main_window_show_message (data->self, message);
        }
      lb_worklist_page_import (ensure_worklist (data->self), (const char *const *) data->paths);
    }
  open_data_free (data);
}

/* Starts loading @paths into a new study; the caller shows it.  @self may still be
 * unset: it is set before the main loop runs again, the only time results arrive. */
static LbLoadedStudy *
load_paths (LbApplication *app, const char *const *paths, GCancellable *cancellable,
            OpenData **data_out)
{
  LbLoadedStudy *study = lb_loaded_study_new ();
  OpenData *data = g_new0 (OpenData, 1);

  lb_loaded_study_set_frame_cache (study, lb_application_get_frame_cache (app));
  data->paths = g_strdupv ((char **) paths);
  lb_loaded_study_load_paths_async (study, paths, cancellable, on_paths_loaded, data);
  *data_out = data;
  return study;
}

static void
show_loading (LbMainWindow *self, LbLoadedStudy *study, GCancellable *cancellable)
{
  cancel_load (self);
  self->load_cancellable = g_object_ref (cancellable);
  lb_reading_page_set_study (self->reading, study);
  show_page (self, GTK_WIDGET (self->reading));
}

void
lb_main_window_open_paths (LbMainWindow *self, const char *const *paths)
{
  g_return_if_fail (LB_IS_MAIN_WINDOW (self));
  g_return_if_fail (paths != NULL);

  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  OpenData *data;

  cancel_load (self);
  g_autoptr (LbLoadedStudy) study = load_paths (LB_APPLICATION (app), paths, cancellable, &data);
  data->self = g_object_ref (self);
  show_loading (self, study, cancellable);
}

LbMainWindow *
lb_main_window_new_for_paths (LbApplication *app, const char *const *paths)
{
  g_return_val_if_fail (LB_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  /* The files are read before the window is built: the first image is parsed and
   * decoded on another core while this one makes the widgets. */
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  OpenData *data;
  g_autoptr (LbLoadedStudy) study = load_paths (app, paths, cancellable, &data);
  LbMainWindow *self = make_window (app);

  data->self = g_object_ref (self);
  show_loading (self, study, cancellable);
  self->worklist_idle = g_idle_add_full (G_PRIORITY_LOW, make_worklist_later, self, NULL);
  return self;
}

void
lb_main_window_show_error (LbMainWindow *self, const GError *error)
{
  g_return_if_fail (LB_IS_MAIN_WINDOW (self));
  g_return_if_fail (error != NULL);

  lb_main_window_show_message (self, error->message);
}

void
lb_main_window_show_message (LbMainWindow *self, const char *message)
{
  g_return_if_fail (LB_IS_MAIN_WINDOW (self));

  AdwToast *toast = adw_toast_new (message);
  /* Toasts take markup: a file name with '&' must stay text. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  adw_toast_set_title (toast, escaped);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

void
lb_main_window_set_offline (LbMainWindow *self, gboolean offline)
{
  g_return_if_fail (LB_IS_MAIN_WINDOW (self));

  if (offline)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->offline_banner), TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->offline_banner),
                                   GTK_ACCESSIBLE_STATE_HIDDEN, FALSE, -1);
    }
  gtk_revealer_set_reveal_child (self->offline_banner, offline);
}
