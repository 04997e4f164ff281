/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picture of LbViewport: the slice rendered with the viewport's window at the
 * pyramid level its zoom calls for.  A cached picture is shown at once; anything else
 * is rendered on a worker thread, the previous picture staying on screen meanwhile,
 * and a newer request cancels the one before.
 */
#define G_LOG_DOMAIN "lb-viewport"
#include "config.h"

#include "lb-viewport-private.h"

#include <glib/gi18n.h>

#define SYNC_RENDER_PIXELS (G_GUINT64_CONSTANT (1) << 20)

void
_lb_viewport_fill_options (LbViewport *self, LbRenderOptions *options)
{
  *options = (LbRenderOptions) {
    .mode = self->voi_mode,
    .window = self->window,
    .invert = self->invert,
    /* RGB24, not one byte a pixel: pixman scales RGB24 with bilinear filtering on a fast
     * path, while an A8 mask takes its general path, several times slower per frame. */
    .grey_a8 = FALSE,
  };
}

static void
show_picture (LbViewport *self, LbSlice *slice, guint level, cairo_surface_t *picture,
              const LbWindow *applied)
{
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  self->picture = picture;
  g_set_object (&self->picture_slice, slice);
  self->picture_level = level;
  self->picture_window = *applied;
  /* Colour frames come back with a width of 0: there is no window to show. */
  self->picture_has_window = applied->width > 0;
  g_clear_pointer (&self->error, g_free);
  _lb_viewport_describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_lb_viewport_cancel_picture (LbViewport *self)
{
  if (self->render_cancellable != NULL)
    {
      g_cancellable_cancel (self->render_cancellable);
      g_clear_object (&self->render_cancellable);
    }
}

typedef struct
{
  LbViewport *self;
  LbSlice *slice;
  guint level;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->slice);
  g_free (request);
}

static void
on_rendered (GObject *source, GAsyncResult *result, gpointer data)
{
  Request *request = data;
  LbViewport *self = request->self;
  g_autoptr (GError) error = NULL;
  LbWindow applied = { 0 };
  cairo_surface_t *picture = lb_frame_cache_render_finish (LB_FRAME_CACHE (source), result,
                                                           &applied, &error);

  if (picture != NULL)
    {
      /* A result that arrives after a newer request was made is still the best there
       * is only if it is of the slice now wanted. */
      if (request->slice == self->slice)
        show_picture (self, request->slice, request->level, picture, &applied);
      else
        cairo_surface_destroy (picture);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           request->slice == self->slice)
    {
      g_free (self->error);
      self->error = g_strdup_printf (_("This image cannot be shown: %s"), error->message);
      g_clear_pointer (&self->picture, cairo_surface_destroy);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  request_free (request);
}

void
_lb_viewport_request_picture (LbViewport *self)
{
  if (self->slice == NULL || self->cache == NULL)
    {
      _lb_viewport_cancel_picture (self);
      g_clear_pointer (&self->picture, cairo_surface_destroy);
      g_clear_object (&self->picture_slice);
      return;
    }

  LbRenderOptions options;
  _lb_viewport_fill_options (self, &options);
  guint level = lb_frame_cache_choose_level (lb_viewport_get_scale (self));

  LbWindow applied = { 0 };
  cairo_surface_t *cached = lb_frame_cache_peek_render (self->cache, self->slice, level,
                                                        &options, &applied);
  _lb_viewport_cancel_picture (self);
  if (cached != NULL)
    {
      show_picture (self, self->slice, level, cached, &applied);
      return;
    }

  /* A decoded frame of up to a megapixel renders in well under a millisecond: done here,
   * it is on screen in this frame, which a scroll at 60 images a second needs.  Larger
   * frames, and frames still to decode, go to a worker. */
  g_autoptr (LbFrameRenderer) decoded = lb_frame_cache_peek_renderer (self->cache, self->slice);
  guint width, height;
  if (decoded != NULL)
    lb_frame_renderer_get_level_size (decoded, level, &width, &height);
  if (decoded != NULL && (guint64) width * height <= SYNC_RENDER_PIXELS)
    {
      g_autoptr (GError) error = NULL;
      cairo_surface_t *picture = lb_frame_cache_render (self->cache, self->slice, level, &options,
                                                        &applied, NULL, &error);
      if (picture != NULL)
        {
          show_picture (self, self->slice, level, picture, &applied);
          return;
        }
    }

  Request *request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->slice = g_object_ref (self->slice);
  request->level = level;
  self->render_cancellable = g_cancellable_new ();
  lb_frame_cache_render_async (self->cache, self->slice, level, &options,
                               self->render_cancellable, on_rendered, request);
}

/* ---- export -------------------------------------------------------------------- */

static void
on_export_rendered (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;
  cairo_surface_t *picture = lb_frame_cache_render_finish (LB_FRAME_CACHE (source), result, NULL,
                                                           &error);
  if (picture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Grey pictures are alpha masks: paint them white on black, as on screen. */
  int width = cairo_image_surface_get_width (picture);
  int height = cairo_image_surface_get_height (picture);
  cairo_surface_t *out = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (out);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_paint (cr);
  if (cairo_image_surface_get_format (picture) == CAIRO_FORMAT_A8)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_mask_surface (cr, picture, 0, 0);
    }
  else
    {
      cairo_set_source_surface (cr, picture, 0, 0);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (picture);

  const char *path = g_task_get_task_data (task);
  cairo_status_t status = cairo_surface_write_to_png (out, path);
  cairo_surface_destroy (out);
  if (status != CAIRO_STATUS_SUCCESS)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The image could not be saved to “%s”: %s"), path,
                             cairo_status_to_string (status));
  else
    g_task_return_boolean (task, TRUE);
}

void
lb_viewport_export_async (LbViewport *self, const char *path, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_VIEWPORT (self));
  g_return_if_fail (path != NULL);

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_viewport_export_async);
  g_task_set_task_data (task, g_strdup (path), g_free);

  if (self->slice == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("There is no image to save."));
      return;
    }

  LbRenderOptions options;
  _lb_viewport_fill_options (self, &options);
  lb_frame_cache_render_async (self->cache, self->slice, 0, &options, cancellable,
                               on_export_rendered, g_steal_pointer (&task));
}

gboolean
lb_viewport_export_finish (LbViewport *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
