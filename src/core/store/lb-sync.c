/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-sync.h"

#include "lb-net-error.h"
#include "lb-store-private.h"
#include "lb-worklist-entry-private.h"

#define DEFAULT_FIRST_RETRY_MS 2000
#define DEFAULT_LONGEST_RETRY_MS 60000
#define OUTBOX_INTERVAL_SECONDS 30
/* Rows follow the store's changes (a prefetch under way) at most this often. */
#define ROWS_INTERVAL_MS 500

struct _LbSync
{
  GObject parent_instance;

  LbStore *store;
  LbDicomwebClient *client;
  LbPrefetcher *prefetcher;
  GListStore *worklist;
  LbQidoQuery *query;
  GMainContext *context;

  LbSyncState state;
  char *last_error;
  guint first_retry_ms;
  guint longest_retry_ms;
  guint retry_ms;
  gint64 next_retry;
  GSource *retry_source;
  GSource *outbox_source;
  GSource *rows_source;
  /* The archive's last answer, which the rows are made from while online. */
  GListModel *studies;
  gulong store_changed_id;

  GCancellable *cancellable;
  /* A refresh is under way; another asked meanwhile runs after it. */
  gboolean refreshing;
  gboolean refresh_again;
  gboolean sending;
  /* Came back from offline: "synced" is due once the outbox has been sent. */
  gboolean reconnecting;
};

G_DEFINE_ENUM_TYPE (LbSyncState, lb_sync_state,
  G_DEFINE_ENUM_VALUE (LB_SYNC_STATE_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (LB_SYNC_STATE_ONLINE, "online"),
  G_DEFINE_ENUM_VALUE (LB_SYNC_STATE_OFFLINE, "offline"))

G_DEFINE_FINAL_TYPE (LbSync, lb_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_NEXT_RETRY,
  N_PROPS
};

enum {
  SIGNAL_SYNCED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void refresh (LbSync *self);
static void send_outbox (LbSync *self, gboolean due_only);
static void on_store_changed (LbSync *self);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
lb_sync_dispose (GObject *object)
{
  LbSync *self = LB_SYNC (object);

  g_cancellable_cancel (self->cancellable);
  clear_source (&self->retry_source);
  clear_source (&self->outbox_source);
  clear_source (&self->rows_source);
  g_clear_signal_handler (&self->store_changed_id, self->store);
  G_OBJECT_CLASS (lb_sync_parent_class)->dispose (object);
}

static void
lb_sync_finalize (GObject *object)
{
  LbSync *self = LB_SYNC (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->prefetcher);
  g_clear_object (&self->worklist);
  g_clear_object (&self->studies);
  g_clear_object (&self->query);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->last_error);
  G_OBJECT_CLASS (lb_sync_parent_class)->finalize (object);
}

static void
lb_sync_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbSync *self = LB_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_NEXT_RETRY:
      g_value_set_int64 (value, self->next_retry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_sync_class_init (LbSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lb_sync_dispose;
  object_class->finalize = lb_sync_finalize;
  object_class->get_property = lb_sync_get_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LB_TYPE_SYNC_STATE,
                                              LB_SYNC_STATE_UNKNOWN, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  properties[PROP_NEXT_RETRY] =
    g_param_spec_int64 ("next-retry", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
lb_sync_init (LbSync *self)
{
  self->worklist = g_list_store_new (LB_TYPE_WORKLIST_ENTRY);
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  self->first_retry_ms = DEFAULT_FIRST_RETRY_MS;
  self->longest_retry_ms = DEFAULT_LONGEST_RETRY_MS;
}

LbSync *
lb_sync_new (LbStore *store, LbDicomwebClient *client)
{
  g_return_val_if_fail (LB_IS_STORE (store), NULL);
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (client), NULL);

  LbSync *self = g_object_new (LB_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->prefetcher = lb_prefetcher_new (store, client);
  self->store_changed_id = g_signal_connect_swapped (store, "studies-changed",
                                                     G_CALLBACK (on_store_changed), self);
  return self;
}

LbStore *
lb_sync_get_store (LbSync *self)
{
  g_return_val_if_fail (LB_IS_SYNC (self), NULL);
  return self->store;
}

LbPrefetcher *
lb_sync_get_prefetcher (LbSync *self)
{
  g_return_val_if_fail (LB_IS_SYNC (self), NULL);
  return self->prefetcher;
}

LbSyncState
lb_sync_get_state (LbSync *self)
{
  g_return_val_if_fail (LB_IS_SYNC (self), LB_SYNC_STATE_UNKNOWN);
  return self->state;
}

const char *
lb_sync_get_last_error (LbSync *self)
{
  g_return_val_if_fail (LB_IS_SYNC (self), NULL);
  return self->last_error;
}

gint64
lb_sync_get_next_retry (LbSync *self)
{
  g_return_val_if_fail (LB_IS_SYNC (self), 0);
  return self->next_retry;
}

GListModel *
lb_sync_get_worklist (LbSync *self)
{
  g_return_val_if_fail (LB_IS_SYNC (self), NULL);
  return G_LIST_MODEL (self->worklist);
}

void
lb_sync_set_retry_delays (LbSync *self, guint first_ms, guint longest_ms)
{
  g_return_if_fail (LB_IS_SYNC (self));
  g_return_if_fail (first_ms > 0 && longest_ms >= first_ms);

  self->first_retry_ms = first_ms;
  self->longest_retry_ms = longest_ms;
}

static GSource *
add_timeout (LbSync *self, guint ms, GSourceFunc func)
{
  GSource *source = g_timeout_source_new (ms);

  /* A weak pointer would do, but the sources are destroyed in dispose anyway. */
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
replace_rows (LbSync *self, GListModel *entries)
{
  guint n = g_list_model_get_n_items (entries);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (entries, i));
  g_list_store_splice (self->worklist, 0, g_list_model_get_n_items (G_LIST_MODEL (self->worklist)),
                       items->pdata, items->len);
}

static void
set_state (LbSync *self, LbSyncState state, const char *message)
{
  gboolean changed = self->state != state;

  self->state = state;
  if (g_strcmp0 (self->last_error, message) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- offline: retries with backoff ----------------------------------------------- */

static gboolean
on_retry (gpointer user_data)
{
  LbSync *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  self->next_retry = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RETRY]);
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* The archive answered (or refused the user): no retry is due. */
static void
stop_retrying (LbSync *self)
{
  clear_source (&self->retry_source);
  self->retry_ms = 0;
  self->next_retry = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RETRY]);
}

static void
schedule_retry (LbSync *self)
{
  clear_source (&self->retry_source);
  self->retry_ms = self->retry_ms == 0 ? self->first_retry_ms
                                       : MIN (self->retry_ms * 2, self->longest_retry_ms);
  self->next_retry = g_get_monotonic_time () + (gint64) self->retry_ms * 1000;
  self->retry_source = add_timeout (self, self->retry_ms, on_retry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RETRY]);
}

static void
on_cached_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbSync) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) entries =
    lb_store_list_studies_finish (LB_STORE (source), result, &error);

  if (entries == NULL)
    {
      g_warning ("the cached studies cannot be listed: %s", error->message);
      return;
    }

  g_autoptr (GListStore) offline = g_list_store_new (LB_TYPE_WORKLIST_ENTRY);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (entries, i);
      g_autoptr (LbWorklistEntry) marked = _lb_worklist_entry_copy_offline (entry);
      g_list_store_append (offline, marked);
    }
  replace_rows (self, G_LIST_MODEL (offline));
}

static void
go_offline (LbSync *self, const GError *error)
{
  gboolean was_offline = self->state == LB_SYNC_STATE_OFFLINE;

  g_debug ("the archive did not answer: %s", error->message);
  set_state (self, LB_SYNC_STATE_OFFLINE, error->message);
  self->reconnecting = FALSE;
  clear_source (&self->outbox_source);
  lb_prefetcher_pause (self->prefetcher);
  /* A refused user is not asked again on a timer (see lb_net_error_is_refusal()): a
   * retry now, or new credentials, ask again. */
  if (lb_net_error_is_refusal (error))
    stop_retrying (self);
  else
    schedule_retry (self);
  /* Everything cached can still be read: the worklist shows it, marked offline. */
  if (!was_offline || g_list_model_get_n_items (G_LIST_MODEL (self->worklist)) == 0)
    lb_store_list_studies_async (self->store, self->query, self->cancellable, on_cached_listed,
                                 g_object_ref (self));
}

void
lb_sync_report_failure (LbSync *self, const GError *error)
{
  g_return_if_fail (LB_IS_SYNC (self));
  g_return_if_fail (error != NULL);

  if (_lb_store_error_is_unreachable (error) && self->state != LB_SYNC_STATE_OFFLINE)
    go_offline (self, error);
}

void
lb_sync_retry_now (LbSync *self)
{
  g_return_if_fail (LB_IS_SYNC (self));

  clear_source (&self->retry_source);
  refresh (self);
}

/* ---- online: the worklist and the outbox ----------------------------------------- */

void
lb_sync_send_now (LbSync *self)
{
  g_return_if_fail (LB_IS_SYNC (self));

  if (self->state == LB_SYNC_STATE_ONLINE)
    send_outbox (self, FALSE);
  else
    lb_sync_retry_now (self);
}

static gboolean
on_outbox_timer (gpointer user_data)
{
  send_outbox (user_data, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
on_outbox_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbSync) self = user_data;
  g_autoptr (GError) error = NULL;
  guint sent = 0;

  self->sending = FALSE;
  if (!lb_store_send_outbox_finish (LB_STORE (source), result, &sent, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (_lb_store_error_is_unreachable (error))
        {
          go_offline (self, error);
          return;
        }
      g_warning ("the outbox cannot be read: %s", error->message);
    }
  if (self->reconnecting)
    {
      self->reconnecting = FALSE;
      g_signal_emit (self, signals[SIGNAL_SYNCED], 0, sent);
    }
}

static void
send_outbox (LbSync *self, gboolean due_only)
{
  if (self->sending || self->state != LB_SYNC_STATE_ONLINE)
    return;
  self->sending = TRUE;
  lb_store_send_outbox_async (self->store, self->client, due_only, self->cancellable,
                              on_outbox_sent, g_object_ref (self));
}

static void
refresh_done (LbSync *self)
{
  self->refreshing = FALSE;
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      refresh (self);
    }
}

static void
on_annotated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbSync) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) entries =
    lb_store_annotate_studies_finish (LB_STORE (source), result, &error);

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("the worklist cannot be matched with the cache: %s", error->message);
      refresh_done (self);
      return;
    }
  replace_rows (self, entries);
  lb_prefetcher_set_worklist (self->prefetcher, entries);
  refresh_done (self);
}

static void
on_searched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbSync) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) studies =
    lb_dicomweb_client_search_studies_finish (LB_DICOMWEB_CLIENT (source), result, &error);

  if (studies == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      go_offline (self, error);
      refresh_done (self);
      return;
    }

  gboolean was_offline = self->state == LB_SYNC_STATE_OFFLINE;
  stop_retrying (self);
  set_state (self, LB_SYNC_STATE_ONLINE, NULL);
  if (self->outbox_source == NULL)
    self->outbox_source = add_timeout (self, OUTBOX_INTERVAL_SECONDS * 1000, on_outbox_timer);

  g_set_object (&self->studies, studies);
  lb_store_annotate_studies_async (self->store, studies, self->cancellable, on_annotated,
                                   g_object_ref (self));
  lb_prefetcher_resume (self->prefetcher);
  /* Back from offline: everything waiting goes now, not at its next try.  A refresh
   * right after (asked for meanwhile) does not cancel the "synced" still due. */
  if (was_offline)
    self->reconnecting = TRUE;
  send_outbox (self, !was_offline);
}

static void
on_reannotated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbSync) self = user_data;
  g_autoptr (GListModel) entries =
    lb_store_annotate_studies_finish (LB_STORE (source), result, NULL);

  /* A refresh or an outage since made newer rows: these are stale. */
  if (entries != NULL && self->state == LB_SYNC_STATE_ONLINE && !self->refreshing)
    replace_rows (self, entries);
}

static gboolean
on_rows_due (gpointer user_data)
{
  LbSync *self = user_data;

  g_clear_pointer (&self->rows_source, g_source_unref);
  if (self->state == LB_SYNC_STATE_ONLINE && self->studies != NULL)
    lb_store_annotate_studies_async (self->store, self->studies, self->cancellable,
                                     on_reannotated, g_object_ref (self));
  else if (self->state == LB_SYNC_STATE_OFFLINE)
    lb_store_list_studies_async (self->store, self->query, self->cancellable, on_cached_listed,
                                 g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Cached, evicted, opened, reported: the rows show it, without asking the archive. */
static void
on_store_changed (LbSync *self)
{
  if (self->rows_source == NULL && self->state != LB_SYNC_STATE_UNKNOWN)
    self->rows_source = add_timeout (self, ROWS_INTERVAL_MS, on_rows_due);
}

static void
refresh (LbSync *self)
{
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->refreshing = TRUE;

  g_autoptr (LbQidoQuery) query =
    self->query != NULL ? g_object_ref (self->query) : lb_qido_query_new ();

  lb_study_add_include_fields (query);
  lb_dicomweb_client_search_studies_async (self->client, query, self->cancellable, on_searched,
                                           g_object_ref (self));
}

void
lb_sync_refresh (LbSync *self)
{
  g_return_if_fail (LB_IS_SYNC (self));
  refresh (self);
}

void
lb_sync_set_query (LbSync *self, LbQidoQuery *query)
{
  g_return_if_fail (LB_IS_SYNC (self));
  g_return_if_fail (query == NULL || LB_IS_QIDO_QUERY (query));

  g_set_object (&self->query, query);
  refresh (self);
}
