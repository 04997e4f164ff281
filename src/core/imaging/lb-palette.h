/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The colour table of a PALETTE COLOR image (PS3.3 C.7.6.3.1.5, C.7.9): stored value
 * to 8-bit RGB, from plain or segmented Red/Green/Blue Palette Color LUT Data.
 * Immutable once built.
 */
#pragma once

#include <glib-object.h>

#include "lb-dicom-file.h"
#include "lb-lut.h"

G_BEGIN_DECLS

#define LB_TYPE_PALETTE (lb_palette_get_type ())

typedef struct _LbPalette LbPalette;

GType lb_palette_get_type (void) G_GNUC_CONST;

/* Reads the three descriptors (0028,1101-1103) and either the plain (0028,1201-1203)
 * or the segmented (0028,1221-1223) data from @ds (NULL: the root). */
LbPalette *lb_palette_new_from_file (LbDicomFile *file, const LbDataSet *ds,
                                     gboolean signed_first, GError **error);
/* From three channel tables; entries of more than 8 bits keep their high byte. */
LbPalette *lb_palette_new (LbLut *red, LbLut *green, LbLut *blue);

/* Expands segmented palette data (PS3.3 C.7.9.2: discrete, linear and indirect
 * segments) into a table of @n_entries entries.  Segments are 8-bit words when @bits is
 * 8, else 16-bit words in host order. */
LbLut *lb_palette_expand_segmented (const guint8 *data, gsize length, guint n_entries,
                                    gint64 first, guint bits, const char *what,
                                    GError **error);

LbPalette *lb_palette_ref (LbPalette *self);
void lb_palette_unref (LbPalette *self);

gint64 lb_palette_get_first (const LbPalette *self);
guint lb_palette_get_n_entries (const LbPalette *self);
/* 0x00RRGGBB for each entry, as a cairo RGB24 pixel. */
const guint32 *lb_palette_get_colors (const LbPalette *self);

static inline guint32
lb_palette_lookup (const LbPalette *self, gint64 value)
{
  gint64 i = value - lb_palette_get_first (self);
  gint64 last = (gint64) lb_palette_get_n_entries (self) - 1;

  return lb_palette_get_colors (self)[i < 0 ? 0 : i > last ? last : i];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbPalette, lb_palette_unref)

G_END_DECLS
