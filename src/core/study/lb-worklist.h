/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worklist as the reading workstation shows it: a GListModel of LbWorklistItem for
 * the current archive, with what the local store knows of each study (reading status,
 * cached or being fetched), following the store's sync (online and offline) and its
 * prefetcher.  Without an archive it lists the studies in the store; without a store it
 * asks the archive directly.  Opening a study reads it from the cache when the cache
 * has it, and otherwise streams it from the archive, keeping a copy in the store.  Use it
 * from one thread; results arrive in that thread's main context.
 */
#pragma once

#include <gio/gio.h>

#include "lb-dicomweb-client.h"
#include "lb-frame-cache.h"
#include "lb-loaded-study.h"
#include "lb-store.h"
#include "lb-worklist-item.h"

G_BEGIN_DECLS

#define LB_TYPE_WORKLIST (lb_worklist_get_type ())

G_DECLARE_FINAL_TYPE (LbWorklist, lb_worklist, LB, WORKLIST, GObject)

/* Either may be NULL (not both, or the list stays empty).  Call lb_worklist_refresh()
 * to fill it. */
LbWorklist *lb_worklist_new (LbStore *store, LbDicomwebClient *client);

/* LbWorklistItem, in the archive's order. */
GListModel *lb_worklist_get_items (LbWorklist *self);
LbWorklistItem *lb_worklist_lookup (LbWorklist *self, const char *study_uid);
/* The archive does not answer ("offline" is notified); the list shows the cache. */
gboolean lb_worklist_get_offline (LbWorklist *self);
/* Why, one sentence; NULL when online. */
const char *lb_worklist_get_last_error (LbWorklist *self);

void lb_worklist_refresh (LbWorklist *self);
/* How many of the first unread studies are fetched ahead (with a store and archive). */
void lb_worklist_set_prefetch_count (LbWorklist *self, guint count);
/* The rows as the reader sees them, in the order they are read (this worklist's items,
 * sorted and filtered): studies are fetched ahead in that order, and follow it as it
 * changes.  NULL: in the archive's order. */
void lb_worklist_set_shown (LbWorklist *self, GListModel *shown);

/* Opens @item's study for reading: a study that fills as it loads, from the cache when
 * it holds the study (all of it, or what there is while offline), else from the archive
 * (and into the cache).  The callback says how loading ended. */
LbLoadedStudy *lb_worklist_open_study (LbWorklist *self, LbWorklistItem *item,
                                       LbFrameCache *frame_cache, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_worklist_open_study_finish (LbWorklist *self, GAsyncResult *result, GError **error);
/* The reader's selection rests on @item (NULL: on none): when the cache holds its study
 * whole, its instance list and first image are read now, so that opening it shows that
 * image at once.  Nothing is marked opened or audited until lb_worklist_open_study(). */
void lb_worklist_read_ahead (LbWorklist *self, LbWorklistItem *item, LbFrameCache *frame_cache);
/* The reader left the study: the cache may evict it again. */
void lb_worklist_close_study (LbWorklist *self, const char *study_uid);

G_END_DECLS
