/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decoded frames and their rendered pictures, shared by every view of the studies being
 * read, each kind bounded by bytes and evicted least recently used first.  A picture is
 * kept per frame for the last window it was rendered with, so scrolling back through a
 * stack costs no render, and a new window re-renders into the same surface instead of
 * touching fresh memory.  Prefetching decodes a series outwards from the image on screen
 * on a background thread.  Thread-safe.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "lb-frame-renderer.h"
#include "lb-render.h"
#include "lb-slice.h"

G_BEGIN_DECLS

#define LB_TYPE_FRAME_CACHE (lb_frame_cache_get_type ())

G_DECLARE_FINAL_TYPE (LbFrameCache, lb_frame_cache, LB, FRAME_CACHE, GObject)

LbFrameCache *lb_frame_cache_new (guint64 max_decoded_bytes, guint64 max_rendered_bytes);

/* The decoded frame of @slice, decoding it now when it is not cached (blocking: call it
 * off the main thread).  A frame being decoded by another thread is waited for, not
 * decoded twice. */
LbFrameRenderer *lb_frame_cache_get_renderer (LbFrameCache *self, LbSlice *slice,
                                              GCancellable *cancellable, GError **error);
/* The decoded frame if it is cached, else NULL; never blocks on a decode. */
LbFrameRenderer *lb_frame_cache_peek_renderer (LbFrameCache *self, LbSlice *slice);

/* @slice rendered at pyramid @level (2^level times smaller) with @options: the cached
 * picture when it was rendered so, else decoded and rendered now (blocking).  A new
 * reference; @applied (nullable) receives the window used. */
cairo_surface_t *lb_frame_cache_render (LbFrameCache *self, LbSlice *slice, guint level,
                                        const LbRenderOptions *options, LbWindow *applied,
                                        GCancellable *cancellable, GError **error);
/* The cached picture only, else NULL: safe on the main thread. */
cairo_surface_t *lb_frame_cache_peek_render (LbFrameCache *self, LbSlice *slice, guint level,
                                             const LbRenderOptions *options, LbWindow *applied);
/* lb_frame_cache_render() on a worker thread. */
void lb_frame_cache_render_async (LbFrameCache *self, LbSlice *slice, guint level,
                                  const LbRenderOptions *options, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
cairo_surface_t *lb_frame_cache_render_finish (LbFrameCache *self, GAsyncResult *result,
                                               LbWindow *applied, GError **error);

/* Decodes @slices (LbSlice) from @index outwards, nearest first, in the background,
 * while the decoded cache has room.  Replaces the previous prefetch. */
void lb_frame_cache_prefetch (LbFrameCache *self, GPtrArray *slices, guint index);
void lb_frame_cache_stop_prefetch (LbFrameCache *self);

/* Bytes held now. */
guint64 lb_frame_cache_get_decoded_bytes (LbFrameCache *self);
guint64 lb_frame_cache_get_rendered_bytes (LbFrameCache *self);

/* The pyramid level to render for a frame shown at @scale screen pixels per image pixel:
 * the smallest picture that still has at least one pixel per screen pixel. */
guint lb_frame_cache_choose_level (double scale);

G_END_DECLS
