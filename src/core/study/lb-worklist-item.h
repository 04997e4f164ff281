/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the worklist: a study as the archive describes it, its values formatted
 * for reading and sorting once, and what this workstation knows about it (reading
 * status, how much is cached or being fetched).  Every column is a property, for
 * binding; the local state changes and is notified, the study does not.
 */
#pragma once

#include <glib-object.h>

#include "lb-study.h"

G_BEGIN_DECLS

typedef enum {
  LB_WORKLIST_STATUS_UNREAD,
  LB_WORKLIST_STATUS_OPENED,
  LB_WORKLIST_STATUS_IN_PROGRESS,
  LB_WORKLIST_STATUS_PRELIMINARY,
  LB_WORKLIST_STATUS_FINAL,
} LbWorklistStatus;

typedef enum {
  LB_CACHE_STATE_NONE,
  LB_CACHE_STATE_PARTIAL,
  LB_CACHE_STATE_FETCHING,
  LB_CACHE_STATE_CACHED,
} LbCacheState;

/* The Requested Procedure Priority, least urgent first. */
typedef enum {
  LB_PRIORITY_LOW,
  LB_PRIORITY_ROUTINE,
  LB_PRIORITY_MEDIUM,
  LB_PRIORITY_HIGH,
  LB_PRIORITY_STAT,
} LbPriority;

#define LB_TYPE_WORKLIST_ITEM (lb_worklist_item_get_type ())

G_DECLARE_FINAL_TYPE (LbWorklistItem, lb_worklist_item, LB, WORKLIST_ITEM, GObject)

LbWorklistItem *lb_worklist_item_new (LbStudy *study);

LbStudy *lb_worklist_item_get_study (LbWorklistItem *self);
const char *lb_worklist_item_get_study_instance_uid (LbWorklistItem *self);

/* Display strings, never NULL. */
const char *lb_worklist_item_get_patient_name (LbWorklistItem *self);
const char *lb_worklist_item_get_patient_id (LbWorklistItem *self);
const char *lb_worklist_item_get_age_sex (LbWorklistItem *self);
const char *lb_worklist_item_get_modalities (LbWorklistItem *self);
const char *lb_worklist_item_get_description (LbWorklistItem *self);
const char *lb_worklist_item_get_date_time (LbWorklistItem *self);
const char *lb_worklist_item_get_accession (LbWorklistItem *self);
/* The search text: names, ID, accession and description, case-folded. */
const char *lb_worklist_item_get_search_text (LbWorklistItem *self);

/* The study date as a day number (lb_date_to_day()), 0 when unknown. */
guint lb_worklist_item_get_day (LbWorklistItem *self);
/* Date and time as YYYYMMDDHHMMSS, for sorting; 0 when unknown. */
gint64 lb_worklist_item_get_when (LbWorklistItem *self);
/* Instances, -1 when unknown. */
int lb_worklist_item_get_images (LbWorklistItem *self);
/* TRUE when @modality (e.g. "CT") is among the study's modalities. */
gboolean lb_worklist_item_has_modality (LbWorklistItem *self, const char *modality);

/* A study the archive gives no (or an unknown) priority is routine. */
LbPriority lb_worklist_item_get_priority (LbWorklistItem *self);
/* "STAT", "High", "Medium", "Low", translated; "" for routine, the usual case, so that
 * the urgent ones stand out. */
const char *lb_priority_get_label (LbPriority priority);

LbWorklistStatus lb_worklist_item_get_status (LbWorklistItem *self);
void lb_worklist_item_set_status (LbWorklistItem *self, LbWorklistStatus status);
/* "Unread", "Opened"..., translated. */
const char *lb_worklist_status_get_label (LbWorklistStatus status);

LbCacheState lb_worklist_item_get_cache_state (LbWorklistItem *self);
/* 0..1: the cached share of the study. */
double lb_worklist_item_get_cache_progress (LbWorklistItem *self);
void lb_worklist_item_set_cache (LbWorklistItem *self, LbCacheState state, double progress);

G_END_DECLS
