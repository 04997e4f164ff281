/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* Byte @i of an OW value as the file stored it: OW arrives as host-order words, and
 * 8-bit tables are packed low byte first. */
static inline guint8
_lb_lut_byte_at (const guint8 *data, gsize length, gsize i)
{
  guint16 word;

  if ((i | 1) >= length)
    return data[i];
  memcpy (&word, data + (i & ~(gsize) 1), 2);
  return (i & 1) ? word >> 8 : word & 0xff;
}

G_END_DECLS
