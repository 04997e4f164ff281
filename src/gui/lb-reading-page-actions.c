/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reading.* actions: what the keyboard (lb-keymap.c) and the header bar drive.
 * Each acts on the active viewport, except tools, overlays and layouts, which are the
 * page's.
 */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-reading-page-private.h"

#include <glib/gi18n.h>

#include "lb-keymap.h"
#include "lb-user-presets.h"
#include "lb-main-window.h"

#define ZOOM_STEP 1.25

LbViewportTool
_lb_reading_page_parse_tool (const char *tool)
{
  if (g_strcmp0 (tool, "zoom") == 0)
    return LB_VIEWPORT_TOOL_ZOOM;
  if (g_strcmp0 (tool, "pan") == 0)
    return LB_VIEWPORT_TOOL_PAN;
  if (g_strcmp0 (tool, "scroll") == 0)
    return LB_VIEWPORT_TOOL_SCROLL;
  return LB_VIEWPORT_TOOL_WINDOW;
}

static LbViewport *
active (GtkWidget *widget)
{
  return lb_reading_page_get_active_viewport (LB_READING_PAGE (widget));
}

static void
scroll_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_scroll (active (widget), g_variant_get_int32 (param));
}

static void
first_image_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_set_index (active (widget), 0);
}

static void
last_image_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_set_index (active (widget), G_MAXINT);
}

static void
series_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbReadingPage *self = LB_READING_PAGE (widget);
  LbStudySeries *series = lb_viewport_get_series (active (widget));
  int index = -1;

  if (self->study == NULL)
    return;
  if (series != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->study)); i++)
      {
        g_autoptr (LbStudySeries) item = g_list_model_get_item (G_LIST_MODEL (self->study), i);
        if (item == series)
          index = (int) i;
      }
  _lb_reading_page_show_series (self, index + g_variant_get_int32 (param));
}

static void
next_viewport_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbReadingPage *self = LB_READING_PAGE (widget);

  if (self->viewports->len > 0)
    lb_reading_page_set_active_viewport (self, (self->active + 1) % self->viewports->len);
}

static void
cine_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbViewport *viewport = active (widget);

  lb_viewport_set_cine (viewport, !lb_viewport_get_cine (viewport));
}

static void
cine_speed_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbReadingPage *self = LB_READING_PAGE (widget);
  LbViewport *viewport = active (widget);
  double fps = lb_viewport_get_cine_fps (viewport);

  fps = g_variant_get_int32 (param) > 0 ? fps * 1.25 : fps / 1.25;
  lb_viewport_set_cine_fps (viewport, fps);
  g_settings_set_double (self->settings, "cine-fps", lb_viewport_get_cine_fps (viewport));
}

static void
preset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbReadingPage *self = LB_READING_PAGE (widget);
  int number = g_variant_get_int32 (param);

  if (number < 1 || (guint) number > self->presets->len)
    return;
  const LbUserPreset *preset = &g_array_index (self->presets, LbUserPreset, number - 1);
  lb_viewport_set_window (active (widget), preset->width, preset->level);
}

static void
full_range_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_set_full_range (active (widget));
}

static void
invert_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_toggle_invert (active (widget));
}

static void
fit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_fit (active (widget));
}

static void
actual_size_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_actual_size (active (widget));
}

static void
zoom_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_zoom_by (active (widget),
                       g_variant_get_int32 (param) > 0 ? ZOOM_STEP : 1 / ZOOM_STEP);
}

static void
rotate_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_rotate (active (widget));
}

static void
flip_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_viewport_flip (active (widget), g_str_equal (g_variant_get_string (param, NULL), "horizontal"));
}

static void
reset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  LbViewport *viewport = active (widget);

  lb_viewport_set_cine (viewport, FALSE);
  lb_viewport_reset (viewport);
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GtkWidget) page = data;
  g_autoptr (GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (page);

  if (!lb_viewport_export_finish (LB_VIEWPORT (source), result, &error))
    {
      if (LB_IS_MAIN_WINDOW (root))
        lb_main_window_show_error (LB_MAIN_WINDOW (root), error);
    }
  else if (LB_IS_MAIN_WINDOW (root))
    lb_main_window_show_message (LB_MAIN_WINDOW (root), _("Image saved"));
}

static void
on_save_chosen (GtkNativeDialog *dialog, int response, gpointer data)
{
  GtkWidget *page = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        lb_viewport_export_async (active (page), path, NULL, on_saved, g_object_ref (page));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (page);
}

/* Saves the image on screen, as its window renders it, full size: with a path, at once
 * (scripts and tests drive it over D-Bus); without, after asking where. */
static void
save_image_action (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *path = param != NULL ? g_variant_get_string (param, NULL) : "";

  if (*path != '\0')
    {
      lb_viewport_export_async (active (widget), path, NULL, on_saved, g_object_ref (widget));
      return;
    }

  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
    _("Save Image"), GTK_WINDOW (gtk_widget_get_root (widget)), GTK_FILE_CHOOSER_ACTION_SAVE,
    _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("image.png"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_chosen), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
_lb_reading_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "reading.scroll", "i", scroll_action);
  gtk_widget_class_install_action (widget_class, "reading.first-image", NULL, first_image_action);
  gtk_widget_class_install_action (widget_class, "reading.last-image", NULL, last_image_action);
  gtk_widget_class_install_action (widget_class, "reading.series", "i", series_action);
  gtk_widget_class_install_action (widget_class, "reading.next-viewport", NULL,
                                   next_viewport_action);
  gtk_widget_class_install_action (widget_class, "reading.cine", NULL, cine_action);
  gtk_widget_class_install_action (widget_class, "reading.cine-speed", "i", cine_speed_action);
  gtk_widget_class_install_action (widget_class, "reading.preset", "i", preset_action);
  gtk_widget_class_install_action (widget_class, "reading.full-range", NULL, full_range_action);
  gtk_widget_class_install_action (widget_class, "reading.invert", NULL, invert_action);
  gtk_widget_class_install_action (widget_class, "reading.fit", NULL, fit_action);
  gtk_widget_class_install_action (widget_class, "reading.actual-size", NULL, actual_size_action);
  gtk_widget_class_install_action (widget_class, "reading.zoom", "i", zoom_action);
  gtk_widget_class_install_action (widget_class, "reading.rotate", NULL, rotate_action);
  gtk_widget_class_install_action (widget_class, "reading.flip", "s", flip_action);
  gtk_widget_class_install_action (widget_class, "reading.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "reading.save-image", NULL, save_image_action);
  gtk_widget_class_install_action (widget_class, "reading.save-image-to", "s", save_image_action);
  gtk_widget_class_install_property_action (widget_class, "reading.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "reading.overlays", "overlays");
  gtk_widget_class_install_property_action (widget_class, "reading.layout", "layout");
}

void
_lb_reading_page_init_actions (LbReadingPage *self, LbKeymap *keymap)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* Capture: reading keys win over whatever has the focus (the strip would take the
   * arrows). */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  lb_keymap_attach (keymap, GTK_SHORTCUT_CONTROLLER (shortcuts), LB_KEYMAP_SCOPE_READING);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
