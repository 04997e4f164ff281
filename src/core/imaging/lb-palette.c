/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-palette.h"

#include <math.h>

#include "lb-imaging-error.h"
#include "lb-lut-private.h"

struct _LbPalette
{
  gatomicrefcount ref;
  gint64 first;
  guint n_entries;
  guint32 *colors;
};

G_DEFINE_BOXED_TYPE (LbPalette, lb_palette, lb_palette_ref, lb_palette_unref)

/* Indirect segments may point anywhere, so a hostile table could make expansion
 * quadratic; real palettes use a few dozen segments. */
#define MAX_SEGMENT_STEPS (1u << 20)

typedef struct {
  const guint8 *data;
  gsize length;
  gsize n_words;
  gboolean eight_bit;
  guint16 *out;
  guint n_out;
  guint cap;
  guint steps;
  const char *what;
} Expansion;

static guint
word_at (const Expansion *e, gsize i)
{
  guint16 word;

  if (e->eight_bit)
    return _lb_lut_byte_at (e->data, e->length, i);
  memcpy (&word, e->data + i * 2, 2);
  return word;
}

static gboolean
fail (const Expansion *e, GError **error, const char *problem)
{
  g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT,
               "The segmented data of %s is damaged: %s.", e->what, problem);
  return FALSE;
}

static gboolean
expand (Expansion *e, gsize pos, guint max_segments, gboolean nested, GError **error)
{
  guint done = 0;

  /* A trailing odd word is padding: every segment is longer than two words. */
  while (pos + 1 < e->n_words && (max_segments == 0 || done < max_segments) && e->n_out < e->cap)
    {
      guint opcode = word_at (e, pos);
      guint length = word_at (e, pos + 1);

      if (++e->steps > MAX_SEGMENT_STEPS)
        return fail (e, error, "it has too many segments");
      pos += 2;
      switch (opcode)
        {
        case 0:
          if (length > e->n_words - pos)
            return fail (e, error, "a discrete segment runs past the end");
          for (guint j = 0; j < length && e->n_out < e->cap; j++)
            e->out[e->n_out++] = (guint16) word_at (e, pos + j);
          pos += length;
          break;
        case 1:
          {
            if (pos >= e->n_words)
              return fail (e, error, "a linear segment runs past the end");
            if (e->n_out == 0)
              return fail (e, error, "it starts with a linear segment");
            double y0 = e->out[e->n_out - 1];
            double y1 = word_at (e, pos);
            pos += 1;
            /* rint: round half to even, as pydicom and numpy expand these tables. */
            for (guint j = 1; j <= length && e->n_out < e->cap; j++)
              e->out[e->n_out++] = (guint16) rint (y0 + (y1 - y0) * j / length);
          }
          break;
        case 2:
          {
            guint64 offset;
            gsize width = e->eight_bit ? 4 : 2;
            if (nested)
              return fail (e, error, "an indirect segment points at another");
            if (e->n_out == 0)
              return fail (e, error, "it starts with an indirect segment");
            if (width > e->n_words - pos)
              return fail (e, error, "an indirect segment runs past the end");
            if (e->eight_bit)
              offset = word_at (e, pos) | word_at (e, pos + 1) << 8 |
                       (guint64) word_at (e, pos + 2) << 16 | (guint64) word_at (e, pos + 3) << 24;
            else
              offset = word_at (e, pos) | (guint64) word_at (e, pos + 1) << 16;
            pos += width;
            if (offset >= e->n_words)
              return fail (e, error, "an indirect segment points past the end");
            if (!expand (e, (gsize) offset, length, TRUE, error))
              return FALSE;
          }
          break;
        default:
          return fail (e, error, "it holds an unknown segment type");
        }
      done++;
    }
  return TRUE;
}

LbLut *
lb_palette_expand_segmented (const guint8 *data, gsize length, guint n_entries, gint64 first,
                             guint bits, const char *what, GError **error)
{
  g_return_val_if_fail (n_entries >= 1 && n_entries <= LB_LUT_MAX_ENTRIES, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  g_autofree guint16 *out = g_new (guint16, n_entries);
  Expansion e = {
    .data = data,
    .length = data ? length : 0,
    .eight_bit = bits <= 8,
    .out = out,
    .cap = n_entries,
    .what = what,
  };
  e.n_words = e.eight_bit ? e.length : e.length / 2;

  if (!expand (&e, 0, 0, FALSE, error))
    return NULL;
  if (e.n_out == 0)
    {
      fail (&e, error, "it holds no entries");
      return NULL;
    }
  /* A table that ends early keeps its last colour, like values past the last entry. */
  for (guint i = e.n_out; i < n_entries; i++)
    out[i] = out[e.n_out - 1];
  return lb_lut_new_from_entries (out, n_entries, first, bits);
}

static LbLut *
read_channel (LbDicomFile *file, const LbDataSet *ds, guint channel, gboolean signed_first,
              GError **error)
{
  static const char *const names[] = { "the red palette", "the green palette",
                                       "the blue palette" };
  guint n, bits;
  gint64 first;
  const guint8 *data = NULL;
  gsize length = 0;

  if (!lb_lut_read_descriptor (file, ds, LB_TAG_RED_PALETTE_DESCRIPTOR + channel, signed_first,
                               names[channel], &n, &first, &bits, error))
    return NULL;

  g_autofree char *where = g_strdup_printf ("%s in %s", names[channel],
                                            lb_dicom_file_get_name (file));
  if (lb_dicom_file_get_bytes (file, ds, LB_TAG_SEGMENTED_RED_PALETTE_DATA + channel, &data,
                               &length))
    return lb_palette_expand_segmented (data, length, n, first, bits, where, error);
  if (!lb_dicom_file_get_bytes (file, ds, LB_TAG_RED_PALETTE_DATA + channel, &data, &length))
    length = 0;
  return lb_lut_new (n, first, bits, data, length, where, error);
}

LbPalette *
lb_palette_new_from_file (LbDicomFile *file, const LbDataSet *ds, gboolean signed_first,
                          GError **error)
{
  g_autoptr (LbLut) red = NULL;
  g_autoptr (LbLut) green = NULL;
  g_autoptr (LbLut) blue = NULL;

  g_return_val_if_fail (LB_IS_DICOM_FILE (file), NULL);

  red = read_channel (file, ds, 0, signed_first, error);
  if (red == NULL)
    return NULL;
  green = read_channel (file, ds, 1, signed_first, error);
  if (green == NULL)
    return NULL;
  blue = read_channel (file, ds, 2, signed_first, error);
  if (blue == NULL)
    return NULL;
  return lb_palette_new (red, green, blue);
}

static guint
to_8_bits (const LbLut *lut, gint64 value)
{
  return lb_lut_lookup (lut, value) >> (lb_lut_get_bits (lut) - 8);
}

LbPalette *
lb_palette_new (LbLut *red, LbLut *green, LbLut *blue)
{
  g_return_val_if_fail (red != NULL && green != NULL && blue != NULL, NULL);

  /* The standard wants the three descriptors equal; when they are not, each channel is
   * still looked up by value, over the red channel's range. */
  LbPalette *self = g_new0 (LbPalette, 1);
  g_atomic_ref_count_init (&self->ref);
  self->first = lb_lut_get_first (red);
  self->n_entries = lb_lut_get_n_entries (red);
  self->colors = g_new (guint32, self->n_entries);
  for (guint i = 0; i < self->n_entries; i++)
    {
      gint64 v = self->first + i;
      self->colors[i] = to_8_bits (red, v) << 16 | to_8_bits (green, v) << 8 | to_8_bits (blue, v);
    }
  return self;
}

LbPalette *
lb_palette_ref (LbPalette *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
lb_palette_unref (LbPalette *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref))
    {
      g_free (self->colors);
      g_free (self);
    }
}

gint64
lb_palette_get_first (const LbPalette *self)
{
  return self->first;
}

guint
lb_palette_get_n_entries (const LbPalette *self)
{
  return self->n_entries;
}

const guint32 *
lb_palette_get_colors (const LbPalette *self)
{
  return self->colors;
}
