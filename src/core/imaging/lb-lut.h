/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DICOM lookup table (modality LUT, VOI LUT, one palette channel): entries mapped
 * from a first input value, each of 8 to 16 bits.  Immutable once built, so it may be
 * shared between threads.
 */
#pragma once

#include <glib-object.h>

#include "lb-dicom-file.h"

G_BEGIN_DECLS

/* A LUT Descriptor can name at most 65536 entries (0 means 65536). */
#define LB_LUT_MAX_ENTRIES 65536

#define LB_TYPE_LUT (lb_lut_get_type ())

typedef struct _LbLut LbLut;

GType lb_lut_get_type (void) G_GNUC_CONST;

/* Reads a three-valued LUT Descriptor: entries (0 meaning 65536), first mapped value
 * (signed when @signed_first, since the VR may be US or SS), bits per entry.  @what
 * names the table in error messages ("the modality lookup table"). */
gboolean lb_lut_read_descriptor (LbDicomFile *file, const LbDataSet *ds, guint32 tag,
                                 gboolean signed_first, const char *what, guint *n_entries,
                                 gint64 *first, guint *bits, GError **error);

/* Builds a table from descriptor values and raw LUT Data (16-bit words in host order,
 * or 8-bit entries packed two to a word).  A bit depth outside 8..16 is taken from the
 * largest entry instead. */
LbLut *lb_lut_new (guint n_entries, gint64 first, guint bits, const guint8 *data, gsize length,
                   const char *what, GError **error);
LbLut *lb_lut_new_from_entries (const guint16 *entries, guint n_entries, gint64 first,
                                guint bits);
/* A sequence item with LUT Descriptor (0028,3002), LUT Data (0028,3006) and optionally
 * LUT Explanation (0028,3003). */
LbLut *lb_lut_new_from_item (LbDicomFile *file, const LbDataSet *item, gboolean signed_first,
                             const char *what, GError **error);

LbLut *lb_lut_ref (LbLut *self);
void lb_lut_unref (LbLut *self);

guint lb_lut_get_n_entries (const LbLut *self);
gint64 lb_lut_get_first (const LbLut *self);
guint lb_lut_get_bits (const LbLut *self);
const guint16 *lb_lut_get_entries (const LbLut *self);
/* NULL when the file gave none. */
const char *lb_lut_get_explanation (const LbLut *self);

/* The entry for input @x: inputs below the first mapped value get the first entry,
 * inputs past the end the last. */
static inline guint
lb_lut_lookup (const LbLut *self, gint64 x)
{
  gint64 first = lb_lut_get_first (self);
  gint64 last = (gint64) lb_lut_get_n_entries (self) - 1;
  gint64 i = x - first;

  return lb_lut_get_entries (self)[i < 0 ? 0 : i > last ? last : i];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbLut, lb_lut_unref)

G_END_DECLS
