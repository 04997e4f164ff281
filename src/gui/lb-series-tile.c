/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-series-tile.h"

#include <glib/gi18n.h>

#include "lb-reading-page.h"

#define THUMBNAIL_SIZE 128

struct _LbSeriesTile
{
  GtkWidget parent_instance;

  GtkDrawingArea *thumbnail;
  GtkLabel *title;
  GtkLabel *count;
  GtkProgressBar *progress;

  LbStudySeries *series;
  cairo_surface_t *picture;
  /* The thumbnail is redrawn once when the series is complete: from its middle image. */
  gboolean final_picture;
  GCancellable *cancellable;
};

enum {
  PROP_0,
  PROP_SERIES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (LbSeriesTile, lb_series_tile, GTK_TYPE_WIDGET)

static void
cancel_picture (LbSeriesTile *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
lb_series_tile_dispose (GObject *object)
{
  LbSeriesTile *self = LB_SERIES_TILE (object);

  cancel_picture (self);
  lb_series_tile_set_series (self, NULL);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_SERIES_TILE);

  G_OBJECT_CLASS (lb_series_tile_parent_class)->dispose (object);
}

static void
lb_series_tile_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbSeriesTile *self = LB_SERIES_TILE (object);

  switch (prop_id)
    {
    case PROP_SERIES:
      g_value_set_object (value, self->series);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_series_tile_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  LbSeriesTile *self = LB_SERIES_TILE (object);

  switch (prop_id)
    {
    case PROP_SERIES:
      lb_series_tile_set_series (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
draw_thumbnail (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  LbSeriesTile *self = data;

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  if (self->picture == NULL)
    return;

  int pw = cairo_image_surface_get_width (self->picture);
  int ph = cairo_image_surface_get_height (self->picture);
  double scale = MIN ((double) width / pw, (double) height / ph);
  cairo_translate (cr, (width - pw * scale) / 2, (height - ph * scale) / 2);
  cairo_scale (cr, scale, scale);

  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (self->picture);
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
}

typedef struct
{
  LbFrameCache *cache;
  LbSlice *slice;
  guint level;
} Thumbnail;

static void
thumbnail_free (Thumbnail *thumbnail)
{
  g_clear_object (&thumbnail->cache);
  g_clear_object (&thumbnail->slice);
  g_free (thumbnail);
}

/* Worker thread.  The frame comes from the shared cache (a viewport will want it too)
 * but its small picture does not go there: the cache keeps one picture per frame, and
 * that is the viewport's. */
static void
render_thumbnail (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Thumbnail *thumbnail = data;
  GError *error = NULL;
  g_autoptr (LbFrameRenderer) renderer = lb_frame_cache_get_renderer (thumbnail->cache,
                                                                      thumbnail->slice,
                                                                      cancellable, &error);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE, .grey_a8 = TRUE };
  cairo_surface_t *picture = renderer != NULL
    ? lb_frame_renderer_render_level (renderer, thumbnail->level, &options, NULL, &error)
    : NULL;

  if (picture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, picture, (GDestroyNotify) cairo_surface_destroy);
}

static void
on_picture (GObject *source, GAsyncResult *result, gpointer data)
{
  LbSeriesTile *self = LB_SERIES_TILE (source);
  g_autoptr (GError) error = NULL;
  cairo_surface_t *picture = g_task_propagate_pointer (G_TASK (result), &error);

  if (picture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("thumbnail: %s", error->message);
      return;
    }
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  self->picture = picture;
  gtk_widget_queue_draw (GTK_WIDGET (self->thumbnail));
}

static void
request_picture (LbSeriesTile *self)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self), LB_TYPE_READING_PAGE);
  guint n = self->series != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->series)) : 0;

  if (page == NULL || n == 0 || self->final_picture)
    return;
  if (self->picture != NULL && !lb_study_series_get_complete (self->series))
    return;
  self->final_picture = lb_study_series_get_complete (self->series);

  Thumbnail *thumbnail = g_new0 (Thumbnail, 1);
  thumbnail->cache = g_object_ref (lb_reading_page_get_cache (LB_READING_PAGE (page)));
  thumbnail->slice = g_list_model_get_item (G_LIST_MODEL (self->series), n / 2);
  guint side = MAX (lb_slice_get_width (thumbnail->slice), lb_slice_get_height (thumbnail->slice));
  thumbnail->level = lb_frame_cache_choose_level ((double) THUMBNAIL_SIZE / side);

  cancel_picture (self);
  self->cancellable = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, on_picture, NULL);
  g_task_set_task_data (task, thumbnail, (GDestroyNotify) thumbnail_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, render_thumbnail);
}

static void
update_labels (LbSeriesTile *self)
{
  if (self->series == NULL)
    return;

  int number = lb_study_series_get_number (self->series);
  const char *description = lb_study_series_get_description (self->series);
  const char *modality = lb_study_series_get_modality (self->series);
  g_autofree char *title = number >= 0
    ? g_strdup_printf ("%d · %s", number, description != NULL ? description
                                                              : (modality != NULL ? modality : ""))
    : g_strdup (description != NULL ? description : (modality != NULL ? modality : ""));
  gtk_label_set_label (self->title, title);

  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->series));
  guint expected = lb_study_series_get_expected (self->series);
  gboolean complete = lb_study_series_get_complete (self->series);
  g_autofree char *count = NULL;
  if (complete || expected == 0)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", n), n);
  else
    /* Translators: images arrived of images in the series */
    count = g_strdup_printf (_("%u of %u images"), n, expected);
  gtk_label_set_label (self->count, count);

  gtk_widget_set_visible (GTK_WIDGET (self->progress), !complete);
  gtk_progress_bar_set_fraction (self->progress, lb_study_series_get_progress (self->series));
}

/* The title in full, asked for when the pointer rests on the tile: setting a tooltip
 * makes GTK ask the X server where the pointer is, and the count changes with every
 * batch of images that arrives. */
static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  gpointer data)
{
  LbSeriesTile *self = LB_SERIES_TILE (widget);
  const char *title = gtk_label_get_label (self->title);

  if (self->series == NULL || *title == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, title);
  return TRUE;
}

static void
on_series_changed (LbStudySeries *series, GParamSpec *pspec, LbSeriesTile *self)
{
  update_labels (self);
  request_picture (self);
}

static void
lb_series_tile_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lb_series_tile_parent_class)->map (widget);
  request_picture (LB_SERIES_TILE (widget));
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source, double x, double y, LbSeriesTile *self)
{
  if (self->series == NULL)
    return NULL;
  return gdk_content_provider_new_typed (LB_TYPE_STUDY_SERIES, self->series);
}

static void
lb_series_tile_class_init (LbSeriesTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_series_tile_dispose;
  object_class->get_property = lb_series_tile_get_property;
  object_class->set_property = lb_series_tile_set_property;
  widget_class->map = lb_series_tile_map;

  props[PROP_SERIES] = g_param_spec_object ("series", NULL, NULL, LB_TYPE_STUDY_SERIES,
                                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                            G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lightboxrad/Lightbox/lb-series-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, LbSeriesTile, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, LbSeriesTile, title);
  gtk_widget_class_bind_template_child (widget_class, LbSeriesTile, count);
  gtk_widget_class_bind_template_child (widget_class, LbSeriesTile, progress);
  gtk_widget_class_set_css_name (widget_class, "lb-series-tile");
}

static void
lb_series_tile_init (LbSeriesTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->thumbnail, draw_thumbnail, self, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  GtkDragSource *drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

void
lb_series_tile_set_series (LbSeriesTile *self, LbStudySeries *series)
{
  g_return_if_fail (LB_IS_SERIES_TILE (self));

  if (self->series == series)
    return;
  if (self->series != NULL)
    g_signal_handlers_disconnect_by_func (self->series, on_series_changed, self);
  cancel_picture (self);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  self->final_picture = FALSE;
  g_set_object (&self->series, series);
  if (series != NULL)
    {
      g_signal_connect (series, "notify::n-slices", G_CALLBACK (on_series_changed), self);
      g_signal_connect (series, "notify::expected", G_CALLBACK (on_series_changed), self);
      g_signal_connect (series, "notify::complete", G_CALLBACK (on_series_changed), self);
      g_signal_connect (series, "notify::description", G_CALLBACK (on_series_changed), self);
      g_signal_connect (series, "notify::number", G_CALLBACK (on_series_changed), self);
      update_labels (self);
      request_picture (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->thumbnail));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERIES]);
}

LbStudySeries *
lb_series_tile_get_series (LbSeriesTile *self)
{
  g_return_val_if_fail (LB_IS_SERIES_TILE (self), NULL);
  return self->series;
}
