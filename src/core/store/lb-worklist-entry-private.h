/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-worklist-entry.h"

G_BEGIN_DECLS

typedef enum {
  LB_ENTRY_STUDY_INSTANCE_UID,
  LB_ENTRY_PATIENT_NAME,
  LB_ENTRY_PATIENT_ID,
  LB_ENTRY_PATIENT_BIRTH_DATE,
  LB_ENTRY_PATIENT_SEX,
  LB_ENTRY_STUDY_DATE,
  LB_ENTRY_STUDY_TIME,
  LB_ENTRY_ACCESSION_NUMBER,
  LB_ENTRY_STUDY_DESCRIPTION,
  LB_ENTRY_REFERRING_PHYSICIAN_NAME,
  LB_ENTRY_STUDY_ID,
  LB_ENTRY_N_STRINGS
} LbEntryString;

/* Everything an entry holds; strings are copied. */
typedef struct
{
  const char *strings[LB_ENTRY_N_STRINGS];
  const char *const *modalities;
  int series_count;
  int instance_count;

  guint cached_instances;
  int expected_instances;
  guint64 bytes;
  LbReadingState reading_state;
  gboolean pinned;
  gboolean local;
  gboolean offline;
  guint unsent_reports;
  gint64 retrieved_at;
  gint64 last_opened_at;
} LbEntryFields;

/* @study, when given, is what get_study() returns; otherwise one is made from @fields
 * when first asked for. */
LbWorklistEntry *_lb_worklist_entry_new (const LbEntryFields *fields, LbStudy *study);
/* The same entry, marked as coming from the cache while the archive is unreachable. */
LbWorklistEntry *_lb_worklist_entry_copy_offline (LbWorklistEntry *self);
/* Fills the string and count fields from an archive's description of the study. */
void _lb_entry_fields_set_study (LbEntryFields *fields, LbStudy *study);

G_END_DECLS
