/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-preferences-window.h"

#include <glib/gi18n.h>

static const char *const layouts[] = { "1x1", "1x2", "2x1", "2x2", "2x3", "3x3", NULL };

struct _LbPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwComboRow *layout_row;
  GtkSpinButton *cine_fps;

  LbApplication *app;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (LbPreferencesWindow, lb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
lb_preferences_window_dispose (GObject *object)
{
  LbPreferencesWindow *self = LB_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lb_preferences_window_parent_class)->dispose (object);
}

static void
lb_preferences_window_class_init (LbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/lightboxrad/Lightbox/lb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, layout_row);
  gtk_widget_class_bind_template_child (widget_class, LbPreferencesWindow, cine_fps);
}

static void
lb_preferences_window_init (LbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static gboolean
layout_to_index (GValue *value, GVariant *variant, gpointer data)
{
  const char *layout = g_variant_get_string (variant, NULL);

  for (guint i = 0; layouts[i] != NULL; i++)
    if (g_str_equal (layouts[i], layout))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_to_layout (const GValue *value, const GVariantType *type, gpointer data)
{
  guint index = g_value_get_uint (value);
  return g_variant_new_string (layouts[MIN (index, G_N_ELEMENTS (layouts) - 2)]);
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
  return self;
}
