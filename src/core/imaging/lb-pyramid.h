/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A rendered frame and its successive halvings, so that drawing it much smaller than
 * its size stays fast (a fast filter on the nearest larger level) without the aliasing
 * of a fast filter over the full frame.  Levels are made on first use.  Use from one
 * thread at a time.
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_PYRAMID (lb_pyramid_get_type ())

G_DECLARE_FINAL_TYPE (LbPyramid, lb_pyramid, LB, PYRAMID, GObject)

/* @source is an image surface (RGB24, ARGB32 or A8); the pyramid keeps a reference and
 * expects it not to change. */
LbPyramid *lb_pyramid_new (cairo_surface_t *source);

cairo_surface_t *lb_pyramid_get_source (LbPyramid *self);
/* Level 0 is the source; level n is 2^n times smaller (sides rounded up).  Borrowed. */
cairo_surface_t *lb_pyramid_get_level (LbPyramid *self, guint level);
/* The level to draw from when one source pixel covers @scale device pixels. */
guint lb_pyramid_choose_level (LbPyramid *self, double scale);

/* A pattern that shows the image at user-space (0, 0), one unit a source pixel, drawn
 * from the level that suits the current transformation of @cr, with @filter and edges
 * padded.  Use it as a source, or as a mask for A8 frames. */
cairo_pattern_t *lb_pyramid_create_pattern (LbPyramid *self, cairo_t *cr, cairo_filter_t filter);
/* Paints the image, clipped to its own rectangle, through @cr's transformation. */
void lb_pyramid_paint (LbPyramid *self, cairo_t *cr, cairo_filter_t filter);

G_END_DECLS
