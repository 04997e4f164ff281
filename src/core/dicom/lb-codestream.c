/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-codestream.h"

#include <charls/charls.h>
#include <openjpeg.h>
#include <string.h>

#include "lb-dicom-error.h"

typedef struct {
  const guint8 *data;
  gsize length;
  gsize offset;
} Source;

static OPJ_SIZE_T
source_read (void *buffer, OPJ_SIZE_T n, void *user_data)
{
  Source *s = user_data;
  gsize left = s->length - s->offset;

  if (left == 0)
    return (OPJ_SIZE_T) -1;
  n = MIN (n, left);
  memcpy (buffer, s->data + s->offset, n);
  s->offset += n;
  return n;
}

static OPJ_OFF_T
source_skip (OPJ_OFF_T n, void *user_data)
{
  Source *s = user_data;

  if (n < 0 || (guint64) n > s->length - s->offset)
    return -1;
  s->offset += (gsize) n;
  return n;
}

static OPJ_BOOL
source_seek (OPJ_OFF_T n, void *user_data)
{
  Source *s = user_data;

  if (n < 0 || (guint64) n > s->length)
    return OPJ_FALSE;
  s->offset = (gsize) n;
  return OPJ_TRUE;
}

static void
quiet (const char *message, void *user_data)
{
}

static gboolean
mismatch (GError **error, const char *codec, guint width, guint height, guint components,
          const LbImageInfo *info)
{
  g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
               "its %s data describes a %u x %u image with %u component%s, the header a %u x "
               "%u image with %u",
               codec, width, height, components, components == 1 ? "" : "s", info->columns,
               info->rows, info->samples_per_pixel);
  return FALSE;
}

static gboolean
check_j2k (const guint8 *data, gsize length, const LbImageInfo *info, GError **error)
{
  static const guint8 jp2_signature[] = { 0, 0, 0, 0x0c, 'j', 'P', ' ', ' ' };
  Source source = { data, length, 0 };
  gboolean jp2 = length >= sizeof jp2_signature &&
                 memcmp (data, jp2_signature, sizeof jp2_signature) == 0;
  opj_codec_t *codec = opj_create_decompress (jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_stream_t *stream = opj_stream_default_create (OPJ_TRUE);
  opj_dparameters_t parameters;
  opj_image_t *image = NULL;
  gboolean ok = FALSE;

  opj_set_default_decoder_parameters (&parameters);
  opj_set_info_handler (codec, quiet, NULL);
  opj_set_warning_handler (codec, quiet, NULL);
  opj_set_error_handler (codec, quiet, NULL);
  opj_stream_set_user_data (stream, &source, NULL);
  opj_stream_set_user_data_length (stream, length);
  opj_stream_set_read_function (stream, source_read);
  opj_stream_set_skip_function (stream, source_skip);
  opj_stream_set_seek_function (stream, source_seek);

  if (!opj_setup_decoder (codec, &parameters) || !opj_read_header (stream, codec, &image))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "its JPEG 2000 data has no readable header");
      goto out;
    }
  guint width = image->x1 - image->x0, height = image->y1 - image->y0;
  if (image->x1 < image->x0 || image->y1 < image->y0 || width != info->columns ||
      height != info->rows || image->numcomps != info->samples_per_pixel)
    {
      mismatch (error, "JPEG 2000", width, height, image->numcomps, info);
      goto out;
    }
  for (guint c = 0; c < image->numcomps; c++)
    if (image->comps[c].dx != 1 || image->comps[c].dy != 1 || image->comps[c].prec == 0 ||
        image->comps[c].prec > info->bits_allocated)
      {
        g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                     "its JPEG 2000 component %u has %u-bit samples subsampled %ux%u, which do "
                     "not fit %u-bit pixels",
                     c + 1, image->comps[c].prec, image->comps[c].dx, image->comps[c].dy,
                     info->bits_allocated);
        goto out;
      }
  ok = TRUE;

out:
  if (image)
    opj_image_destroy (image);
  opj_stream_destroy (stream);
  opj_destroy_codec (codec);
  return ok;
}

static gboolean
check_jpeg_ls (const guint8 *data, gsize length, const LbImageInfo *info, GError **error)
{
  charls_jpegls_decoder *decoder = charls_jpegls_decoder_create ();
  charls_frame_info frame;
  gboolean ok = FALSE;

  if (decoder == NULL)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE, "CharLS could not start");
      return FALSE;
    }
  if (charls_jpegls_decoder_set_source_buffer (decoder, data, length) != CHARLS_JPEGLS_ERRC_SUCCESS ||
      charls_jpegls_decoder_read_header (decoder) != CHARLS_JPEGLS_ERRC_SUCCESS ||
      charls_jpegls_decoder_get_frame_info (decoder, &frame) != CHARLS_JPEGLS_ERRC_SUCCESS)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "its JPEG-LS data has no readable header");
      goto out;
    }
  if (frame.width != info->columns || frame.height != info->rows ||
      (guint) frame.component_count != info->samples_per_pixel)
    {
      mismatch (error, "JPEG-LS", frame.width, frame.height, (guint) frame.component_count, info);
      goto out;
    }
  if (frame.bits_per_sample < 2 || (guint) frame.bits_per_sample > info->bits_allocated)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "its JPEG-LS samples have %d bits, which do not fit %u-bit pixels",
                   frame.bits_per_sample, info->bits_allocated);
      goto out;
    }
  ok = TRUE;

out:
  charls_jpegls_decoder_destroy (decoder);
  return ok;
}

gboolean
lb_codestream_check (const char *transfer_syntax, const guint8 *data, gsize length,
                     const LbImageInfo *info, GError **error)
{
  if (g_str_has_prefix (transfer_syntax, "1.2.840.10008.1.2.4.9"))
    return check_j2k (data, length, info, error);
  if (g_strcmp0 (transfer_syntax, "1.2.840.10008.1.2.4.80") == 0 ||
      g_strcmp0 (transfer_syntax, "1.2.840.10008.1.2.4.81") == 0)
    return check_jpeg_ls (data, length, info, error);
  return TRUE;
}
