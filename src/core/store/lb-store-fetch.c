/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Storing a study from an archive, resumably.  The study's WADO-RS metadata lists what
 * the archive holds; the index says what the cache holds; only the difference is asked
 * for: a whole series when none of it is cached, single instances otherwise.  Parts go
 * from the network thread to writer threads, which parse and store each, so the network
 * never waits for the disk.
 */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

#include "lb-instance.h"
#include "lb-net-error.h"

/* Each stored instance waits for its fsync, which costs far more than parsing it; writers
 * that wait together share the file system's journal commits (measured on a 300-slice CT:
 * 2 writers 2.2-2.5 s, 4 writers 1.8-2.1 s, 8 writers 1.5-1.9 s). */
#define WRITERS 6

typedef struct
{
  char *series_uid;
  char *instance_uid;
} Request;

typedef struct
{
  LbStore *store;
  LbDicomwebClient *client;
  char *study_uid;
  gint64 server_id;
  GMainContext *context;
  GCancellable *cancellable;
  gulong cancelled_id;
  GCancellable *user_cancellable;
  LbFetchProgressFunc progress_func;
  gpointer progress_data;
  GDestroyNotify progress_data_free;
  gboolean leased;

  GListModel *metadata;
  GArray *requests;
  GThreadPool *writers;
  guint outstanding;

  GMutex lock;
  LbFetchProgress progress;
  guint pending_parts;
  gboolean requests_done;
  gboolean completing;
  gboolean progress_scheduled;
  GError *network_error;
  GError *store_error;
  GTask *task;
} CacheRun;

static void
request_clear (Request *request)
{
  g_free (request->series_uid);
  g_free (request->instance_uid);
}

static void
cache_run_clear (CacheRun *run)
{
  if (run->user_cancellable != NULL)
    g_cancellable_disconnect (run->user_cancellable, run->cancelled_id);
  g_clear_object (&run->user_cancellable);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->store);
  g_clear_object (&run->client);
  g_free (run->study_uid);
  g_clear_pointer (&run->context, g_main_context_unref);
  if (run->progress_data_free != NULL)
    run->progress_data_free (run->progress_data);
  g_clear_object (&run->metadata);
  g_clear_pointer (&run->requests, g_array_unref);
  g_mutex_clear (&run->lock);
  g_clear_error (&run->network_error);
  g_clear_error (&run->store_error);
}

static CacheRun *
cache_run_ref (CacheRun *run)
{
  return g_atomic_rc_box_acquire (run);
}

static void
cache_run_unref (CacheRun *run)
{
  g_atomic_rc_box_release_full (run, (GDestroyNotify) cache_run_clear);
}

/* ---- progress, in the caller's context ------------------------------------------- */

static gboolean
report_progress (gpointer user_data)
{
  CacheRun *run = user_data;
  LbFetchProgress snapshot;

  g_mutex_lock (&run->lock);
  run->progress_scheduled = FALSE;
  snapshot = run->progress;
  g_mutex_unlock (&run->lock);
  if (run->progress_func != NULL)
    run->progress_func (run->study_uid, &snapshot, run->progress_data);
  return G_SOURCE_REMOVE;
}

/* Call with run->lock held. */
static void
schedule_progress (CacheRun *run)
{
  if (run->progress_func == NULL || run->progress_scheduled)
    return;
  run->progress_scheduled = TRUE;

  g_autoptr (GSource) source = g_idle_source_new ();
  g_source_set_callback (source, report_progress, cache_run_ref (run),
                         (GDestroyNotify) cache_run_unref);
  g_source_set_static_name (source, "[lb-store] fetch progress");
  g_source_attach (source, run->context);
}

/* ---- the end --------------------------------------------------------------------- */

static void
free_writers (GThreadPool *pool)
{
  g_thread_pool_free (pool, FALSE, TRUE);
}

/* Off the caller's thread: waiting for the writers and releasing the lease touch SQL. */
static gpointer
finish_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  CacheRun *run = data;

  g_clear_pointer (&run->writers, free_writers);
  lb_blob_store_sync_folders (self->blobs);
  /* Under the lease still: the study just stored is the one not to evict for the quota. */
  _lb_store_enforce_quota (self, 0);
  if (run->leased)
    _lb_store_release (self, run->study_uid);
  run->leased = FALSE;
  return LB_STORE_JOB_DONE;
}

static void
on_finished (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CacheRun *run = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&run->task);
  guint missing = 0;

  _lb_store_run_finish (run->store, result, finish_job, NULL);
  _lb_store_changed (run->store, LB_STORE_CHANGED_STUDIES);

  g_mutex_lock (&run->lock);
  guint present = run->progress.already_cached + run->progress.fetched;
  if (run->progress.expected > present)
    missing = run->progress.expected - present;

  if (run->user_cancellable != NULL && g_cancellable_is_cancelled (run->user_cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The retrieval was cancelled.");
  else if (run->store_error != NULL && (missing > 0 || run->progress.failed > 0))
    g_task_return_error (task, g_error_copy (run->store_error));
  else if (run->network_error != NULL)
    g_task_return_error (task, g_error_copy (run->network_error));
  else if (missing > 0)
    g_task_return_new_error (task, LB_STORE_ERROR, LB_STORE_ERROR_INCOMPLETE,
                             "The archive listed %u instances of the study but %u did not "
                             "arrive; retrieving it again fetches only those.",
                             run->progress.expected, missing);
  else
    g_task_return_boolean (task, TRUE);
  g_mutex_unlock (&run->lock);
  cache_run_unref (run);
}

static gboolean
start_finish (gpointer user_data)
{
  CacheRun *run = user_data;

  _lb_store_run_async (run->store, finish_job, cache_run_ref (run),
                       (GDestroyNotify) cache_run_unref, NULL, finish_job, NULL, on_finished,
                       cache_run_ref (run));
  return G_SOURCE_REMOVE;
}

/* Call with run->lock held: ends the run once no request and no part is left. */
static void
maybe_finish (CacheRun *run)
{
  if (!run->requests_done || run->pending_parts > 0 || run->completing)
    return;
  run->completing = TRUE;

  g_autoptr (GSource) source = g_idle_source_new ();
  g_source_set_callback (source, start_finish, cache_run_ref (run),
                         (GDestroyNotify) cache_run_unref);
  g_source_set_static_name (source, "[lb-store] fetch done");
  g_source_attach (source, run->context);
}

/* ---- parts: network thread, then writer threads ---------------------------------- */

static gboolean
is_fatal (const GError *error)
{
  return error->domain == LB_STORE_ERROR &&
         (error->code == LB_STORE_ERROR_DISK_FULL || error->code == LB_STORE_ERROR_IO ||
          error->code == LB_STORE_ERROR_CORRUPT || error->code == LB_STORE_ERROR_BUSY);
}

static void
write_part (gpointer data, gpointer user_data)
{
  g_autoptr (LbMultipartPart) part = data;
  CacheRun *run = user_data;
  GBytes *body = lb_multipart_part_get_body (part);
  g_autoptr (GError) error = NULL;
  LbPutOutcome outcome = LB_PUT_ALREADY_CACHED;
  gboolean stopped;
  gboolean ok = FALSE;

  g_mutex_lock (&run->lock);
  stopped = run->store_error != NULL && is_fatal (run->store_error);
  g_mutex_unlock (&run->lock);

  if (!stopped)
    {
      g_autoptr (LbDicomFile) file =
        lb_dicom_file_new_for_bytes (body, "An instance sent by the archive", &error);
      g_autofree char *study_uid =
        file != NULL ? lb_dicom_file_dup_string (file, NULL, LB_TAG_STUDY_INSTANCE_UID) : NULL;

      if (file != NULL && g_strcmp0 (study_uid, run->study_uid) != 0)
        g_set_error_literal (&error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                             "The archive sent an instance of another study.");
      else if (file != NULL)
        ok = _lb_store_put (run->store, run->server_id, body, file, &outcome, &error);
    }

  g_mutex_lock (&run->lock);
  if (ok && outcome == LB_PUT_STORED)
    {
      run->progress.fetched++;
      run->progress.bytes += g_bytes_get_size (body);
    }
  else if (!ok && !stopped)
    {
      run->progress.failed++;
      if (run->store_error == NULL || (is_fatal (error) && !is_fatal (run->store_error)))
        {
          g_clear_error (&run->store_error);
          run->store_error = g_error_copy (error);
        }
      /* Nothing more can be stored: stop downloading what would be thrown away. */
      if (is_fatal (error))
        g_cancellable_cancel (run->cancellable);
    }
  run->pending_parts--;
  schedule_progress (run);
  maybe_finish (run);
  g_mutex_unlock (&run->lock);
}

static gboolean
queue_part (LbMultipartPart *part, gpointer user_data, GError **error)
{
  CacheRun *run = user_data;

  g_mutex_lock (&run->lock);
  run->pending_parts++;
  g_mutex_unlock (&run->lock);
  g_thread_pool_push (run->writers, g_object_ref (part), NULL);
  return TRUE;
}

/* ---- the requests ---------------------------------------------------------------- */

static void
on_retrieved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CacheRun *run = user_data;
  g_autoptr (GError) error = NULL;

  if (!lb_dicomweb_client_retrieve_finish (LB_DICOMWEB_CLIENT (source), result, &error))
    {
      g_mutex_lock (&run->lock);
      /* Cancelled by this run after a disk error, or by the caller: said elsewhere. */
      if (run->network_error == NULL &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        run->network_error = g_steal_pointer (&error);
      g_mutex_unlock (&run->lock);
    }
  if (--run->outstanding == 0)
    {
      g_mutex_lock (&run->lock);
      run->requests_done = TRUE;
      maybe_finish (run);
      g_mutex_unlock (&run->lock);
    }
  cache_run_unref (run);
}

/* What the cache lacks, as retrievals.  Also drops rows whose file went missing, and
 * records how many instances the archive lists. */
static gpointer
plan_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  CacheRun *run = data;
  g_autoptr (GHashTable) cached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (run->metadata);

  if (!_lb_store_lease (self, run->study_uid, error))
    return NULL;
  run->leased = TRUE;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    g_autoptr (sqlite3_stmt) rows = lb_database_prepare (
      self->db, "SELECT i.id, i.sop_instance_uid, i.blob_path, i.size FROM instances i "
                "JOIN studies s ON s.id = i.study_id WHERE s.study_uid = ?1", error);
    g_autoptr (sqlite3_stmt) drop =
      lb_database_prepare (self->db, "DELETE FROM instances WHERE id = ?1", error);
    g_autoptr (sqlite3_stmt) expect = lb_database_prepare (
      self->db, "INSERT INTO studies (study_uid, server_id, expected_instances, retrieved_at) "
                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (study_uid) DO UPDATE SET "
                "expected_instances = excluded.expected_instances, "
                "server_id = COALESCE (server_id, excluded.server_id)", error);
    g_autoptr (GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr (GError) local_error = NULL;

    if (rows == NULL || drop == NULL || expect == NULL)
      return NULL;
    run->server_id = _lb_store_server_id (
      self, lb_server_get_base_url (lb_dicomweb_client_get_server (run->client)), error);
    if (run->server_id < 0)
      return NULL;

    sqlite3_bind_text (rows, 1, run->study_uid, -1, SQLITE_STATIC);
    while (lb_database_step (self->db, rows, &local_error))
      {
        const char *relative = (const char *) sqlite3_column_text (rows, 2);
        guint64 size = 0;
        gint64 id = sqlite3_column_int64 (rows, 0);

        if (lb_blob_store_exists (self->blobs, relative, &size) &&
            size == (guint64) sqlite3_column_int64 (rows, 3))
          g_hash_table_add (cached, lb_database_dup_text (rows, 1));
        else
          g_array_append_val (gone, id);
      }
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }

    if (!lb_database_begin (self->db, LB_DATABASE_NORMAL, error))
      return NULL;
    for (guint i = 0; i < gone->len; i++)
      {
        sqlite3_bind_int64 (drop, 1, g_array_index (gone, gint64, i));
        if (!lb_database_run (self->db, drop, error))
          {
            lb_database_rollback (self->db);
            return NULL;
          }
      }
    sqlite3_bind_text (expect, 1, run->study_uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (expect, 2, run->server_id);
    sqlite3_bind_int (expect, 3, (int) MIN (n, (guint) G_MAXINT));
    sqlite3_bind_int64 (expect, 4, g_get_real_time ());
    if (!lb_database_run (self->db, expect, error))
      {
        lb_database_rollback (self->db);
        return NULL;
      }
    if (!lb_database_commit (self->db, error))
      return NULL;
  }

  /* Series in the archive's order, each with what is missing from it. */
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GHashTable) missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) totals = g_hash_table_new (g_str_hash, g_str_equal);
  guint already = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LbInstance) instance = g_list_model_get_item (run->metadata, i);
      const char *sop_uid = lb_instance_get_sop_instance_uid (instance);
      const char *series_uid = lb_instance_get_series_instance_uid (instance);
      GPtrArray *lacking;

      if (g_hash_table_contains (cached, sop_uid))
        {
          already++;
          if (series_uid != NULL)
            g_hash_table_insert (totals, (gpointer) series_uid,
                                 GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                   g_hash_table_lookup (totals, series_uid)) + 1));
          continue;
        }
      /* Without its series no single instance can be asked for. */
      if (series_uid == NULL)
        continue;
      lacking = g_hash_table_lookup (missing, series_uid);
      if (lacking == NULL)
        {
          lacking = g_ptr_array_new ();
          g_hash_table_insert (missing, g_strdup (series_uid), lacking);
          g_ptr_array_add (order, (gpointer) series_uid);
        }
      g_ptr_array_add (lacking, (gpointer) sop_uid);
    }

  for (guint s = 0; s < order->len; s++)
    {
      const char *series_uid = g_ptr_array_index (order, s);
      GPtrArray *lacking = g_hash_table_lookup (missing, series_uid);
      gboolean whole = !g_hash_table_contains (totals, series_uid);

      for (guint i = 0; i < (whole ? 1 : lacking->len); i++)
        {
          Request request = {
            g_strdup (series_uid),
            whole ? NULL : g_strdup (g_ptr_array_index (lacking, i)),
          };
          g_array_append_val (run->requests, request);
        }
    }

  g_mutex_lock (&run->lock);
  run->progress.expected = n;
  run->progress.already_cached = already;
  g_mutex_unlock (&run->lock);
  return LB_STORE_JOB_DONE;
}

static void
finish_now (CacheRun *run)
{
  g_mutex_lock (&run->lock);
  run->requests_done = TRUE;
  maybe_finish (run);
  g_mutex_unlock (&run->lock);
}

static void
on_planned (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CacheRun *run = user_data;
  GError *error = NULL;

  if (_lb_store_run_finish (run->store, result, plan_job, &error) == NULL)
    {
      g_mutex_lock (&run->lock);
      run->store_error = error;
      run->progress.failed = 1;
      g_mutex_unlock (&run->lock);
      finish_now (run);
      cache_run_unref (run);
      return;
    }

  g_mutex_lock (&run->lock);
  run->progress.requests = run->requests->len;
  schedule_progress (run);
  g_mutex_unlock (&run->lock);
  if (run->requests->len == 0)
    {
      finish_now (run);
      cache_run_unref (run);
      return;
    }

  run->writers = g_thread_pool_new (write_part, run, WRITERS, FALSE, NULL);
  for (guint i = 0; i < run->requests->len; i++)
    {
      Request *request = &g_array_index (run->requests, Request, i);

      run->outstanding++;
      lb_dicomweb_client_retrieve_async (run->client, run->study_uid, request->series_uid,
                                         request->instance_uid, queue_part, cache_run_ref (run),
                                         (GDestroyNotify) cache_run_unref, run->cancellable,
                                         on_retrieved, cache_run_ref (run));
    }
  cache_run_unref (run);
}

static void
on_metadata (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CacheRun *run = user_data;
  GError *error = NULL;

  run->metadata = lb_dicomweb_client_get_metadata_finish (LB_DICOMWEB_CLIENT (source), result,
                                                          &error);
  if (run->metadata == NULL)
    {
      g_mutex_lock (&run->lock);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_error_free (error);
      else
        run->network_error = error;
      g_mutex_unlock (&run->lock);
      finish_now (run);
      cache_run_unref (run);
      return;
    }
  _lb_store_run_async (run->store, plan_job, cache_run_ref (run), (GDestroyNotify) cache_run_unref,
                       NULL, plan_job, NULL, on_planned, run);
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

void
lb_store_cache_study_async (LbStore *self, LbDicomwebClient *client, const char *study_uid,
                            LbFetchProgressFunc progress_func, gpointer progress_data,
                            GDestroyNotify progress_data_free, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));
  g_return_if_fail (study_uid != NULL);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CacheRun *run = g_atomic_rc_box_new0 (CacheRun);

  g_task_set_source_tag (task, lb_store_cache_study_async);
  run->store = g_object_ref (self);
  run->client = g_object_ref (client);
  run->study_uid = g_strdup (study_uid);
  run->context = g_main_context_ref_thread_default ();
  run->progress_func = progress_func;
  run->progress_data = progress_data;
  run->progress_data_free = progress_data_free;
  run->requests = g_array_new (FALSE, FALSE, sizeof (Request));
  g_array_set_clear_func (run->requests, (GDestroyNotify) request_clear);
  g_mutex_init (&run->lock);
  /* A run of its own: a disk error cancels the downloads without touching the caller's. */
  run->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      run->user_cancellable = g_object_ref (cancellable);
      run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                 g_object_ref (run->cancellable), g_object_unref);
    }
  /* The task owns the run, and the run the task until the end: neither goes early. */
  g_task_set_task_data (task, cache_run_ref (run), (GDestroyNotify) cache_run_unref);
  run->task = task;

  lb_dicomweb_client_get_metadata_async (client, study_uid, NULL, run->cancellable, on_metadata,
                                         run);
}

gboolean
lb_store_cache_study_finish (LbStore *self, GAsyncResult *result, LbFetchProgress *progress,
                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_store_cache_study_async,
                        FALSE);

  CacheRun *run = g_task_get_task_data (G_TASK (result));
  if (progress != NULL)
    {
      g_mutex_lock (&run->lock);
      *progress = run->progress;
      g_mutex_unlock (&run->lock);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}
