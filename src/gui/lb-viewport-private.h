/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of LbViewport, shared by the files that split it by concern: lb-viewport.c
 * (state and drawing), lb-viewport-render.c (pictures), lb-viewport-overlay.c (text and
 * markers) and lb-viewport-input.c (pointer and drag and drop).
 */
#pragma once

#include "lb-viewport.h"

G_BEGIN_DECLS

struct _LbViewport
{
  GtkWidget parent_instance;

  LbFrameCache *cache;
  LbLoadedStudy *study;
  LbStudySeries *series;
  LbSlice *slice;
  int index;
  /* Until the reader moves, the viewport follows the series' first slice while it
   * streams in (positions sort it as it arrives). */
  gboolean moved;

  gboolean active;
  LbViewportTool tool;
  gboolean overlays;

  /* VOI: LB_VOI_MODE_FILE until the reader chooses. */
  LbVoiMode voi_mode;
  LbWindow window;
  gboolean invert;

  /* Geometry: zoom relative to fit, pan in screen pixels, quarter turns clockwise. */
  double zoom;
  double pan_x;
  double pan_y;
  guint rotation;
  gboolean flip_h;
  gboolean flip_v;

  /* The picture on screen and the request for the next one. */
  cairo_surface_t *picture;
  LbSlice *picture_slice;
  guint picture_level;
  LbWindow picture_window;
  gboolean picture_has_window;
  GCancellable *render_cancellable;
  char *error;

  /* Cine. */
  gboolean cine;
  double cine_fps;
  guint cine_tick;
  gint64 cine_last;

  /* Input. */
  double drag_last_x;
  double drag_last_y;
  double drag_scroll_rest;
  LbViewportTool drag_tool;
};

/* lb-viewport.c */
/* The transformation from image pixels (level 0) to widget coordinates. */
void _lb_viewport_get_matrix (LbViewport *self, cairo_matrix_t *matrix);
double _lb_viewport_get_fit_scale (LbViewport *self);
/* Something that decides the picture changed: ask for it and redraw. */
void _lb_viewport_changed (LbViewport *self);
/* Says what is on screen to assistive technologies (and the UI tests). */
void _lb_viewport_describe (LbViewport *self);
/* Emits "chosen". */
void _lb_viewport_choose (LbViewport *self);

/* lb-viewport-render.c */
void _lb_viewport_request_picture (LbViewport *self);
void _lb_viewport_cancel_picture (LbViewport *self);
void _lb_viewport_fill_options (LbViewport *self, LbRenderOptions *options);

/* lb-viewport-overlay.c */
void _lb_viewport_draw_overlays (LbViewport *self, cairo_t *cr, int width, int height);

/* lb-viewport-input.c */
void _lb_viewport_init_input (LbViewport *self);

G_END_DECLS
