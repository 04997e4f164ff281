/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How to show one frame, read from its file once: the modality transformation
 * (rescale or lookup table), the windows and VOI lookup tables the file offers, whether
 * it is shown inverted, the padding value and the palette.  Immutable, so one display
 * may be used from several threads.
 */
#pragma once

#include <glib-object.h>

#include "lb-dicom-file.h"
#include "lb-lut.h"
#include "lb-palette.h"
#include "lb-window.h"

G_BEGIN_DECLS

#define LB_TYPE_FRAME_DISPLAY (lb_frame_display_get_type ())

G_DECLARE_FINAL_TYPE (LbFrameDisplay, lb_frame_display, LB, FRAME_DISPLAY, GObject)

/* @frame is 0-based.  Fails for non-images, for frames the file does not have and for
 * damaged modality lookup tables or palettes. */
LbFrameDisplay *lb_frame_display_new (LbDicomFile *file, guint frame, GError **error);
/* For grey frames that come from no file (reslices, synthetic data): a rescale and
 * optionally windows. */
LbFrameDisplay *lb_frame_display_new_monochrome (gboolean monochrome1, double slope,
                                                 double intercept, const LbWindow *windows,
                                                 guint n_windows);

/* The colour model of the file (what its pixels mean before decoding). */
LbPhotometric lb_frame_display_get_photometric (LbFrameDisplay *self);
/* MONOCHROME1 or MONOCHROME2: the frames that go through modality and VOI. */
gboolean lb_frame_display_is_grey (LbFrameDisplay *self);

/* The windows of the file for this frame (Window Center/Width, in the frame's Frame VOI
 * LUT Sequence for enhanced files).  Windows the standard forbids are left out.
 * @explanation (nullable) receives the Window Center & Width Explanation or NULL. */
guint lb_frame_display_get_n_windows (LbFrameDisplay *self);
gboolean lb_frame_display_get_window (LbFrameDisplay *self, guint index, LbWindow *out,
                                      const char **explanation);

/* The VOI LUT Sequence tables of the file for this frame. */
gboolean lb_frame_display_has_voi_lut (LbFrameDisplay *self);
guint lb_frame_display_get_n_voi_luts (LbFrameDisplay *self);
/* Borrowed; NULL past the end. */
LbLut *lb_frame_display_get_voi_lut (LbFrameDisplay *self, guint index);

/* Whether the file asks for black and white to be swapped: Presentation LUT Shape
 * INVERSE or, without one, MONOCHROME1. */
gboolean lb_frame_display_get_inverted (LbFrameDisplay *self);

/* The modality transformation: a lookup table (borrowed, NULL when the file rescales)
 * or slope and intercept. */
LbLut *lb_frame_display_get_modality_lut (LbFrameDisplay *self);
void lb_frame_display_get_rescale (LbFrameDisplay *self, double *slope, double *intercept);
double lb_frame_display_to_modality (LbFrameDisplay *self, gint64 stored);

/* Pixel Padding Value (and Range Limit), as stored values. */
gboolean lb_frame_display_get_padding (LbFrameDisplay *self, gint64 *low, gint64 *high);

/* The palette of PALETTE COLOR images (borrowed), else NULL. */
LbPalette *lb_frame_display_get_palette (LbFrameDisplay *self);

G_END_DECLS
