/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One series as a QIDO-RS search describes it.  Immutable.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LB_TYPE_SERIES (lb_series_get_type ())

G_DECLARE_FINAL_TYPE (LbSeries, lb_series, LB, SERIES, GObject)

/* NULL when @object has no Series Instance UID. */
LbSeries *lb_series_new_from_json (JsonObject *object);

/* Strings are NULL when the archive did not give them. */
const char *lb_series_get_series_instance_uid (LbSeries *self);
const char *lb_series_get_study_instance_uid (LbSeries *self);
const char *lb_series_get_modality (LbSeries *self);
const char *lb_series_get_series_description (LbSeries *self);
const char *lb_series_get_body_part_examined (LbSeries *self);
const char *lb_series_get_series_date (LbSeries *self);
const char *lb_series_get_series_time (LbSeries *self);
/* -1 when unknown. */
int lb_series_get_series_number (LbSeries *self);
int lb_series_get_instance_count (LbSeries *self);

G_END_DECLS
