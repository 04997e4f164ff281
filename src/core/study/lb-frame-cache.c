/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-frame-cache.h"

#include "lb-background-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

/* Deeper than this a picture would be a few pixels wide. */
#define MAX_LEVEL 6
/* Evicted surfaces kept for reuse: fresh memory costs more than the pixels it holds. */
#define SPARE_SURFACES 6

/* What decides the pixels of a picture. */
typedef struct
{
  guint level;
  LbVoiMode mode;
  LbWindow window;
  gboolean invert;
  guint voi_lut;
  gboolean grey_a8;
} RenderKey;

typedef struct
{
  LbSlice *slice;
  LbFrameRenderer *renderer;
  guint64 decoded_bytes;
  GList decoded_link;       /* in decoded_lru while @renderer is set */
  gboolean decoding;

  cairo_surface_t *surface;
  RenderKey key;
  LbWindow applied;
  guint64 rendered_bytes;
  GList rendered_link;      /* in rendered_lru while @surface is set */
} Entry;

struct _LbFrameCache
{
  GObject parent_instance;

  GMutex lock;
  GCond decoded;
  GHashTable *entries;      /* LbSlice -> Entry */
  GQueue decoded_lru;       /* most recent at the head */
  GQueue rendered_lru;
  guint64 max_decoded;
  guint64 max_rendered;
  guint64 decoded_bytes;
  guint64 rendered_bytes;
  GPtrArray *spare;         /* cairo_surface_t */

  /* Prefetch: one background thread works on the latest request. */
  GThreadPool *prefetcher;
  gint generation;
};

G_DEFINE_FINAL_TYPE (LbFrameCache, lb_frame_cache, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->slice);
  g_clear_object (&entry->renderer);
  g_clear_pointer (&entry->surface, cairo_surface_destroy);
  g_free (entry);
}

static void
lb_frame_cache_finalize (GObject *object)
{
  LbFrameCache *self = LB_FRAME_CACHE (object);

  g_atomic_int_inc (&self->generation);
  g_thread_pool_free (self->prefetcher, TRUE, TRUE);
  g_hash_table_unref (self->entries);
  g_ptr_array_unref (self->spare);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->decoded);

  G_OBJECT_CLASS (lb_frame_cache_parent_class)->finalize (object);
}

static void
lb_frame_cache_class_init (LbFrameCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_frame_cache_finalize;
}

static void prefetch_run (gpointer data, gpointer user_data);

static void
lb_frame_cache_init (LbFrameCache *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->decoded);
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entry_free);
  self->spare = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  self->prefetcher = g_thread_pool_new (prefetch_run, self, 1, FALSE, NULL);
}

LbFrameCache *
lb_frame_cache_new (guint64 max_decoded_bytes, guint64 max_rendered_bytes)
{
  LbFrameCache *self = g_object_new (LB_TYPE_FRAME_CACHE, NULL);

  self->max_decoded = max_decoded_bytes;
  self->max_rendered = max_rendered_bytes;
  return self;
}

guint
lb_frame_cache_choose_level (double scale)
{
  if (!(scale > 0) || scale >= 0.5)
    return 0;
  return (guint) MIN (MAX_LEVEL, floor (log2 (1 / scale)));
}

static Entry *
lookup_locked (LbFrameCache *self, LbSlice *slice, gboolean create)
{
  Entry *entry = g_hash_table_lookup (self->entries, slice);

  if (entry == NULL && create)
    {
      entry = g_new0 (Entry, 1);
      entry->slice = g_object_ref (slice);
      entry->decoded_link.data = entry;
      entry->rendered_link.data = entry;
      g_hash_table_insert (self->entries, slice, entry);
    }
  return entry;
}

static void
drop_if_empty_locked (LbFrameCache *self, Entry *entry)
{
  if (entry->renderer == NULL && entry->surface == NULL && !entry->decoding)
    g_hash_table_remove (self->entries, entry->slice);
}

static void
keep_spare_locked (LbFrameCache *self, cairo_surface_t *surface)
{
  if (self->spare->len >= SPARE_SURFACES)
    g_ptr_array_remove_index (self->spare, 0);
  g_ptr_array_add (self->spare, surface);
}

static void
evict_rendered_locked (LbFrameCache *self, Entry *keep)
{
  while (self->rendered_bytes > self->max_rendered && self->rendered_lru.tail != NULL)
    {
      Entry *victim = self->rendered_lru.tail->data;
      if (victim == keep)
        break;
      g_queue_unlink (&self->rendered_lru, &victim->rendered_link);
      self->rendered_bytes -= victim->rendered_bytes;
      victim->rendered_bytes = 0;
      keep_spare_locked (self, g_steal_pointer (&victim->surface));
      drop_if_empty_locked (self, victim);
    }
}

static void
evict_decoded_locked (LbFrameCache *self, Entry *keep)
{
  while (self->decoded_bytes > self->max_decoded && self->decoded_lru.tail != NULL)
    {
      Entry *victim = self->decoded_lru.tail->data;
      if (victim == keep)
        break;
      g_queue_unlink (&self->decoded_lru, &victim->decoded_link);
      self->decoded_bytes -= victim->decoded_bytes;
      victim->decoded_bytes = 0;
      g_clear_object (&victim->renderer);
      drop_if_empty_locked (self, victim);
    }
}

static void
touch_decoded_locked (LbFrameCache *self, Entry *entry)
{
  g_queue_unlink (&self->decoded_lru, &entry->decoded_link);
  g_queue_push_head_link (&self->decoded_lru, &entry->decoded_link);
}

static void
touch_rendered_locked (LbFrameCache *self, Entry *entry)
{
  g_queue_unlink (&self->rendered_lru, &entry->rendered_link);
  g_queue_push_head_link (&self->rendered_lru, &entry->rendered_link);
}

LbFrameRenderer *
lb_frame_cache_peek_renderer (LbFrameCache *self, LbSlice *slice)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (self), NULL);
  g_return_val_if_fail (LB_IS_SLICE (slice), NULL);

  LbFrameRenderer *renderer = NULL;
  g_mutex_lock (&self->lock);
  Entry *entry = lookup_locked (self, slice, FALSE);
  if (entry != NULL && entry->renderer != NULL)
    {
      renderer = g_object_ref (entry->renderer);
      touch_decoded_locked (self, entry);
    }
  g_mutex_unlock (&self->lock);
  return renderer;
}

/* The frame's samples and the renderer's levels, roughly a third more. */
static guint64
renderer_bytes (LbFrameRenderer *renderer)
{
  return lb_pixels_get_size (lb_frame_renderer_get_pixels (renderer)) * 4 / 3;
}

LbFrameRenderer *
lb_frame_cache_get_renderer (LbFrameCache *self, LbSlice *slice, GCancellable *cancellable,
                             GError **error)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (self), NULL);
  g_return_val_if_fail (LB_IS_SLICE (slice), NULL);

  g_mutex_lock (&self->lock);
  Entry *entry = lookup_locked (self, slice, TRUE);
  while (entry->decoding)
    {
      g_cond_wait (&self->decoded, &self->lock);
      entry = lookup_locked (self, slice, TRUE);
    }
  if (entry->renderer != NULL)
    {
      LbFrameRenderer *renderer = g_object_ref (entry->renderer);
      touch_decoded_locked (self, entry);
      g_mutex_unlock (&self->lock);
      return renderer;
    }
  entry->decoding = TRUE;
  g_mutex_unlock (&self->lock);

  g_autoptr (LbFrameRenderer) renderer = NULL;
  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      LbDicomFile *file = lb_slice_get_file (slice);
      guint frame = lb_slice_get_frame (slice);
      g_autoptr (LbFrameDisplay) display = lb_frame_display_new (file, frame, error);
      g_autoptr (LbPixels) pixels = display != NULL ? lb_dicom_file_decode_frame (file, frame, error)
                                                    : NULL;
      if (pixels != NULL)
        renderer = lb_frame_renderer_new (display, pixels, error);
    }

  g_mutex_lock (&self->lock);
  entry = lookup_locked (self, slice, TRUE);
  entry->decoding = FALSE;
  if (renderer != NULL)
    {
      entry->renderer = g_object_ref (renderer);
      entry->decoded_bytes = renderer_bytes (renderer);
      self->decoded_bytes += entry->decoded_bytes;
      g_queue_push_head_link (&self->decoded_lru, &entry->decoded_link);
      evict_decoded_locked (self, entry);
    }
  else
    drop_if_empty_locked (self, entry);
  g_cond_broadcast (&self->decoded);
  g_mutex_unlock (&self->lock);
  return g_steal_pointer (&renderer);
}

static void
make_key (RenderKey *key, guint level, const LbRenderOptions *options)
{
  memset (key, 0, sizeof *key);
  key->level = level;
  key->mode = options->mode;
  key->invert = options->invert;
  key->grey_a8 = options->grey_a8;
  if (options->mode == LB_VOI_MODE_WINDOW)
    key->window = options->window;
  if (options->mode == LB_VOI_MODE_VOI_LUT)
    key->voi_lut = options->voi_lut;
}

static gboolean
key_equal (const RenderKey *a, const RenderKey *b)
{
  return a->level == b->level && a->mode == b->mode && a->invert == b->invert &&
         a->grey_a8 == b->grey_a8 && a->voi_lut == b->voi_lut &&
         a->window.center == b->window.center && a->window.width == b->window.width &&
         a->window.function == b->window.function;
}

cairo_surface_t *
lb_frame_cache_peek_render (LbFrameCache *self, LbSlice *slice, guint level,
                            const LbRenderOptions *options, LbWindow *applied)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (self), NULL);
  g_return_val_if_fail (LB_IS_SLICE (slice), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  RenderKey key;
  make_key (&key, level, options);

  cairo_surface_t *surface = NULL;
  g_mutex_lock (&self->lock);
  Entry *entry = lookup_locked (self, slice, FALSE);
  if (entry != NULL && entry->surface != NULL && key_equal (&entry->key, &key))
    {
      surface = cairo_surface_reference (entry->surface);
      if (applied != NULL)
        *applied = entry->applied;
      touch_rendered_locked (self, entry);
    }
  g_mutex_unlock (&self->lock);
  return surface;
}

/* A surface to render into: the frame's own previous picture when nobody else holds it,
 * else a spare of the right shape, else a new one. */
static cairo_surface_t *
take_target_locked (LbFrameCache *self, Entry *entry, cairo_format_t format, int width,
                    int height)
{
  if (entry->surface != NULL)
    {
      cairo_surface_t *own = entry->surface;
      gboolean fits = cairo_image_surface_get_format (own) == format &&
                      cairo_image_surface_get_width (own) == width &&
                      cairo_image_surface_get_height (own) == height;

      /* Taken out of the entry either way: a picture being redrawn is never handed out. */
      g_queue_unlink (&self->rendered_lru, &entry->rendered_link);
      self->rendered_bytes -= entry->rendered_bytes;
      entry->rendered_bytes = 0;
      entry->surface = NULL;
      if (fits && cairo_surface_get_reference_count (own) == 1)
        return own;
      /* Still on screen: it becomes free when the viewport shows the new picture, and
       * the next window of a drag renders into it. */
      if (fits)
        keep_spare_locked (self, own);
      else
        cairo_surface_destroy (own);
    }
  for (guint i = 0; i < self->spare->len; i++)
    {
      cairo_surface_t *spare = g_ptr_array_index (self->spare, i);
      if (cairo_image_surface_get_format (spare) == format &&
          cairo_image_surface_get_width (spare) == width &&
          cairo_image_surface_get_height (spare) == height &&
          cairo_surface_get_reference_count (spare) == 1)
        return g_ptr_array_steal_index (self->spare, i);
    }
  return NULL;
}

cairo_surface_t *
lb_frame_cache_render (LbFrameCache *self, LbSlice *slice, guint level,
                       const LbRenderOptions *options, LbWindow *applied,
                       GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (self), NULL);
  g_return_val_if_fail (LB_IS_SLICE (slice), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  cairo_surface_t *cached = lb_frame_cache_peek_render (self, slice, level, options, applied);
  if (cached != NULL)
    return cached;

  g_autoptr (LbFrameRenderer) renderer = lb_frame_cache_get_renderer (self, slice, cancellable,
                                                                       error);
  if (renderer == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  guint width, height;
  lb_frame_renderer_get_level_size (renderer, level, &width, &height);
  cairo_format_t format = lb_frame_renderer_get_format (renderer, options);

  g_mutex_lock (&self->lock);
  Entry *entry = lookup_locked (self, slice, TRUE);
  cairo_surface_t *target = take_target_locked (self, entry, format, (int) width, (int) height);
  g_mutex_unlock (&self->lock);

  if (target == NULL)
    {
      target = cairo_image_surface_create (format, (int) width, (int) height);
      if (cairo_surface_status (target) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (target);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("There is not enough memory to show an image of %u × %u pixels."),
                       width, height);
          return NULL;
        }
    }

  LbWindow used = { 0 };
  if (!lb_frame_renderer_render_into (renderer, options, target, &used, error))
    {
      cairo_surface_destroy (target);
      return NULL;
    }

  g_mutex_lock (&self->lock);
  entry = lookup_locked (self, slice, TRUE);
  if (entry->surface != NULL)
    {
      /* Another thread rendered this frame meanwhile: the newer request wins. */
      g_queue_unlink (&self->rendered_lru, &entry->rendered_link);
      self->rendered_bytes -= entry->rendered_bytes;
      keep_spare_locked (self, g_steal_pointer (&entry->surface));
    }
  entry->surface = cairo_surface_reference (target);
  make_key (&entry->key, level, options);
  entry->applied = used;
  entry->rendered_bytes = (guint64) cairo_image_surface_get_stride (target) * height;
  self->rendered_bytes += entry->rendered_bytes;
  g_queue_push_head_link (&self->rendered_lru, &entry->rendered_link);
  evict_rendered_locked (self, entry);
  g_mutex_unlock (&self->lock);

  if (applied != NULL)
    *applied = used;
  return target;
}

typedef struct
{
  LbSlice *slice;
  guint level;
  LbRenderOptions options;
  LbWindow applied;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_clear_object (&data->slice);
  g_free (data);
}

static void
render_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RenderData *data = task_data;
  GError *error = NULL;
  cairo_surface_t *surface = lb_frame_cache_render (source, data->slice, data->level,
                                                    &data->options, &data->applied,
                                                    cancellable, &error);
  if (surface == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

void
lb_frame_cache_render_async (LbFrameCache *self, LbSlice *slice, guint level,
                             const LbRenderOptions *options, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_FRAME_CACHE (self));
  g_return_if_fail (LB_IS_SLICE (slice));
  g_return_if_fail (options != NULL);

  RenderData *data = g_new0 (RenderData, 1);
  data->slice = g_object_ref (slice);
  data->level = level;
  data->options = *options;

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_frame_cache_render_async);
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);
  /* A result nobody waits for any more is dropped, not delivered. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, render_thread);
}

cairo_surface_t *
lb_frame_cache_render_finish (LbFrameCache *self, GAsyncResult *result, LbWindow *applied,
                              GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), error);
  if (surface != NULL && applied != NULL)
    *applied = ((RenderData *) g_task_get_task_data (G_TASK (result)))->applied;
  return surface;
}

/* ---- prefetch ------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *slices;
  guint index;
  gint generation;
} Prefetch;

static void
prefetch_free (Prefetch *prefetch)
{
  g_ptr_array_unref (prefetch->slices);
  g_free (prefetch);
}

static gboolean
has_room (LbFrameCache *self, LbSlice *slice, gboolean *cached)
{
  g_mutex_lock (&self->lock);
  Entry *entry = lookup_locked (self, slice, FALSE);
  *cached = entry != NULL && (entry->renderer != NULL || entry->decoding);
  /* Prefetching stops short of the cap, leaving room for what the reader asks for. */
  gboolean room = self->decoded_bytes < self->max_decoded / 10 * 9;
  g_mutex_unlock (&self->lock);
  return room;
}

static void
prefetch_run (gpointer data, gpointer user_data)
{
  Prefetch *prefetch = data;
  LbFrameCache *self = user_data;
  guint n = prefetch->slices->len;

  _lb_thread_make_background ();
  /* index, index+1, index-1, index+2, ...: the reader scrolls both ways. */
  for (guint step = 0; step < 2 * n; step++)
    {
      if (g_atomic_int_get (&self->generation) != prefetch->generation)
        break;

      gint64 offset = (step + 1) / 2;
      gint64 at = step % 2 == 1 ? (gint64) prefetch->index + offset
                                : (gint64) prefetch->index - offset;
      if (at < 0 || at >= n)
        continue;

      LbSlice *slice = g_ptr_array_index (prefetch->slices, at);
      gboolean cached;
      if (!has_room (self, slice, &cached))
        break;
      if (!cached)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (LbFrameRenderer) renderer = lb_frame_cache_get_renderer (self, slice, NULL,
                                                                              &error);
          if (renderer == NULL)
            g_debug ("prefetch: %s", error->message);
        }
    }
  prefetch_free (prefetch);
}

void
lb_frame_cache_prefetch (LbFrameCache *self, GPtrArray *slices, guint index)
{
  g_return_if_fail (LB_IS_FRAME_CACHE (self));
  g_return_if_fail (slices != NULL);

  Prefetch *prefetch = g_new0 (Prefetch, 1);
  prefetch->slices = g_ptr_array_ref (slices);
  prefetch->index = MIN (index, slices->len > 0 ? slices->len - 1 : 0);
  prefetch->generation = g_atomic_int_add (&self->generation, 1) + 1;
  g_thread_pool_push (self->prefetcher, prefetch, NULL);
}

void
lb_frame_cache_stop_prefetch (LbFrameCache *self)
{
  g_return_if_fail (LB_IS_FRAME_CACHE (self));
  g_atomic_int_inc (&self->generation);
}

guint64
lb_frame_cache_get_decoded_bytes (LbFrameCache *self)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (self), 0);

  g_mutex_lock (&self->lock);
  guint64 bytes = self->decoded_bytes;
  g_mutex_unlock (&self->lock);
  return bytes;
}

guint64
lb_frame_cache_get_rendered_bytes (LbFrameCache *self)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (self), 0);

  g_mutex_lock (&self->lock);
  guint64 bytes = self->rendered_bytes;
  g_mutex_unlock (&self->lock);
  return bytes;
}
