/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-part-buffer-private.h"

#include <string.h>

/* What the pool may keep: enough for a few series in flight, never much memory. */
#define POOL_MAX_BLOCKS 32
#define POOL_MAX_BYTES ((gsize) 64 << 20)
#define MIN_CAPACITY ((gsize) 64 << 10)

typedef struct
{
  gsize capacity;
  guint8 data[];
} Block;

struct _LbPartBuffer
{
  Block *block;
  gsize length;
};

static GMutex pool_lock;
static Block *pool[POOL_MAX_BLOCKS];
static guint pool_count;
static gsize pool_bytes;

static Block *
block_new (gsize capacity)
{
  Block *block = g_malloc (sizeof (Block) + capacity);
  block->capacity = capacity;
  return block;
}

/* The smallest pooled block that fits @need without wasting more than half of itself. */
static Block *
take_block (gsize need)
{
  guint best = pool_count;

  g_mutex_lock (&pool_lock);
  for (guint i = 0; i < pool_count; i++)
    if (pool[i]->capacity >= need && pool[i]->capacity / 2 <= need &&
        (best == pool_count || pool[i]->capacity < pool[best]->capacity))
      best = i;

  Block *block = NULL;
  if (best < pool_count)
    {
      block = pool[best];
      pool[best] = pool[--pool_count];
      pool_bytes -= block->capacity;
    }
  g_mutex_unlock (&pool_lock);
  return block != NULL ? block : block_new (need);
}

static void
give_block (gpointer data)
{
  Block *block = data;
  gboolean kept = FALSE;

  g_mutex_lock (&pool_lock);
  if (pool_count < POOL_MAX_BLOCKS && block->capacity <= POOL_MAX_BYTES - pool_bytes)
    {
      pool[pool_count++] = block;
      pool_bytes += block->capacity;
      kept = TRUE;
    }
  g_mutex_unlock (&pool_lock);
  if (!kept)
    g_free (block);
}

LbPartBuffer *
_lb_part_buffer_new (gsize size_hint)
{
  LbPartBuffer *self = g_new0 (LbPartBuffer, 1);

  self->block = take_block (MAX (size_hint, MIN_CAPACITY));
  return self;
}

void
_lb_part_buffer_free (LbPartBuffer *self)
{
  if (self == NULL)
    return;
  give_block (self->block);
  g_free (self);
}

gsize
_lb_part_buffer_get_length (LbPartBuffer *self)
{
  return self->length;
}

void
_lb_part_buffer_append (LbPartBuffer *self, const guint8 *data, gsize length)
{
  /* The caller has checked the total against its part size cap. */
  g_return_if_fail (length <= G_MAXSIZE / 4 - self->length);

  if (length > self->block->capacity - self->length)
    {
      gsize capacity = MAX (self->length + length, self->block->capacity * 2);

      self->block = g_realloc (self->block, sizeof (Block) + capacity);
      self->block->capacity = capacity;
    }
  memcpy (self->block->data + self->length, data, length);
  self->length += length;
}

GBytes *
_lb_part_buffer_free_to_bytes (LbPartBuffer *self)
{
  GBytes *bytes = g_bytes_new_with_free_func (self->block->data, self->length, give_block,
                                              self->block);
  g_free (self);
  return bytes;
}
