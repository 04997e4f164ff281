/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One study as a QIDO-RS search describes it: the row of a worklist.  Immutable.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LB_TYPE_STUDY (lb_study_get_type ())

G_DECLARE_FINAL_TYPE (LbStudy, lb_study, LB, STUDY, GObject)

/* NULL when @object has no Study Instance UID: such a study could not be opened. */
LbStudy *lb_study_new_from_json (JsonObject *object);

/* Strings are NULL when the archive did not give them. */
const char *lb_study_get_study_instance_uid (LbStudy *self);
const char *lb_study_get_patient_name (LbStudy *self);
const char *lb_study_get_patient_id (LbStudy *self);
const char *lb_study_get_patient_birth_date (LbStudy *self);
const char *lb_study_get_patient_sex (LbStudy *self);
const char *lb_study_get_study_date (LbStudy *self);
const char *lb_study_get_study_time (LbStudy *self);
const char *lb_study_get_accession_number (LbStudy *self);
const char *lb_study_get_study_description (LbStudy *self);
const char *lb_study_get_referring_physician_name (LbStudy *self);
const char *lb_study_get_study_id (LbStudy *self);
/* Never NULL; empty when unknown. */
const char *const *lb_study_get_modalities (LbStudy *self);
/* -1 when unknown. */
int lb_study_get_series_count (LbStudy *self);
int lb_study_get_instance_count (LbStudy *self);

G_END_DECLS
