/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One study as a QIDO-RS search describes it: the row of a worklist.  Immutable.  The
 * cache keeps the same attributes, and makes its studies with lb_study_new().
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lb-qido-query.h"

G_BEGIN_DECLS

/* The study's text attributes; each is also a string property of the same name. */
typedef enum {
  LB_STUDY_STUDY_INSTANCE_UID,
  LB_STUDY_PATIENT_NAME,
  LB_STUDY_PATIENT_ID,
  LB_STUDY_PATIENT_BIRTH_DATE,
  LB_STUDY_PATIENT_SEX,
  LB_STUDY_STUDY_DATE,
  LB_STUDY_STUDY_TIME,
  LB_STUDY_ACCESSION_NUMBER,
  LB_STUDY_STUDY_DESCRIPTION,
  LB_STUDY_REFERRING_PHYSICIAN_NAME,
  LB_STUDY_STUDY_ID,
  /* Requested Procedure Priority (0040,1003): STAT, HIGH, MEDIUM, ROUTINE or LOW. */
  LB_STUDY_PRIORITY,
  LB_STUDY_N_STRINGS
} LbStudyString;

#define LB_TYPE_STUDY (lb_study_get_type ())

G_DECLARE_FINAL_TYPE (LbStudy, lb_study, LB, STUDY, GObject)

/* Asks @query to return every attribute an LbStudy holds: archives need not return
 * some (Orthanc leaves out the description and the priority) unless asked. */
void lb_study_add_include_fields (LbQidoQuery *query);

/* NULL when @object has no Study Instance UID: such a study could not be opened. */
LbStudy *lb_study_new_from_json (JsonObject *object);
/* @strings in LbStudyString order, NULL when unknown; the UID is required.  @modalities
 * NULL when none are known; counts -1 when unknown.  Everything is copied. */
LbStudy *lb_study_new (const char *const strings[LB_STUDY_N_STRINGS],
                       const char *const *modalities, int series_count, int instance_count);

/* NULL when the archive did not give it. */
const char *lb_study_get_string (LbStudy *self, LbStudyString which);

/* Shorthands for lb_study_get_string(). */
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
const char *lb_study_get_priority (LbStudy *self);
/* Never NULL; empty when unknown. */
const char *const *lb_study_get_modalities (LbStudy *self);
/* -1 when unknown. */
int lb_study_get_series_count (LbStudy *self);
int lb_study_get_instance_count (LbStudy *self);

G_END_DECLS
