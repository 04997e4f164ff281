/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turning a decoded frame into a picture: stored values -> modality -> VOI ->
 * inversions -> 8-bit grey, or colour -> RGB, in a cairo image surface; and scaling
 * such a surface to a requested size.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "lb-frame-display.h"
#include "lb-pixels.h"
#include "lb-window.h"

G_BEGIN_DECLS

typedef enum {
  /* The file's first window, else its first VOI lookup table, else the full range. */
  LB_VOI_MODE_FILE,
  /* LbRenderOptions.window, from a preset or the user. */
  LB_VOI_MODE_WINDOW,
  /* From the smallest to the largest modality value of the frame. */
  LB_VOI_MODE_FULL_RANGE,
  /* From the 0.5th to the 99.5th percentile of the frame's modality values, padding
   * left out. */
  LB_VOI_MODE_AUTO,
  /* The file's VOI lookup table number LbRenderOptions.voi_lut. */
  LB_VOI_MODE_VOI_LUT,
} LbVoiMode;

typedef struct {
  LbVoiMode mode;
  LbWindow window;
  /* The user's invert toggle, applied on top of what the file asks for. */
  gboolean invert;
  guint voi_lut;
  /* Grey frames as CAIRO_FORMAT_A8 (one byte a pixel) instead of RGB24.  Colour frames
   * are always RGB24. */
  gboolean grey_a8;
} LbRenderOptions;

/* Renders once.  @applied (nullable) receives the window actually used, for the W/L
 * overlay: for a VOI lookup table the LINEAR window over its input range, for colour
 * frames a width of 0.  To render one frame again and again, use LbFrameRenderer. */
cairo_surface_t *lb_render_frame (LbFrameDisplay *display, LbPixels *pixels,
                                  const LbRenderOptions *options, LbWindow *applied,
                                  GError **error);

/* Where an image of @src_width x @src_height lands when scaled to fit @width x @height
 * with its aspect ratio kept and centred. */
void lb_render_fit_rect (int src_width, int src_height, int width, int height,
                         cairo_rectangle_int_t *out);

/* A new surface of exactly @width x @height and the format of @source (RGB24 or A8),
 * black, with @source scaled to fit and centred.  NULL when cairo cannot make a
 * surface that large. */
cairo_surface_t *lb_render_scale_to_fit (cairo_surface_t *source, int width, int height);

G_END_DECLS
