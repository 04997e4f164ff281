/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-lut.h"

#include <string.h>

#include "lb-imaging-error.h"
#include "lb-lut-private.h"

struct _LbLut
{
  gatomicrefcount ref;
  guint n_entries;
  gint64 first;
  guint bits;
  char *explanation;
  guint16 *entries;
};

G_DEFINE_BOXED_TYPE (LbLut, lb_lut, lb_lut_ref, lb_lut_unref)

gboolean
lb_lut_read_descriptor (LbDicomFile *file, const LbDataSet *ds, guint32 tag,
                        gboolean signed_first, const char *what, guint *n_entries,
                        gint64 *first, guint *bits, GError **error)
{
  gint64 n, f, b;

  g_return_val_if_fail (LB_IS_DICOM_FILE (file), FALSE);

  if (!lb_dicom_file_get_int (file, ds, tag, 0, &n) ||
      !lb_dicom_file_get_int (file, ds, tag, 1, &f) ||
      !lb_dicom_file_get_int (file, ds, tag, 2, &b))
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT,
                   "The descriptor of %s in %s is missing or incomplete.", what,
                   lb_dicom_file_get_name (file));
      return FALSE;
    }
  /* The count is US, but files written with SS carry 32768..65535 as negatives. */
  if (n < 0 && n >= -32768)
    n += 65536;
  if (n == 0)
    n = LB_LUT_MAX_ENTRIES;
  if (n > LB_LUT_MAX_ENTRIES)
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT,
                   "The descriptor of %s in %s claims %" G_GINT64_FORMAT " entries; a lookup "
                   "table has at most 65536.", what, lb_dicom_file_get_name (file), n);
      return FALSE;
    }
  if (signed_first && f > 32767 && f <= 65535)
    f -= 65536;
  else if (!signed_first && f < 0 && f >= -32768)
    f += 65536;
  if (f < -32768 || f > 65535)
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT,
                   "The descriptor of %s in %s starts the table at %" G_GINT64_FORMAT
                   ", outside any pixel value.", what, lb_dicom_file_get_name (file), f);
      return FALSE;
    }
  *n_entries = (guint) n;
  *first = f;
  *bits = b < 0 || b > 64 ? 0 : (guint) b;
  return TRUE;
}

static LbLut *
lut_alloc (guint n_entries, gint64 first)
{
  LbLut *self = g_new0 (LbLut, 1);

  g_atomic_ref_count_init (&self->ref);
  self->n_entries = n_entries;
  self->first = first;
  self->entries = g_new (guint16, n_entries);
  return self;
}

/* Trusts a bit depth the standard allows; otherwise derives one from the largest
 * entry, as DCMTK does, and keeps only that many bits of every entry. */
static void
settle_bits (LbLut *self, guint bits)
{
  if (bits < 8 || bits > 16)
    {
      guint16 max = 0;
      for (guint i = 0; i < self->n_entries; i++)
        max = MAX (max, self->entries[i]);
      bits = 8;
      while (bits < 16 && (max >> bits) != 0)
        bits++;
    }
  self->bits = bits;
  if (bits < 16)
    {
      guint16 mask = (guint16) ((1u << bits) - 1);
      for (guint i = 0; i < self->n_entries; i++)
        self->entries[i] &= mask;
    }
}

LbLut *
lb_lut_new (guint n_entries, gint64 first, guint bits, const guint8 *data, gsize length,
            const char *what, GError **error)
{
  g_return_val_if_fail (n_entries >= 1 && n_entries <= LB_LUT_MAX_ENTRIES, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  gsize words = length / 2;
  gboolean packed = FALSE;

  if (data == NULL || length == 0)
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT, "The data of %s is empty.",
                   what);
      return NULL;
    }
  if (words < n_entries)
    {
      /* 8-bit entries are packed two to a word; other short tables are trusted for the
       * entries they hold, as other viewers do. */
      if (bits <= 8 && length >= n_entries)
        packed = TRUE;
      else if (words == 0)
        {
          g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT,
                       "The data of %s is shorter than one entry.", what);
          return NULL;
        }
      else
        {
          g_debug ("%s holds %" G_GSIZE_FORMAT " of %u entries", what, words, n_entries);
          n_entries = (guint) words;
        }
    }

  LbLut *self = lut_alloc (n_entries, first);
  if (packed)
    {
      for (guint i = 0; i < n_entries; i++)
        self->entries[i] = _lb_lut_byte_at (data, length, i);
    }
  else
    memcpy (self->entries, data, (gsize) n_entries * 2);
  settle_bits (self, bits);
  return self;
}

LbLut *
lb_lut_new_from_entries (const guint16 *entries, guint n_entries, gint64 first, guint bits)
{
  g_return_val_if_fail (entries != NULL, NULL);
  g_return_val_if_fail (n_entries >= 1 && n_entries <= LB_LUT_MAX_ENTRIES, NULL);

  LbLut *self = lut_alloc (n_entries, first);
  memcpy (self->entries, entries, (gsize) n_entries * 2);
  settle_bits (self, bits);
  return self;
}

LbLut *
lb_lut_new_from_item (LbDicomFile *file, const LbDataSet *item, gboolean signed_first,
                      const char *what, GError **error)
{
  guint n, bits;
  gint64 first;
  const guint8 *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (LB_IS_DICOM_FILE (file), NULL);
  g_return_val_if_fail (item != NULL, NULL);

  if (!lb_lut_read_descriptor (file, item, LB_TAG_LUT_DESCRIPTOR, signed_first, what, &n, &first,
                               &bits, error))
    return NULL;
  if (!lb_dicom_file_get_bytes (file, item, LB_TAG_LUT_DATA, &data, &length))
    length = 0;

  g_autofree char *where = g_strdup_printf ("%s in %s", what, lb_dicom_file_get_name (file));
  LbLut *self = lb_lut_new (n, first, bits, data, length, where, error);
  if (self == NULL)
    return NULL;
  self->explanation = lb_dicom_file_dup_string (file, item, LB_TAG_LUT_EXPLANATION);
  return self;
}

LbLut *
lb_lut_ref (LbLut *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
lb_lut_unref (LbLut *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref))
    {
      g_free (self->entries);
      g_free (self->explanation);
      g_free (self);
    }
}

guint
lb_lut_get_n_entries (const LbLut *self)
{
  return self->n_entries;
}

gint64
lb_lut_get_first (const LbLut *self)
{
  return self->first;
}

guint
lb_lut_get_bits (const LbLut *self)
{
  return self->bits;
}

const guint16 *
lb_lut_get_entries (const LbLut *self)
{
  return self->entries;
}

const char *
lb_lut_get_explanation (const LbLut *self)
{
  return self->explanation;
}
