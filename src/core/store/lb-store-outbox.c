/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reports and the outbox.  Both are written with synchronous=FULL: a saved report or a
 * queued payload survives a power cut, not only a crash.  A payload reaches the disk
 * before its row, and its row before the first attempt to send it; an item is marked
 * sent only when the archive says it holds the instance, and an item that failed before
 * is looked up on the archive before it is sent again, so a reply lost on the way never
 * makes a second copy.
 */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

#include <string.h>

#include "lb-instance.h"
#include "lb-net-error.h"
#include "lb-outbox-item-private.h"
#include "lb-report-private.h"
#include "lb-stow-result.h"

#define FIRST_RETRY_SECONDS 30
#define LAST_RETRY_SECONDS 3600
/* An attempt that has not finished after this long (its process died) may be made again. */
#define ATTEMPT_SECONDS 600
/* STOW-RS failure reason: the archive already holds this SOP Instance UID. */
#define DUPLICATE_SOP_INSTANCE 0x0111

gboolean
_lb_store_error_is_unreachable (const GError *error)
{
  return error != NULL && error->domain == LB_NET_ERROR &&
         (error->code == LB_NET_ERROR_CONNECT || error->code == LB_NET_ERROR_TIMEOUT ||
          error->code == LB_NET_ERROR_CUT || error->code == LB_NET_ERROR_SERVER ||
          error->code == LB_NET_ERROR_TLS);
}

/* ---- reports --------------------------------------------------------------------- */

#define REPORT_COLUMNS \
  "id, study_uid, version, state, author, text, created_at, updated_at, sent_at"

static LbReport *
report_from_row (sqlite3_stmt *stmt)
{
  LbReportFields fields = {
    .id = sqlite3_column_int64 (stmt, 0),
    .study_instance_uid = (const char *) sqlite3_column_text (stmt, 1),
    .version = (guint) sqlite3_column_int (stmt, 2),
    .state = (LbReportState) CLAMP (sqlite3_column_int (stmt, 3), LB_REPORT_STATE_DRAFT,
                                    LB_REPORT_STATE_FINAL),
    .author = (const char *) sqlite3_column_text (stmt, 4),
    .text = (const char *) sqlite3_column_text (stmt, 5),
    .created_at = sqlite3_column_int64 (stmt, 6),
    .updated_at = sqlite3_column_int64 (stmt, 7),
    .sent_at = sqlite3_column_int64 (stmt, 8),
  };
  return _lb_report_new (&fields);
}

static LbReadingState
reading_state_for (LbReportState state)
{
  switch (state)
    {
    case LB_REPORT_STATE_PRELIMINARY:
      return LB_READING_STATE_PRELIMINARY;
    case LB_REPORT_STATE_FINAL:
      return LB_READING_STATE_FINAL;
    case LB_REPORT_STATE_DRAFT:
    default:
      return LB_READING_STATE_IN_PROGRESS;
    }
}

/* Needs the database lock, in a transaction.  Returns the saved row's id. */
static gint64
save_report_locked (LbStore *self, const char *study_uid, LbReportState state,
                    const char *author, const char *text, GError **error)
{
  g_autoptr (sqlite3_stmt) latest = lb_database_prepare (
    self->db, "SELECT id, version, state FROM reports WHERE study_uid = ?1 "
              "ORDER BY version DESC LIMIT 1", error);
  g_autoptr (GError) local_error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = 0;
  int version = 0;

  if (latest == NULL)
    return 0;
  sqlite3_bind_text (latest, 1, study_uid, -1, SQLITE_STATIC);
  if (lb_database_step (self->db, latest, &local_error))
    {
      version = sqlite3_column_int (latest, 1);
      /* Only an unsigned draft changes in place; signing freezes a version. */
      if (sqlite3_column_int (latest, 2) == LB_REPORT_STATE_DRAFT)
        id = sqlite3_column_int64 (latest, 0);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  g_autoptr (sqlite3_stmt) write = lb_database_prepare (
    self->db, id != 0
                ? "UPDATE reports SET state = ?2, author = ?3, text = ?4, updated_at = ?5 "
                  "WHERE id = ?1"
                : "INSERT INTO reports (study_uid, version, state, author, text, created_at, "
                  "updated_at) VALUES (?6, ?1, ?2, ?3, ?4, ?5, ?5)", error);
  if (write == NULL)
    return 0;
  sqlite3_bind_int64 (write, 1, id != 0 ? id : version + 1);
  sqlite3_bind_int (write, 2, state);
  sqlite3_bind_text (write, 3, author, -1, SQLITE_STATIC);
  sqlite3_bind_text (write, 4, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (write, 5, now);
  if (id == 0)
    sqlite3_bind_text (write, 6, study_uid, -1, SQLITE_STATIC);
  if (!lb_database_run (self->db, write, error))
    return 0;
  if (id == 0)
    id = lb_database_last_insert_rowid (self->db);

  /* The study's reading state follows the report, never backwards. */
  g_autoptr (sqlite3_stmt) reading = lb_database_prepare (
    self->db, "INSERT INTO study_state (study_uid, reading_state, updated_at) "
              "VALUES (?1, ?2, ?3) ON CONFLICT (study_uid) DO UPDATE "
              "SET reading_state = MAX (reading_state, excluded.reading_state), "
              "updated_at = excluded.updated_at", error);
  if (reading == NULL)
    return 0;
  sqlite3_bind_text (reading, 1, study_uid, -1, SQLITE_STATIC);
  sqlite3_bind_int (reading, 2, reading_state_for (state));
  sqlite3_bind_int64 (reading, 3, now);
  if (!lb_database_run (self->db, reading, error))
    return 0;

  if (state != LB_REPORT_STATE_DRAFT &&
      !_lb_store_audit (self, study_uid, "report-signed", lb_report_state_to_string (state),
                        error))
    return 0;
  return id;
}

static LbReport *
read_report_locked (LbStore *self, gint64 id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT " REPORT_COLUMNS " FROM reports WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!lb_database_step (self->db, stmt, error))
    return NULL;
  return report_from_row (stmt);
}

static gint64
save_report_once (LbStore *self, const char *study_uid, LbReportState state, const char *author,
                  const char *text, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  gint64 id;

  if (!lb_database_begin (self->db, LB_DATABASE_DURABLE, error))
    return 0;
  id = save_report_locked (self, study_uid, state, author, text, error);
  if (id == 0)
    {
      lb_database_rollback (self->db);
      return 0;
    }
  return lb_database_commit (self->db, error) ? id : 0;
}

LbReport *
lb_store_save_report (LbStore *self, const char *study_uid, LbReportState state,
                      const char *author, const char *text, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (study_uid != NULL && *study_uid != '\0', NULL);
  g_return_val_if_fail (state >= LB_REPORT_STATE_DRAFT && state <= LB_REPORT_STATE_FINAL, NULL);
  g_return_val_if_fail (author != NULL && text != NULL, NULL);

  g_autoptr (GError) local_error = NULL;
  gint64 id = save_report_once (self, study_uid, state, author, text, &local_error);

  /* A report outranks cached images: on a full disk, evict and save again; with nothing
   * to evict, use the reserve. */
  if (id == 0 && g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL) &&
      _lb_store_make_room_urgently (self, strlen (text) + (G_GUINT64_CONSTANT (1) << 20)))
    {
      g_clear_error (&local_error);
      id = save_report_once (self, study_uid, state, author, text, &local_error);
    }
  if (id == 0)
    {
      if (g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL))
        g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL,
                     "The cache disk is full and nothing more can be evicted: the report "
                     "was not saved; free some space on the disk of %s.", self->dir);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  _lb_store_changed (self, LB_STORE_CHANGED_STUDIES);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  return read_report_locked (self, id, error);
}

typedef struct
{
  char *study_uid;
  LbReportState state;
  char *author;
  char *text;
} SaveCall;

static void
save_call_free (SaveCall *call)
{
  g_free (call->study_uid);
  g_free (call->author);
  g_free (call->text);
  g_free (call);
}

static gpointer
save_report_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  SaveCall *call = data;

  return lb_store_save_report (self, call->study_uid, call->state, call->author, call->text,
                               error);
}

void
lb_store_save_report_async (LbStore *self, const char *study_uid, LbReportState state,
                            const char *author, const char *text, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (study_uid != NULL && author != NULL && text != NULL);

  SaveCall *call = g_new0 (SaveCall, 1);
  call->study_uid = g_strdup (study_uid);
  call->state = state;
  call->author = g_strdup (author);
  call->text = g_strdup (text);
  _lb_store_run_async (self, save_report_job, call, (GDestroyNotify) save_call_free,
                       g_object_unref, lb_store_save_report_async, cancellable, callback,
                       user_data);
}

LbReport *
lb_store_save_report_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_save_report_async, error);
}

GListModel *
lb_store_list_reports (LbStore *self, const char *study_uid, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT " REPORT_COLUMNS " FROM reports WHERE ?1 IS NULL OR study_uid = ?1 "
              "ORDER BY study_uid, version", error);
  g_autoptr (GListStore) out = g_list_store_new (LB_TYPE_REPORT);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  lb_database_bind_text (stmt, 1, study_uid);
  while (lb_database_step (self->db, stmt, &local_error))
    {
      g_autoptr (LbReport) report = report_from_row (stmt);
      g_list_store_append (out, report);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&out));
}

/* ---- the outbox ------------------------------------------------------------------ */

#define OUTBOX_COLUMNS                                                                    \
  "id, sop_instance_uid, study_uid, destination, kind, report_id, payload_path, "          \
  "payload_size, state, attempts, last_error, created_at, next_try_at, sent_at"

static LbOutboxItem *
item_from_row (sqlite3_stmt *stmt)
{
  LbOutboxItemFields fields = {
    .id = sqlite3_column_int64 (stmt, 0),
    .sop_instance_uid = (const char *) sqlite3_column_text (stmt, 1),
    .study_instance_uid = (const char *) sqlite3_column_text (stmt, 2),
    .destination = (const char *) sqlite3_column_text (stmt, 3),
    .kind = (const char *) sqlite3_column_text (stmt, 4),
    .report_id = sqlite3_column_int64 (stmt, 5),
    .payload_path = (const char *) sqlite3_column_text (stmt, 6),
    .size = (guint64) sqlite3_column_int64 (stmt, 7),
    .state = (LbOutboxState) CLAMP (sqlite3_column_int (stmt, 8), LB_OUTBOX_STATE_PENDING,
                                    LB_OUTBOX_STATE_FAILED),
    .attempts = (guint) sqlite3_column_int (stmt, 9),
    .last_error = (const char *) sqlite3_column_text (stmt, 10),
    .created_at = sqlite3_column_int64 (stmt, 11),
    .next_try_at = sqlite3_column_int64 (stmt, 12),
    .sent_at = sqlite3_column_int64 (stmt, 13),
  };
  return _lb_outbox_item_new (&fields);
}

static LbOutboxItem *
read_item_locked (LbStore *self, const char *sop_uid, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE sop_instance_uid = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sop_uid, -1, SQLITE_STATIC);
  if (!lb_database_step (self->db, stmt, error))
    return NULL;
  return item_from_row (stmt);
}

static const char *
kind_of (LbDicomFile *file)
{
  const char *sop_class = lb_dicom_file_get_sop_class_uid (file);

  if (g_str_has_prefix (sop_class != NULL ? sop_class : "", "1.2.840.10008.5.1.4.1.1.88."))
    return "report";
  if (g_strcmp0 (sop_class, "1.2.840.10008.5.1.4.1.1.9.4.1") == 0)
    return "audio";
  return "instance";
}

/* Needs the database lock, in a transaction. */
static gboolean
insert_item_locked (LbStore *self, const char *sop_uid, const char *study_uid,
                    const char *destination, const char *kind, gint64 report_id,
                    const char *relative, guint64 size, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "INSERT INTO outbox (sop_instance_uid, study_uid, destination, kind, report_id, "
              "payload_path, payload_size, state, created_at, next_try_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8) "
              "ON CONFLICT (sop_instance_uid) DO UPDATE SET study_uid = excluded.study_uid, "
              "destination = excluded.destination, kind = excluded.kind, "
              "report_id = excluded.report_id, payload_path = excluded.payload_path, "
              "payload_size = excluded.payload_size, state = 0, last_error = NULL, "
              "next_try_at = excluded.next_try_at, sent_at = NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sop_uid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, study_uid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, destination, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kind, -1, SQLITE_STATIC);
  if (report_id > 0)
    sqlite3_bind_int64 (stmt, 5, report_id);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, relative, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, (gint64) size);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time ());
  return lb_database_run (self->db, stmt, error);
}

static gboolean
write_payload (LbStore *self, const char *relative, const char *destination, GBytes *payload,
               GError **error)
{
  g_autofree char *url_file = lb_blob_store_payload_destination_path (relative);
  gsize size;
  const guint8 *data = g_bytes_get_data (payload, &size);

  /* The destination first: a payload is only ever found with it. */
  if (!lb_blob_store_write (self->blobs, url_file, destination, strlen (destination), 0, FALSE,
                            error))
    return FALSE;
  if (!lb_blob_store_write (self->blobs, relative, data, size, 0, FALSE, error))
    {
      lb_blob_store_remove (self->blobs, url_file);
      lb_blob_store_settle (self->blobs);
      return FALSE;
    }
  return TRUE;
}

LbOutboxItem *
lb_store_queue_payload (LbStore *self, const char *destination, const char *kind,
                        gint64 report_id, GBytes *payload, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (destination != NULL && payload != NULL, NULL);

  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (payload, "The payload", error);
  if (file == NULL)
    return NULL;

  const char *sop_uid = lb_dicom_file_get_sop_instance_uid (file);
  g_autofree char *study_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_STUDY_INSTANCE_UID);
  if (sop_uid == NULL || *sop_uid == '\0' || study_uid == NULL)
    {
      g_set_error_literal (error, LB_STORE_ERROR, LB_STORE_ERROR_INVALID,
                           "The payload lacks a SOP or Study Instance UID, so no archive "
                           "would file it.");
      return NULL;
    }

  g_autofree char *relative = lb_blob_store_payload_path (sop_uid);
  g_autoptr (GError) local_error = NULL;
  gboolean written = write_payload (self, relative, destination, payload, &local_error);
  if (!written && g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL) &&
      _lb_store_make_room_urgently (self, g_bytes_get_size (payload)))
    {
      g_clear_error (&local_error);
      written = write_payload (self, relative, destination, payload, &local_error);
    }
  if (!written)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* A report's payload is durable before its row, always. */
  lb_blob_store_sync_folders (self->blobs);

  LbOutboxItem *item = NULL;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

    if (lb_database_begin (self->db, LB_DATABASE_DURABLE, error))
      {
        if (insert_item_locked (self, sop_uid, study_uid, destination,
                                kind != NULL ? kind : kind_of (file), report_id, relative,
                                g_bytes_get_size (payload), error) &&
            lb_database_commit (self->db, error))
          item = read_item_locked (self, sop_uid, error);
        else
          lb_database_rollback (self->db);
      }
  }
  /* Both files stay even when the row failed: the next check queues them again, and a
   * report is never dropped. */
  lb_blob_store_settle (self->blobs);
  lb_blob_store_settle (self->blobs);
  if (item != NULL)
    _lb_store_changed (self, LB_STORE_CHANGED_OUTBOX | LB_STORE_CHANGED_STUDIES);
  return item;
}

gboolean
_lb_store_restore_payload (LbStore *self, const char *relative, GError **error)
{
  g_autofree char *path = lb_blob_store_absolute (self->blobs, relative);
  g_autofree char *url_file = lb_blob_store_payload_destination_path (relative);
  g_autofree char *url_path = lb_blob_store_absolute (self->blobs, url_file);
  g_autofree char *destination = NULL;
  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (path, error);
  guint64 size = 0;

  if (file == NULL)
    return FALSE;
  if (!g_file_get_contents (url_path, &destination, NULL, NULL) || *destination == '\0')
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                   "The destination of the payload %s is lost.", relative);
      return FALSE;
    }

  const char *sop_uid = lb_dicom_file_get_sop_instance_uid (file);
  g_autofree char *study_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_STUDY_INSTANCE_UID);
  if (sop_uid == NULL || study_uid == NULL || !lb_blob_store_exists (self->blobs, relative, &size))
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_INVALID,
                   "The payload %s lacks its UIDs.", relative);
      return FALSE;
    }
  return insert_item_locked (self, sop_uid, study_uid, destination, kind_of (file), 0, relative,
                             size, error);
}

GListModel *
lb_store_list_outbox (LbStore *self, gboolean include_sent, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE ?1 OR state != 2 "
              "ORDER BY created_at, id", error);
  g_autoptr (GListStore) out = g_list_store_new (LB_TYPE_OUTBOX_ITEM);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_sent ? 1 : 0);
  while (lb_database_step (self->db, stmt, &local_error))
    {
      g_autoptr (LbOutboxItem) item = item_from_row (stmt);
      g_list_store_append (out, item);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&out));
}

typedef struct
{
  char *destination;
  char *kind;
  gint64 report_id;
  GBytes *payload;
} QueueCall;

static void
queue_call_free (QueueCall *call)
{
  g_free (call->destination);
  g_free (call->kind);
  g_bytes_unref (call->payload);
  g_free (call);
}

static gpointer
queue_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  QueueCall *call = data;

  return lb_store_queue_payload (self, call->destination, call->kind, call->report_id,
                                 call->payload, error);
}

void
lb_store_queue_payload_async (LbStore *self, const char *destination, const char *kind,
                              gint64 report_id, GBytes *payload, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (destination != NULL && payload != NULL);

  QueueCall *call = g_new0 (QueueCall, 1);
  call->destination = g_strdup (destination);
  call->kind = g_strdup (kind);
  call->report_id = report_id;
  call->payload = g_bytes_ref (payload);
  _lb_store_run_async (self, queue_job, call, (GDestroyNotify) queue_call_free, g_object_unref,
                       lb_store_queue_payload_async, cancellable, callback, user_data);
}

LbOutboxItem *
lb_store_queue_payload_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_queue_payload_async, error);
}

static gpointer
list_outbox_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  return lb_store_list_outbox (self, GPOINTER_TO_INT (data), error);
}

void
lb_store_list_outbox_async (LbStore *self, gboolean include_sent, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));

  _lb_store_run_async (self, list_outbox_job, GINT_TO_POINTER (include_sent ? 1 : 0), NULL,
                       g_object_unref, lb_store_list_outbox_async, cancellable, callback,
                       user_data);
}

GListModel *
lb_store_list_outbox_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_list_outbox_async, error);
}

gboolean
lb_store_retry_outbox (LbStore *self, guint *count, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);

  guint changed;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
      self->db, "UPDATE outbox SET next_try_at = ?1 WHERE state != 2", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
    if (!lb_database_run (self->db, stmt, error))
      return FALSE;
    changed = (guint) lb_database_changes (self->db);
  }
  if (changed > 0)
    _lb_store_changed (self, LB_STORE_CHANGED_OUTBOX);
  if (count != NULL)
    *count = changed;
  return TRUE;
}

/* ---- sending --------------------------------------------------------------------- */

typedef struct
{
  LbStore *store;
  LbDicomwebClient *client;
  gboolean due_only;
  GPtrArray *items;
  guint next;
  LbOutboxItem *current;
  GBytes *payload;
  guint sent;
  guint failed;
  GError *unreachable;
} SendRun;

static void
send_run_free (SendRun *run)
{
  g_clear_object (&run->store);
  g_clear_object (&run->client);
  g_clear_pointer (&run->items, g_ptr_array_unref);
  g_clear_object (&run->current);
  g_clear_pointer (&run->payload, g_bytes_unref);
  g_clear_error (&run->unreachable);
  g_free (run);
}

static gpointer
due_items_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  SendRun *run = data;
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE destination = ?1 AND "
              "((state IN (0, 3) AND (NOT ?2 OR next_try_at <= ?3)) OR "
              "(state = 1 AND next_try_at <= ?3)) ORDER BY created_at, id", error);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    {
      g_ptr_array_unref (items);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, lb_server_get_base_url (lb_dicomweb_client_get_server (run->client)),
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, run->due_only ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  while (lb_database_step (self->db, stmt, &local_error))
    g_ptr_array_add (items, item_from_row (stmt));
  if (local_error != NULL)
    {
      g_ptr_array_unref (items);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return items;
}

/* Marks the attempt (durably, before anything goes out) and reads the payload. */
static gpointer
begin_attempt_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  LbOutboxItem *item = data;
  g_autofree char *path =
    lb_blob_store_absolute (self->blobs, _lb_outbox_item_get_payload_path (item));
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local_error = NULL;

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
      self->db, "UPDATE outbox SET state = 1, attempts = attempts + 1, next_try_at = ?2 "
                "WHERE id = ?1", error);

    if (stmt == NULL || !lb_database_begin (self->db, LB_DATABASE_DURABLE, error))
      return NULL;
    sqlite3_bind_int64 (stmt, 1, lb_outbox_item_get_id (item));
    sqlite3_bind_int64 (stmt, 2, g_get_real_time () + ATTEMPT_SECONDS * G_USEC_PER_SEC);
    if (!lb_database_run (self->db, stmt, error))
      {
        lb_database_rollback (self->db);
        return NULL;
      }
    if (!lb_database_commit (self->db, error))
      return NULL;
  }
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "The payload file %s cannot be read (%s).", path, local_error->message);
      return NULL;
    }
  return g_mapped_file_get_bytes (mapped);
}

typedef struct
{
  LbOutboxItem *item;
  gboolean sent;
  char *error;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_clear_object (&outcome->item);
  g_free (outcome->error);
  g_free (outcome);
}

static gint64
retry_delay (guint attempts)
{
  gint64 seconds = FIRST_RETRY_SECONDS;

  for (guint i = 1; i < attempts && seconds < LAST_RETRY_SECONDS; i++)
    seconds *= 2;
  return MIN (seconds, LAST_RETRY_SECONDS) * G_USEC_PER_SEC;
}

static gpointer
record_outcome_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  Outcome *outcome = data;
  gint64 id = lb_outbox_item_get_id (outcome->item);
  gint64 report_id = lb_outbox_item_get_report_id (outcome->item);
  gint64 now = g_get_real_time ();
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

  if (!lb_database_begin (self->db, LB_DATABASE_DURABLE, error))
    return NULL;

  g_autoptr (sqlite3_stmt) item = lb_database_prepare (
    self->db, outcome->sent
                ? "UPDATE outbox SET state = 2, sent_at = ?2, last_error = NULL WHERE id = ?1"
                : "UPDATE outbox SET state = 3, last_error = ?3, "
                  "next_try_at = ?2 + ?4 WHERE id = ?1", error);
  if (item == NULL)
    goto fail;
  sqlite3_bind_int64 (item, 1, id);
  sqlite3_bind_int64 (item, 2, now);
  if (!outcome->sent)
    {
      sqlite3_bind_text (item, 3, outcome->error, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (item, 4, retry_delay (lb_outbox_item_get_attempts (outcome->item) + 1));
    }
  if (!lb_database_run (self->db, item, error))
    goto fail;

  if (outcome->sent && report_id > 0)
    {
      g_autoptr (sqlite3_stmt) report = lb_database_prepare (
        self->db, "UPDATE reports SET sent_at = ?2 WHERE id = ?1", error);
      if (report == NULL)
        goto fail;
      sqlite3_bind_int64 (report, 1, report_id);
      sqlite3_bind_int64 (report, 2, now);
      if (!lb_database_run (self->db, report, error))
        goto fail;
    }
  if (outcome->sent &&
      !_lb_store_audit (self, lb_outbox_item_get_study_instance_uid (outcome->item),
                        "sent", lb_outbox_item_get_kind (outcome->item), error))
    goto fail;
  if (!lb_database_commit (self->db, error))
    return NULL;

  /* The archive holds it now: the local copy has done its work. */
  if (outcome->sent)
    {
      const char *relative = _lb_outbox_item_get_payload_path (outcome->item);
      g_autofree char *url_file = lb_blob_store_payload_destination_path (relative);

      lb_blob_store_remove (self->blobs, relative);
      lb_blob_store_remove (self->blobs, url_file);
    }
  return LB_STORE_JOB_DONE;

fail:
  lb_database_rollback (self->db);
  return NULL;
}

static void send_next (GTask *task);

static void
on_outcome_recorded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SendRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (_lb_store_run_finish (run->store, result, record_outcome_job, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  _lb_store_changed (run->store, LB_STORE_CHANGED_OUTBOX | LB_STORE_CHANGED_STUDIES);
  send_next (g_steal_pointer (&task));
}

static void
record (GTask *task, gboolean sent, const GError *error)
{
  SendRun *run = g_task_get_task_data (task);
  Outcome *outcome = g_new0 (Outcome, 1);

  outcome->item = g_steal_pointer (&run->current);
  outcome->sent = sent;
  outcome->error = error != NULL ? g_strdup (error->message) : NULL;
  if (sent)
    run->sent++;
  else
    run->failed++;
  g_clear_pointer (&run->payload, g_bytes_unref);
  _lb_store_run_async (run->store, record_outcome_job, outcome, (GDestroyNotify) outcome_free,
                       NULL, record_outcome_job, g_task_get_cancellable (task),
                       on_outcome_recorded, task);
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SendRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) results =
    lb_dicomweb_client_store_finish (LB_DICOMWEB_CLIENT (source), result, &error);
  const char *sop_uid = lb_outbox_item_get_sop_instance_uid (run->current);

  if (results == NULL)
    {
      if (_lb_store_error_is_unreachable (error))
        g_set_error_literal (&run->unreachable, error->domain, error->code, error->message);
      record (g_steal_pointer (&task), FALSE, error);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr (LbStowResult) answer = g_list_model_get_item (results, i);

      if (g_strcmp0 (lb_stow_result_get_sop_instance_uid (answer), sop_uid) != 0)
        continue;
      if (lb_stow_result_get_stored (answer) ||
          lb_stow_result_get_failure_reason (answer) == DUPLICATE_SOP_INSTANCE)
        {
          record (g_steal_pointer (&task), TRUE, NULL);
          return;
        }
      g_set_error (&error, LB_NET_ERROR, LB_NET_ERROR_STORE,
                   "The archive refused it: %s (0x%04X).",
                   lb_stow_reason_describe (lb_stow_result_get_failure_reason (answer)),
                   lb_stow_result_get_failure_reason (answer));
      record (g_steal_pointer (&task), FALSE, error);
      return;
    }
  g_set_error_literal (&error, LB_NET_ERROR, LB_NET_ERROR_STORE,
                       "The archive did not confirm storing it.");
  record (g_steal_pointer (&task), FALSE, error);
}

static void
store_current (GTask *task)
{
  SendRun *run = g_task_get_task_data (task);
  g_autoptr (GPtrArray) instances = g_ptr_array_new ();

  g_ptr_array_add (instances, run->payload);
  lb_dicomweb_client_store_async (run->client, NULL, instances, g_task_get_cancellable (task),
                                  on_stored, task);
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SendRun *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) found =
    lb_dicomweb_client_search_instances_finish (LB_DICOMWEB_CLIENT (source), result, &error);

  if (found == NULL && _lb_store_error_is_unreachable (error))
    {
      g_set_error_literal (&run->unreachable, error->domain, error->code, error->message);
      record (g_steal_pointer (&task), FALSE, error);
      return;
    }
  /* Already there: the reply to an earlier attempt was lost, not the instance. */
  for (guint i = 0; found != NULL && i < g_list_model_get_n_items (found); i++)
    {
      g_autoptr (LbInstance) instance = g_list_model_get_item (found, i);

      if (g_strcmp0 (lb_instance_get_sop_instance_uid (instance),
                     lb_outbox_item_get_sop_instance_uid (run->current)) == 0)
        {
          g_debug ("outbox item %" G_GINT64_FORMAT " was already on the archive",
                   lb_outbox_item_get_id (run->current));
          record (g_steal_pointer (&task), TRUE, NULL);
          return;
        }
    }
  store_current (g_steal_pointer (&task));
}

static void
on_attempt_begun (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SendRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->payload = _lb_store_run_finish (run->store, result, begin_attempt_job, &error);
  if (run->payload == NULL)
    {
      /* This item cannot go (its file is unreadable); the rest still may. */
      record (g_steal_pointer (&task), FALSE, error);
      g_error_free (error);
      return;
    }
  _lb_store_changed (run->store, LB_STORE_CHANGED_OUTBOX);

  if (lb_outbox_item_get_attempts (run->current) == 0)
    {
      store_current (g_steal_pointer (&task));
      return;
    }
  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();
  /* Read before the task is handed on: arguments are evaluated in no fixed order. */
  GCancellable *cancellable = g_task_get_cancellable (task);
  lb_qido_query_set (query, "SOPInstanceUID", lb_outbox_item_get_sop_instance_uid (run->current));
  lb_dicomweb_client_search_instances_async (
    run->client, lb_outbox_item_get_study_instance_uid (run->current), NULL, query, cancellable,
    on_looked_up, g_steal_pointer (&task));
}

/* Takes the reference on @task. */
static void
send_next (GTask *task)
{
  SendRun *run = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  /* An unreachable archive fails every item the same way: leave the rest queued. */
  if (run->unreachable != NULL)
    {
      g_task_return_error (task, g_error_copy (run->unreachable));
      g_object_unref (task);
      return;
    }
  if (run->next >= run->items->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  run->current = g_object_ref (g_ptr_array_index (run->items, run->next++));
  _lb_store_run_async (run->store, begin_attempt_job, g_object_ref (run->current),
                       g_object_unref, (GDestroyNotify) g_bytes_unref, begin_attempt_job,
                       g_task_get_cancellable (task), on_attempt_begun, task);
}

static void
on_due_items (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SendRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->items = _lb_store_run_finish (run->store, result, due_items_job, &error);
  if (run->items == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  send_next (task);
}

void
lb_store_send_outbox_async (LbStore *self, LbDicomwebClient *client, gboolean due_only,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SendRun *run = g_new0 (SendRun, 1);

  run->store = g_object_ref (self);
  run->client = g_object_ref (client);
  run->due_only = due_only;
  g_task_set_source_tag (task, lb_store_send_outbox_async);
  g_task_set_task_data (task, run, (GDestroyNotify) send_run_free);
  _lb_store_run_async (self, due_items_job, run, NULL, (GDestroyNotify) g_ptr_array_unref,
                       due_items_job, cancellable, on_due_items, task);
}

gboolean
lb_store_send_outbox_finish (LbStore *self, GAsyncResult *result, guint *sent, guint *failed,
                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  SendRun *run = g_task_get_task_data (G_TASK (result));
  if (sent != NULL)
    *sent = run->sent;
  if (failed != NULL)
    *failed = run->failed;
  return g_task_propagate_boolean (G_TASK (result), error);
}
