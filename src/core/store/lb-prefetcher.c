/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-prefetcher.h"

#include <string.h>

#include "lb-store-private.h"

/* A study that fails this often for reasons other than the network is left alone. */
#define MAX_TRIES 3

struct _LbPrefetcher
{
  GObject parent_instance;

  LbStore *store;
  LbDicomwebClient *client;
  guint count;
  gboolean paused;

  /* The last worklist (LbWorklistEntry) and its entries by UID; the reading order. */
  GListModel *worklist;
  GHashTable *entries;
  char **order;

  GQueue queue;
  GHashTable *tries;
  char *current;
  GCancellable *cancellable;
  /* The current study was interrupted on purpose: where it goes back in the queue. */
  gboolean interrupted;
  guint requeue_at;
};

G_DEFINE_FINAL_TYPE (LbPrefetcher, lb_prefetcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COUNT,
  PROP_PAUSED,
  PROP_CURRENT,
  PROP_PENDING,
  N_PROPS
};

enum {
  SIGNAL_STUDY_STARTED,
  SIGNAL_STUDY_PROGRESS,
  SIGNAL_STUDY_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_next (LbPrefetcher *self);
static void requeue (LbPrefetcher *self);

static void
lb_prefetcher_dispose (GObject *object)
{
  LbPrefetcher *self = LB_PREFETCHER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (lb_prefetcher_parent_class)->dispose (object);
}

static void
lb_prefetcher_finalize (GObject *object)
{
  LbPrefetcher *self = LB_PREFETCHER (object);

  g_queue_clear_full (&self->queue, g_free);
  g_clear_object (&self->worklist);
  g_hash_table_unref (self->entries);
  g_strfreev (self->order);
  g_hash_table_unref (self->tries);
  g_free (self->current);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (lb_prefetcher_parent_class)->finalize (object);
}

static void
lb_prefetcher_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbPrefetcher *self = LB_PREFETCHER (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_CURRENT:
      g_value_set_string (value, self->current);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->queue.length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_prefetcher_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  LbPrefetcher *self = LB_PREFETCHER (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      lb_prefetcher_set_count (self, g_value_get_uint (value));
      break;
    case PROP_PAUSED:
      if (g_value_get_boolean (value))
        lb_prefetcher_pause (self);
      else
        lb_prefetcher_resume (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_prefetcher_class_init (LbPrefetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_prefetcher_dispose;
  object_class->finalize = lb_prefetcher_finalize;
  object_class->get_property = lb_prefetcher_get_property;
  object_class->set_property = lb_prefetcher_set_property;

  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, LB_PREFETCHER_DEFAULT_COUNT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT] =
    g_param_spec_string ("current", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STUDY_STARTED] =
    g_signal_new ("study-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_STUDY_PROGRESS] =
    g_signal_new ("study-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);
  signals[SIGNAL_STUDY_DONE] =
    g_signal_new ("study-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
lb_prefetcher_init (LbPrefetcher *self)
{
  self->count = LB_PREFETCHER_DEFAULT_COUNT;
  self->tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_queue_init (&self->queue);
}

LbPrefetcher *
lb_prefetcher_new (LbStore *store, LbDicomwebClient *client)
{
  g_return_val_if_fail (LB_IS_STORE (store), NULL);
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (client), NULL);

  LbPrefetcher *self = g_object_new (LB_TYPE_PREFETCHER, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  return self;
}

guint
lb_prefetcher_get_count (LbPrefetcher *self)
{
  g_return_val_if_fail (LB_IS_PREFETCHER (self), 0);
  return self->count;
}

void
lb_prefetcher_set_count (LbPrefetcher *self, guint count)
{
  g_return_if_fail (LB_IS_PREFETCHER (self));

  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
  requeue (self);
}

static void
remove_queued (LbPrefetcher *self, const char *study_uid)
{
  GList *link = g_queue_find_custom (&self->queue, study_uid, (GCompareFunc) strcmp);

  if (link != NULL)
    {
      g_free (link->data);
      g_queue_delete_link (&self->queue, link);
    }
}

static void
consider (LbPrefetcher *self, LbWorklistEntry *entry)
{
  const char *uid = lb_worklist_entry_get_study_instance_uid (entry);

  if (lb_worklist_entry_get_complete (entry) || g_strcmp0 (uid, self->current) == 0 ||
      GPOINTER_TO_UINT (g_hash_table_lookup (self->tries, uid)) >= MAX_TRIES)
    return;
  g_queue_push_tail (&self->queue, g_strdup (uid));
}

/* The queue again: the first @count studies of the reading order, or of the worklist. */
static void
requeue (LbPrefetcher *self)
{
  guint taken = 0;

  g_queue_clear_full (&self->queue, g_free);
  if (self->worklist != NULL && self->order != NULL)
    {
      for (guint i = 0; self->order[i] != NULL && taken < self->count; i++)
        {
          LbWorklistEntry *entry = g_hash_table_lookup (self->entries, self->order[i]);
          if (entry == NULL)
            continue;
          consider (self, entry);
          taken++;
        }
    }
  else if (self->worklist != NULL)
    {
      guint n = MIN (g_list_model_get_n_items (self->worklist), self->count);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (self->worklist, i);
          consider (self, entry);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  run_next (self);
}

void
lb_prefetcher_set_worklist (LbPrefetcher *self, GListModel *entries)
{
  g_return_if_fail (LB_IS_PREFETCHER (self));
  g_return_if_fail (G_IS_LIST_MODEL (entries));

  g_set_object (&self->worklist, entries);
  g_hash_table_remove_all (self->entries);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      LbWorklistEntry *entry = g_list_model_get_item (entries, i);
      g_hash_table_replace (self->entries,
                            (gpointer) lb_worklist_entry_get_study_instance_uid (entry), entry);
    }
  requeue (self);
}

void
lb_prefetcher_set_order (LbPrefetcher *self, const char *const *study_uids)
{
  g_return_if_fail (LB_IS_PREFETCHER (self));

  if (self->order != NULL && study_uids != NULL &&
      g_strv_equal ((const char *const *) self->order, study_uids))
    return;
  g_strfreev (self->order);
  self->order = g_strdupv ((char **) study_uids);
  requeue (self);
}

static void
interrupt (LbPrefetcher *self, guint requeue_at)
{
  if (self->current == NULL || self->interrupted)
    return;
  self->interrupted = TRUE;
  self->requeue_at = requeue_at;
  g_cancellable_cancel (self->cancellable);
}

void
lb_prefetcher_prioritize (LbPrefetcher *self, const char *study_uid)
{
  g_return_if_fail (LB_IS_PREFETCHER (self));
  g_return_if_fail (study_uid != NULL);

  if (g_strcmp0 (study_uid, self->current) == 0)
    return;
  remove_queued (self, study_uid);
  g_queue_push_head (&self->queue, g_strdup (study_uid));
  /* The user is waiting for this one: it is tried however it failed before. */
  g_hash_table_remove (self->tries, study_uid);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  if (self->current != NULL)
    interrupt (self, 1);
  else
    run_next (self);
}

void
lb_prefetcher_pause (LbPrefetcher *self)
{
  g_return_if_fail (LB_IS_PREFETCHER (self));

  if (self->paused)
    return;
  self->paused = TRUE;
  interrupt (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

void
lb_prefetcher_resume (LbPrefetcher *self)
{
  g_return_if_fail (LB_IS_PREFETCHER (self));

  if (!self->paused)
    return;
  self->paused = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  run_next (self);
}

gboolean
lb_prefetcher_get_paused (LbPrefetcher *self)
{
  g_return_val_if_fail (LB_IS_PREFETCHER (self), FALSE);
  return self->paused;
}

const char *
lb_prefetcher_get_current (LbPrefetcher *self)
{
  g_return_val_if_fail (LB_IS_PREFETCHER (self), NULL);
  return self->current;
}

guint
lb_prefetcher_get_pending (LbPrefetcher *self)
{
  g_return_val_if_fail (LB_IS_PREFETCHER (self), 0);
  return self->queue.length;
}

static void
on_progress (const char *study_uid, const LbFetchProgress *progress, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_STUDY_PROGRESS], 0, study_uid, progress);
}

static void
on_cached (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LbPrefetcher) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *uid = g_steal_pointer (&self->current);
  gboolean interrupted = self->interrupted;

  lb_store_cache_study_finish (LB_STORE (source), result, NULL, &error);
  g_clear_object (&self->cancellable);
  self->interrupted = FALSE;

  if (interrupted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_queue_push_nth (&self->queue, g_steal_pointer (&uid),
                      (int) MIN (self->requeue_at, self->queue.length));
  else if (error == NULL)
    {
      g_debug ("prefetched %s", uid);
      g_hash_table_remove (self->tries, uid);
      g_signal_emit (self, signals[SIGNAL_STUDY_DONE], 0, uid, NULL);
    }
  else if (_lb_store_error_is_unreachable (error))
    {
      /* Nothing will come until the archive answers again: wait to be resumed. */
      g_queue_push_head (&self->queue, g_strdup (uid));
      self->paused = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
      g_signal_emit (self, signals[SIGNAL_STUDY_DONE], 0, uid, error);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint tries = GPOINTER_TO_UINT (g_hash_table_lookup (self->tries, uid)) + 1;

      g_debug ("prefetch attempt %u failed: %s", tries, error->message);
      g_hash_table_insert (self->tries, g_strdup (uid), GUINT_TO_POINTER (tries));
      if (tries < MAX_TRIES)
        g_queue_push_tail (&self->queue, g_strdup (uid));
      else
        g_signal_emit (self, signals[SIGNAL_STUDY_DONE], 0, uid, error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  run_next (self);
}

static void
run_next (LbPrefetcher *self)
{
  if (self->paused || self->current != NULL || self->queue.length == 0)
    return;

  self->current = g_queue_pop_head (&self->queue);
  g_debug ("prefetching %s (%u more queued)", self->current, self->queue.length);
  self->cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  g_signal_emit (self, signals[SIGNAL_STUDY_STARTED], 0, self->current);
  lb_store_cache_study_async (self->store, self->client, self->current, on_progress,
                              g_object_ref (self), g_object_unref, self->cancellable, on_cached,
                              g_object_ref (self));
}
