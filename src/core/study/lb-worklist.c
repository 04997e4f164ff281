/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-worklist"
#include "config.h"

#include "lb-worklist.h"

#include <glib/gi18n-lib.h>

#include "lb-background-private.h"
#include "lb-net-error.h"
#include "lb-store-error.h"
#include "lb-sync.h"

/* Enough for a night's worklist and a week of history on a busy archive. */
#define WORKLIST_LIMIT 10000
/* Without a store, the archive is asked again this often, and sooner while it fails. */
#define REFRESH_SECONDS 60
#define OFFLINE_RETRY_SECONDS 15

struct _LbWorklist
{
  GObject parent_instance;

  LbStore *store;
  LbDicomwebClient *client;
  LbSync *sync;

  GListStore *items;          /* LbWorklistItem */
  GHashTable *by_uid;         /* uid -> LbWorklistItem (borrowed from @items) */
  GHashTable *entries;        /* uid -> LbWorklistEntry, what the store knows */
  GHashTable *fetching;       /* uid -> progress (double *), prefetch or streaming */

  gboolean offline;
  char *last_error;

  GListModel *shown;          /* LbWorklistItem, as the reader sees them; or NULL */
  guint order_source;         /* the prefetcher learns the shown order once per burst */

  GCancellable *cancellable;  /* refreshes of the local and direct lists */
  guint retry_source;
  GThreadPool *writer;        /* keeps copies of streamed instances in the store */
  struct Ahead *ahead;        /* the study read ahead of the reader, or NULL */
};

enum {
  PROP_0,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (LbWorklist, lb_worklist, G_TYPE_OBJECT)

static void
lb_worklist_dispose (GObject *object)
{
  LbWorklist *self = LB_WORKLIST (object);

  g_cancellable_cancel (self->cancellable);
  lb_worklist_read_ahead (self, NULL, NULL);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->order_source, g_source_remove);
  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  g_clear_object (&self->shown);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->writer != NULL)
    {
      /* Copies already received are written before the store goes. */
      g_thread_pool_free (self->writer, FALSE, TRUE);
      self->writer = NULL;
    }
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (lb_worklist_parent_class)->dispose (object);
}

static void
lb_worklist_finalize (GObject *object)
{
  LbWorklist *self = LB_WORKLIST (object);

  g_clear_object (&self->items);
  g_hash_table_unref (self->by_uid);
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->fetching);
  g_clear_object (&self->cancellable);
  g_free (self->last_error);

  G_OBJECT_CLASS (lb_worklist_parent_class)->finalize (object);
}

static void
lb_worklist_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_OFFLINE:
      g_value_set_boolean (value, LB_WORKLIST (object)->offline);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_worklist_class_init (LbWorklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_worklist_dispose;
  object_class->finalize = lb_worklist_finalize;
  object_class->get_property = lb_worklist_get_property;

  props[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                              G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_worklist_init (LbWorklist *self)
{
  self->items = g_list_store_new (LB_TYPE_WORKLIST_ITEM);
  self->by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->fetching = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

GListModel *
lb_worklist_get_items (LbWorklist *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST (self), NULL);
  return G_LIST_MODEL (self->items);
}

LbWorklistItem *
lb_worklist_lookup (LbWorklist *self, const char *study_uid)
{
  g_return_val_if_fail (LB_IS_WORKLIST (self), NULL);
  return g_hash_table_lookup (self->by_uid, study_uid);
}

gboolean
lb_worklist_get_offline (LbWorklist *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST (self), FALSE);
  return self->offline;
}

const char *
lb_worklist_get_last_error (LbWorklist *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST (self), NULL);
  return self->last_error;
}

static void
set_offline (LbWorklist *self, gboolean offline, const char *reason)
{
  g_free (self->last_error);
  self->last_error = offline ? g_strdup (reason) : NULL;
  if (self->offline == offline)
    return;
  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OFFLINE]);
}

/* ---- rows ---------------------------------------------------------------------- */

/* Everything the archive lists is cached: the store knows it when it fetched the study
 * itself; a study the reader streamed counts its instances against the archive's. */
static gboolean
entry_complete (LbWorklistEntry *entry)
{
  int listed = lb_study_get_instance_count (lb_worklist_entry_get_study (entry));

  return lb_worklist_entry_get_complete (entry) ||
         (listed > 0 && lb_worklist_entry_get_cached_instances (entry) >= (guint) listed);
}

static void
apply_cache (LbWorklist *self, LbWorklistItem *item)
{
  const char *uid = lb_worklist_item_get_study_instance_uid (item);
  const double *fetching = g_hash_table_lookup (self->fetching, uid);
  LbWorklistEntry *entry = g_hash_table_lookup (self->entries, uid);

  if (fetching != NULL)
    {
      lb_worklist_item_set_cache (item, LB_CACHE_STATE_FETCHING, *fetching);
      return;
    }
  if (entry == NULL || lb_worklist_entry_get_cached_instances (entry) == 0)
    {
      lb_worklist_item_set_cache (item, LB_CACHE_STATE_NONE, 0);
      return;
    }
  if (entry_complete (entry))
    {
      lb_worklist_item_set_cache (item, LB_CACHE_STATE_CACHED, 1);
      return;
    }
  int expected = lb_worklist_entry_get_expected_instances (entry);
  if (expected <= 0)
    expected = lb_study_get_instance_count (lb_worklist_entry_get_study (entry));
  guint cached = lb_worklist_entry_get_cached_instances (entry);
  lb_worklist_item_set_cache (item, LB_CACHE_STATE_PARTIAL,
                              expected > 0 ? (double) cached / expected : 0);
}

static void
index_rows (LbWorklist *self)
{
  g_hash_table_remove_all (self->by_uid);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr (LbWorklistItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_hash_table_insert (self->by_uid, (gpointer) lb_worklist_item_get_study_instance_uid (item),
                           item);
    }
}

/* A row for @entry; what this workstation did to the study before (opened it) stays. */
static LbWorklistItem *
item_from_entry (LbWorklist *self, LbWorklistEntry *entry)
{
  LbWorklistItem *item = lb_worklist_item_new (lb_worklist_entry_get_study (entry));
  const char *uid = lb_worklist_entry_get_study_instance_uid (entry);
  LbWorklistItem *old = g_hash_table_lookup (self->by_uid, uid);
  LbWorklistStatus status = (LbWorklistStatus) lb_worklist_entry_get_reading_state (entry);

  if (old != NULL && lb_worklist_item_get_status (old) > status)
    status = lb_worklist_item_get_status (old);
  lb_worklist_item_set_status (item, status);
  g_hash_table_replace (self->entries, g_strdup (uid), g_object_ref (entry));
  apply_cache (self, item);
  return item;
}

/* Mirrors a range of a model of LbWorklistEntry (the sync's, or the store's list). */
static void
mirror_entries (LbWorklist *self, GListModel *entries, guint position, guint removed,
                guint added)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_full (added, g_object_unref);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (entries, position + i);
      g_ptr_array_add (rows, item_from_entry (self, entry));
    }
  g_list_store_splice (self->items, position, removed, rows->pdata, rows->len);
  index_rows (self);
}

static void
on_sync_rows (GListModel *entries, guint position, guint removed, guint added, LbWorklist *self)
{
  mirror_entries (self, entries, position, removed, added);
}

static void
on_sync_state (LbSync *sync, GParamSpec *pspec, LbWorklist *self)
{
  set_offline (self, lb_sync_get_state (sync) == LB_SYNC_STATE_OFFLINE,
               lb_sync_get_last_error (sync));
}

static void
set_fetching (LbWorklist *self, const char *uid, double progress)
{
  double *value = g_new (double, 1);
  *value = CLAMP (progress, 0, 1);
  g_hash_table_replace (self->fetching, g_strdup (uid), value);

  LbWorklistItem *item = g_hash_table_lookup (self->by_uid, uid);
  if (item != NULL)
    apply_cache (self, item);
}

static void
clear_fetching (LbWorklist *self, const char *uid)
{
  g_hash_table_remove (self->fetching, uid);

  LbWorklistItem *item = g_hash_table_lookup (self->by_uid, uid);
  if (item != NULL)
    apply_cache (self, item);
}

static void
on_prefetch_started (LbPrefetcher *prefetcher, const char *uid, LbWorklist *self)
{
  set_fetching (self, uid, 0);
}

static void
on_prefetch_progress (LbPrefetcher *prefetcher, const char *uid, const LbFetchProgress *progress,
                      LbWorklist *self)
{
  if (progress->expected > 0)
    set_fetching (self, uid, (double) (progress->already_cached + progress->fetched) /
                               progress->expected);
}

static void
on_prefetch_done (LbPrefetcher *prefetcher, const char *uid, const GError *error,
                  LbWorklist *self)
{
  /* The store's rows follow within half a second with what is cached now. */
  clear_fetching (self, uid);
}

/* ---- the store alone ------------------------------------------------------------ */

static void
on_local_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (LbWorklist) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) entries = lb_store_list_studies_finish (LB_STORE (source), result,
                                                                  &error);
  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("the cached studies cannot be listed: %s", error->message);
      return;
    }
  mirror_entries (self, entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                  g_list_model_get_n_items (entries));
}

static void
list_local (LbWorklist *self)
{
  lb_store_list_studies_async (self->store, NULL, self->cancellable, on_local_listed,
                               g_object_ref (self));
}

/* ---- the archive alone ---------------------------------------------------------- */

static void ask_archive (LbWorklist *self);

static gboolean
on_retry (gpointer data)
{
  LbWorklist *self = data;

  self->retry_source = 0;
  ask_archive (self);
  return G_SOURCE_REMOVE;
}

static void
on_studies (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (LbWorklist) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) studies = lb_dicomweb_client_search_studies_finish (
    LB_DICOMWEB_CLIENT (source), result, &error);

  if (studies == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (studies == NULL)
    {
      set_offline (self, TRUE, error->message);
      /* A refused user is asked again only on a refresh (lb_net_error_is_refusal()). */
      if (!lb_net_error_is_refusal (error))
        self->retry_source = g_timeout_add_seconds (OFFLINE_RETRY_SECONDS, on_retry, self);
      return;
    }

  set_offline (self, FALSE, NULL);
  guint n = g_list_model_get_n_items (studies);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LbStudy) study = g_list_model_get_item (studies, i);
      LbWorklistItem *item = lb_worklist_item_new (study);
      LbWorklistItem *old = g_hash_table_lookup (self->by_uid,
                                                 lb_study_get_study_instance_uid (study));
      if (old != NULL)
        lb_worklist_item_set_status (item, lb_worklist_item_get_status (old));
      g_ptr_array_add (rows, item);
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       rows->pdata, rows->len);
  index_rows (self);
  self->retry_source = g_timeout_add_seconds (REFRESH_SECONDS, on_retry, self);
}

static LbQidoQuery *
worklist_query (void)
{
  LbQidoQuery *query = lb_qido_query_new ();

  lb_qido_query_set_limit (query, WORKLIST_LIMIT);
  lb_study_add_include_fields (query);
  return query;
}

static void
ask_archive (LbWorklist *self)
{
  g_autoptr (LbQidoQuery) query = worklist_query ();

  g_clear_handle_id (&self->retry_source, g_source_remove);
  lb_dicomweb_client_search_studies_async (self->client, query, self->cancellable, on_studies,
                                           g_object_ref (self));
}

/* ---- making and refreshing ------------------------------------------------------ */

LbWorklist *
lb_worklist_new (LbStore *store, LbDicomwebClient *client)
{
  g_return_val_if_fail (store == NULL || LB_IS_STORE (store), NULL);
  g_return_val_if_fail (client == NULL || LB_IS_DICOMWEB_CLIENT (client), NULL);

  LbWorklist *self = g_object_new (LB_TYPE_WORKLIST, NULL);
  if (store != NULL)
    self->store = g_object_ref (store);
  if (client != NULL)
    self->client = g_object_ref (client);

  if (store != NULL && client != NULL)
    {
      self->sync = lb_sync_new (store, client);
      g_signal_connect_object (lb_sync_get_worklist (self->sync), "items-changed",
                               G_CALLBACK (on_sync_rows), self, 0);
      g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (on_sync_state), self, 0);

      LbPrefetcher *prefetcher = lb_sync_get_prefetcher (self->sync);
      g_signal_connect_object (prefetcher, "study-started", G_CALLBACK (on_prefetch_started),
                               self, 0);
      g_signal_connect_object (prefetcher, "study-progress", G_CALLBACK (on_prefetch_progress),
                               self, 0);
      g_signal_connect_object (prefetcher, "study-done", G_CALLBACK (on_prefetch_done), self, 0);
    }
  else if (store != NULL)
    g_signal_connect_swapped (store, "studies-changed", G_CALLBACK (list_local), self);
  return self;
}

void
lb_worklist_refresh (LbWorklist *self)
{
  g_return_if_fail (LB_IS_WORKLIST (self));

  if (self->sync != NULL)
    {
      if (lb_sync_get_state (self->sync) == LB_SYNC_STATE_UNKNOWN)
        {
          g_autoptr (LbQidoQuery) query = worklist_query ();
          lb_sync_set_query (self->sync, query);
        }
      else if (lb_sync_get_state (self->sync) == LB_SYNC_STATE_OFFLINE)
        lb_sync_retry_now (self->sync);
      else
        lb_sync_refresh (self->sync);
    }
  else if (self->store != NULL)
    list_local (self);
  else if (self->client != NULL)
    ask_archive (self);
}

static gboolean
tell_order (gpointer data)
{
  LbWorklist *self = data;
  LbPrefetcher *prefetcher = lb_sync_get_prefetcher (self->sync);

  self->order_source = 0;
  if (self->shown == NULL)
    {
      lb_prefetcher_set_order (prefetcher, NULL);
      return G_SOURCE_REMOVE;
    }

  /* Only the first rows can be fetched ahead: a keystroke costs a few lookups. */
  guint n = MIN (g_list_model_get_n_items (self->shown), lb_prefetcher_get_count (prefetcher));
  g_autoptr (GStrvBuilder) uids = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LbWorklistItem) item = g_list_model_get_item (self->shown, i);
      g_strv_builder_add (uids, lb_worklist_item_get_study_instance_uid (item));
    }
  g_auto (GStrv) order = g_strv_builder_end (uids);
  lb_prefetcher_set_order (prefetcher, (const char *const *) order);
  return G_SOURCE_REMOVE;
}

static void
on_shown_changed (LbWorklist *self)
{
  if (self->order_source == 0)
    self->order_source = g_idle_add (tell_order, self);
}

void
lb_worklist_set_prefetch_count (LbWorklist *self, guint count)
{
  g_return_if_fail (LB_IS_WORKLIST (self));

  if (self->sync == NULL)
    return;
  lb_prefetcher_set_count (lb_sync_get_prefetcher (self->sync), count);
  if (self->shown != NULL)
    on_shown_changed (self);
}

void
lb_worklist_set_shown (LbWorklist *self, GListModel *shown)
{
  g_return_if_fail (LB_IS_WORKLIST (self));
  g_return_if_fail (shown == NULL || G_IS_LIST_MODEL (shown));

  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  g_set_object (&self->shown, shown);
  if (self->sync == NULL)
    return;
  if (shown != NULL)
    g_signal_connect_swapped (shown, "items-changed", G_CALLBACK (on_shown_changed), self);
  on_shown_changed (self);
}

/* ---- keeping copies ------------------------------------------------------------- */

typedef struct
{
  LbStore *store;
  char *origin;
  GBytes *bytes;       /* NULL: a flush, @done says everything before it is written */
  GTask *done;
} Copy;

static void
write_copy (gpointer data, gpointer user_data)
{
  Copy *copy = data;

  _lb_thread_make_background ();
  if (copy->bytes != NULL)
    {
      g_autoptr (GError) error = NULL;
      if (!lb_store_put_instance (copy->store, copy->origin, copy->bytes, NULL, &error))
        g_message ("an instance could not be kept in the cache: %s", error->message);
      g_bytes_unref (copy->bytes);
    }
  else
    g_task_return_boolean (copy->done, TRUE);
  g_clear_object (&copy->done);
  g_object_unref (copy->store);
  g_free (copy->origin);
  g_free (copy);
}

static void
ensure_writer (LbWorklist *self)
{
  /* One writer: the store fsyncs each instance, and reading must not wait on it. */
  if (self->writer == NULL)
    self->writer = g_thread_pool_new (write_copy, NULL, 1, FALSE, NULL);
}

typedef struct
{
  LbWorklist *self;
  char *uid;
} KeepCopies;

static void
keep_copies_free (KeepCopies *keep)
{
  g_clear_object (&keep->self);
  g_free (keep->uid);
  g_free (keep);
}

/* Parse threads: each streamed instance goes to the store too. */
static void
keep_copy (GBytes *bytes, gpointer data)
{
  KeepCopies *keep = data;
  Copy *copy = g_new0 (Copy, 1);

  copy->store = g_object_ref (keep->self->store);
  copy->origin = g_strdup (lb_server_get_base_url (lb_dicomweb_client_get_server (keep->self->client)));
  copy->bytes = g_bytes_ref (bytes);
  g_thread_pool_push (keep->self->writer, copy, NULL);
}

/* ---- opening -------------------------------------------------------------------- */

typedef struct
{
  LbWorklistItem *item;
  LbLoadedStudy *study;
  char *uid;
  gulong progress_id;
} Opening;

static void
opening_free (Opening *opening)
{
  if (opening->progress_id != 0)
    g_signal_handler_disconnect (opening->study, opening->progress_id);
  g_clear_object (&opening->item);
  g_clear_object (&opening->study);
  g_free (opening->uid);
  g_free (opening);
}

static void stream (GTask *task);

/* An open's result from its study's load: TRUE, or @error (taken). */
static void
return_loaded (GTask *task, GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_cache_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  lb_loaded_study_load_paths_finish (LB_LOADED_STUDY (source), result, &error);
  return_loaded (task, error);
}

static void
on_marked_open (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) instances = lb_store_open_study_finish (LB_STORE (source), result, &error);

  if (instances == NULL)
    g_message ("the study could not be marked open in the cache: %s", error->message);
}

static void
list_cached_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *instances = lb_store_list_instances (LB_STORE (source), data, &error);

  if (instances == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, instances, g_object_unref);
}

static GStrv
paths_of (GListModel *instances)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (instances); i++)
    {
      g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, i);
      g_strv_builder_add (builder, lb_cached_instance_get_path (instance));
    }
  return g_strv_builder_end (builder);
}

static void
on_cache_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  LbWorklist *self = g_task_get_source_object (task);
  Opening *opening = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (GListModel) instances = g_task_propagate_pointer (G_TASK (result), &error);

  if (instances != NULL && g_list_model_get_n_items (instances) == 0)
    {
      g_clear_object (&instances);
      g_set_error_literal (&error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                           _("This study is no longer in the cache."));
    }

  if (instances == NULL)
    {
      /* Evicted since the row was made: the archive still has it. */
      if (g_error_matches (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND) &&
          self->client != NULL && !self->offline)
        {
          g_clear_error (&error);
          stream (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  g_auto (GStrv) paths = paths_of (instances);
  /* Read before the task is handed on: arguments have no order of evaluation. */
  GCancellable *cancellable = g_task_get_cancellable (task);
  lb_loaded_study_load_paths_async (opening->study, (const char *const *) paths, cancellable,
                                    on_cache_loaded, g_steal_pointer (&task));
}

/* Everything streamed is in the store now: mark the study opened (and in use, so that
 * eviction spares it while it is read). */
static void
on_copies_written (GObject *source, GAsyncResult *result, gpointer data)
{
  LbWorklist *self = LB_WORKLIST (source);
  g_autofree char *uid = data;

  if (self->store != NULL)
    lb_store_open_study_async (self->store, uid, NULL, on_marked_open, NULL);
}

static void
on_streamed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  LbWorklist *self = g_task_get_source_object (task);
  Opening *opening = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = lb_loaded_study_load_dicomweb_finish (LB_LOADED_STUDY (source), result, &error);

  clear_fetching (self, opening->uid);
  if (self->sync != NULL)
    {
      lb_prefetcher_resume (lb_sync_get_prefetcher (self->sync));
      if (!ok && error->domain == LB_NET_ERROR)
        lb_sync_report_failure (self->sync, error);
    }
  if (self->store != NULL && self->writer != NULL)
    {
      Copy *flush = g_new0 (Copy, 1);
      flush->store = g_object_ref (self->store);
      flush->done = g_task_new (self, NULL, on_copies_written, g_strdup (opening->uid));
      g_thread_pool_push (self->writer, flush, NULL);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_stream_progress (LbLoadedStudy *study, GParamSpec *pspec, GTask *task)
{
  LbWorklist *self = g_task_get_source_object (task);
  Opening *opening = g_task_get_task_data (task);
  guint expected = lb_loaded_study_get_expected (study);

  if (expected > 0)
    set_fetching (self, opening->uid, (double) lb_loaded_study_get_n_instances (study) / expected);
}

static void
stream (GTask *task)
{
  LbWorklist *self = g_task_get_source_object (task);
  Opening *opening = g_task_get_task_data (task);
  KeepCopies *keep = NULL;

  if (self->sync != NULL)
    /* The reader's study has the network to itself; prefetching resumes after it. */
    lb_prefetcher_pause (lb_sync_get_prefetcher (self->sync));
  if (self->store != NULL)
    {
      ensure_writer (self);
      keep = g_new0 (KeepCopies, 1);
      keep->self = g_object_ref (self);
      keep->uid = g_strdup (opening->uid);
    }
  set_fetching (self, opening->uid, 0);
  opening->progress_id = g_signal_connect (opening->study, "notify::n-instances",
                                           G_CALLBACK (on_stream_progress), task);
  lb_loaded_study_load_dicomweb_async (opening->study, self->client, opening->uid,
                                       keep != NULL ? keep_copy : NULL, keep,
                                       (GDestroyNotify) keep_copies_free,
                                       g_task_get_cancellable (task), on_streamed, task);
}

static LbLoadedStudy *
new_loaded_study (LbWorklistItem *item, LbFrameCache *frame_cache)
{
  LbLoadedStudy *study = lb_loaded_study_new ();

  lb_loaded_study_set_frame_cache (study, frame_cache);
  lb_loaded_study_set_study (study, lb_worklist_item_get_study (item));
  if (lb_worklist_item_get_images (item) > 0)
    lb_loaded_study_set_expected (study, (guint) lb_worklist_item_get_images (item));
  return study;
}

/* ---- reading ahead ------------------------------------------------------------- */

/* The cached study the reader's selection rests on, read up to its first image. */
typedef struct Ahead
{
  char *uid;
  LbLoadedStudy *study;       /* held until opened */
  GCancellable *cancellable;
  GTask *opened;              /* the open that took it, while its load runs */
  gboolean ended;             /* the load ended before an open took it... */
  GError *error;              /* ...with this failure, or none */
} Ahead;

static void
ahead_clear (Ahead *ahead)
{
  g_free (ahead->uid);
  g_clear_object (&ahead->study);
  g_clear_object (&ahead->cancellable);
  g_clear_object (&ahead->opened);
  g_clear_error (&ahead->error);
}

static Ahead *
ahead_ref (Ahead *ahead)
{
  return g_atomic_rc_box_acquire (ahead);
}

static void
ahead_unref (Ahead *ahead)
{
  g_atomic_rc_box_release_full (ahead, (GDestroyNotify) ahead_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ahead, ahead_unref)

/* How the load ended goes to the open that took the study, or waits for it.  Takes
 * @error. */
static void
ahead_end (Ahead *ahead, GError *error)
{
  g_autoptr (GTask) opened = g_steal_pointer (&ahead->opened);

  if (opened == NULL)
    {
      ahead->ended = TRUE;
      ahead->error = error;
    }
  else
    return_loaded (opened, error);
}

static void
on_ahead_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Ahead) ahead = data;
  GError *error = NULL;

  lb_loaded_study_load_paths_finish (LB_LOADED_STUDY (source), result, &error);
  ahead_end (ahead, error);
}

static void
on_ahead_listed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Ahead) ahead = data;
  GError *error = NULL;
  g_autoptr (GListModel) instances = g_task_propagate_pointer (G_TASK (result), &error);

  if (instances != NULL && g_list_model_get_n_items (instances) == 0)
    g_set_error_literal (&error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                         _("This study is no longer in the cache."));
  if (error != NULL)
    {
      ahead_end (ahead, error);
      return;
    }
  g_auto (GStrv) paths = paths_of (instances);
  lb_loaded_study_load_paths_async (ahead->study, (const char *const *) paths,
                                    ahead->cancellable, on_ahead_loaded, ahead_ref (ahead));
}

/* The study read ahead, when it is @uid's and has not failed; the worklist lets go of
 * it. */
static Ahead *
take_ahead (LbWorklist *self, const char *uid)
{
  Ahead *ahead = self->ahead;

  if (ahead == NULL || g_strcmp0 (ahead->uid, uid) != 0 || ahead->error != NULL)
    return NULL;
  self->ahead = NULL;
  return ahead;
}

static void
cancel_too (GCancellable *cancellable, GCancellable *other)
{
  g_cancellable_cancel (other);
}

/* Enter on the row read ahead: its first image is in already, the rest of it loads
 * now, and it is marked opened as any other. */
static void
open_ahead (LbWorklist *self, Ahead *ahead, GTask *task, GCancellable *cancellable)
{
  Opening *opening = g_task_get_task_data (task);

  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancel_too),
                           g_object_ref (ahead->cancellable), g_object_unref);
  lb_store_open_study_async (self->store, opening->uid, NULL, on_marked_open, NULL);
  if (ahead->ended)
    {
      return_loaded (task, g_steal_pointer (&ahead->error));
      g_object_unref (task);
    }
  else
    ahead->opened = task;
  lb_loaded_study_resume (ahead->study);
}

void
lb_worklist_read_ahead (LbWorklist *self, LbWorklistItem *item, LbFrameCache *frame_cache)
{
  g_return_if_fail (LB_IS_WORKLIST (self));
  g_return_if_fail (item == NULL || LB_IS_WORKLIST_ITEM (item));

  const char *uid = item != NULL ? lb_worklist_item_get_study_instance_uid (item) : NULL;
  if (self->ahead != NULL && g_strcmp0 (self->ahead->uid, uid) == 0)
    return;
  if (self->ahead != NULL)
    {
      g_cancellable_cancel (self->ahead->cancellable);
      g_clear_pointer (&self->ahead, ahead_unref);
    }

  LbWorklistEntry *entry = uid != NULL ? g_hash_table_lookup (self->entries, uid) : NULL;
  if (self->store == NULL || entry == NULL || !entry_complete (entry))
    return;

  Ahead *ahead = g_atomic_rc_box_new0 (Ahead);
  ahead->uid = g_strdup (uid);
  ahead->study = new_loaded_study (item, frame_cache);
  ahead->cancellable = g_cancellable_new ();
  lb_loaded_study_hold (ahead->study);
  self->ahead = ahead;

  GTask *list = g_task_new (self->store, ahead->cancellable, on_ahead_listed, ahead_ref (ahead));
  g_task_set_task_data (list, g_strdup (uid), g_free);
  g_task_run_in_thread (list, list_cached_thread);
  g_object_unref (list);
}

LbLoadedStudy *
lb_worklist_open_study (LbWorklist *self, LbWorklistItem *item, LbFrameCache *frame_cache,
                        GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_return_val_if_fail (LB_IS_WORKLIST (self), NULL);
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (item), NULL);

  const char *uid = lb_worklist_item_get_study_instance_uid (item);
  g_autoptr (Ahead) ahead = take_ahead (self, uid);
  LbLoadedStudy *study = ahead != NULL ? g_object_ref (ahead->study)
                                       : new_loaded_study (item, frame_cache);
  if (lb_worklist_item_get_status (item) == LB_WORKLIST_STATUS_UNREAD)
    lb_worklist_item_set_status (item, LB_WORKLIST_STATUS_OPENED);

  Opening *opening = g_new0 (Opening, 1);
  opening->item = g_object_ref (item);
  opening->study = g_object_ref (study);
  opening->uid = g_strdup (uid);

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_worklist_open_study);
  g_task_set_task_data (task, opening, (GDestroyNotify) opening_free);

  if (ahead != NULL)
    {
      open_ahead (self, ahead, task, cancellable);
      return study;
    }

  LbWorklistEntry *entry = g_hash_table_lookup (self->entries, opening->uid);
  gboolean complete = entry != NULL && entry_complete (entry);
  gboolean some = entry != NULL && lb_worklist_entry_get_cached_instances (entry) > 0;

  if (self->store != NULL && (complete || (some && (self->offline || self->client == NULL))))
    {
      /* Listing is a read and the first image waits for it; marking the study opened
       * (and in use) writes to the index and the audit log, and goes alongside. */
      GTask *list = g_task_new (self->store, cancellable, on_cache_listed, task);
      g_task_set_task_data (list, g_strdup (opening->uid), g_free);
      g_task_run_in_thread (list, list_cached_thread);
      g_object_unref (list);
      lb_store_open_study_async (self->store, opening->uid, NULL, on_marked_open, NULL);
    }
  else if (self->client != NULL)
    stream (task);
  else
    {
      g_task_return_new_error (task, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND, "%s",
                               _("This study is not in the cache, and no archive is set up."));
      g_object_unref (task);
    }
  return study;
}

gboolean
lb_worklist_open_study_finish (LbWorklist *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
close_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  lb_store_close_study (LB_STORE (source), data);
  g_task_return_boolean (task, TRUE);
}

void
lb_worklist_close_study (LbWorklist *self, const char *study_uid)
{
  g_return_if_fail (LB_IS_WORKLIST (self));
  g_return_if_fail (study_uid != NULL);

  if (self->store == NULL)
    return;
  g_autoptr (GTask) task = g_task_new (self->store, NULL, NULL, NULL);
  g_task_set_task_data (task, g_strdup (study_uid), g_free);
  g_task_run_in_thread (task, close_thread);
}
