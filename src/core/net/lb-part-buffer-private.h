/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The growing body of one multipart part, handed on as GBytes without a copy.  Storage
 * is recycled: a study arrives as hundreds of same-sized parts per second, and reusing
 * freed buffers spares the kernel from mapping fresh zeroed pages for each of them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LbPartBuffer LbPartBuffer;

/* @size_hint: the expected length, when the part announced one. */
LbPartBuffer *_lb_part_buffer_new (gsize size_hint);
void _lb_part_buffer_free (LbPartBuffer *self);
gsize _lb_part_buffer_get_length (LbPartBuffer *self);
void _lb_part_buffer_append (LbPartBuffer *self, const guint8 *data, gsize length);
/* The bytes so far; their storage goes back to the pool when the GBytes is freed. */
GBytes *_lb_part_buffer_free_to_bytes (LbPartBuffer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbPartBuffer, _lb_part_buffer_free)

G_END_DECLS
