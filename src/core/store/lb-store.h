/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local store: every retrieved or imported instance as a file in the cache folder,
 * indexed in SQLite; per-study reading state and pins; reports; the outbox of payloads
 * waiting for an archive; the audit log.  Several processes (the workstation, the CLI)
 * may use one cache folder at once.
 *
 * Functions without _async block on disk and SQL: the GUI calls the _async forms, which
 * run them on a worker thread; the CLI and tests may call either.  An LbStore may be
 * used from any thread.  Its signals are emitted in the thread-default main context of
 * the thread that opened it:
 *
 *   studies-changed: studies were added, evicted, or changed state (coalesced);
 *   outbox-changed: an outbox item was queued or changed state (coalesced).
 */
#pragma once

#include <gio/gio.h>

#include "lb-cached-instance.h"
#include "lb-dicomweb-client.h"
#include "lb-outbox-item.h"
#include "lb-qido-query.h"
#include "lb-report.h"
#include "lb-store-enums.h"
#include "lb-store-error.h"
#include "lb-worklist-entry.h"

G_BEGIN_DECLS

#define LB_TYPE_STORE (lb_store_get_type ())

G_DECLARE_FINAL_TYPE (LbStore, lb_store, LB, STORE, GObject)

/* The cache's size limit unless set otherwise (the GUI's "cache-quota-bytes" key). */
#define LB_STORE_DEFAULT_QUOTA (G_GUINT64_CONSTANT (20) << 30)

/* $LB_CACHE_DIR when set, else $XDG_CACHE_HOME/lightbox. */
char *lb_store_get_default_dir (void);

/* Opens the cache in @dir (created 0700 when missing), migrating its index.  An index
 * that fails its integrity check is set aside (kept as index-damaged-TIME.sqlite) and
 * rebuilt from the files: lb_store_get_recovered() then says so. */
LbStore *lb_store_open (const char *dir, GError **error);
void lb_store_open_async (const char *dir, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
LbStore *lb_store_open_finish (GAsyncResult *result, GError **error);

const char *lb_store_get_dir (LbStore *self);
gboolean lb_store_get_recovered (LbStore *self);

/* The quota is kept in the index, so the CLI follows what the workstation set. */
guint64 lb_store_get_quota (LbStore *self);
gboolean lb_store_set_quota (LbStore *self, guint64 quota, GError **error);
/* Bytes and studies in the cache. */
gboolean lb_store_get_usage (LbStore *self, guint64 *bytes, guint *studies, GError **error);

/* ---- studies ------------------------------------------------------------------- */

/* Cached studies matching @query (NULL: all), newest first, as LbWorklistEntry: the
 * offline worklist.  Matching follows QIDO-RS: PatientName (case-insensitive, * and ?
 * wildcards), PatientID, AccessionNumber, StudyDescription (wildcards), StudyDate
 * (YYYYMMDD or a range), ModalitiesInStudy, StudyInstanceUID (a list separated by
 * commas); limit and offset. */
GListModel *lb_store_list_studies (LbStore *self, LbQidoQuery *query, GError **error);
void lb_store_list_studies_async (LbStore *self, LbQidoQuery *query, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_store_list_studies_finish (LbStore *self, GAsyncResult *result, GError **error);

/* The online worklist: each LbStudy of @studies (an archive's search result) as an
 * LbWorklistEntry with what the store knows about it. */
GListModel *lb_store_annotate_studies (LbStore *self, GListModel *studies, GError **error);
void lb_store_annotate_studies_async (LbStore *self, GListModel *studies,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
GListModel *lb_store_annotate_studies_finish (LbStore *self, GAsyncResult *result,
                                              GError **error);

/* One study's entry; LB_STORE_ERROR_NOT_FOUND when nothing of it is cached. */
LbWorklistEntry *lb_store_lookup_study (LbStore *self, const char *study_uid, GError **error);

/* The cached instances of a study (LbCachedInstance), by series number then instance
 * number; empty when none. */
GListModel *lb_store_list_instances (LbStore *self, const char *study_uid, GError **error);

/* For reading: lists the instances, marks the study opened (reading state, LRU time, the
 * audit log) and keeps it from eviction until lb_store_close_study().  NOT_FOUND when
 * nothing of it is cached. */
GListModel *lb_store_open_study (LbStore *self, const char *study_uid, GError **error);
void lb_store_open_study_async (LbStore *self, const char *study_uid, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_store_open_study_finish (LbStore *self, GAsyncResult *result, GError **error);
void lb_store_close_study (LbStore *self, const char *study_uid);

gboolean lb_store_set_reading_state (LbStore *self, const char *study_uid, LbReadingState state,
                                     GError **error);
void lb_store_set_reading_state_async (LbStore *self, const char *study_uid,
                                       LbReadingState state, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_store_set_reading_state_finish (LbStore *self, GAsyncResult *result, GError **error);
/* A pinned study is never evicted. */
gboolean lb_store_set_pinned (LbStore *self, const char *study_uid, gboolean pinned,
                              GError **error);
void lb_store_set_pinned_async (LbStore *self, const char *study_uid, gboolean pinned,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean lb_store_set_pinned_finish (LbStore *self, GAsyncResult *result, GError **error);

/* Stores one DICOM instance that came from the archive at @server_url (NULL: from local
 * media).  Evicts other studies when the cache goes over its quota or the disk fills.
 * @sop_instance_uid (may be NULL) receives its UID. */
gboolean lb_store_put_instance (LbStore *self, const char *server_url, GBytes *bytes,
                                char **sop_instance_uid, GError **error);

/* Appends to the audit log: @action such as "open", "report-signed". */
gboolean lb_store_add_audit_event (LbStore *self, const char *study_uid, const char *action,
                                   const char *detail, GError **error);

/* ---- retrieval ----------------------------------------------------------------- */

typedef struct
{
  guint expected;         /* instances the archive lists (0 until its metadata arrived) */
  guint already_cached;   /* of those, how many the cache held before */
  guint fetched;          /* stored by this retrieval */
  guint failed;           /* arrived but could not be stored */
  guint64 bytes;          /* bytes stored by this retrieval */
  guint requests;         /* WADO-RS retrievals asked for (study, series or instance) */
} LbFetchProgress;

/* Called in the caller's main context after each stored instance. */
typedef void (*LbFetchProgressFunc) (const char *study_uid, const LbFetchProgress *progress,
                                     gpointer user_data);

/* Stores a study from @client's archive into the cache, fetching only what the cache
 * lacks: the study's WADO-RS metadata is compared with the index, whole series are
 * retrieved when none of their instances is cached, single instances otherwise.  The
 * study is kept from eviction while this runs.  Finishes with LB_STORE_ERROR_INCOMPLETE
 * (or the network's error) when instances are still missing; running it again fetches
 * those.  @progress of _finish (may be NULL) is filled on success and on failure. */
void lb_store_cache_study_async (LbStore *self, LbDicomwebClient *client, const char *study_uid,
                                 LbFetchProgressFunc progress_func, gpointer progress_data,
                                 GDestroyNotify progress_data_free, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_store_cache_study_finish (LbStore *self, GAsyncResult *result,
                                      LbFetchProgress *progress, GError **error);

/* ---- eviction and checking ------------------------------------------------------ */

typedef struct
{
  guint studies;          /* evicted */
  guint64 freed;          /* bytes */
  guint64 remaining;      /* bytes still cached */
  /* Studies that could not be evicted, by reason. */
  guint kept_pinned;
  guint kept_in_use;      /* open in a viewer or being retrieved, by any process */
  guint kept_unsent;      /* a report or payload the archive has not confirmed */
  guint kept_local;       /* imported: the store is their only archive */
} LbEvictSummary;

/* Evicts least recently used studies until the cache holds at most @target bytes.
 * Pinned, in-use, unsent-report and imported studies are never evicted. */
gboolean lb_store_evict (LbStore *self, guint64 target, LbEvictSummary *summary, GError **error);
void lb_store_evict_async (LbStore *self, guint64 target, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_store_evict_finish (LbStore *self, GAsyncResult *result, LbEvictSummary *summary,
                                GError **error);

typedef struct
{
  /* Leftovers of processes that died, finished as they would have been: not faults. */
  guint interrupted_writes;
  /* Faults, each repaired. */
  gboolean index_rebuilt;   /* failed its integrity check: set aside and rebuilt */
  guint missing_files;      /* rows whose file was gone: removed from the index */
  guint damaged_files;      /* files whose size differed from the index: removed */
  guint unindexed_files;    /* DICOM files the index did not know: indexed */
  guint stray_files;        /* files that were not readable DICOM: deleted */
  guint missing_payloads;   /* outbox rows whose payload was gone: marked failed */
  guint restored_payloads;  /* payloads without an outbox row: queued again */
  guint counts_fixed;       /* studies whose totals disagreed with their instances */
  /* One sentence per fault found, for people. */
  GPtrArray *findings;
} LbVerifySummary;

void lb_verify_summary_clear (LbVerifySummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LbVerifySummary, lb_verify_summary_clear)
/* TRUE when no fault was found (interrupted writes are not faults). */
gboolean lb_verify_summary_is_consistent (const LbVerifySummary *summary);

/* Checks the index against the files both ways and repairs what disagrees. */
gboolean lb_store_verify (LbStore *self, LbVerifySummary *summary, GError **error);
void lb_store_verify_async (LbStore *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_store_verify_finish (LbStore *self, GAsyncResult *result, LbVerifySummary *summary,
                                 GError **error);

/* ---- import -------------------------------------------------------------------- */

typedef struct
{
  guint imported;
  guint already_cached;
  guint not_dicom;        /* skipped: not DICOM at all */
  guint directories;      /* skipped: DICOMDIR files, which index media but hold no image */
  guint broken;           /* DICOM, but unreadable or without the UIDs an index needs */
  guint missing;          /* named by a DICOMDIR but not found */
  guint64 bytes;
  /* "PATH: reason" for each broken or missing file. */
  GPtrArray *problems;
} LbImportSummary;

void lb_import_summary_clear (LbImportSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LbImportSummary, lb_import_summary_clear)

/* After each file, in the importing thread: the counts so far. */
typedef void (*LbImportProgressFunc) (const LbImportSummary *summary, gpointer user_data);

/* Copies a folder (recursively) or the files a DICOMDIR names into the store, as local
 * studies.  Fails only when @path cannot be read at all or the cache cannot be written;
 * files it cannot take are counted in @summary.  @progress may be NULL. */
gboolean lb_store_import (LbStore *self, const char *path, LbImportProgressFunc progress,
                          gpointer progress_data, LbImportSummary *summary,
                          GCancellable *cancellable, GError **error);
void lb_store_import_async (LbStore *self, const char *path, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_store_import_finish (LbStore *self, GAsyncResult *result, LbImportSummary *summary,
                                 GError **error);

/* ---- reports and the outbox ---------------------------------------------------- */

/* Saves a study's report durably (synchronous=FULL).  A draft updates the latest version
 * while that is an unsigned draft; anything else starts a new version, so a signed
 * version is never changed.  Moves the study's reading state along. */
LbReport *lb_store_save_report (LbStore *self, const char *study_uid, LbReportState state,
                                const char *author, const char *text, GError **error);
void lb_store_save_report_async (LbStore *self, const char *study_uid, LbReportState state,
                                 const char *author, const char *text,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
LbReport *lb_store_save_report_finish (LbStore *self, GAsyncResult *result, GError **error);
/* Every version of a study's reports (NULL: of all studies), oldest first. */
GListModel *lb_store_list_reports (LbStore *self, const char *study_uid, GError **error);

/* Queues a DICOM payload for STOW-RS to @destination (a DICOMweb root).  The payload is
 * on disk and in the index, durably, before this returns.  Queuing a SOP Instance UID
 * again replaces its payload and makes it due again.  @report_id (0: none) names the
 * report version it carries, which counts as sent once the archive confirms it. */
LbOutboxItem *lb_store_queue_payload (LbStore *self, const char *destination, const char *kind,
                                      gint64 report_id, GBytes *payload, GError **error);
void lb_store_queue_payload_async (LbStore *self, const char *destination, const char *kind,
                                   gint64 report_id, GBytes *payload, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
LbOutboxItem *lb_store_queue_payload_finish (LbStore *self, GAsyncResult *result,
                                             GError **error);
/* Outbox items, oldest first; sent ones only with @include_sent. */
GListModel *lb_store_list_outbox (LbStore *self, gboolean include_sent, GError **error);
void lb_store_list_outbox_async (LbStore *self, gboolean include_sent, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_store_list_outbox_finish (LbStore *self, GAsyncResult *result, GError **error);
/* Makes every unsent item due now; @count (may be NULL) gets how many. */
gboolean lb_store_retry_outbox (LbStore *self, guint *count, GError **error);

/* Sends the unsent items for @client's archive (only those due, with @due_only), one at a
 * time.  An item that failed before is first looked up on the archive (QIDO-RS by SOP
 * Instance UID): one already there is marked sent, not sent twice.  A failure is kept on
 * the item with a later next try (30 s, doubling, at most an hour).  Fails when the store
 * cannot be read, or with the network's error when the archive could not be reached (the
 * items stay queued); @sent and @failed (may be NULL) count the items either way. */
void lb_store_send_outbox_async (LbStore *self, LbDicomwebClient *client, gboolean due_only,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
gboolean lb_store_send_outbox_finish (LbStore *self, GAsyncResult *result, guint *sent,
                                      guint *failed, GError **error);

G_END_DECLS
