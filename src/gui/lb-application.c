/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-application.h"

#include <glib/gi18n.h>

#include "lb-dicom-file.h"
#include "lb-gui-resources.h"
#include "lb-preferences-window.h"
#include "lb-main-window.h"

/* Decoded frames of a few studies, and their pictures at screen resolution. */
#define DECODED_CACHE_BYTES (G_GUINT64_CONSTANT (1536) << 20)
#define RENDERED_CACHE_BYTES (G_GUINT64_CONSTANT (384) << 20)

struct _LbApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  LbKeymap *keymap;
  LbFrameCache *cache;
  LbStore *store;
  char *server_override;
};

G_DEFINE_FINAL_TYPE (LbApplication, lb_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lb_application_dispose (GObject *object)
{
  LbApplication *self = LB_APPLICATION (object);

  g_clear_object (&self->keymap);
  g_clear_object (&self->settings);
  g_clear_object (&self->cache);
  g_clear_object (&self->store);
  g_clear_pointer (&self->server_override, g_free);

  G_OBJECT_CLASS (lb_application_parent_class)->dispose (object);
}

static LbMainWindow *
ensure_window (LbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (LB_IS_MAIN_WINDOW (window))
    return LB_MAIN_WINDOW (window);
  return lb_main_window_new (self);
}

static void
lb_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (ensure_window (LB_APPLICATION (app))));
}

static void
lb_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      if (path != NULL)
        g_strv_builder_add (builder, path);
    }
  g_auto (GStrv) paths = g_strv_builder_end (builder);
  const char *const *list = (const char *const *) paths;

  if (LB_IS_MAIN_WINDOW (active))
    {
      if (list[0] != NULL)
        lb_main_window_open_paths (LB_MAIN_WINDOW (active), list);
      gtk_window_present (active);
    }
  else if (list[0] != NULL)
    gtk_window_present (GTK_WINDOW (lb_main_window_new_for_paths (LB_APPLICATION (app), list)));
  else
    gtk_window_present (GTK_WINDOW (ensure_window (LB_APPLICATION (app))));
}

static int
lb_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  LbApplication *self = LB_APPLICATION (app);
  const char *server = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("lightbox %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "server", "&s", &server))
    self->server_override = g_strdup (server);
  return -1;
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

static void
preferences_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  LbApplication *self = data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  LbPreferencesWindow *prefs = lb_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  LbApplication *self = data;
  const char *developers[] = { _("The Lightbox developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Lightbox"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("A radiologist’s reading workstation for teleradiology"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

/* The active viewport's image as a PNG: "Save Image" for scripts, over D-Bus. */
static void
save_image_action (GSimpleAction *action, GVariant *param, gpointer data)
{
  LbMainWindow *window = ensure_window (LB_APPLICATION (data));

  gtk_widget_activate_action_variant (GTK_WIDGET (lb_main_window_get_reading_page (window)),
                                      "reading.save-image-to", param);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "save-image", save_image_action, "s" },
};

static void
lb_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, LB_APPLICATION (object)->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quota_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (!lb_store_set_quota (LB_STORE (source), *(guint64 *) data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_quota_set (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("the cache quota could not be set: %s", error->message);
}

/* The quota lives in the store's index too, where the command-line tool reads it. */
static void
apply_quota (LbApplication *self)
{
  if (self->store == NULL)
    return;

  guint64 *quota = g_new (guint64, 1);
  *quota = g_settings_get_uint64 (self->settings, "cache-quota-bytes");
  g_autoptr (GTask) task = g_task_new (self->store, NULL, on_quota_set, NULL);
  g_task_set_task_data (task, quota, g_free);
  g_task_run_in_thread (task, quota_thread);
}

static void
on_quota_changed (GSettings *settings, const char *key, LbApplication *self)
{
  apply_quota (self);
}

static void
on_store_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (LbApplication) self = data;
  g_autoptr (GError) error = NULL;

  self->store = lb_store_open_finish (result, &error);
  if (self->store == NULL)
    {
      /* The workstation still reads from the archive and from files, without a cache. */
      g_warning ("the cache cannot be opened: %s", error->message);
      return;
    }
  apply_quota (self);
  g_signal_connect_object (self->settings, "changed::cache-quota-bytes",
                           G_CALLBACK (on_quota_changed), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STORE]);
}

static gboolean
open_store (gpointer data)
{
  g_autofree char *dir = lb_store_get_default_dir ();

  lb_store_open_async (dir, NULL, on_store_opened, g_object_ref (data));
  return G_SOURCE_REMOVE;
}

static void
lb_application_startup (GApplication *app)
{
  LbApplication *self = LB_APPLICATION (app);

  lb_gui_register_resource ();
  /* Reading rooms are dark; so is the workstation, unless the reader's desktop asks for
   * light.  Said before libadwaita starts (in the parent's startup): said after, it has
   * loaded its light stylesheet already and loads the dark one on top (17 ms here). */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_PREFER_DARK);
  G_APPLICATION_CLASS (lb_application_parent_class)->startup (app);

  lb_dicom_init ();
  self->settings = g_settings_new (APP_ID);
  self->keymap = lb_keymap_new (self->settings);
  self->cache = lb_frame_cache_new (DECODED_CACHE_BYTES, RENDERED_CACHE_BYTES);

  /* After the first frames: checking the cache's index competes with the first image. */
  g_idle_add_full (G_PRIORITY_LOW, open_store, g_object_ref (self), g_object_unref);
  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
}

static void
lb_application_class_init (LbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lb_application_dispose;
  object_class->get_property = lb_application_get_property;
  app_class->startup = lb_application_startup;
  app_class->activate = lb_application_activate;
  app_class->open = lb_application_open;
  app_class->handle_local_options = lb_application_handle_local_options;

  props[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, LB_TYPE_STORE,
                                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                           G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_application_init (LbApplication *self)
{
  static const GOptionEntry options[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Read from this DICOMweb archive (its address, for this run)"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE|FOLDER…]"));
}

LbApplication *
lb_application_new (void)
{
  return g_object_new (LB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/lightboxrad/Lightbox",
                       NULL);
}

GSettings *
lb_application_get_settings (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);
  return self->settings;
}

LbKeymap *
lb_application_get_keymap (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);
  return self->keymap;
}

LbFrameCache *
lb_application_get_frame_cache (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);
  return self->cache;
}

LbStore *
lb_application_get_store (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);
  return self->store;
}

const char *
lb_application_get_server_override (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);
  return self->server_override;
}
