/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pointer input of LbViewport: the wheel scrolls the stack (Ctrl+wheel zooms), the
 * primary button drags with the current tool (window/level, zoom, pan, scroll), the
 * middle button pans and the secondary button zooms; a series dropped from the strip
 * is shown.
 */
#define G_LOG_DOMAIN "lb-viewport"
#include "config.h"

#include "lb-viewport-private.h"

#include <math.h>

/* Pixels of drag per image of the stack. */
#define SCROLL_DRAG_STEP 6.0

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, LbViewport *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    lb_viewport_zoom_by (self, dy < 0 ? 1.1 : 1 / 1.1);
  else if (dy != 0)
    lb_viewport_scroll (self, dy > 0 ? 1 : -1);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, LbViewport *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  _lb_viewport_choose (self);
  self->drag_last_x = 0;
  self->drag_last_y = 0;
  self->drag_scroll_rest = 0;
  self->drag_tool = button == GDK_BUTTON_MIDDLE ? LB_VIEWPORT_TOOL_PAN
                  : button == GDK_BUTTON_SECONDARY ? LB_VIEWPORT_TOOL_ZOOM
                  : self->tool;

  /* A drag starts from the window on screen, whatever chose it. */
  LbWindow applied;
  if (self->drag_tool == LB_VIEWPORT_TOOL_WINDOW && self->voi_mode != LB_VOI_MODE_WINDOW &&
      lb_viewport_get_applied_window (self, &applied))
    {
      self->voi_mode = LB_VOI_MODE_WINDOW;
      self->window = applied;
      self->window.function = LB_VOI_FUNCTION_LINEAR;
    }
}

static void
on_drag_update (GtkGestureDrag *gesture, double offset_x, double offset_y, LbViewport *self)
{
  double dx = offset_x - self->drag_last_x;
  double dy = offset_y - self->drag_last_y;

  self->drag_last_x = offset_x;
  self->drag_last_y = offset_y;

  switch (self->drag_tool)
    {
    case LB_VIEWPORT_TOOL_WINDOW:
      {
        if (self->voi_mode != LB_VOI_MODE_WINDOW)
          return;
        /* Proportional to the window, so a lung window and a brain window both move
         * at a useful pace. */
        double step = MAX (self->window.width / 256, 0.5);
        lb_viewport_set_window (self, self->window.width + dx * step,
                                self->window.center + dy * step);
        break;
      }
    case LB_VIEWPORT_TOOL_ZOOM:
      lb_viewport_zoom_by (self, exp (-dy / 200));
      break;
    case LB_VIEWPORT_TOOL_PAN:
      self->pan_x += dx;
      self->pan_y += dy;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case LB_VIEWPORT_TOOL_SCROLL:
    default:
      {
        self->drag_scroll_rest += dy / SCROLL_DRAG_STEP;
        int steps = (int) trunc (self->drag_scroll_rest);
        if (steps != 0)
          {
            self->drag_scroll_rest -= steps;
            lb_viewport_scroll (self, steps);
          }
        break;
      }
    }
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, LbViewport *self)
{
  LbStudySeries *series = g_value_get_object (value);

  if (series == NULL)
    return FALSE;
  lb_viewport_set_series (self, series);
  _lb_viewport_choose (self);
  return TRUE;
}

void
_lb_viewport_init_input (LbViewport *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  GtkEventController *scroll = gtk_event_controller_scroll_new (
    GTK_EVENT_CONTROLLER_SCROLL_VERTICAL | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, scroll);

  GtkGesture *drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  GtkDropTarget *drop = gtk_drop_target_new (LB_TYPE_STUDY_SERIES, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drop));
}
