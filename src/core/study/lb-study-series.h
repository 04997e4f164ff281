/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One series of a study as a viewer shows it: a GListModel of LbSlice in reading order,
 * growing while the series loads.  Slices that share one orientation are ordered by
 * their position along the normal of that plane (spacing and gaps come from positions,
 * not from Slice Thickness), the way that makes instance numbers grow (head first for an
 * axial series without numbers); any other series by instance number, then frame.  Use
 * it from one thread (the one that shows it).
 */
#pragma once

#include <gio/gio.h>

#include "lb-slice.h"

G_BEGIN_DECLS

#define LB_TYPE_STUDY_SERIES (lb_study_series_get_type ())

G_DECLARE_FINAL_TYPE (LbStudySeries, lb_study_series, LB, STUDY_SERIES, GObject)

LbStudySeries *lb_study_series_new (const char *series_instance_uid);

const char *lb_study_series_get_series_instance_uid (LbStudySeries *self);
/* From the first instance added, or from lb_study_series_set_info() before that. */
const char *lb_study_series_get_modality (LbStudySeries *self);
const char *lb_study_series_get_description (LbStudySeries *self);
/* -1 when unknown. */
int lb_study_series_get_number (LbStudySeries *self);
/* What an archive's search says about the series before any instance has arrived. */
void lb_study_series_set_info (LbStudySeries *self, const char *modality,
                               const char *description, int number);

/* Adds the slices of one instance (all its frames); returns how many were new.  A slice
 * already present (same SOP Instance UID and frame) is left out. */
guint lb_study_series_add_slices (LbStudySeries *self, LbSlice *const *slices, guint n_slices);
/* The position of @slice, or -1. */
int lb_study_series_find (LbStudySeries *self, LbSlice *slice);

/* TRUE when the order comes from positions along the plane's normal. */
gboolean lb_study_series_get_is_stack (LbStudySeries *self);
/* The position of slice @index along the normal, in mm (for the overlay); FALSE for
 * series that are not stacks. */
gboolean lb_study_series_get_location (LbStudySeries *self, guint index, double *location);

/* Instances: how many arrived, how many the archive announced (0: unknown), how many
 * could not be read.  "progress" is arrived / expected, 1 once complete. */
guint lb_study_series_get_n_instances (LbStudySeries *self);
guint lb_study_series_get_expected (LbStudySeries *self);
void lb_study_series_set_expected (LbStudySeries *self, guint expected);
void lb_study_series_add_failed (LbStudySeries *self);
guint lb_study_series_get_n_failed (LbStudySeries *self);
double lb_study_series_get_progress (LbStudySeries *self);
/* Set when nothing more will arrive for this series. */
gboolean lb_study_series_get_complete (LbStudySeries *self);
void lb_study_series_set_complete (LbStudySeries *self, gboolean complete);

G_END_DECLS
