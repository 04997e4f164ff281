/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-rle.h"

#include <string.h>

#include "lb-dicom-error.h"

/* Samples are written little-endian, which is host order on every platform we build. */
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
#error "lb-rle.c writes little-endian samples"
#endif

#define HEADER_LENGTH 64
#define MAX_SEGMENTS 15

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* PackBits: a control byte n in 0..127 copies the next n + 1 bytes; -127..-1 repeats the
 * next byte 1 - n times; -128 does nothing.  Output goes to every @step-th byte.
 * Returns how many bytes were produced, at most @count. */
static gsize
unpack_segment (const guint8 *in, gsize in_length, guint8 *out, gsize count, gsize step)
{
  gsize i = 0, produced = 0;

  while (i < in_length && produced < count)
    {
      gint8 n = (gint8) in[i++];
      if (n >= 0)
        {
          gsize run = MIN ((gsize) n + 1, in_length - i);
          run = MIN (run, count - produced);
          for (gsize k = 0; k < run; k++)
            out[(produced + k) * step] = in[i + k];
          i += (gsize) n + 1;
          produced += run;
        }
      else if (n != -128)
        {
          if (i >= in_length)
            break;
          guint8 value = in[i++];
          gsize run = MIN ((gsize) (1 - n), count - produced);
          for (gsize k = 0; k < run; k++)
            out[(produced + k) * step] = value;
          produced += run;
        }
    }
  return produced;
}

gboolean
lb_rle_decode_frame (const guint8 *data, gsize length, guint width, guint height, guint samples,
                     guint bytes_per_sample, guint8 *out, GError **error)
{
  guint expected = samples * bytes_per_sample;
  gsize pixels = (gsize) width * height;

  g_return_val_if_fail (samples >= 1 && bytes_per_sample >= 1, FALSE);

  if (length < HEADER_LENGTH)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "the RLE frame is shorter than its header");
      return FALSE;
    }
  guint32 segments = read_le32 (data);
  if (segments != expected || segments > MAX_SEGMENTS)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "the RLE frame has %u segments where %u are needed", segments, expected);
      return FALSE;
    }

  guint32 offsets[MAX_SEGMENTS + 1];
  for (guint s = 0; s < segments; s++)
    offsets[s] = read_le32 (data + 4 + 4 * s);
  offsets[segments] = (guint32) MIN (length, G_MAXUINT32);
  for (guint s = 0; s < segments; s++)
    if (offsets[s] < HEADER_LENGTH || offsets[s] > offsets[s + 1] || offsets[s] > length)
      {
        g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                     "the RLE frame's segment %u starts outside the frame", s + 1);
        return FALSE;
      }

  /* Segments hold the most significant bytes of each sample first; samples are
   * interleaved in the output, little-endian within a sample. */
  gsize step = (gsize) samples * bytes_per_sample;
  for (guint s = 0; s < segments; s++)
    {
      guint sample = s / bytes_per_sample;
      guint byte = bytes_per_sample - 1 - s % bytes_per_sample;
      guint8 *target = out + (gsize) sample * bytes_per_sample + byte;
      gsize got = unpack_segment (data + offsets[s], offsets[s + 1] - offsets[s], target, pixels,
                                  step);
      if (got < pixels)
        {
          g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                       "the RLE frame's segment %u holds %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                       " values",
                       s + 1, got, pixels);
          return FALSE;
        }
    }
  return TRUE;
}
