/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Eviction: least recently used studies go first, whole, until the cache is under its
 * quota or the disk has room.  A study is never evicted while pinned, in use by any
 * process, waiting for a report to be confirmed, or when it was imported (the store is
 * its only archive).  Rows go first, in a transaction that checks all of that again;
 * the files after, named in the session journal so a crash in between is finished later.
 */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

#include <string.h>

/* What makes a study (s, with its state st) evictable. */
#define EVICTABLE                                                                         \
  "s.instance_count > 0 AND s.server_id IS NOT NULL AND COALESCE (st.pinned, 0) = 0 "      \
  "AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.study_uid = s.study_uid) "               \
  "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.study_uid = s.study_uid "               \
  "AND r.sent_at IS NULL) "                                                                \
  "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.study_uid = s.study_uid AND o.state != 2)"

/* The quota is checked after this many bytes were stored, not after every instance. */
#define QUOTA_CHECK_BYTES (G_GUINT64_CONSTANT (16) << 20)

static void
drop_dead_leases (LbStore *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) owners =
    lb_database_prepare (self->db, "SELECT DISTINCT owner FROM leases", NULL);
  g_autoptr (sqlite3_stmt) drop =
    lb_database_prepare (self->db, "DELETE FROM leases WHERE owner = ?1", NULL);
  g_autoptr (GPtrArray) dead = g_ptr_array_new_with_free_func (g_free);

  if (owners == NULL || drop == NULL)
    return;
  while (lb_database_step (self->db, owners, NULL))
    {
      const char *owner = (const char *) sqlite3_column_text (owners, 0);
      if (owner != NULL && !lb_blob_store_owner_is_alive (self->blobs, owner))
        g_ptr_array_add (dead, g_strdup (owner));
    }
  for (guint i = 0; i < dead->len; i++)
    {
      sqlite3_bind_text (drop, 1, g_ptr_array_index (dead, i), -1, SQLITE_STATIC);
      lb_database_run (self->db, drop, NULL);
    }
}

/* Evicts one study if it is still evictable; *@freed gets its bytes (0 when it was not). */
static gboolean
evict_study (LbStore *self, gint64 study_id, guint64 *freed, GError **error)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  *freed = 0;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) check = lb_database_prepare (
      self->db, "SELECT s.bytes, s.study_uid FROM studies s LEFT JOIN study_state st "
                "ON st.study_uid = s.study_uid WHERE s.id = ?1 AND " EVICTABLE, error);
    g_autoptr (sqlite3_stmt) files = lb_database_prepare (
      self->db, "SELECT blob_path FROM instances WHERE study_id = ?1", error);
    g_autoptr (sqlite3_stmt) drop =
      lb_database_prepare (self->db, "DELETE FROM studies WHERE id = ?1", error);
    g_autoptr (GError) local_error = NULL;
    g_autofree char *study_uid = NULL;
    guint64 bytes;

    if (check == NULL || files == NULL || drop == NULL ||
        !lb_database_begin (self->db, LB_DATABASE_NORMAL, error))
      return FALSE;
    sqlite3_bind_int64 (check, 1, study_id);
    if (!lb_database_step (self->db, check, &local_error))
      {
        /* Opened, pinned or reported since the candidates were listed. */
        lb_database_rollback (self->db);
        if (local_error == NULL)
          return TRUE;
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
    bytes = (guint64) sqlite3_column_int64 (check, 0);
    study_uid = lb_database_dup_text (check, 1);

    sqlite3_bind_int64 (files, 1, study_id);
    while (lb_database_step (self->db, files, &local_error))
      g_ptr_array_add (paths, lb_database_dup_text (files, 0));
    if (local_error != NULL || !lb_blob_store_journal_removals (self->blobs, paths, &local_error))
      {
        lb_database_rollback (self->db);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }

    g_autofree char *detail = g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
    sqlite3_bind_int64 (drop, 1, study_id);
    if (!lb_database_run (self->db, drop, error) ||
        !_lb_store_audit (self, study_uid, "evict", detail, error))
      {
        lb_database_rollback (self->db);
        lb_blob_store_settle (self->blobs);
        return FALSE;
      }
    if (!lb_database_commit (self->db, error))
      {
        lb_blob_store_settle (self->blobs);
        return FALSE;
      }
    *freed = bytes;
  }

  /* Readers that opened a file before keep reading it: unlinking does not take it away. */
  for (guint i = 0; i < paths->len; i++)
    lb_blob_store_remove (self->blobs, g_ptr_array_index (paths, i));
  lb_blob_store_settle (self->blobs);
  return TRUE;
}

static gboolean
list_candidates (LbStore *self, GArray *ids, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT s.id FROM studies s LEFT JOIN study_state st "
              "ON st.study_uid = s.study_uid WHERE " EVICTABLE
              " ORDER BY MAX (COALESCE (s.last_opened_at, 0), s.retrieved_at), s.id", error);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    return FALSE;
  while (lb_database_step (self->db, stmt, &local_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_kept (LbStore *self, LbEvictSummary *summary, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db,
    "SELECT COALESCE (SUM (local), 0), COALESCE (SUM (NOT local AND pinned), 0), "
    "COALESCE (SUM (NOT local AND NOT pinned AND in_use), 0), "
    "COALESCE (SUM (NOT local AND NOT pinned AND NOT in_use AND unsent), 0) FROM ("
    "SELECT s.server_id IS NULL AS local, COALESCE (st.pinned, 0) != 0 AS pinned, "
    "EXISTS (SELECT 1 FROM leases l WHERE l.study_uid = s.study_uid) AS in_use, "
    "(EXISTS (SELECT 1 FROM reports r WHERE r.study_uid = s.study_uid AND r.sent_at IS NULL) "
    "OR EXISTS (SELECT 1 FROM outbox o WHERE o.study_uid = s.study_uid AND o.state != 2)) "
    "AS unsent FROM studies s LEFT JOIN study_state st ON st.study_uid = s.study_uid "
    "WHERE s.instance_count > 0)", error);

  if (stmt == NULL || !lb_database_step (self->db, stmt, error))
    return FALSE;
  summary->kept_local = (guint) sqlite3_column_int (stmt, 0);
  summary->kept_pinned = (guint) sqlite3_column_int (stmt, 1);
  summary->kept_in_use = (guint) sqlite3_column_int (stmt, 2);
  summary->kept_unsent = (guint) sqlite3_column_int (stmt, 3);
  return TRUE;
}

/* Evicts until the cache holds at most @target bytes and the disk has @disk_needed bytes
 * free.  Without @wait, gives up at once when a check or another eviction runs. */
static gboolean
evict_until (LbStore *self, guint64 target, guint64 disk_needed, gboolean wait,
             LbEvictSummary *summary, GError **error)
{
  int lock = lb_blob_store_lock_maintenance (self->blobs, wait);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 total = 0;
  gboolean ok = FALSE;

  memset (summary, 0, sizeof *summary);
  if (lock < 0 && wait)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "Cannot lock the cache folder %s for eviction.", self->dir);
      return FALSE;
    }
  if (lock < 0)
    return TRUE;

  drop_dead_leases (self);
  if (!lb_store_get_usage (self, &total, NULL, error) || !list_candidates (self, ids, error))
    goto out;
  for (guint i = 0; i < ids->len; i++)
    {
      guint64 free_bytes = G_MAXUINT64;
      guint64 freed;

      if (disk_needed > 0 && !lb_blob_store_get_space (self->blobs, &free_bytes, NULL, error))
        goto out;
      if (total <= target && free_bytes >= disk_needed)
        break;
      if (!evict_study (self, g_array_index (ids, gint64, i), &freed, error))
        goto out;
      if (freed > 0)
        {
          summary->studies++;
          summary->freed += freed;
          total = total > freed ? total - freed : 0;
        }
    }
  ok = lb_store_get_usage (self, &summary->remaining, NULL, error) &&
       count_kept (self, summary, error);

out:
  lb_blob_store_unlock_maintenance (self->blobs, lock);
  if (summary->studies > 0)
    {
      g_debug ("evicted %u studies, %" G_GUINT64_FORMAT " bytes", summary->studies,
               summary->freed);
      _lb_store_changed (self, LB_STORE_CHANGED_STUDIES);
    }
  return ok;
}

gboolean
_lb_store_make_room (LbStore *self, guint64 needed)
{
  LbEvictSummary summary;
  guint64 quota = lb_store_get_quota (self);
  g_autoptr (GError) error = NULL;

  if (!evict_until (self, quota > needed ? quota - needed : 0,
                    needed + lb_blob_store_get_headroom (self->blobs), FALSE, &summary, &error))
    g_debug ("eviction failed: %s", error->message);
  return summary.freed > 0;
}

gboolean
_lb_store_make_room_urgently (LbStore *self, guint64 needed)
{
  if (_lb_store_make_room (self, needed))
    return TRUE;
  if (!lb_blob_store_release_reserve (self->blobs))
    return FALSE;
  if (_lb_store_make_room (self, needed + lb_blob_store_get_headroom (self->blobs)))
    lb_blob_store_keep_reserve (self->blobs);
  return TRUE;
}

void
_lb_store_enforce_quota (LbStore *self, guint64 added)
{
  guint64 quota = lb_store_get_quota (self);
  guint64 total = 0;
  LbEvictSummary summary;

  g_mutex_lock (&self->lock);
  self->unchecked_bytes += added;
  gboolean check = added == 0 || self->unchecked_bytes >= MIN (quota / 100, QUOTA_CHECK_BYTES);
  if (check)
    self->unchecked_bytes = 0;
  g_mutex_unlock (&self->lock);
  if (!check)
    return;
  if (!lb_store_get_usage (self, &total, NULL, NULL) || total <= quota)
    return;
  evict_until (self, quota, 0, FALSE, &summary, NULL);
}

gboolean
lb_store_evict (LbStore *self, guint64 target, LbEvictSummary *summary, GError **error)
{
  LbEvictSummary local;

  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  return evict_until (self, target, 0, TRUE, summary != NULL ? summary : &local, error);
}

static gpointer
evict_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  LbEvictSummary *summary = g_new0 (LbEvictSummary, 1);

  if (!lb_store_evict (self, *(guint64 *) data, summary, error))
    {
      g_free (summary);
      return NULL;
    }
  return summary;
}

void
lb_store_evict_async (LbStore *self, guint64 target, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));

  _lb_store_run_async (self, evict_job, g_memdup2 (&target, sizeof target), g_free, g_free,
                       lb_store_evict_async, cancellable, callback, user_data);
}

gboolean
lb_store_evict_finish (LbStore *self, GAsyncResult *result, LbEvictSummary *summary,
                       GError **error)
{
  g_autofree LbEvictSummary *found =
    _lb_store_run_finish (self, result, lb_store_evict_async, error);

  if (found == NULL)
    return FALSE;
  if (summary != NULL)
    *summary = *found;
  return TRUE;
}
