/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One image a viewer shows: a frame of a DICOM instance, with the geometry that places it
 * in the patient (position, orientation, pixel spacing, thickness) read once from the
 * file.  Immutable, so it may be handed between threads.
 */
#pragma once

#include <glib-object.h>

#include "lb-dicom-file.h"

G_BEGIN_DECLS

#define LB_TYPE_SLICE (lb_slice_get_type ())

G_DECLARE_FINAL_TYPE (LbSlice, lb_slice, LB, SLICE, GObject)

/* @frame is 0-based.  Fails for instances that are not images or whose pixel module is
 * impossible. */
LbSlice *lb_slice_new (LbDicomFile *file, guint frame, GError **error);
/* Every frame of @file, in frame order: a GPtrArray of LbSlice. */
GPtrArray *lb_slice_new_all (LbDicomFile *file, GError **error);

LbDicomFile *lb_slice_get_file (LbSlice *self);
guint lb_slice_get_frame (LbSlice *self);
const char *lb_slice_get_sop_instance_uid (LbSlice *self);
/* -1 when the file has none. */
int lb_slice_get_instance_number (LbSlice *self);
guint lb_slice_get_width (LbSlice *self);
guint lb_slice_get_height (LbSlice *self);
/* The pixels were irreversibly compressed at some time (Lossy Image Compression, or a
 * lossy transfer syntax). */
gboolean lb_slice_get_lossy (LbSlice *self);

/* Image Position (Patient) of the first pixel's centre, in mm. */
gboolean lb_slice_get_position (LbSlice *self, double position[3]);
/* Image Orientation (Patient): the direction of a row, then of a column, unit vectors. */
gboolean lb_slice_get_orientation (LbSlice *self, double orientation[6]);
/* The normal of the image plane (row x column); FALSE without an orientation. */
gboolean lb_slice_get_normal (LbSlice *self, double normal[3]);
/* Millimetres between the centres of adjacent rows and of adjacent columns: Pixel
 * Spacing, else Imager Pixel Spacing (then @at_detector is TRUE: measured at the
 * detector, not in the patient). */
gboolean lb_slice_get_pixel_spacing (LbSlice *self, double *row_spacing, double *column_spacing,
                                     gboolean *at_detector);
gboolean lb_slice_get_thickness (LbSlice *self, double *thickness);

G_END_DECLS
