/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lb-cached-instance-private.h"
#include "lb-schema-private.h"
#include "lb-worklist-entry-private.h"

#define INDEX_NAME "index.sqlite"

G_DEFINE_FINAL_TYPE (LbStore, lb_store, G_TYPE_OBJECT)

enum {
  SIGNAL_STUDIES_CHANGED,
  SIGNAL_OUTBOX_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
lb_store_finalize (GObject *object)
{
  LbStore *self = LB_STORE (object);

  g_clear_pointer (&self->db, lb_database_free);
  g_clear_pointer (&self->blobs, lb_blob_store_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->leases, g_hash_table_unref);
  g_clear_pointer (&self->server_ids, g_hash_table_unref);
  g_mutex_clear (&self->lock);
  g_free (self->dir);
  G_OBJECT_CLASS (lb_store_parent_class)->finalize (object);
}

static void
lb_store_class_init (LbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_store_finalize;

  signals[SIGNAL_STUDIES_CHANGED] =
    g_signal_new ("studies-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
lb_store_init (LbStore *self)
{
  g_mutex_init (&self->lock);
  self->quota = LB_STORE_DEFAULT_QUOTA;
  self->leases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->server_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- signals from any thread ----------------------------------------------------- */

static gboolean
emit_changes (gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (LbStore) self = g_weak_ref_get (ref);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  guint changes = (guint) g_atomic_int_and (&self->pending_signals, 0);
  if (changes & LB_STORE_CHANGED_STUDIES)
    g_signal_emit (self, signals[SIGNAL_STUDIES_CHANGED], 0);
  if (changes & LB_STORE_CHANGED_OUTBOX)
    g_signal_emit (self, signals[SIGNAL_OUTBOX_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

void
_lb_store_changed (LbStore *self, LbStoreChanges changes)
{
  if (g_atomic_int_or (&self->pending_signals, changes) != 0)
    return;

  /* An idle source rather than g_main_context_invoke(): that could run the handlers on
   * this (worker) thread when nobody iterates the context.  A weak reference, so that a
   * context nobody iterates (a CLI command) does not keep the store alive. */
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  g_autoptr (GSource) source = g_idle_source_new ();

  g_weak_ref_init (ref, self);
  g_source_set_callback (source, emit_changes, ref, free_weak_ref);
  g_source_set_static_name (source, "[lb-store] changed");
  g_source_attach (source, self->context);
}

/* ---- jobs on worker threads ------------------------------------------------------ */

typedef struct
{
  LbStoreJob job;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} JobCall;

static void
job_call_free (JobCall *call)
{
  if (call->data_free != NULL)
    call->data_free (call->data);
  g_free (call);
}

static void
run_job (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  JobCall *call = task_data;
  GError *error = NULL;
  gpointer result = call->job (source, call->data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, call->result_free);
}

void
_lb_store_run_async (LbStore *self, LbStoreJob job, gpointer data, GDestroyNotify data_free,
                     GDestroyNotify result_free, gpointer source_tag, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  JobCall *call = g_new0 (JobCall, 1);

  call->job = job;
  call->data = data;
  call->data_free = data_free;
  call->result_free = result_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) job_call_free);
  g_task_run_in_thread (task, run_job);
}

gpointer
_lb_store_run_finish (LbStore *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- opening --------------------------------------------------------------------- */

char *
lb_store_get_default_dir (void)
{
  const char *dir = g_getenv ("LB_CACHE_DIR");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_user_cache_dir (), "lightbox", NULL);
}

static gboolean
load_quota (LbStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt =
    lb_database_prepare (self->db, "SELECT value FROM settings WHERE key = 'quota-bytes'", error);
  guint64 quota;

  if (stmt == NULL)
    return FALSE;
  if (lb_database_step (self->db, stmt, error) &&
      g_ascii_string_to_unsigned ((const char *) sqlite3_column_text (stmt, 0), 10, 1,
                                  G_MAXUINT64, &quota, NULL))
    self->quota = quota;
  return error == NULL || *error == NULL;
}

/* Keeps the damaged index (and its WAL, which may hold the latest reports) for an admin
 * to recover by hand, under a name no later open will use. */
static char *
set_damaged_index_aside (const char *dir, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *index = g_build_filename (dir, INDEX_NAME, NULL);
  g_autofree char *aside = NULL;

  for (guint n = 0; aside == NULL || g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = n == 0 ? g_strdup_printf ("%s/index-damaged-%s.sqlite", dir, stamp)
                     : g_strdup_printf ("%s/index-damaged-%s-%u.sqlite", dir, stamp, n);
    }
  if (g_rename (index, aside) != 0)
    {
      int saved = errno;
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "The damaged cache index %s cannot be set aside (%s).", index,
                   g_strerror (saved));
      return NULL;
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i == 0 ? "-wal" : "-shm";
      g_autofree char *from = g_strconcat (index, suffix, NULL);
      g_autofree char *to = g_strconcat (aside, suffix, NULL);
      g_rename (from, to);
    }
  return g_steal_pointer (&aside);
}

/* Copies what can still be read from the damaged index, table by table and row by row,
 * stopping at the first damaged page of each table. */
static void
salvage (LbDatabase *db, const char *damaged)
{
  static const char *const tables[] = {
    "settings", "servers", "studies", "series", "instances", "study_state", "reports",
    "outbox", "audit",
  };
  g_autoptr (sqlite3_stmt) attach = lb_database_prepare (db, "ATTACH ?1 AS damaged", NULL);

  if (attach == NULL)
    return;
  sqlite3_bind_text (attach, 1, damaged, -1, SQLITE_TRANSIENT);
  if (!lb_database_run (db, attach, NULL))
    return;
  /* Rows keep their ids; rows pointing at rows that were lost stay readable. */
  lb_database_exec (db, "PRAGMA foreign_keys=OFF", NULL);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *select = g_strdup_printf ("SELECT * FROM damaged.%s", tables[t]);
      g_autoptr (sqlite3_stmt) rows = lb_database_prepare (db, select, NULL);
      g_autoptr (sqlite3_stmt) insert = NULL;
      guint copied = 0;

      if (rows == NULL || !lb_database_begin (db, LB_DATABASE_DURABLE, NULL))
        continue;
      while (lb_database_step (db, rows, NULL))
        {
          int columns = sqlite3_column_count (rows);

          if (insert == NULL)
            {
              g_autoptr (GString) sql = g_string_new (NULL);
              g_string_printf (sql, "INSERT OR IGNORE INTO main.%s VALUES (", tables[t]);
              for (int c = 0; c < columns; c++)
                g_string_append (sql, c == 0 ? "?" : ", ?");
              g_string_append (sql, ")");
              insert = lb_database_prepare (db, sql->str, NULL);
              if (insert == NULL)
                break;
            }
          for (int c = 0; c < columns; c++)
            sqlite3_bind_value (insert, c + 1, sqlite3_column_value (rows, c));
          if (lb_database_run (db, insert, NULL))
            copied++;
        }
      if (!lb_database_commit (db, NULL))
        copied = 0;
      g_debug ("salvaged %u rows of %s", copied, tables[t]);
    }
  lb_database_exec (db, "PRAGMA foreign_keys=ON", NULL);
  lb_database_exec (db, "DETACH damaged", NULL);
}

/* Opens the index, or sets a damaged one aside and starts a new one from what can be
 * salvaged; *@damaged then names the old file. */
static LbDatabase *
open_index (const char *dir, char **damaged, GError **error)
{
  g_autofree char *path = g_build_filename (dir, INDEX_NAME, NULL);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (LbDatabase) db = lb_database_open (path, &local_error);
  g_autofree char *problem = NULL;
  gboolean ok = FALSE;

  if (db != NULL && lb_database_check (db, TRUE, &ok, &problem, &local_error) && ok)
    {
      if (!_lb_schema_migrate (db, error))
        return NULL;
      return g_steal_pointer (&db);
    }
  if (local_error != NULL && !g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_debug ("the cache index failed its integrity check (%s); rebuilding it",
             problem != NULL ? problem : local_error->message);
  g_clear_pointer (&db, lb_database_free);
  *damaged = set_damaged_index_aside (dir, error);
  if (*damaged == NULL)
    return NULL;
  db = lb_database_open (path, error);
  if (db == NULL || !_lb_schema_migrate (db, error))
    return NULL;
  salvage (db, *damaged);
  return g_steal_pointer (&db);
}

LbStore *
lb_store_open (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);

  g_autoptr (LbStore) self = g_object_new (LB_TYPE_STORE, NULL);
  g_autofree char *damaged = NULL;

  self->context = g_main_context_ref_thread_default ();
  self->blobs = lb_blob_store_new (dir, error);
  if (self->blobs == NULL)
    return NULL;
  self->dir = g_strdup (lb_blob_store_get_root (self->blobs));

  g_autoptr (GError) local_error = NULL;
  gboolean reserve_spent = FALSE;
  self->db = open_index (self->dir, &damaged, &local_error);
  /* The index needs its WAL and shared-memory files even to be read. */
  if (self->db == NULL &&
      g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL) &&
      lb_blob_store_release_reserve (self->blobs))
    {
      g_clear_error (&local_error);
      reserve_spent = TRUE;
      self->db = open_index (self->dir, &damaged, &local_error);
    }
  if (self->db == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (damaged != NULL)
    {
      self->recovered = TRUE;
      if (!_lb_store_rebuild_from_files (self, error))
        return NULL;
      _lb_store_audit (self, NULL, "index-rebuilt", NULL, NULL);
    }
  if (!load_quota (self, error))
    return NULL;
  _lb_store_finish_dead_sessions (self);
  /* Open again: win the reserve back from cached images, if any may go. */
  if (reserve_spent)
    _lb_store_make_room (self, lb_blob_store_get_headroom (self->blobs) + (2 << 20));
  lb_blob_store_keep_reserve (self->blobs);
  return g_steal_pointer (&self);
}

static void
open_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  LbStore *store = lb_store_open (task_data, &error);

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Signals go to the caller's context, not to this worker thread's. */
  g_main_context_unref (store->context);
  store->context = g_main_context_ref (g_task_get_context (task));
  g_task_return_pointer (task, store, g_object_unref);
}

void
lb_store_open_async (const char *dir, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_return_if_fail (dir != NULL);

  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_store_open_async);
  g_task_set_task_data (task, g_strdup (dir), g_free);
  g_task_run_in_thread (task, open_in_thread);
}

LbStore *
lb_store_open_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
lb_store_get_dir (LbStore *self)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  return self->dir;
}

gboolean
lb_store_get_recovered (LbStore *self)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  return self->recovered;
}

guint64
lb_store_get_quota (LbStore *self)
{
  g_return_val_if_fail (LB_IS_STORE (self), 0);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return self->quota;
}

gboolean
lb_store_set_quota (LbStore *self, guint64 quota, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (quota > 0, FALSE);

  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, quota);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
      self->db, "INSERT INTO settings (key, value) VALUES ('quota-bytes', ?1) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
    if (!lb_database_run (self->db, stmt, error))
      return FALSE;
  }
  g_mutex_lock (&self->lock);
  self->quota = quota;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

gboolean
lb_store_get_usage (LbStore *self, guint64 *bytes, guint *studies, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT COALESCE (SUM (bytes), 0), COUNT (*) FROM studies WHERE instance_count > 0",
    error);

  if (stmt == NULL || !lb_database_step (self->db, stmt, error))
    return FALSE;
  if (bytes != NULL)
    *bytes = (guint64) sqlite3_column_int64 (stmt, 0);
  if (studies != NULL)
    *studies = (guint) sqlite3_column_int (stmt, 1);
  return TRUE;
}

/* ---- servers, audit, leases ------------------------------------------------------ */

gint64
_lb_store_server_id (LbStore *self, const char *url, GError **error)
{
  if (url == NULL)
    return 0;

  g_mutex_lock (&self->lock);
  gint64 id = GPOINTER_TO_SIZE (g_hash_table_lookup (self->server_ids, url));
  g_mutex_unlock (&self->lock);
  if (id != 0)
    return id;

  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "INSERT INTO servers (url, added_at) VALUES (?1, ?2) "
              "ON CONFLICT (url) DO UPDATE SET url = excluded.url RETURNING id", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (!lb_database_step (self->db, stmt, error))
    return -1;
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->server_ids, g_strdup (url), GSIZE_TO_POINTER ((gsize) id));
  g_mutex_unlock (&self->lock);
  return id;
}

/* Needs the database lock. */
gboolean
_lb_store_audit (LbStore *self, const char *study_uid, const char *action, const char *detail,
                 GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "INSERT INTO audit (at, who, study_uid, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  sqlite3_bind_text (stmt, 2, g_get_user_name (), -1, SQLITE_TRANSIENT);
  lb_database_bind_text (stmt, 3, study_uid);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_TRANSIENT);
  lb_database_bind_text (stmt, 5, detail);
  return lb_database_run (self->db, stmt, error);
}

gboolean
lb_store_add_audit_event (LbStore *self, const char *study_uid, const char *action,
                          const char *detail, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  return _lb_store_audit (self, study_uid, action, detail, error);
}

/* Lock order: the database's mutex, then self->lock (held briefly, never around SQL). */
static guint
lease_count (LbStore *self, const char *study_uid)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->leases, study_uid));
}

static void
set_lease_count (LbStore *self, const char *study_uid, guint count)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (count == 0)
    g_hash_table_remove (self->leases, study_uid);
  else
    g_hash_table_insert (self->leases, g_strdup (study_uid), GUINT_TO_POINTER (count));
}

gboolean
_lb_store_lease (LbStore *self, const char *study_uid, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  guint count = lease_count (self, study_uid);

  if (count == 0)
    {
      g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
        self->db, "INSERT OR REPLACE INTO leases (study_uid, owner, since) VALUES (?1, ?2, ?3)",
        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, study_uid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, lb_blob_store_get_owner (self->blobs), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      if (!lb_database_run (self->db, stmt, error))
        return FALSE;
    }
  set_lease_count (self, study_uid, count + 1);
  return TRUE;
}

void
_lb_store_release (LbStore *self, const char *study_uid)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  guint count = lease_count (self, study_uid);

  if (count == 0)
    return;
  set_lease_count (self, study_uid, count - 1);
  if (count > 1)
    return;

  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "DELETE FROM leases WHERE study_uid = ?1 AND owner = ?2", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, study_uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lb_blob_store_get_owner (self->blobs), -1, SQLITE_STATIC);
  /* A lease left behind ends with this process: its session lock is what counts. */
  lb_database_run (self->db, stmt, NULL);
}

/* ---- studies --------------------------------------------------------------------- */

/* The columns entry_from_row() reads, in order: the study's strings first, in
 * LbStudyString order. */
#define STUDY_COLUMNS                                                                    \
  "s.study_uid, s.patient_name, s.patient_id, s.patient_birth_date, s.patient_sex, "      \
  "s.study_date, s.study_time, s.accession_number, s.study_description, "                \
  "s.referring_physician_name, s.study_id, s.priority, s.modalities, s.series_count, "   \
  "s.instance_count, s.bytes, s.expected_instances, s.server_id IS NULL, "               \
  "s.retrieved_at, s.last_opened_at, COALESCE (st.reading_state, 0), "                   \
  "COALESCE (st.pinned, 0), COALESCE (u.unsent, 0)"
/* Unsent reports are few: counted once, not looked up for each of thousands of rows. */
#define STUDY_FROM                                                                       \
  " FROM studies s LEFT JOIN study_state st ON st.study_uid = s.study_uid"                \
  " LEFT JOIN (SELECT study_uid, COUNT (*) AS unsent FROM reports WHERE sent_at IS NULL"  \
  " GROUP BY study_uid) u ON u.study_uid = s.study_uid"

enum {
  COLUMN_MODALITIES = LB_STUDY_N_STRINGS,
  COLUMN_SERIES_COUNT,
  COLUMN_INSTANCE_COUNT,
  COLUMN_BYTES,
  COLUMN_EXPECTED,
  COLUMN_LOCAL,
  COLUMN_RETRIEVED_AT,
  COLUMN_LAST_OPENED_AT,
  COLUMN_READING_STATE,
  COLUMN_PINNED,
  COLUMN_UNSENT,
};

/* Modalities are stored as "\CT\SR\". */
static char **
split_modalities (const char *stored)
{
  g_auto (GStrv) parts = g_strsplit (stored != NULL ? stored : "", "\\", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static void
read_facts (sqlite3_stmt *stmt, LbEntryFields *fields)
{
  fields->cached_instances = (guint) sqlite3_column_int (stmt, COLUMN_INSTANCE_COUNT);
  fields->bytes = (guint64) sqlite3_column_int64 (stmt, COLUMN_BYTES);
  fields->expected_instances = sqlite3_column_type (stmt, COLUMN_EXPECTED) == SQLITE_NULL
                                 ? -1 : sqlite3_column_int (stmt, COLUMN_EXPECTED);
  fields->local = sqlite3_column_int (stmt, COLUMN_LOCAL) != 0;
  fields->retrieved_at = sqlite3_column_int64 (stmt, COLUMN_RETRIEVED_AT);
  fields->last_opened_at = sqlite3_column_int64 (stmt, COLUMN_LAST_OPENED_AT);
  fields->reading_state = (LbReadingState) CLAMP (sqlite3_column_int (stmt, COLUMN_READING_STATE),
                                                  LB_READING_STATE_UNREAD, LB_READING_STATE_FINAL);
  fields->pinned = sqlite3_column_int (stmt, COLUMN_PINNED) != 0;
  fields->unsent_reports = (guint) sqlite3_column_int (stmt, COLUMN_UNSENT);
}

static LbWorklistEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  LbEntryFields fields = { 0 };
  const char *strings[LB_STUDY_N_STRINGS];
  g_auto (GStrv) modalities =
    split_modalities ((const char *) sqlite3_column_text (stmt, COLUMN_MODALITIES));

  for (guint i = 0; i < LB_STUDY_N_STRINGS; i++)
    strings[i] = (const char *) sqlite3_column_text (stmt, (int) i);
  g_autoptr (LbStudy) study = lb_study_new (strings, (const char *const *) modalities,
                                            sqlite3_column_int (stmt, COLUMN_SERIES_COUNT),
                                            sqlite3_column_int (stmt, COLUMN_INSTANCE_COUNT));
  read_facts (stmt, &fields);
  return _lb_worklist_entry_new (study, &fields);
}

/* A WHERE clause under construction, with its parameters in order. */
typedef struct
{
  GString *sql;
  GPtrArray *params;
} Filter;

static void
filter_add (Filter *filter, const char *clause, const char *param)
{
  g_string_append_printf (filter->sql, " AND (%s)", clause);
  if (param != NULL)
    g_ptr_array_add (filter->params, g_strdup (param));
}

static const char *
query_value (LbQidoQuery *query, const char *keyword, const char *tag)
{
  const char *value = lb_qido_query_get (query, keyword);

  if (value == NULL)
    value = lb_qido_query_get (query, tag);
  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
has_wildcards (const char *value)
{
  return strpbrk (value, "*?") != NULL;
}

/* DICOM wildcards (* and ?) as a LIKE pattern, escaping LIKE's own with '\'. */
static char *
to_like (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '*')
        g_string_append_c (out, '%');
      else if (*p == '?')
        g_string_append_c (out, '_');
      else
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* The same as a GLOB pattern (case-sensitive, as DICOM matches all but names). */
static char *
to_glob (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '[')
        g_string_append (out, "[[]");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
filter_string (Filter *filter, const char *column, const char *value, gboolean person_name)
{
  g_autofree char *clause = NULL;

  if (person_name)
    {
      g_autofree char *pattern = to_like (value);
      clause = g_strdup_printf ("%s LIKE ? ESCAPE '\\'", column);
      filter_add (filter, clause, pattern);
    }
  else if (has_wildcards (value))
    {
      g_autofree char *pattern = to_glob (value);
      clause = g_strdup_printf ("%s GLOB ?", column);
      filter_add (filter, clause, pattern);
    }
  else
    {
      clause = g_strdup_printf ("%s = ?", column);
      filter_add (filter, clause, value);
    }
}

static void
filter_date (Filter *filter, const char *value)
{
  const char *dash = strchr (value, '-');

  if (dash == NULL)
    {
      filter_add (filter, "s.study_date = ?", value);
      return;
    }

  g_autofree char *from = g_strndup (value, dash - value);
  if (*from != '\0')
    filter_add (filter, "s.study_date >= ?", from);
  if (dash[1] != '\0')
    filter_add (filter, "s.study_date <= ?", dash + 1);
}

static void
filter_modalities (Filter *filter, const char *value)
{
  g_auto (GStrv) wanted = g_strsplit_set (value, "\\,", -1);
  g_autoptr (GString) clause = g_string_new (NULL);

  for (guint i = 0; wanted[i] != NULL; i++)
    {
      g_strstrip (wanted[i]);
      if (*wanted[i] == '\0')
        continue;
      g_string_append_printf (clause, "%sinstr (s.modalities, '\\' || ? || '\\') > 0",
                              clause->len > 0 ? " OR " : "");
      g_ptr_array_add (filter->params, g_strdup (wanted[i]));
    }
  if (clause->len > 0)
    filter_add (filter, clause->str, NULL);
}

static void
build_filter (Filter *filter, LbQidoQuery *query)
{
  const char *value;

  if (query == NULL)
    return;
  if ((value = query_value (query, "PatientName", "00100010")) != NULL)
    filter_string (filter, "s.patient_name", value, TRUE);
  if ((value = query_value (query, "PatientID", "00100020")) != NULL)
    filter_string (filter, "s.patient_id", value, FALSE);
  if ((value = query_value (query, "AccessionNumber", "00080050")) != NULL)
    filter_string (filter, "s.accession_number", value, FALSE);
  if ((value = query_value (query, "StudyDescription", "00081030")) != NULL)
    filter_string (filter, "s.study_description", value, FALSE);
  if ((value = query_value (query, "StudyDate", "00080020")) != NULL)
    filter_date (filter, value);
  if ((value = query_value (query, "ModalitiesInStudy", "00080061")) != NULL)
    filter_modalities (filter, value);
  if ((value = query_value (query, "StudyInstanceUID", "0020000D")) != NULL)
    filter_add (filter, "instr (',' || ? || ',', ',' || s.study_uid || ',') > 0", value);
}

GListModel *
lb_store_list_studies (LbStore *self, LbQidoQuery *query, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (query == NULL || LB_IS_QIDO_QUERY (query), NULL);

  g_autoptr (GString) sql = g_string_new ("SELECT " STUDY_COLUMNS STUDY_FROM
                                          " WHERE s.instance_count > 0");
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  Filter filter = { sql, params };

  build_filter (&filter, query);
  g_string_append (sql, " ORDER BY s.study_date DESC, s.study_time DESC, s.study_uid");
  guint limit = query != NULL ? lb_qido_query_get_limit (query) : 0;
  guint offset = query != NULL ? lb_qido_query_get_offset (query) : 0;
  /* Numbers of our own, not text: safe in the statement itself. */
  if (limit > 0 || offset > 0)
    g_string_append_printf (sql, " LIMIT %d OFFSET %u",
                            limit > 0 ? (int) MIN (limit, (guint) G_MAXINT) : -1, offset);

  g_autoptr (GListStore) out = g_list_store_new (LB_TYPE_WORKLIST_ENTRY);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (self->db, sql->str, error);
    g_autoptr (GError) local_error = NULL;

    if (stmt == NULL)
      return NULL;
    for (guint i = 0; i < params->len; i++)
      sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (params, i), -1, SQLITE_STATIC);
    while (lb_database_step (self->db, stmt, &local_error))
      g_ptr_array_add (entries, entry_from_row (stmt));
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  g_list_store_splice (out, 0, 0, entries->pdata, entries->len);
  return G_LIST_MODEL (g_steal_pointer (&out));
}

static gpointer
list_studies_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  return lb_store_list_studies (self, data, error);
}

void
lb_store_list_studies_async (LbStore *self, LbQidoQuery *query, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));

  _lb_store_run_async (self, list_studies_job, query != NULL ? g_object_ref (query) : NULL,
                       query != NULL ? g_object_unref : NULL, g_object_unref,
                       lb_store_list_studies_async, cancellable, callback, user_data);
}

GListModel *
lb_store_list_studies_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_list_studies_async, error);
}

GListModel *
lb_store_annotate_studies (LbStore *self, GListModel *studies, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (studies), NULL);

  guint n = g_list_model_get_n_items (studies);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) known = lb_database_prepare (
      self->db, "SELECT " STUDY_COLUMNS STUDY_FROM " WHERE s.study_uid = ?1", error);
    g_autoptr (sqlite3_stmt) state = lb_database_prepare (
      self->db, "SELECT reading_state, pinned, (SELECT COUNT (*) FROM reports r "
                "WHERE r.study_uid = ?1 AND r.sent_at IS NULL) "
                "FROM (SELECT 1) LEFT JOIN study_state ON study_uid = ?1", error);
    g_autoptr (GError) local_error = NULL;

    if (known == NULL || state == NULL)
      return NULL;
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (LbStudy) study = g_list_model_get_item (studies, i);
        LbEntryFields fields = { 0 };

        fields.expected_instances = -1;
        sqlite3_bind_text (known, 1, lb_study_get_study_instance_uid (study), -1, SQLITE_STATIC);
        if (lb_database_step (self->db, known, &local_error))
          read_facts (known, &fields);
        else
          {
            /* Not cached, but it may have been read or reported before eviction. */
            sqlite3_bind_text (state, 1, lb_study_get_study_instance_uid (study), -1,
                               SQLITE_STATIC);
            if (local_error == NULL && lb_database_step (self->db, state, &local_error))
              {
                fields.reading_state = (LbReadingState) CLAMP (sqlite3_column_int (state, 0),
                                                               LB_READING_STATE_UNREAD,
                                                               LB_READING_STATE_FINAL);
                fields.pinned = sqlite3_column_int (state, 1) != 0;
                fields.unsent_reports = (guint) sqlite3_column_int (state, 2);
              }
            sqlite3_reset (state);
          }
        sqlite3_reset (known);
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
        g_ptr_array_add (entries, _lb_worklist_entry_new (study, &fields));
      }
  }

  GListStore *out = g_list_store_new (LB_TYPE_WORKLIST_ENTRY);
  g_list_store_splice (out, 0, 0, entries->pdata, entries->len);
  return G_LIST_MODEL (out);
}

static gpointer
annotate_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  return lb_store_annotate_studies (self, data, error);
}

void
lb_store_annotate_studies_async (LbStore *self, GListModel *studies, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (G_IS_LIST_MODEL (studies));

  _lb_store_run_async (self, annotate_job, g_object_ref (studies), g_object_unref,
                       g_object_unref, lb_store_annotate_studies_async, cancellable, callback,
                       user_data);
}

GListModel *
lb_store_annotate_studies_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_annotate_studies_async, error);
}

LbWorklistEntry *
lb_store_lookup_study (LbStore *self, const char *study_uid, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (study_uid != NULL, NULL);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT " STUDY_COLUMNS STUDY_FROM
              " WHERE s.study_uid = ?1 AND s.instance_count > 0", error);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, study_uid, -1, SQLITE_STATIC);
  if (lb_database_step (self->db, stmt, &local_error))
    return entry_from_row (stmt);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                 "The study %s is not in the cache.", study_uid);
  return NULL;
}

/* Needs the database lock. */
static GListModel *
list_instances_locked (LbStore *self, const char *study_uid, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT i.sop_instance_uid, se.series_uid, i.sop_class_uid, "
              "i.transfer_syntax_uid, se.modality, se.series_number, i.instance_number, "
              "i.blob_path, i.size "
              "FROM studies s JOIN instances i ON i.study_id = s.id "
              "JOIN series se ON se.id = i.series_id WHERE s.study_uid = ?1 "
              "ORDER BY se.series_number IS NULL, se.series_number, se.series_uid, "
              "i.instance_number IS NULL, i.instance_number, i.sop_instance_uid", error);
  g_autoptr (GPtrArray) instances = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, study_uid, -1, SQLITE_STATIC);
  while (lb_database_step (self->db, stmt, &local_error))
    {
      g_autofree char *path =
        lb_blob_store_absolute (self->blobs, (const char *) sqlite3_column_text (stmt, 7));
      LbCachedInstanceFields fields = {
        .sop_instance_uid = (const char *) sqlite3_column_text (stmt, 0),
        .series_instance_uid = (const char *) sqlite3_column_text (stmt, 1),
        .study_instance_uid = study_uid,
        .sop_class_uid = (const char *) sqlite3_column_text (stmt, 2),
        .transfer_syntax_uid = (const char *) sqlite3_column_text (stmt, 3),
        .modality = (const char *) sqlite3_column_text (stmt, 4),
        .series_number = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                           ? -1 : sqlite3_column_int (stmt, 5),
        .instance_number = sqlite3_column_type (stmt, 6) == SQLITE_NULL
                             ? -1 : sqlite3_column_int (stmt, 6),
        .path = path,
        .size = (guint64) sqlite3_column_int64 (stmt, 8),
      };
      g_ptr_array_add (instances, _lb_cached_instance_new (&fields));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  GListStore *out = g_list_store_new (LB_TYPE_CACHED_INSTANCE);
  g_list_store_splice (out, 0, 0, instances->pdata, instances->len);
  return G_LIST_MODEL (out);
}

GListModel *
lb_store_list_instances (LbStore *self, const char *study_uid, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (study_uid != NULL, NULL);

  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  return list_instances_locked (self, study_uid, error);
}

/* Needs the database lock.  @column is one of ours ("reading_state", "pinned"). */
static gboolean
set_state_locked (LbStore *self, const char *study_uid, const char *column, int value,
                  GError **error)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO study_state (study_uid, %s, updated_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (study_uid) DO UPDATE SET %s = excluded.%s, updated_at = excluded.updated_at",
    column, column, column);
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (self->db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, study_uid, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, value);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return lb_database_run (self->db, stmt, error);
}

static gboolean
mark_opened_locked (LbStore *self, const char *study_uid, GError **error)
{
  g_autoptr (sqlite3_stmt) study = lb_database_prepare (
    self->db, "UPDATE studies SET last_opened_at = ?2 WHERE study_uid = ?1", error);
  g_autoptr (sqlite3_stmt) instances = lb_database_prepare (
    self->db, "UPDATE instances SET last_opened_at = ?2 "
              "WHERE study_id = (SELECT id FROM studies WHERE study_uid = ?1)", error);
  /* Opening moves an unread study on, never a study further along back. */
  g_autoptr (sqlite3_stmt) state = lb_database_prepare (
    self->db, "INSERT INTO study_state (study_uid, reading_state, updated_at) "
              "VALUES (?1, 1, ?2) ON CONFLICT (study_uid) DO UPDATE "
              "SET reading_state = 1, updated_at = ?2 WHERE reading_state = 0", error);
  gint64 now = g_get_real_time ();

  if (study == NULL || instances == NULL || state == NULL)
    return FALSE;
  sqlite3_bind_text (study, 1, study_uid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (study, 2, now);
  sqlite3_bind_text (instances, 1, study_uid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (instances, 2, now);
  sqlite3_bind_text (state, 1, study_uid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (state, 2, now);
  return lb_database_run (self->db, study, error) &&
         lb_database_run (self->db, instances, error) &&
         lb_database_run (self->db, state, error) &&
         _lb_store_audit (self, study_uid, "open", NULL, error);
}

GListModel *
lb_store_open_study (LbStore *self, const char *study_uid, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), NULL);
  g_return_val_if_fail (study_uid != NULL, NULL);

  /* The lease comes first: from then on no process evicts the study. */
  if (!_lb_store_lease (self, study_uid, error))
    return NULL;

  g_autoptr (GListModel) instances = NULL;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

    instances = list_instances_locked (self, study_uid, error);
    if (instances != NULL && g_list_model_get_n_items (instances) == 0)
      {
        g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                     "The study %s is not in the cache.", study_uid);
        g_clear_object (&instances);
      }
    if (instances != NULL)
      {
        if (!lb_database_begin (self->db, LB_DATABASE_NORMAL, error))
          g_clear_object (&instances);
        else if (!mark_opened_locked (self, study_uid, error))
          {
            lb_database_rollback (self->db);
            g_clear_object (&instances);
          }
        else if (!lb_database_commit (self->db, error))
          g_clear_object (&instances);
      }
  }
  if (instances == NULL)
    {
      _lb_store_release (self, study_uid);
      return NULL;
    }
  _lb_store_changed (self, LB_STORE_CHANGED_STUDIES);
  return g_steal_pointer (&instances);
}

static gpointer
open_study_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  return lb_store_open_study (self, data, error);
}

void
lb_store_open_study_async (LbStore *self, const char *study_uid, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (study_uid != NULL);

  _lb_store_run_async (self, open_study_job, g_strdup (study_uid), g_free, g_object_unref,
                       lb_store_open_study_async, cancellable, callback, user_data);
}

GListModel *
lb_store_open_study_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_open_study_async, error);
}

void
lb_store_close_study (LbStore *self, const char *study_uid)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (study_uid != NULL);

  _lb_store_release (self, study_uid);
}

gboolean
lb_store_set_reading_state (LbStore *self, const char *study_uid, LbReadingState state,
                            GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (study_uid != NULL, FALSE);
  g_return_val_if_fail (state >= LB_READING_STATE_UNREAD && state <= LB_READING_STATE_FINAL, FALSE);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    if (!set_state_locked (self, study_uid, "reading_state", state, error))
      return FALSE;
  }
  _lb_store_changed (self, LB_STORE_CHANGED_STUDIES);
  return TRUE;
}

typedef struct
{
  char *study_uid;
  int value;
} StateCall;

static void
state_call_free (StateCall *call)
{
  g_free (call->study_uid);
  g_free (call);
}

static StateCall *
state_call_new (const char *study_uid, int value)
{
  StateCall *call = g_new0 (StateCall, 1);

  call->study_uid = g_strdup (study_uid);
  call->value = value;
  return call;
}

static gpointer
reading_state_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  StateCall *call = data;

  if (!lb_store_set_reading_state (self, call->study_uid, (LbReadingState) call->value, error))
    return NULL;
  return LB_STORE_JOB_DONE;
}

void
lb_store_set_reading_state_async (LbStore *self, const char *study_uid, LbReadingState state,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (study_uid != NULL);

  _lb_store_run_async (self, reading_state_job, state_call_new (study_uid, state),
                       (GDestroyNotify) state_call_free, NULL, lb_store_set_reading_state_async,
                       cancellable, callback, user_data);
}

gboolean
lb_store_set_reading_state_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_set_reading_state_async, error) != NULL;
}

gboolean
lb_store_set_pinned (LbStore *self, const char *study_uid, gboolean pinned, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (study_uid != NULL, FALSE);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    if (!set_state_locked (self, study_uid, "pinned", pinned ? 1 : 0, error))
      return FALSE;
  }
  _lb_store_changed (self, LB_STORE_CHANGED_STUDIES);
  return TRUE;
}

static gpointer
pinned_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  StateCall *call = data;

  if (!lb_store_set_pinned (self, call->study_uid, call->value, error))
    return NULL;
  return LB_STORE_JOB_DONE;
}

void
lb_store_set_pinned_async (LbStore *self, const char *study_uid, gboolean pinned,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (study_uid != NULL);

  _lb_store_run_async (self, pinned_job, state_call_new (study_uid, pinned ? 1 : 0),
                       (GDestroyNotify) state_call_free, NULL, lb_store_set_pinned_async,
                       cancellable, callback, user_data);
}

gboolean
lb_store_set_pinned_finish (LbStore *self, GAsyncResult *result, GError **error)
{
  return _lb_store_run_finish (self, result, lb_store_set_pinned_async, error) != NULL;
}
