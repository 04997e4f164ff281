/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of the worklist: the study as the archive describes it (or, offline, as the
 * cache does), and what this workstation knows about it: how much is cached, how far the
 * reading has gone, whether a report waits to be sent.  Immutable; a new entry replaces
 * it when anything changes.  Every value is also a read-only property, for binding.
 */
#pragma once

#include <glib-object.h>

#include "lb-store-enums.h"
#include "lb-study.h"

G_BEGIN_DECLS

#define LB_TYPE_WORKLIST_ENTRY (lb_worklist_entry_get_type ())

G_DECLARE_FINAL_TYPE (LbWorklistEntry, lb_worklist_entry, LB, WORKLIST_ENTRY, GObject)

/* The study as the archive describes it; for a row from the cache, as the first cached
 * file did, with the counts of the cached series and instances. */
LbStudy *lb_worklist_entry_get_study (LbWorklistEntry *self);
/* Shorthand for the study's UID. */
const char *lb_worklist_entry_get_study_instance_uid (LbWorklistEntry *self);

/* Instances and bytes in the cache (0 when nothing is cached). */
guint lb_worklist_entry_get_cached_instances (LbWorklistEntry *self);
guint64 lb_worklist_entry_get_bytes (LbWorklistEntry *self);
/* How many instances the archive listed at the last retrieval; -1 when unknown. */
int lb_worklist_entry_get_expected_instances (LbWorklistEntry *self);
/* Everything the archive listed is cached (an imported study is always complete). */
gboolean lb_worklist_entry_get_complete (LbWorklistEntry *self);
LbReadingState lb_worklist_entry_get_reading_state (LbWorklistEntry *self);
gboolean lb_worklist_entry_get_pinned (LbWorklistEntry *self);
/* Imported from a folder or media: the store is its only archive. */
gboolean lb_worklist_entry_get_local (LbWorklistEntry *self);
/* The archive did not answer: this row comes from the cache. */
gboolean lb_worklist_entry_get_offline (LbWorklistEntry *self);
/* Report versions not yet confirmed by the archive (drafts included). */
guint lb_worklist_entry_get_unsent_reports (LbWorklistEntry *self);
/* Microseconds since 1970; 0 when never. */
gint64 lb_worklist_entry_get_retrieved_at (LbWorklistEntry *self);
gint64 lb_worklist_entry_get_last_opened_at (LbWorklistEntry *self);

G_END_DECLS
