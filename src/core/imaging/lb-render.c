/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-render.h"

#include <math.h>

#include "lb-frame-renderer.h"
#include "lb-pyramid.h"

cairo_surface_t *
lb_render_frame (LbFrameDisplay *display, LbPixels *pixels, const LbRenderOptions *options,
                 LbWindow *applied, GError **error)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (display), NULL);
  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, error);
  if (renderer == NULL)
    return NULL;
  return lb_frame_renderer_render (renderer, options, applied, error);
}

void
lb_render_fit_rect (int src_width, int src_height, int width, int height,
                    cairo_rectangle_int_t *out)
{
  g_return_if_fail (src_width > 0 && src_height > 0 && width > 0 && height > 0);
  g_return_if_fail (out != NULL);

  double scale = MIN ((double) width / src_width, (double) height / src_height);
  out->width = CLAMP ((int) lround (src_width * scale), 1, width);
  out->height = CLAMP ((int) lround (src_height * scale), 1, height);
  out->x = (width - out->width) / 2;
  out->y = (height - out->height) / 2;
}

cairo_surface_t *
lb_render_scale_to_fit (cairo_surface_t *source, int width, int height)
{
  cairo_rectangle_int_t r;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (cairo_surface_get_type (source) == CAIRO_SURFACE_TYPE_IMAGE, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  int sw = cairo_image_surface_get_width (source);
  int sh = cairo_image_surface_get_height (source);
  cairo_surface_t *out = cairo_image_surface_create (cairo_image_surface_get_format (source),
                                                     width, height);
  if (cairo_surface_status (out) != CAIRO_STATUS_SUCCESS || sw <= 0 || sh <= 0)
    {
      cairo_surface_destroy (out);
      return NULL;
    }

  lb_render_fit_rect (sw, sh, width, height, &r);
  g_autoptr (LbPyramid) pyramid = lb_pyramid_new (source);
  cairo_t *cr = cairo_create (out);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba (cr, 0, 0, 0, cairo_image_surface_get_format (source) == CAIRO_FORMAT_A8
                                          ? 0 : 1);
  cairo_paint (cr);
  cairo_translate (cr, r.x, r.y);
  cairo_scale (cr, (double) r.width / sw, (double) r.height / sh);
  lb_pyramid_paint (pyramid, cr, CAIRO_FILTER_BILINEAR);
  cairo_destroy (cr);
  return out;
}
