/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders one decoded frame again and again, as a viewer does while the user drags
 * window/level: the frame's value range, its histogram and the lookup table from stored
 * value to grey are computed once and reused until the window changes.  Its methods
 * may be called from any thread; calls are serialised.
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "lb-frame-display.h"
#include "lb-pixels.h"
#include "lb-render.h"

G_BEGIN_DECLS

#define LB_TYPE_FRAME_RENDERER (lb_frame_renderer_get_type ())

G_DECLARE_FINAL_TYPE (LbFrameRenderer, lb_frame_renderer, LB, FRAME_RENDERER, GObject)

/* Fails when @pixels do not fit @display (a colour frame for a grey display, say). */
LbFrameRenderer *lb_frame_renderer_new (LbFrameDisplay *display, LbPixels *pixels,
                                        GError **error);

LbFrameDisplay *lb_frame_renderer_get_display (LbFrameRenderer *self);
LbPixels *lb_frame_renderer_get_pixels (LbFrameRenderer *self);

/* The smallest and largest modality value in the frame; FALSE for colour frames. */
gboolean lb_frame_renderer_get_modality_range (LbFrameRenderer *self, double *min, double *max);
/* The LB_VOI_MODE_AUTO window; FALSE for colour frames. */
gboolean lb_frame_renderer_get_auto_window (LbFrameRenderer *self, LbWindow *out);

/* The surface format a render with @options produces. */
cairo_format_t lb_frame_renderer_get_format (LbFrameRenderer *self,
                                             const LbRenderOptions *options);

cairo_surface_t *lb_frame_renderer_render (LbFrameRenderer *self, const LbRenderOptions *options,
                                           LbWindow *applied, GError **error);
/* The frame 2^@level times smaller on each side (rounded up), made from stored values
 * averaged over 2^@level x 2^@level blocks (palette indices are sampled instead).  A
 * viewer showing a mammogram at a third of its size renders level 1: a quarter of the
 * work of a full render on every window/level change. */
void lb_frame_renderer_get_level_size (LbFrameRenderer *self, guint level, guint *width,
                                       guint *height);
cairo_surface_t *lb_frame_renderer_render_level (LbFrameRenderer *self, guint level,
                                                 const LbRenderOptions *options,
                                                 LbWindow *applied, GError **error);
/* Renders into an image surface made earlier (the format lb_frame_renderer_get_format()
 * names, the size of the frame or of one of its levels), sparing the allocation. */
gboolean lb_frame_renderer_render_into (LbFrameRenderer *self, const LbRenderOptions *options,
                                        cairo_surface_t *target, LbWindow *applied,
                                        GError **error);

G_END_DECLS
