/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Background prefetch of the worklist's first studies into the cache: one study at a
 * time (its instances in parallel), the study the user opens first of all.  Retrieval
 * resumes with what is missing, so interrupting a study (to open another, to pause, or
 * because the network went away) loses nothing already stored.  Lives in the main
 * context it was made in; its signals are emitted there.
 *
 *   study-started (uid): a study's retrieval began;
 *   study-progress (uid, const LbFetchProgress *): after each stored instance;
 *   study-done (uid, const GError * or NULL): a study is complete, or failed for good
 *     (three tries), or the archive became unreachable (the prefetcher then pauses).
 */
#pragma once

#include <gio/gio.h>

#include "lb-store.h"

G_BEGIN_DECLS

#define LB_TYPE_PREFETCHER (lb_prefetcher_get_type ())

G_DECLARE_FINAL_TYPE (LbPrefetcher, lb_prefetcher, LB, PREFETCHER, GObject)

/* The GUI's "prefetch-count" key unless set otherwise. */
#define LB_PREFETCHER_DEFAULT_COUNT 10

LbPrefetcher *lb_prefetcher_new (LbStore *store, LbDicomwebClient *client);

/* How many of the worklist's first studies to keep cached. */
guint lb_prefetcher_get_count (LbPrefetcher *self);
void lb_prefetcher_set_count (LbPrefetcher *self, guint count);

/* The worklist, in the archive's order (a model of LbWorklistEntry): its first studies
 * (in the reading order, when one is set) that are not complete in the cache are queued;
 * the rest of the queue is dropped. */
void lb_prefetcher_set_worklist (LbPrefetcher *self, GListModel *entries);
/* The order the reader works down the worklist in, as the workstation shows it (sorted,
 * filtered): study UIDs, the first ones are enough.  The studies fetched ahead are then
 * the first of this order that are in the worklist.  NULL: the archive's order. */
void lb_prefetcher_set_order (LbPrefetcher *self, const char *const *study_uids);
/* The user opened this study: it is fetched before anything else, now, interrupting the
 * study under way (which resumes after it). */
void lb_prefetcher_prioritize (LbPrefetcher *self, const char *study_uid);

void lb_prefetcher_pause (LbPrefetcher *self);
void lb_prefetcher_resume (LbPrefetcher *self);
gboolean lb_prefetcher_get_paused (LbPrefetcher *self);

/* The study being fetched, or NULL. */
const char *lb_prefetcher_get_current (LbPrefetcher *self);
/* Studies waiting, the current one not counted. */
guint lb_prefetcher_get_pending (LbPrefetcher *self);

G_END_DECLS
