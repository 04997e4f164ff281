/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-worklist-entry.h"

G_BEGIN_DECLS

/* Everything an entry holds besides its study. */
typedef struct
{
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

LbWorklistEntry *_lb_worklist_entry_new (LbStudy *study, const LbEntryFields *fields);
/* The same entry, marked as coming from the cache while the archive is unreachable. */
LbWorklistEntry *_lb_worklist_entry_copy_offline (LbWorklistEntry *self);

G_END_DECLS
