/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One image viewport: shows a slice of a series with the reader's window, zoom, pan,
 * rotation, flips and inversion, and the overlays a radiologist expects (corner text,
 * orientation markers, scale bar, LOSSY badge, load progress).  Pictures come from the
 * shared LbFrameCache, rendered off the main thread; a new request cancels the last.
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-frame-cache.h"
#include "lb-loaded-study.h"
#include "lb-study-series.h"

G_BEGIN_DECLS

typedef enum {
  LB_VIEWPORT_TOOL_WINDOW,
  LB_VIEWPORT_TOOL_ZOOM,
  LB_VIEWPORT_TOOL_PAN,
  LB_VIEWPORT_TOOL_SCROLL,
} LbViewportTool;

#define LB_TYPE_VIEWPORT (lb_viewport_get_type ())

G_DECLARE_FINAL_TYPE (LbViewport, lb_viewport, LB, VIEWPORT, GtkWidget)

LbViewport *lb_viewport_new (LbFrameCache *cache);

void lb_viewport_set_study (LbViewport *self, LbLoadedStudy *study);
/* Shows @series from its first image (NULL: nothing). */
void lb_viewport_set_series (LbViewport *self, LbStudySeries *series);
LbStudySeries *lb_viewport_get_series (LbViewport *self);
/* The slice on screen (NULL before the first has arrived). */
LbSlice *lb_viewport_get_slice (LbViewport *self);

/* Position in the series; moves are clamped to it. */
int lb_viewport_get_index (LbViewport *self);
void lb_viewport_set_index (LbViewport *self, int index);
void lb_viewport_scroll (LbViewport *self, int delta);

void lb_viewport_set_active (LbViewport *self, gboolean active);
gboolean lb_viewport_get_active (LbViewport *self);
void lb_viewport_set_tool (LbViewport *self, LbViewportTool tool);

/* Window and level (VOI). */
void lb_viewport_set_window (LbViewport *self, double width, double level);
void lb_viewport_set_full_range (LbViewport *self);
/* The window on screen now; FALSE before any picture or for colour images. */
gboolean lb_viewport_get_applied_window (LbViewport *self, LbWindow *window);
void lb_viewport_toggle_invert (LbViewport *self);

/* Geometry. */
void lb_viewport_rotate (LbViewport *self);
void lb_viewport_flip (LbViewport *self, gboolean horizontal);
void lb_viewport_fit (LbViewport *self);
void lb_viewport_actual_size (LbViewport *self);
void lb_viewport_zoom_by (LbViewport *self, double factor);
/* Screen pixels per image pixel now. */
double lb_viewport_get_scale (LbViewport *self);
/* Everything back as the file asks: window, zoom, pan, rotation, flips, inversion. */
void lb_viewport_reset (LbViewport *self);

void lb_viewport_set_overlays (LbViewport *self, gboolean visible);
/* Cine loops through the series at @fps. */
void lb_viewport_set_cine (LbViewport *self, gboolean playing);
gboolean lb_viewport_get_cine (LbViewport *self);
void lb_viewport_set_cine_fps (LbViewport *self, double fps);
double lb_viewport_get_cine_fps (LbViewport *self);

/* The slice on screen as its window renders it, full size, as a PNG. */
void lb_viewport_export_async (LbViewport *self, const char *path, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_viewport_export_finish (LbViewport *self, GAsyncResult *result, GError **error);

G_END_DECLS
