/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checking the index against the files, both ways, and repairing what disagrees; the same
 * pass rebuilds an index that had to be started over.  Files that a live process has
 * journaled but perhaps not indexed yet are left alone, so a check may run while the
 * workstation retrieves.
 */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

#include <string.h>

/* Rows written per transaction when many files are indexed at once. */
#define BATCH 256

void
lb_verify_summary_clear (LbVerifySummary *summary)
{
  g_clear_pointer (&summary->findings, g_ptr_array_unref);
  memset (summary, 0, sizeof *summary);
}

gboolean
lb_verify_summary_is_consistent (const LbVerifySummary *summary)
{
  return !summary->index_rebuilt && summary->missing_files == 0 &&
         summary->damaged_files == 0 && summary->unindexed_files == 0 &&
         summary->stray_files == 0 && summary->missing_payloads == 0 &&
         summary->restored_payloads == 0 && summary->counts_fixed == 0;
}

/* A file under blobs/ the index does not know, being indexed in a batch. */
static gboolean
adopt_file (LbStore *self, const char *relative, gint64 origin, GHashTable *indexed_sops,
            gboolean *adopted, GError **error)
{
  g_autofree char *path = lb_blob_store_absolute (self->blobs, relative);
  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (path, NULL);
  guint64 size = 0;

  *adopted = FALSE;
  if (file == NULL || !lb_blob_store_exists (self->blobs, relative, &size))
    return TRUE;

  g_autofree char *study_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_STUDY_INSTANCE_UID);
  g_autofree char *series_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_SERIES_INSTANCE_UID);
  const char *sop_uid = lb_dicom_file_get_sop_instance_uid (file);
  g_autofree char *expected = NULL;

  if (study_uid == NULL || series_uid == NULL || sop_uid == NULL || *sop_uid == '\0')
    return TRUE;
  /* Only the file at the instance's own path: a copy elsewhere is a stray. */
  expected = lb_blob_store_instance_path (study_uid, sop_uid);
  if (strcmp (expected, relative) != 0 ||
      (indexed_sops != NULL && g_hash_table_contains (indexed_sops, sop_uid)))
    return TRUE;
  if (!_lb_store_index_file (self, origin, file, relative, size, g_get_real_time (), error))
    return FALSE;
  *adopted = TRUE;
  return TRUE;
}

static gboolean
row_exists (LbStore *self, const char *sql, const char *relative)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (self->db, sql, NULL);

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, relative, -1, SQLITE_STATIC);
  return lb_database_step (self->db, stmt, NULL);
}

guint
_lb_store_finish_dead_sessions (LbStore *self)
{
  /* Pending first: once taken, a dead session's lock is held here and it would look
   * alive. */
  g_autoptr (GHashTable) pending = lb_blob_store_get_pending (self->blobs, FALSE);
  g_autoptr (GPtrArray) dead = lb_blob_store_take_dead_sessions (self->blobs);
  guint found = 0;

  for (guint s = 0; s < dead->len; s++)
    {
      LbDeadSession *session = g_ptr_array_index (dead, s);
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

      found += session->temporary_files;
      if (!lb_database_begin (self->db, LB_DATABASE_NORMAL, NULL))
        continue;
      for (guint i = 0; i < session->added->len; i++)
        {
          const char *relative = g_ptr_array_index (session->added, i);
          gint64 origin = g_array_index (session->origins, gint64, i);
          gboolean adopted = FALSE;

          if (g_hash_table_contains (pending, relative) ||
              !lb_blob_store_exists (self->blobs, relative, NULL))
            continue;
          if (g_str_has_prefix (relative, "blobs/"))
            {
              if (row_exists (self, "SELECT 1 FROM instances WHERE blob_path = ?1", relative))
                continue;
              found++;
              if (!adopt_file (self, relative, origin, NULL, &adopted, NULL) || !adopted)
                lb_blob_store_remove (self->blobs, relative);
            }
          else if (g_str_has_suffix (relative, ".dcm"))
            {
              if (row_exists (self, "SELECT 1 FROM outbox WHERE payload_path = ?1", relative))
                continue;
              found++;
              _lb_store_restore_payload (self, relative, NULL);
            }
          else
            {
              /* A destination written just before its payload, which never came. */
              g_autofree char *payload = g_strdup (relative);
              strcpy (payload + strlen (payload) - 4, ".dcm");
              if (lb_blob_store_exists (self->blobs, payload, NULL))
                continue;
              found++;
              lb_blob_store_remove (self->blobs, relative);
            }
        }
      for (guint i = 0; i < session->evicted->len; i++)
        {
          const char *relative = g_ptr_array_index (session->evicted, i);

          /* Evicted rows gone: the files follow.  Rows still there: the eviction did not
           * commit, and the files stay. */
          if (g_hash_table_contains (pending, relative) ||
              !lb_blob_store_exists (self->blobs, relative, NULL) ||
              row_exists (self, "SELECT 1 FROM instances WHERE blob_path = ?1", relative))
            continue;
          found++;
          lb_blob_store_remove (self->blobs, relative);
        }

      g_autoptr (sqlite3_stmt) leases =
        lb_database_prepare (self->db, "DELETE FROM leases WHERE owner = ?1", NULL);
      if (leases != NULL)
        {
          sqlite3_bind_text (leases, 1, session->owner, -1, SQLITE_STATIC);
          lb_database_run (self->db, leases, NULL);
        }
      if (lb_database_commit (self->db, NULL))
        lb_blob_store_remove_session (self->blobs, session);
    }
  if (found > 0)
    {
      g_debug ("finished %u writes of processes that ended abruptly", found);
      _lb_store_changed (self, LB_STORE_CHANGED_STUDIES | LB_STORE_CHANGED_OUTBOX);
    }
  return found;
}

typedef struct
{
  gint64 id;
  char *relative;
  gboolean damaged;
} BadRow;

static void
bad_row_clear (BadRow *row)
{
  g_free (row->relative);
}

/* Index rows whose file is gone or has another size.  Rows are read once; each suspect is
 * looked at again inside the transaction that removes it, since an eviction or a new copy
 * may have changed it since (rows go before their files; files come before their rows). */
static gboolean
check_rows (LbStore *self, LbVerifySummary *summary, GError **error)
{
  g_autoptr (GArray) bad = g_array_new (FALSE, FALSE, sizeof (BadRow));
  g_autoptr (GArray) damaged = g_array_new (FALSE, FALSE, sizeof (char *));
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

  g_array_set_clear_func (bad, (GDestroyNotify) bad_row_clear);
  {
    g_autoptr (sqlite3_stmt) stmt =
      lb_database_prepare (self->db, "SELECT id, blob_path, size FROM instances", error);
    g_autoptr (GError) local_error = NULL;

    if (stmt == NULL)
      return FALSE;
    while (lb_database_step (self->db, stmt, &local_error))
      {
        const char *relative = (const char *) sqlite3_column_text (stmt, 1);
        guint64 size = 0;
        gboolean present = lb_blob_store_exists (self->blobs, relative, &size);

        if (present && size == (guint64) sqlite3_column_int64 (stmt, 2))
          continue;

        BadRow row = { sqlite3_column_int64 (stmt, 0), g_strdup (relative), present };
        g_array_append_val (bad, row);
      }
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  }
  if (bad->len == 0)
    return TRUE;

  g_autoptr (sqlite3_stmt) again = lb_database_prepare (
    self->db, "SELECT size FROM instances WHERE id = ?1 AND blob_path = ?2", error);
  g_autoptr (sqlite3_stmt) drop = lb_database_prepare (
    self->db, "DELETE FROM instances WHERE id = ?1", error);
  if (again == NULL || drop == NULL || !lb_database_begin (self->db, LB_DATABASE_NORMAL, error))
    return FALSE;
  for (guint i = 0; i < bad->len; i++)
    {
      BadRow *row = &g_array_index (bad, BadRow, i);
      g_autoptr (GError) local_error = NULL;
      guint64 size = 0;
      gboolean present;

      sqlite3_bind_int64 (again, 1, row->id);
      sqlite3_bind_text (again, 2, row->relative, -1, SQLITE_STATIC);
      if (!lb_database_step (self->db, again, &local_error))
        {
          sqlite3_reset (again);
          if (local_error == NULL)
            continue;
          lb_database_rollback (self->db);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      present = lb_blob_store_exists (self->blobs, row->relative, &size);
      if (present && size == (guint64) sqlite3_column_int64 (again, 0))
        {
          sqlite3_reset (again);
          continue;
        }
      sqlite3_reset (again);

      sqlite3_bind_int64 (drop, 1, row->id);
      if (!lb_database_run (self->db, drop, error))
        {
          lb_database_rollback (self->db);
          return FALSE;
        }
      if (present)
        {
          summary->damaged_files++;
          g_array_append_val (damaged, row->relative);
        }
      else
        summary->missing_files++;
    }
  if (!lb_database_commit (self->db, error))
    return FALSE;
  /* A file of the wrong size is a cut-off copy: the next retrieval fetches it whole. */
  for (guint i = 0; i < damaged->len; i++)
    lb_blob_store_remove (self->blobs, g_array_index (damaged, char *, i));
  return TRUE;
}

/* Needs the database lock.  What the index holds now: paths and SOP Instance UIDs. */
static gboolean
read_index (LbStore *self, GHashTable *paths, GHashTable *sops, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
    lb_database_prepare (self->db, "SELECT blob_path, sop_instance_uid FROM instances", error);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    return FALSE;
  while (lb_database_step (self->db, stmt, &local_error))
    {
      g_hash_table_add (paths, lb_database_dup_text (stmt, 0));
      g_hash_table_add (sops, lb_database_dup_text (stmt, 1));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Files under blobs/ the index does not know: indexed when they are instances at their
 * own path, deleted otherwise.  The order matters with writers running: the files are
 * listed, then the live journals read, then the index.  A writer journals a file before
 * renaming it and forgets it only after indexing it, so each listed file is then either
 * in a live journal or in the index, unless it really is a stray. */
static gboolean
check_files (LbStore *self, LbVerifySummary *summary, GError **error)
{
  g_autoptr (GPtrArray) files = lb_blob_store_list (self->blobs, "blobs");
  g_autoptr (GHashTable) pending = lb_blob_store_get_pending (self->blobs, TRUE);
  g_autoptr (GHashTable) indexed_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                NULL);
  g_autoptr (GHashTable) indexed_sops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  guint in_batch = 0;

  if (!read_index (self, indexed_paths, indexed_sops, error))
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      const char *relative = g_ptr_array_index (files, i);
      gboolean adopted = FALSE;

      /* Gone since the listing: an eviction finished it. */
      if (g_hash_table_contains (indexed_paths, relative) ||
          g_hash_table_contains (pending, relative) ||
          !lb_blob_store_exists (self->blobs, relative, NULL))
        continue;
      if (in_batch == 0 && !lb_database_begin (self->db, LB_DATABASE_NORMAL, error))
        return FALSE;
      in_batch++;
      if (!adopt_file (self, relative, 0, indexed_sops, &adopted, error))
        {
          lb_database_rollback (self->db);
          return FALSE;
        }
      g_debug ("%s: %s", relative, adopted ? "indexed again" : "deleted");
      if (adopted)
        summary->unindexed_files++;
      else
        {
          summary->stray_files++;
          lb_blob_store_remove (self->blobs, relative);
        }
      if (in_batch == BATCH)
        {
          in_batch = 0;
          if (!lb_database_commit (self->db, error))
            return FALSE;
        }
    }
  return in_batch == 0 || lb_database_commit (self->db, error);
}

/* The outbox's files and rows, in the same order as check_files(). */
static gboolean
check_outbox (LbStore *self, LbVerifySummary *summary, GError **error)
{
  g_autoptr (GPtrArray) files = lb_blob_store_list (self->blobs, "outbox");
  g_autoptr (GHashTable) pending = lb_blob_store_get_pending (self->blobs, TRUE);
  g_autoptr (GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) lost = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (GError) local_error = NULL;

  {
    g_autoptr (sqlite3_stmt) stmt =
      lb_database_prepare (self->db, "SELECT id, payload_path, state FROM outbox", error);
    if (stmt == NULL)
      return FALSE;
    while (lb_database_step (self->db, stmt, &local_error))
      {
        const char *relative = (const char *) sqlite3_column_text (stmt, 1);
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_hash_table_add (known, g_strdup (relative));
        /* Sent payloads are deleted on purpose. */
        if (sqlite3_column_int (stmt, 2) != LB_OUTBOX_STATE_SENT &&
            !lb_blob_store_exists (self->blobs, relative, NULL) &&
            !g_hash_table_contains (pending, relative))
          g_array_append_val (lost, id);
      }
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  }

  if (lost->len > 0)
    {
      /* Sent meanwhile (its payload deleted after the row said so): not lost. */
      g_autoptr (sqlite3_stmt) mark = lb_database_prepare (
        self->db, "UPDATE outbox SET state = 3, last_error = 'The payload file is missing "
                  "from the cache folder, so it cannot be sent.' "
                  "WHERE id = ?1 AND state NOT IN (2, 3)", error);
      if (mark == NULL || !lb_database_begin (self->db, LB_DATABASE_DURABLE, error))
        return FALSE;
      for (guint i = 0; i < lost->len; i++)
        {
          sqlite3_bind_int64 (mark, 1, g_array_index (lost, gint64, i));
          if (!lb_database_run (self->db, mark, error))
            {
              lb_database_rollback (self->db);
              return FALSE;
            }
          summary->missing_payloads += (guint) lb_database_changes (self->db);
        }
      if (!lb_database_commit (self->db, error))
        return FALSE;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *relative = g_ptr_array_index (files, i);

      if (g_hash_table_contains (known, relative) || g_hash_table_contains (pending, relative) ||
          !lb_blob_store_exists (self->blobs, relative, NULL))
        continue;
      if (g_str_has_suffix (relative, ".url"))
        {
          g_autofree char *payload = g_strdup (relative);
          strcpy (payload + strlen (payload) - 4, ".dcm");
          if (lb_blob_store_exists (self->blobs, payload, NULL))
            continue;
          summary->stray_files++;
          lb_blob_store_remove (self->blobs, relative);
          continue;
        }
      if (!_lb_store_restore_payload (self, relative, &local_error))
        {
          g_debug ("cannot queue %s again: %s", relative, local_error->message);
          g_clear_error (&local_error);
          continue;
        }
      summary->restored_payloads++;
    }
  return TRUE;
}

/* Totals kept by triggers, recomputed from the rows. */
static gboolean
fix_counts (LbStore *self, LbVerifySummary *summary, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db,
    "UPDATE studies SET instance_count = c.n, bytes = c.b, series_count = c.s FROM "
    "(SELECT s.id AS id, (SELECT COUNT (*) FROM instances i WHERE i.study_id = s.id) AS n, "
    "(SELECT COALESCE (SUM (size), 0) FROM instances i WHERE i.study_id = s.id) AS b, "
    "(SELECT COUNT (*) FROM series se WHERE se.study_id = s.id) AS s FROM studies s) AS c "
    "WHERE studies.id = c.id AND (studies.instance_count != c.n OR studies.bytes != c.b "
    "OR studies.series_count != c.s)", error);

  if (stmt == NULL || !lb_database_run (self->db, stmt, error))
    return FALSE;
  summary->counts_fixed = (guint) lb_database_changes (self->db);
  return TRUE;
}

/* @one is the sentence for a single fault; @many, a literal, has a %u for their number. */
#define add_finding(summary, n, one, many)                                               \
  G_STMT_START                                                                           \
  {                                                                                      \
    if ((n) == 1)                                                                        \
      g_ptr_array_add ((summary)->findings, g_strdup (one));                             \
    else if ((n) > 1)                                                                    \
      g_ptr_array_add ((summary)->findings, g_strdup_printf (many, (guint) (n)));        \
  }                                                                                      \
  G_STMT_END

static void
describe (LbVerifySummary *summary)
{
  summary->findings = g_ptr_array_new_with_free_func (g_free);
  add_finding (summary, summary->index_rebuilt ? 1 : 0,
               "The index was damaged: it was set aside and rebuilt from the files.", "%u");
  add_finding (summary, summary->missing_files,
               "An indexed instance had no file: it was removed from the index (a retrieval "
               "fetches it again).",
               "%u indexed instances had no file: they were removed from the index (a "
               "retrieval fetches them again).");
  add_finding (summary, summary->damaged_files,
               "An instance file had another size than indexed: it was deleted.",
               "%u instance files had another size than indexed: they were deleted.");
  add_finding (summary, summary->unindexed_files,
               "An instance file was not in the index: it was indexed.",
               "%u instance files were not in the index: they were indexed.");
  add_finding (summary, summary->stray_files,
               "A file in the cache folder was neither an instance nor a payload: it was "
               "deleted.",
               "%u files in the cache folder were neither instances nor payloads: they were "
               "deleted.");
  add_finding (summary, summary->missing_payloads,
               "An outbox item had lost its payload file: it was marked failed.",
               "%u outbox items had lost their payload file: they were marked failed.");
  add_finding (summary, summary->restored_payloads,
               "An outbox payload was not in the index: it was queued again.",
               "%u outbox payloads were not in the index: they were queued again.");
  add_finding (summary, summary->counts_fixed,
               "A study had wrong totals: it was recounted.",
               "%u studies had wrong totals: they were recounted.");
}

/* The two-way check; the caller holds the maintenance lock. */
static gboolean
check_all (LbStore *self, LbVerifySummary *summary, GError **error)
{
  return check_rows (self, summary, error) && check_files (self, summary, error) &&
         check_outbox (self, summary, error) && fix_counts (self, summary, error);
}

gboolean
_lb_store_rebuild_from_files (LbStore *self, GError **error)
{
  g_auto (LbVerifySummary) summary = { 0 };

  return check_all (self, &summary, error);
}

gboolean
lb_store_verify (LbStore *self, LbVerifySummary *summary, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);
  int lock = lb_blob_store_lock_maintenance (self->blobs, TRUE);
  if (lock < 0)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "Cannot lock the cache folder %s for checking.", self->dir);
      return FALSE;
    }

  gboolean ok = FALSE;
  gboolean healthy = FALSE;
  g_autofree char *problem = NULL;

  summary->index_rebuilt = self->recovered;
  summary->interrupted_writes = _lb_store_finish_dead_sessions (self);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

    /* The full check reads every page; opening ran only the quick one. */
    if (!lb_database_check (self->db, FALSE, &healthy, &problem, error))
      goto out;
    if (!healthy)
      {
        /* What quick_check misses is mostly an index out of step with its table. */
        g_debug ("the cache index failed its full integrity check (%s); reindexing",
                   problem);
        if (!lb_database_exec (self->db, "REINDEX", error) ||
            !lb_database_check (self->db, FALSE, &healthy, NULL, error))
          goto out;
        if (!healthy)
          {
            g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_CORRUPT,
                         "The cache index %s is damaged beyond repair in place: quit "
                         "Lightbox, move the file away and open the cache again to rebuild "
                         "it.", lb_database_get_path (self->db));
            goto out;
          }
        summary->index_rebuilt = TRUE;
      }
  }
  ok = check_all (self, summary, error);
  /* Processes that died while the check ran left work it stepped around: finish it. */
  if (ok)
    summary->interrupted_writes += _lb_store_finish_dead_sessions (self);

out:
  lb_blob_store_unlock_maintenance (self->blobs, lock);
  describe (summary);
  if (ok && !lb_verify_summary_is_consistent (summary))
    _lb_store_changed (self, LB_STORE_CHANGED_STUDIES | LB_STORE_CHANGED_OUTBOX);
  return ok;
}

static void
summary_free (LbVerifySummary *summary)
{
  lb_verify_summary_clear (summary);
  g_free (summary);
}

static gpointer
verify_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  LbVerifySummary *summary = g_new0 (LbVerifySummary, 1);

  if (!lb_store_verify (self, summary, error))
    {
      summary_free (summary);
      return NULL;
    }
  return summary;
}

void
lb_store_verify_async (LbStore *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));

  _lb_store_run_async (self, verify_job, NULL, NULL, (GDestroyNotify) summary_free,
                       lb_store_verify_async, cancellable, callback, user_data);
}

gboolean
lb_store_verify_finish (LbStore *self, GAsyncResult *result, LbVerifySummary *summary,
                        GError **error)
{
  LbVerifySummary *found = _lb_store_run_finish (self, result, lb_store_verify_async, error);

  if (found == NULL)
    return FALSE;
  if (summary != NULL)
    {
      *summary = *found;
      g_free (found);
    }
  else
    summary_free (found);
  return TRUE;
}
