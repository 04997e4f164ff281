/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the reader narrows the worklist to: words typed into the search (each must
 * appear in the name, ID, accession or description), a date window, a modality and a
 * reading status.  Matching is a few comparisons against values each LbWorklistItem
 * prepared once, so 10,000 rows filter within one frame.
 */
#pragma once

#include "lb-worklist-item.h"

G_BEGIN_DECLS

typedef enum {
  LB_DATE_FILTER_ALL,
  LB_DATE_FILTER_TODAY,
  LB_DATE_FILTER_YESTERDAY,
  LB_DATE_FILTER_LAST_7_DAYS,
  LB_DATE_FILTER_RANGE,
} LbDateFilter;

typedef enum {
  LB_STATUS_FILTER_ALL,
  LB_STATUS_FILTER_UNREAD,      /* unread */
  LB_STATUS_FILTER_OPEN,        /* opened or in progress */
  LB_STATUS_FILTER_REPORTED,    /* preliminary or final */
} LbStatusFilter;

typedef struct _LbWorklistFilter LbWorklistFilter;

LbWorklistFilter *lb_worklist_filter_new (void);
void lb_worklist_filter_free (LbWorklistFilter *self);

/* The words typed; returns TRUE when the new text only narrows the old (every match
 * of the new text matched the old), so a view need only look at what it shows. */
gboolean lb_worklist_filter_set_text (LbWorklistFilter *self, const char *text);
/* @today is a day number (lb_date_to_day()); @from and @to (inclusive, 0 for open) are
 * used by LB_DATE_FILTER_RANGE. */
void lb_worklist_filter_set_date (LbWorklistFilter *self, LbDateFilter date, guint today,
                                  guint from, guint to);
/* NULL or "" for every modality. */
void lb_worklist_filter_set_modality (LbWorklistFilter *self, const char *modality);
void lb_worklist_filter_set_status (LbWorklistFilter *self, LbStatusFilter status);

gboolean lb_worklist_filter_match (const LbWorklistFilter *self, LbWorklistItem *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbWorklistFilter, lb_worklist_filter_free)

G_END_DECLS
