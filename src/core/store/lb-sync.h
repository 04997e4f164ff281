/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeps the workstation in step with one archive, online or not.  It holds the worklist
 * model: the archive's studies with what the store knows of them while the archive
 * answers; the cached studies, each marked offline, while it does not.  Offline, it asks
 * the archive again in the background, waiting longer each time (doubling, up to a
 * limit); when it answers, the worklist is searched again (new studies appear), the
 * whole outbox is sent, the prefetcher resumes, and "synced" is emitted.  While online,
 * due outbox items are sent every half minute.  Lives in the main context it was made
 * in.  The rows follow the store (studies cached, evicted, opened, reported) within half
 * a second, without asking the archive again.
 *
 *   synced (guint sent): back online, worklist refreshed, outbox sent (@sent items).
 */
#pragma once

#include <gio/gio.h>

#include "lb-prefetcher.h"
#include "lb-store.h"

G_BEGIN_DECLS

typedef enum {
  LB_SYNC_STATE_UNKNOWN,  /* nothing asked yet */
  LB_SYNC_STATE_ONLINE,
  LB_SYNC_STATE_OFFLINE,
} LbSyncState;

#define LB_TYPE_SYNC_STATE (lb_sync_state_get_type ())
GType lb_sync_state_get_type (void);

#define LB_TYPE_SYNC (lb_sync_get_type ())

G_DECLARE_FINAL_TYPE (LbSync, lb_sync, LB, SYNC, GObject)

LbSync *lb_sync_new (LbStore *store, LbDicomwebClient *client);

LbStore *lb_sync_get_store (LbSync *self);
LbPrefetcher *lb_sync_get_prefetcher (LbSync *self);
LbSyncState lb_sync_get_state (LbSync *self);
/* Why the archive is taken as offline, one sentence; NULL online. */
const char *lb_sync_get_last_error (LbSync *self);
/* When the archive is asked next, in g_get_monotonic_time() microseconds; 0 online. */
gint64 lb_sync_get_next_retry (LbSync *self);

/* A model of LbWorklistEntry, updated in place by each refresh. */
GListModel *lb_sync_get_worklist (LbSync *self);

/* Searches with @query (NULL: everything) from now on, and refreshes.  The worklist's
 * columns are added to @query's included fields. */
void lb_sync_set_query (LbSync *self, LbQidoQuery *query);
void lb_sync_refresh (LbSync *self);
/* Asks the archive now instead of waiting for the next retry. */
void lb_sync_retry_now (LbSync *self);
/* Something was queued (a signed report): send the outbox now when online, or ask the
 * archive again now when offline. */
void lb_sync_send_now (LbSync *self);
/* Something else (a viewer's retrieval) found the archive unreachable. */
void lb_sync_report_failure (LbSync *self, const GError *error);

/* The wait before the first retry and the longest wait (defaults 2 s and 60 s). */
void lb_sync_set_retry_delays (LbSync *self, guint first_ms, guint longest_ms);

G_END_DECLS
