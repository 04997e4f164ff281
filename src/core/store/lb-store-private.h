/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the files of LbStore, split by concern: lb-store.c (opening, studies, state),
 * lb-store-put.c (storing instances), lb-store-fetch.c (retrieval), lb-store-evict.c,
 * lb-store-verify.c (checking and rebuilding), lb-store-import.c, lb-store-outbox.c
 * (reports and the outbox).
 */
#pragma once

#include "lb-blob-store-private.h"
#include "lb-database-private.h"
#include "lb-dicom-file.h"
#include "lb-store.h"

G_BEGIN_DECLS

struct _LbStore
{
  GObject parent_instance;

  char *dir;
  LbDatabase *db;
  LbBlobStore *blobs;
  gboolean recovered;
  GMainContext *context;

  GMutex lock;
  guint64 quota;
  /* Bytes stored since the quota was last compared with the cache's size. */
  guint64 unchecked_bytes;
  /* Studies this process uses (open or being retrieved): UID -> count. */
  GHashTable *leases;
  /* Server URL -> row id, so that storing an instance does not look it up each time. */
  GHashTable *server_ids;
  guint pending_signals;
};

typedef enum {
  LB_STORE_CHANGED_STUDIES = 1 << 0,
  LB_STORE_CHANGED_OUTBOX = 1 << 1,
} LbStoreChanges;

/* Emits the change signals soon, once, in the store's main context; any thread. */
void _lb_store_changed (LbStore *self, LbStoreChanges changes);

/* Runs @job on a worker thread; @job returns NULL with an error for a failure.  The
 * finish function returns what @job returned. */
typedef gpointer (*LbStoreJob) (LbStore *self, gpointer data, GCancellable *cancellable,
                                GError **error);
void _lb_store_run_async (LbStore *self, LbStoreJob job, gpointer data, GDestroyNotify data_free,
                          GDestroyNotify result_free, gpointer source_tag,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data);
gpointer _lb_store_run_finish (LbStore *self, GAsyncResult *result, gpointer source_tag,
                               GError **error);
/* What a boolean job returns on success. */
#define LB_STORE_JOB_DONE GINT_TO_POINTER (1)

/* Leases keep a study from eviction while this process uses it. */
gboolean _lb_store_lease (LbStore *self, const char *study_uid, GError **error);
void _lb_store_release (LbStore *self, const char *study_uid);

/* The row id of a server, added when new; 0 for NULL.  Call with the database lock held. */
gint64 _lb_store_server_id (LbStore *self, const char *url, GError **error);

gboolean _lb_store_audit (LbStore *self, const char *study_uid, const char *action,
                          const char *detail, GError **error);

typedef enum {
  LB_PUT_STORED,
  LB_PUT_ALREADY_CACHED,
} LbPutOutcome;

/* Stores an instance already parsed from @bytes.  Thread-safe. */
gboolean _lb_store_put (LbStore *self, gint64 server_id, GBytes *bytes, LbDicomFile *file,
                        LbPutOutcome *outcome, GError **error);
/* Indexes a file already in place at @relative (verify and rebuilds).  Needs the lock. */
gboolean _lb_store_index_file (LbStore *self, gint64 server_id, LbDicomFile *file,
                               const char *relative, guint64 size, gint64 retrieved_at,
                               GError **error);

/* Evicts studies other than those in use until @needed more bytes fit both under the
 * quota and on the disk.  TRUE when something was freed. */
gboolean _lb_store_make_room (LbStore *self, guint64 needed);
/* For a report or payload on a full disk: eviction, else the reserve (which also lets an
 * eviction that could not even write its own rows run), then the reserve is won back
 * when eviction freed enough.  TRUE when some room was made. */
gboolean _lb_store_make_room_urgently (LbStore *self, guint64 needed);
/* Counts @added bytes stored; now and then (always when @added is 0), evicts down to the
 * quota when over it. */
void _lb_store_enforce_quota (LbStore *self, guint64 added);

/* Finishes what crashed processes left (adopts renamed files, completes evictions,
 * deletes temporary files, drops their leases).  Returns how many leftovers it found. */
guint _lb_store_finish_dead_sessions (LbStore *self);

/* The archive could not be reached, or could not answer now: worth trying later, and a
 * sign of being offline. */
gboolean _lb_store_error_is_unreachable (const GError *error);

/* Indexes every file under blobs/ and outbox/ into an empty index. */
gboolean _lb_store_rebuild_from_files (LbStore *self, GError **error);
/* Queues again a payload file the outbox index lost. */
gboolean _lb_store_restore_payload (LbStore *self, const char *relative, GError **error);

G_END_DECLS
