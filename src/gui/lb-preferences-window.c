/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-preferences-window-private.h"

#include <glib/gi18n.h>

#include "lb-user-presets.h"

static const char *const layouts[] = { "1x1", "1x2", "2x1", "2x2", "2x3", "3x3", NULL };

#define GIGABYTE 1e9

G_DEFINE_FINAL_TYPE (LbPreferencesWindow, lb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
lb_preferences_window_dispose (GObject *object)
{
  LbPreferencesWindow *self = LB_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->servers);
  g_clear_pointer (&self->server_rows, g_ptr_array_unref);
  g_clear_pointer (&self->preset_rows, g_ptr_array_unref);
  g_clear_pointer (&self->key_rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lb_preferences_window_parent_class)->dispose (object);
}

/* ---- presets ------------------------------------------------------------------- */

static void save_presets (LbPreferencesWindow *self);

static void
on_preset_edited (GObject *object, GParamSpec *pspec, LbPreferencesWindow *self)
{
  save_presets (self);
}

static void
on_remove_preset (GtkButton *button, LbPreferencesWindow *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "lb-row");

  g_ptr_array_remove (self->preset_rows, row);
  adw_preferences_group_remove (self->presets_group, row);
  save_presets (self);
}

static GtkWidget *
spin (double value, double lower, double upper, const char *tooltip)
{
  GtkWidget *button = gtk_spin_button_new_with_range (lower, upper, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (button), value);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static void
add_preset_row (LbPreferencesWindow *self, const char *label, double width, double level)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *width_spin = spin (width, 1, 65536, _("Width"));
  GtkWidget *level_spin = spin (level, -32768, 65535, _("Level"));
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Label"));
  gtk_editable_set_text (GTK_EDITABLE (row), label);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove this preset"));
  gtk_widget_add_css_class (remove, "flat");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), width_spin);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), level_spin);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
  g_object_set_data (G_OBJECT (row), "lb-width", width_spin);
  g_object_set_data (G_OBJECT (row), "lb-level", level_spin);
  g_object_set_data (G_OBJECT (remove), "lb-row", row);

  g_signal_connect_object (row, "notify::text", G_CALLBACK (on_preset_edited), self, 0);
  g_signal_connect_object (width_spin, "notify::value", G_CALLBACK (on_preset_edited), self, 0);
  g_signal_connect_object (level_spin, "notify::value", G_CALLBACK (on_preset_edited), self, 0);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_preset), self, 0);

  g_ptr_array_add (self->preset_rows, row);
  adw_preferences_group_add (self->presets_group, row);
}

static void
load_presets (LbPreferencesWindow *self)
{
  for (guint i = 0; i < self->preset_rows->len; i++)
    adw_preferences_group_remove (self->presets_group, g_ptr_array_index (self->preset_rows, i));
  g_ptr_array_set_size (self->preset_rows, 0);

  g_autoptr (GArray) presets = lb_user_presets_load (self->settings);
  for (guint i = 0; i < presets->len; i++)
    {
      const LbUserPreset *preset = &g_array_index (presets, LbUserPreset, i);
      add_preset_row (self, preset->label, preset->width, preset->level);
    }
}

static void
save_presets (LbPreferencesWindow *self)
{
  g_autoptr (GArray) presets = g_array_new (FALSE, FALSE, sizeof (LbUserPreset));

  for (guint i = 0; i < self->preset_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->preset_rows, i);
      LbUserPreset preset = {
        .label = (char *) gtk_editable_get_text (GTK_EDITABLE (row)),
        .width = gtk_spin_button_get_value (g_object_get_data (G_OBJECT (row), "lb-width")),
        .level = gtk_spin_button_get_value (g_object_get_data (G_OBJECT (row), "lb-level")),
      };
      g_array_append_val (presets, preset);
    }
  lb_user_presets_save (self->settings, (LbUserPreset *) (gpointer) presets->data, presets->len);
}

static void
on_add_preset (LbPreferencesWindow *self)
{
  add_preset_row (self, _("New preset"), 400, 40);
  save_presets (self);
}

static void
on_restore_presets (LbPreferencesWindow *self)
{
  lb_user_presets_save (self->settings, NULL, 0);
  load_presets (self);
}

static void
on_add_server (LbPreferencesWindow *self)
{
  _lb_preferences_add_server (self);
}

/* ---- the cache ----------------------------------------------------------------- */

typedef struct
{
  guint64 bytes;
  guint studies;
} Usage;

static void
usage_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Usage *usage = g_new0 (Usage, 1);
  GError *error = NULL;

  if (!lb_store_get_usage (LB_STORE (source), &usage->bytes, &usage->studies, &error))
    {
      g_free (usage);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, usage, g_free);
}

static void
on_usage (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree Usage *usage = g_task_propagate_pointer (G_TASK (result), &error);

  if (usage == NULL)
    return;

  LbPreferencesWindow *self = data;
  g_autofree char *size = g_format_size (usage->bytes);
  g_autofree char *text = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%s in %u study", "%s in %u studies", usage->studies), size,
    usage->studies);
  adw_action_row_set_subtitle (self->usage, text);
}

static void
show_usage (LbPreferencesWindow *self)
{
  LbStore *store = lb_application_get_store (self->app);

  if (store == NULL)
    {
      adw_action_row_set_subtitle (self->usage, _("The cache is not open."));
      return;
    }
  g_autoptr (GTask) task = g_task_new (store, self->cancellable, on_usage, self);
  g_task_run_in_thread (task, usage_thread);
}

static gboolean
bytes_to_gigabytes (GValue *value, GVariant *variant, gpointer data)
{
  g_value_set_double (value, g_variant_get_uint64 (variant) / GIGABYTE);
  return TRUE;
}

static GVariant *
gigabytes_to_bytes (const GValue *value, const GVariantType *type, gpointer data)
{
  return g_variant_new_uint64 ((guint64) (g_value_get_double (value) * GIGABYTE));
}

static gboolean
layout_to_index (GValue *value, GVariant *variant, gpointer data)
{
  const char *layout = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, 0);
  for (guint i = 0; layouts[i] != NULL; i++)
    if (g_str_equal (layouts[i], layout))
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
index_to_layout (const GValue *value, const GVariantType *type, gpointer data)
{
  guint index = g_value_get_uint (value);
  return g_variant_new_string (layouts[MIN (index, G_N_ELEMENTS (layouts) - 2)]);
}

static void
lb_preferences_window_class_init (LbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/lightboxrad/Lightbox/lb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, servers_group);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, quota);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, prefetch);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, usage);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, layout_row);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, cine_fps);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, presets_group);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, keys_page);
  gtk_widget_class_bind_template_callback (widget_class, on_add_preset);
  gtk_widget_class_bind_template_callback (widget_class, on_restore_presets);
  gtk_widget_class_bind_template_callback (widget_class, on_add_server);
}

static void
lb_preferences_window_init (LbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->server_rows = g_ptr_array_new ();
  self->preset_rows = g_ptr_array_new ();
  self->key_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}

LbPreferencesWindow *
lb_preferences_window_new (LbApplication *app)
{
  g_return_val_if_fail (LB_IS_APPLICATION (app), NULL);

  LbPreferencesWindow *self = g_object_new (LB_TYPE_PREFERENCES_WINDOW, NULL);
  self->app = app;
  self->settings = g_object_ref (lb_application_get_settings (app));

  g_settings_bind_with_mapping (self->settings, "default-layout", self->layout_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, layout_to_index, index_to_layout, NULL,
                                NULL);
  g_settings_bind (self->settings, "cine-fps", self->cine_fps, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "prefetch-count", self->prefetch, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "cache-quota-bytes", self->quota, "value",
                                G_SETTINGS_BIND_DEFAULT, bytes_to_gigabytes, gigabytes_to_bytes,
                                NULL, NULL);
  show_usage (self);
  load_presets (self);
  _lb_preferences_servers_init (self);
  _lb_preferences_keys_init (self);
  return self;
}
