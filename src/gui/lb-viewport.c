/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-viewport"
#include "config.h"

#include "lb-viewport-private.h"

#include <glib/gi18n.h>
#include <math.h>

#define MIN_ZOOM 0.05
#define MAX_ZOOM 64.0
#define DEFAULT_CINE_FPS 15.0

G_DEFINE_FINAL_TYPE (LbViewport, lb_viewport, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERIES,
  PROP_SLICE,
  PROP_INDEX,
  PROP_ACTIVE,
  PROP_CINE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void on_series_items_changed (GListModel *model, guint position, guint removed,
                                     guint added, LbViewport *self);

static void
lb_viewport_dispose (GObject *object)
{
  LbViewport *self = LB_VIEWPORT (object);

  lb_viewport_set_cine (self, FALSE);
  _lb_viewport_cancel_picture (self);
  if (self->series != NULL)
    g_signal_handlers_disconnect_by_func (self->series, on_series_items_changed, self);
  g_clear_object (&self->series);
  g_clear_object (&self->study);
  g_clear_object (&self->slice);
  g_clear_object (&self->picture_slice);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (lb_viewport_parent_class)->dispose (object);
}

static void
lb_viewport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbViewport *self = LB_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_SERIES:
      g_value_set_object (value, self->series);
      break;
    case PROP_SLICE:
      g_value_set_object (value, self->slice);
      break;
    case PROP_INDEX:
      g_value_set_int (value, self->index);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_CINE:
      g_value_set_boolean (value, self->cine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
_lb_viewport_get_matrix (LbViewport *self, cairo_matrix_t *matrix)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double w = self->slice != NULL ? lb_slice_get_width (self->slice) : 1;
  double h = self->slice != NULL ? lb_slice_get_height (self->slice) : 1;
  double s = _lb_viewport_get_fit_scale (self) * self->zoom;

  /* Flips act on the screen, after the rotation: H always mirrors left and right as
   * the reader sees them. */
  cairo_matrix_init_translate (matrix, width / 2.0 + self->pan_x, height / 2.0 + self->pan_y);
  cairo_matrix_scale (matrix, self->flip_h ? -1 : 1, self->flip_v ? -1 : 1);
  cairo_matrix_rotate (matrix, self->rotation * G_PI / 2);
  cairo_matrix_scale (matrix, s, s);
  cairo_matrix_translate (matrix, -w / 2, -h / 2);
}

double
_lb_viewport_get_fit_scale (LbViewport *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->slice == NULL || width <= 0 || height <= 0)
    return 1;

  double w = lb_slice_get_width (self->slice);
  double h = lb_slice_get_height (self->slice);
  if (self->rotation % 2 == 1)
    {
      double t = w;
      w = h;
      h = t;
    }
  return MIN (width / w, height / h);
}

double
lb_viewport_get_scale (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), 1);
  return _lb_viewport_get_fit_scale (self) * self->zoom;
}

static void
lb_viewport_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  LbViewport *self = LB_VIEWPORT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);

  if (self->picture != NULL && self->picture_slice != NULL)
    {
      cairo_matrix_t matrix;
      double level_scale = (double) (1u << self->picture_level);

      cairo_save (cr);
      _lb_viewport_get_matrix (self, &matrix);
      cairo_transform (cr, &matrix);
      /* The picture may be of the slice before (while the next renders): draw it in the
       * current slice's frame, scaled from its own pyramid level. */
      cairo_scale (cr, level_scale, level_scale);
      cairo_rectangle (cr, 0, 0, cairo_image_surface_get_width (self->picture),
                       cairo_image_surface_get_height (self->picture));
      cairo_clip (cr);

      cairo_pattern_t *pattern = cairo_pattern_create_for_surface (self->picture);
      /* Cairo's default filter costs ~90 ms on a mammogram; the picture is already at
       * the pyramid level that suits the zoom, so bilinear is both fast and smooth. */
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
      if (cairo_image_surface_get_format (self->picture) == CAIRO_FORMAT_A8)
        {
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_mask (cr, pattern);
        }
      else
        {
          cairo_set_source (cr, pattern);
          cairo_paint (cr);
        }
      cairo_pattern_destroy (pattern);
      cairo_restore (cr);
    }

  _lb_viewport_draw_overlays (self, cr, width, height);

  if (self->active)
    {
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1);
      cairo_set_line_width (cr, 2);
      cairo_rectangle (cr, 1, 1, width - 2, height - 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
lb_viewport_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  /* A new size may call for another pyramid level. */
  _lb_viewport_request_picture (LB_VIEWPORT (widget));
}

static void
lb_viewport_class_init (LbViewportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_viewport_dispose;
  object_class->get_property = lb_viewport_get_property;
  widget_class->snapshot = lb_viewport_snapshot;
  widget_class->size_allocate = lb_viewport_size_allocate;

  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  props[PROP_SERIES] = g_param_spec_object ("series", NULL, NULL, LB_TYPE_STUDY_SERIES, flags);
  props[PROP_SLICE] = g_param_spec_object ("slice", NULL, NULL, LB_TYPE_SLICE, flags);
  props[PROP_INDEX] = g_param_spec_int ("index", NULL, NULL, -1, G_MAXINT, -1, flags);
  props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  props[PROP_CINE] = g_param_spec_boolean ("cine", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The reader clicked or dropped into this viewport: it should become the active one. */
  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "lb-viewport");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lb_viewport_init (LbViewport *self)
{
  self->index = -1;
  self->zoom = 1;
  self->overlays = TRUE;
  self->cine_fps = DEFAULT_CINE_FPS;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Image viewport"), -1);
  _lb_viewport_init_input (self);
}

LbViewport *
lb_viewport_new (LbFrameCache *cache)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (cache), NULL);

  LbViewport *self = g_object_new (LB_TYPE_VIEWPORT, NULL);
  self->cache = g_object_ref (cache);
  return self;
}

void
_lb_viewport_choose (LbViewport *self)
{
  g_signal_emit (self, signals[CHOSEN], 0);
}

void
_lb_viewport_describe (LbViewport *self)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (self->series != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->series));
      int number = lb_study_series_get_number (self->series);
      const char *description = lb_study_series_get_description (self->series);

      /* Translators: what a screen reader says about the viewport */
      g_string_append_printf (text, _("Series %d %s, image %d of %u"), number,
                              description != NULL ? description : "", self->index + 1,
                              MAX (n, lb_study_series_get_expected (self->series)));
      if (self->picture != NULL && self->picture_has_window)
        /* Translators: window width/level, after the image number */
        g_string_append_printf (text, _(", window %.0f/%.0f"), self->picture_window.width,
                                 self->picture_window.center);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text->str, -1);
}

void
_lb_viewport_changed (LbViewport *self)
{
  _lb_viewport_request_picture (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
show_slice_at (LbViewport *self, int index)
{
  g_autoptr (LbSlice) slice = NULL;
  guint n = self->series != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->series)) : 0;

  if (n > 0)
    {
      index = CLAMP (index, 0, (int) n - 1);
      slice = g_list_model_get_item (G_LIST_MODEL (self->series), (guint) index);
    }
  else
    index = -1;

  gboolean new_slice = g_set_object (&self->slice, slice);
  if (index != self->index)
    {
      self->index = index;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INDEX]);
      _lb_viewport_describe (self);
    }
  if (new_slice)
    {
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SLICE]);
      _lb_viewport_changed (self);
    }
}

static void
on_series_items_changed (GListModel *model, guint position, guint removed, guint added,
                         LbViewport *self)
{
  if (self->slice == NULL || !self->moved)
    {
      show_slice_at (self, 0);
      return;
    }
  /* The slice on screen stays; its position may have moved. */
  int index = lb_study_series_find (self->series, self->slice);
  if (index != self->index)
    {
      self->index = index;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INDEX]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_series_progress (LbStudySeries *series, GParamSpec *pspec, LbViewport *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lb_viewport_set_study (LbViewport *self, LbLoadedStudy *study)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (g_set_object (&self->study, study))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lb_viewport_set_series (LbViewport *self, LbStudySeries *series)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  g_return_if_fail (series == NULL || LB_IS_STUDY_SERIES (series));

  if (self->series == series)
    return;
  if (self->series != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->series, on_series_items_changed, self);
      g_signal_handlers_disconnect_by_func (self->series, on_series_progress, self);
    }
  g_set_object (&self->series, series);
  if (series != NULL)
    {
      g_signal_connect (series, "items-changed", G_CALLBACK (on_series_items_changed), self);
      g_signal_connect (series, "notify::progress", G_CALLBACK (on_series_progress), self);
    }
  self->moved = FALSE;
  lb_viewport_set_cine (self, FALSE);
  g_clear_pointer (&self->error, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERIES]);
  show_slice_at (self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

LbStudySeries *
lb_viewport_get_series (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), NULL);
  return self->series;
}

LbSlice *
lb_viewport_get_slice (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), NULL);
  return self->slice;
}

int
lb_viewport_get_index (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), -1);
  return self->index;
}

void
lb_viewport_set_index (LbViewport *self, int index)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->moved = TRUE;
  show_slice_at (self, index);
}

void
lb_viewport_scroll (LbViewport *self, int delta)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  lb_viewport_set_index (self, MAX (self->index, 0) + delta);
}

void
lb_viewport_set_active (LbViewport *self, gboolean active)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
lb_viewport_get_active (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->active;
}

void
lb_viewport_set_tool (LbViewport *self, LbViewportTool tool)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  self->tool = tool;
}

void
lb_viewport_set_window (LbViewport *self, double width, double level)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->voi_mode = LB_VOI_MODE_WINDOW;
  self->window.center = level;
  self->window.width = MAX (width, 1);
  self->window.function = LB_VOI_FUNCTION_LINEAR;
  _lb_viewport_changed (self);
}

void
lb_viewport_set_full_range (LbViewport *self)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->voi_mode = LB_VOI_MODE_FULL_RANGE;
  _lb_viewport_changed (self);
}

gboolean
lb_viewport_get_applied_window (LbViewport *self, LbWindow *window)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);

  if (self->picture == NULL || !self->picture_has_window)
    return FALSE;
  *window = self->picture_window;
  return TRUE;
}

void
lb_viewport_toggle_invert (LbViewport *self)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->invert = !self->invert;
  _lb_viewport_changed (self);
}

void
lb_viewport_rotate (LbViewport *self)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  /* Clockwise as the reader sees it, whatever the flips. */
  gboolean mirrored = self->flip_h != self->flip_v;
  self->rotation = (self->rotation + (mirrored ? 3 : 1)) % 4;
  _lb_viewport_changed (self);
}

void
lb_viewport_flip (LbViewport *self, gboolean horizontal)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (horizontal)
    self->flip_h = !self->flip_h;
  else
    self->flip_v = !self->flip_v;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lb_viewport_fit (LbViewport *self)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->zoom = 1;
  self->pan_x = self->pan_y = 0;
  _lb_viewport_changed (self);
}

void
lb_viewport_actual_size (LbViewport *self)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->zoom = CLAMP (1 / _lb_viewport_get_fit_scale (self), MIN_ZOOM, MAX_ZOOM);
  _lb_viewport_changed (self);
}

void
lb_viewport_zoom_by (LbViewport *self, double factor)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  double zoom = CLAMP (self->zoom * factor, MIN_ZOOM, MAX_ZOOM);
  /* Zoom about the centre of the viewport: the pan scales with the image. */
  self->pan_x *= zoom / self->zoom;
  self->pan_y *= zoom / self->zoom;
  self->zoom = zoom;
  _lb_viewport_changed (self);
}

void
lb_viewport_reset (LbViewport *self)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->voi_mode = LB_VOI_MODE_FILE;
  self->invert = FALSE;
  self->zoom = 1;
  self->pan_x = self->pan_y = 0;
  self->rotation = 0;
  self->flip_h = self->flip_v = FALSE;
  _lb_viewport_changed (self);
}

void
lb_viewport_set_overlays (LbViewport *self, gboolean visible)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->overlays = visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
cine_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  LbViewport *self = LB_VIEWPORT (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gint64 period = (gint64) (G_USEC_PER_SEC / self->cine_fps);
  guint n = self->series != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->series)) : 0;

  if (n < 2)
    return G_SOURCE_CONTINUE;
  if (self->cine_last == 0)
    self->cine_last = now;
  if (now - self->cine_last < period)
    return G_SOURCE_CONTINUE;
  /* Keep the rate when a frame comes late, without bursting to catch up. */
  self->cine_last = now - MIN ((now - self->cine_last) - period, period);
  self->moved = TRUE;
  show_slice_at (self, (self->index + 1) % (int) n);
  return G_SOURCE_CONTINUE;
}

void
lb_viewport_set_cine (LbViewport *self, gboolean playing)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  if (self->cine == playing)
    return;
  self->cine = playing;
  if (playing)
    {
      self->cine_last = 0;
      self->cine_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), cine_tick, NULL, NULL);
    }
  else if (self->cine_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->cine_tick);
      self->cine_tick = 0;
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CINE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
lb_viewport_get_cine (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), FALSE);
  return self->cine;
}

void
lb_viewport_set_cine_fps (LbViewport *self, double fps)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));

  self->cine_fps = CLAMP (fps, 1, 60);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
lb_viewport_get_cine_fps (LbViewport *self)
{
  g_return_val_if_fail (LB_IS_VIEWPORT (self), DEFAULT_CINE_FPS);
  return self->cine_fps;
}
