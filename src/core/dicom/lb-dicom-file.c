/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-dicom-file.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdcm-shim/lb-gdcm-shim.h"
#include "lb-base.h"
#include "lb-codestream.h"
#include "lb-rle.h"

struct _LbDicomFile
{
  GObject parent_instance;

  char *name;
  LbGdcmReader *reader;
  GMutex decode_lock;

  char *transfer_syntax;
  char *sop_class_uid;
  char *sop_instance_uid;
  gboolean has_pixels;

  gboolean info_checked;
  LbImageInfo info;
  GError *info_error;
};

G_DEFINE_FINAL_TYPE (LbDicomFile, lb_dicom_file, G_TYPE_OBJECT)

void
lb_dicom_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      lb_gdcm_init ();
      g_once_init_leave (&once, 1);
    }
}

static void
lb_dicom_file_finalize (GObject *object)
{
  LbDicomFile *self = LB_DICOM_FILE (object);

  g_clear_pointer (&self->reader, lb_gdcm_reader_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->transfer_syntax, g_free);
  g_clear_pointer (&self->sop_class_uid, g_free);
  g_clear_pointer (&self->sop_instance_uid, g_free);
  g_clear_error (&self->info_error);
  g_mutex_clear (&self->decode_lock);

  G_OBJECT_CLASS (lb_dicom_file_parent_class)->finalize (object);
}

static void
lb_dicom_file_class_init (LbDicomFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_dicom_file_finalize;
}

static void
lb_dicom_file_init (LbDicomFile *self)
{
  g_mutex_init (&self->decode_lock);
}

static LbDicomError
error_from_status (LbGdcmStatus status)
{
  switch (status)
    {
    case LB_GDCM_ERR_IO:
      return LB_DICOM_ERROR_IO;
    case LB_GDCM_ERR_NOT_DICOM:
      return LB_DICOM_ERROR_NOT_DICOM;
    case LB_GDCM_ERR_UNSUPPORTED:
      return LB_DICOM_ERROR_UNSUPPORTED;
    case LB_GDCM_ERR_NO_MEMORY:
      return LB_DICOM_ERROR_TOO_LARGE;
    case LB_GDCM_ERR_DECODE:
      return LB_DICOM_ERROR_DECODE;
    case LB_GDCM_ERR_CORRUPT:
    case LB_GDCM_ERR_INTERNAL:
    case LB_GDCM_OK:
    default:
      return LB_DICOM_ERROR_CORRUPT;
    }
}

LbDicomFile *
lb_dicom_file_new_for_bytes (GBytes *bytes, const char *name, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  lb_dicom_init ();

  gsize length;
  const void *data = g_bytes_get_data (bytes, &length);
  LbGdcmStatus status = LB_GDCM_OK;
  char *message = NULL;
  LbGdcmReader *reader = lb_gdcm_reader_open_memory (data ? data : "", length, &status, &message);

  if (reader == NULL)
    {
      if (status == LB_GDCM_ERR_NOT_DICOM)
        g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM,
                     "%s is not a DICOM file.", name);
      else
        g_set_error (error, LB_DICOM_ERROR, error_from_status (status), "%s is damaged: %s.",
                     name, message ? message : "unknown error");
      free (message);
      return NULL;
    }

  LbDicomFile *self = g_object_new (LB_TYPE_DICOM_FILE, NULL);
  self->name = g_strdup (name);
  self->reader = reader;
  self->transfer_syntax = g_strdup (lb_gdcm_reader_get_transfer_syntax (reader));
  self->sop_class_uid = lb_dicom_file_dup_string (self, NULL, LB_TAG_SOP_CLASS_UID);
  self->sop_instance_uid = lb_dicom_file_dup_string (self, NULL, LB_TAG_SOP_INSTANCE_UID);
  if (self->sop_class_uid == NULL)
    {
      const LbGdcmDataSet *meta = lb_gdcm_reader_get_meta (reader);
      char *s = lb_gdcm_dataset_get_string (reader, meta, LB_TAG (0x0002, 0x0002));
      self->sop_class_uid = g_strdup (s);
      free (s);
    }
  self->has_pixels = lb_dicom_file_has (self, NULL, LB_TAG_PIXEL_DATA);
  return self;
}

LbDicomFile *
lb_dicom_file_new_for_path (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  g_autofree char *name = g_path_get_basename (path);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local_error);

  if (mapped == NULL)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_IO, "Cannot read %s: %s.", name,
                   local_error->message);
      return NULL;
    }
  g_autoptr (GBytes) bytes = g_mapped_file_get_bytes (mapped);
  return lb_dicom_file_new_for_bytes (bytes, name, error);
}

const char *
lb_dicom_file_get_name (LbDicomFile *self)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);
  return self->name;
}

const char *
lb_dicom_file_get_transfer_syntax (LbDicomFile *self)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);
  return self->transfer_syntax;
}

const char *
lb_dicom_file_get_sop_class_uid (LbDicomFile *self)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);
  return self->sop_class_uid;
}

const char *
lb_dicom_file_get_sop_instance_uid (LbDicomFile *self)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);
  return self->sop_instance_uid;
}

gboolean
lb_dicom_file_is_image (LbDicomFile *self)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), FALSE);
  return self->has_pixels;
}

const char *
lb_dicom_file_describe_kind (LbDicomFile *self)
{
  static const struct {
    const char *prefix;
    const char *kind;
  } kinds[] = {
    { "1.2.840.10008.5.1.4.1.1.88.59", "a key object selection" },
    { "1.2.840.10008.5.1.4.1.1.88.", "a structured report" },
    { "1.2.840.10008.5.1.4.1.1.11.", "a presentation state" },
    { "1.2.840.10008.5.1.4.1.1.9.", "a waveform" },
    { "1.2.840.10008.5.1.4.1.1.104.", "an encapsulated document" },
    { "1.2.840.10008.5.1.4.1.1.481.5", "a radiotherapy plan" },
    { "1.2.840.10008.5.1.4.1.1.481.3", "a radiotherapy structure set" },
    { "1.2.840.10008.5.1.4.1.1.481.", "a radiotherapy object" },
    { "1.2.840.10008.5.1.4.1.1.66", "a raw data or segmentation object" },
  };

  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);

  if (self->has_pixels)
    return "an image";
  for (guint i = 0; self->sop_class_uid && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (self->sop_class_uid, kinds[i].prefix))
      return kinds[i].kind;
  return "a DICOM object without pixel data";
}

/* ---- attributes ------------------------------------------------------------------ */

static const LbGdcmDataSet *
resolve (LbDicomFile *self, const LbDataSet *ds)
{
  return ds ? (const LbGdcmDataSet *) ds : lb_gdcm_reader_get_dataset (self->reader);
}

const LbDataSet *
lb_dicom_file_get_root (LbDicomFile *self)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);
  return (const LbDataSet *) lb_gdcm_reader_get_dataset (self->reader);
}

gboolean
lb_dicom_file_has (LbDicomFile *self, const LbDataSet *ds, guint32 tag)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), FALSE);
  return lb_gdcm_dataset_has (resolve (self, ds), tag) != 0;
}

char *
lb_dicom_file_dup_string (LbDicomFile *self, const LbDataSet *ds, guint32 tag)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);

  char *s = lb_gdcm_dataset_get_string (self->reader, resolve (self, ds), tag);
  char *copy = g_strdup (s);
  free (s);
  return copy;
}

char **
lb_dicom_file_dup_strings (LbDicomFile *self, const LbDataSet *ds, guint32 tag)
{
  g_autofree char *s = lb_dicom_file_dup_string (self, ds, tag);

  if (s == NULL)
    return NULL;
  char **parts = g_strsplit (s, "\\", -1);
  for (guint i = 0; parts[i]; i++)
    g_strstrip (parts[i]);
  return parts;
}

static gboolean
parse_double (const char *s, double *out)
{
  char *end = NULL;

  if (s == NULL || *s == '\0')
    return FALSE;
  errno = 0;
  double v = g_ascii_strtod (s, &end);
  if (end == s || errno != 0)
    return FALSE;
  while (*end == ' ')
    end++;
  if (*end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
lb_dicom_file_get_double (LbDicomFile *self, const LbDataSet *ds, guint32 tag, guint index,
                          double *out)
{
  g_auto (GStrv) parts = lb_dicom_file_dup_strings (self, ds, tag);

  if (parts == NULL || index >= g_strv_length (parts))
    return FALSE;
  return parse_double (parts[index], out);
}

gboolean
lb_dicom_file_get_int (LbDicomFile *self, const LbDataSet *ds, guint32 tag, guint index,
                       gint64 *out)
{
  double v;

  if (!lb_dicom_file_get_double (self, ds, tag, index, &v))
    return FALSE;
  if (v != (double) (gint64) v)
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

guint
lb_dicom_file_get_doubles (LbDicomFile *self, const LbDataSet *ds, guint32 tag, double *out,
                           guint max)
{
  g_auto (GStrv) parts = lb_dicom_file_dup_strings (self, ds, tag);
  guint n = 0;

  for (guint i = 0; parts && parts[i] && n < max; i++)
    {
      if (!parse_double (parts[i], &out[n]))
        return 0;
      n++;
    }
  return n;
}

gboolean
lb_dicom_file_get_bytes (LbDicomFile *self, const LbDataSet *ds, guint32 tag,
                         const guint8 **data, gsize *length)
{
  guint64 len = 0;

  g_return_val_if_fail (LB_IS_DICOM_FILE (self), FALSE);
  if (!lb_gdcm_dataset_get_bytes (resolve (self, ds), tag, data, &len))
    return FALSE;
  *length = (gsize) len;
  return TRUE;
}

void
lb_dicom_file_get_vr (LbDicomFile *self, const LbDataSet *ds, guint32 tag, char vr[3])
{
  g_return_if_fail (LB_IS_DICOM_FILE (self));
  lb_gdcm_dataset_get_vr (resolve (self, ds), tag, vr);
}

guint
lb_dicom_file_get_item_count (LbDicomFile *self, const LbDataSet *ds, guint32 tag)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), 0);
  return lb_gdcm_dataset_get_item_count (self->reader, resolve (self, ds), tag);
}

const LbDataSet *
lb_dicom_file_get_item (LbDicomFile *self, const LbDataSet *ds, guint32 tag, guint index)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);
  return (const LbDataSet *) lb_gdcm_dataset_get_item (self->reader, resolve (self, ds), tag,
                                                       index);
}

static const LbDataSet *
find_in_groups (LbDicomFile *self, const LbDataSet *group, guint32 tag)
{
  static const guint32 macros[] = {
    LB_TAG_PIXEL_MEASURES_SEQUENCE,
    LB_TAG_FRAME_VOI_LUT_SEQUENCE,
    LB_TAG_PIXEL_VALUE_TRANSFORMATION_SEQUENCE,
    LB_TAG_PLANE_POSITION_SEQUENCE,
    LB_TAG_PLANE_ORIENTATION_SEQUENCE,
    LB_TAG (0x0020, 0x9111), /* Frame Content */
    LB_TAG (0x0028, 0x9422), /* Pixel Intensity Relationship LUT */
    LB_TAG (0x0028, 0x9415), /* Frame Pixel Shift */
    LB_TAG (0x0018, 0x9226), /* MR Image Frame Type */
    LB_TAG (0x0018, 0x9329), /* CT Image Frame Type */
  };

  if (group == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (macros); i++)
    {
      const LbDataSet *item = lb_dicom_file_get_item (self, group, macros[i], 0);
      if (item && lb_dicom_file_has (self, item, tag))
        return item;
    }
  return NULL;
}

const LbDataSet *
lb_dicom_file_find_for_frame (LbDicomFile *self, guint frame, guint32 tag)
{
  const LbDataSet *found;

  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);

  found = find_in_groups (self, lb_dicom_file_get_item (self, NULL, LB_TAG_PER_FRAME_FUNCTIONAL_GROUPS,
                                                        frame),
                          tag);
  if (found == NULL)
    found = find_in_groups (self,
                            lb_dicom_file_get_item (self, NULL, LB_TAG_SHARED_FUNCTIONAL_GROUPS, 0),
                            tag);
  if (found == NULL && lb_dicom_file_has (self, NULL, tag))
    found = lb_dicom_file_get_root (self);
  return found;
}

/* ---- the image pixel module ------------------------------------------------------ */

/* @required: a missing value is an error rather than @fallback. */
static gboolean
get_uint (LbDicomFile *self, guint32 tag, const char *name, gboolean required, guint fallback,
          guint *out, GError **error)
{
  gint64 v;

  if (!lb_dicom_file_has (self, NULL, tag))
    {
      if (!required)
        {
          *out = fallback;
          return TRUE;
        }
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s is an image without %s.", self->name, name);
      return FALSE;
    }
  if (!lb_dicom_file_get_int (self, NULL, tag, 0, &v) || v < 0 || v > G_MAXUINT32)
    {
      g_autofree char *text = lb_dicom_file_dup_string (self, NULL, tag);
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s has an impossible %s ('%s').", self->name, name, text ? text : "");
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

static gboolean
check_image_info (LbDicomFile *self, LbImageInfo *info, GError **error)
{
  guint pixel_rep = 0;
  guint64 bytes;

  memset (info, 0, sizeof *info);
  if (!self->has_pixels)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_IMAGE, "%s is %s, not an image.",
                   self->name, lb_dicom_file_describe_kind (self));
      return FALSE;
    }

  if (!get_uint (self, LB_TAG_ROWS, "Rows", TRUE, 0, &info->rows, error) ||
      !get_uint (self, LB_TAG_COLUMNS, "Columns", TRUE, 0, &info->columns, error) ||
      !get_uint (self, LB_TAG_BITS_ALLOCATED, "Bits Allocated", TRUE, 0, &info->bits_allocated,
                 error) ||
      !get_uint (self, LB_TAG_SAMPLES_PER_PIXEL, "Samples per Pixel", FALSE, 1,
                 &info->samples_per_pixel, error) ||
      !get_uint (self, LB_TAG_NUMBER_OF_FRAMES, "Number of Frames", FALSE, 1, &info->frames,
                 error) ||
      !get_uint (self, LB_TAG_PLANAR_CONFIGURATION, "Planar Configuration", FALSE, 0,
                 &info->planar_configuration, error) ||
      !get_uint (self, LB_TAG_PIXEL_REPRESENTATION, "Pixel Representation", FALSE, 0, &pixel_rep,
                 error) ||
      !get_uint (self, LB_TAG_BITS_STORED, "Bits Stored", FALSE, info->bits_allocated,
                 &info->bits_stored, error))
    return FALSE;
  if (!get_uint (self, LB_TAG_HIGH_BIT, "High Bit", FALSE,
                 info->bits_stored ? info->bits_stored - 1 : 0, &info->high_bit, error))
    return FALSE;

  g_autofree char *photometric = lb_dicom_file_dup_string (self, NULL,
                                                           LB_TAG_PHOTOMETRIC_INTERPRETATION);
  info->photometric = photometric
                        ? lb_photometric_from_string (photometric)
                        : (info->samples_per_pixel == 1 ? LB_PHOTOMETRIC_MONOCHROME2
                                                        : LB_PHOTOMETRIC_RGB);
  info->is_signed = pixel_rep == 1;
  if (info->frames == 0)
    info->frames = 1;

  if (info->rows == 0 || info->columns == 0 || info->rows > 65535 || info->columns > 65535)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s claims an image of %u x %u pixels.", self->name, info->columns,
                   info->rows);
      return FALSE;
    }
  if (info->bits_allocated != 1 && info->bits_allocated != 8 && info->bits_allocated != 16 &&
      info->bits_allocated != 32)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED,
                   "%s stores %u bits per sample, which Lightbox cannot display.", self->name,
                   info->bits_allocated);
      return FALSE;
    }
  if (info->bits_stored == 0 || info->bits_stored > info->bits_allocated ||
      info->high_bit >= info->bits_allocated || info->high_bit + 1 < info->bits_stored)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s has inconsistent bit depths (allocated %u, stored %u, high bit %u).",
                   self->name, info->bits_allocated, info->bits_stored, info->high_bit);
      return FALSE;
    }
  if (info->photometric == LB_PHOTOMETRIC_UNKNOWN)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED,
                   "%s uses the colour model %s, which Lightbox cannot display.", self->name,
                   photometric);
      return FALSE;
    }
  gboolean colour = !lb_photometric_is_monochrome (info->photometric) &&
                    info->photometric != LB_PHOTOMETRIC_PALETTE_COLOR;
  if ((colour && info->samples_per_pixel != 3) || (!colour && info->samples_per_pixel != 1) ||
      (info->bits_allocated == 1 && colour) || info->planar_configuration > 1)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s has %u samples per pixel for a %s image.", self->name,
                   info->samples_per_pixel, lb_photometric_to_string (info->photometric));
      return FALSE;
    }

  if (!lb_size_mul (info->rows, info->columns, &bytes) ||
      !lb_size_mul (bytes, info->samples_per_pixel, &bytes) ||
      !lb_size_mul (bytes, MAX (info->bits_allocated / 8, 1), &bytes) ||
      bytes > LB_PIXELS_MAX_BYTES || !lb_size_mul (bytes, info->frames, &bytes) ||
      bytes > LB_DICOM_MAX_IMAGE_BYTES)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_TOO_LARGE,
                   "%s claims %u frames of %u x %u pixels, more than Lightbox accepts.",
                   self->name, info->frames, info->columns, info->rows);
      return FALSE;
    }

  LbGdcmPixelData pd;
  lb_gdcm_reader_get_pixel_data (self->reader, &pd);
  info->encapsulated = pd.encapsulated != 0;
  if (!pd.encapsulated && pd.native == NULL && pd.present)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s has an empty pixel data element.", self->name);
      return FALSE;
    }

  g_autofree char *lossy = lb_dicom_file_dup_string (self, NULL, LB_TAG_LOSSY_IMAGE_COMPRESSION);
  info->lossy = g_strcmp0 (lossy, "01") == 0 || lb_transfer_syntax_is_lossy (self->transfer_syntax);
  return TRUE;
}

const LbImageInfo *
lb_dicom_file_get_image_info (LbDicomFile *self, GError **error)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);

  g_mutex_lock (&self->decode_lock);
  if (!self->info_checked)
    {
      check_image_info (self, &self->info, &self->info_error);
      self->info_checked = TRUE;
    }
  g_mutex_unlock (&self->decode_lock);

  if (self->info_error)
    {
      g_propagate_error (error, g_error_copy (self->info_error));
      return NULL;
    }
  return &self->info;
}

/* ---- decoding -------------------------------------------------------------------- */

static LbSampleType
sample_type_for (const LbImageInfo *info)
{
  gboolean s = info->is_signed && lb_photometric_is_monochrome (info->photometric);

  switch (info->bits_allocated)
    {
    case 1:
    case 8:
      return s ? LB_SAMPLE_S8 : LB_SAMPLE_U8;
    case 16:
      return s ? LB_SAMPLE_S16 : LB_SAMPLE_U16;
    default:
      return s ? LB_SAMPLE_S32 : LB_SAMPLE_U32;
    }
}

/* Keeps Bits Stored below the high bit and sign-extends, so other data in the unused
 * bits (old overlays) never reaches the display. */
static void
mask_stored_bits (LbPixels *pixels, const LbImageInfo *info)
{
  guint ba = info->bits_allocated;
  guint bs = info->bits_stored;
  guint shift = info->high_bit + 1 - bs;
  gsize n = lb_pixels_get_size (pixels) / lb_sample_type_size (lb_pixels_get_sample_type (pixels));
  gboolean sign = lb_sample_type_is_signed (lb_pixels_get_sample_type (pixels));

  if (ba == 1 || (bs == ba && shift == 0))
    return;

  guint32 mask = bs >= 32 ? 0xffffffffu : ((1u << bs) - 1);
  guint32 top = 1u << (bs - 1);

#define MASK_LOOP(T, UT)                                                                  \
  {                                                                                       \
    T *p = lb_pixels_get_data_mut (pixels);                                               \
    for (gsize i = 0; i < n; i++)                                                         \
      {                                                                                   \
        guint32 v = ((guint32) (UT) p[i] >> shift) & mask;                                \
        if (sign && (v & top))                                                            \
          v |= ~mask;                                                                     \
        p[i] = (T) v;                                                                     \
      }                                                                                   \
  }
  if (ba == 8)
    MASK_LOOP (guint8, guint8)
  else if (ba == 16)
    MASK_LOOP (guint16, guint16)
  else
    MASK_LOOP (guint32, guint32)
#undef MASK_LOOP
}

/* Planar configuration 1 (RRR... GGG... BBB...) to interleaved. */
static void
interleave (guint8 *dst, const guint8 *src, gsize pixels, guint sample_size)
{
  for (gsize i = 0; i < pixels; i++)
    for (guint c = 0; c < 3; c++)
      memcpy (dst + (i * 3 + c) * sample_size, src + (c * pixels + i) * sample_size, sample_size);
}

/* Native YBR_FULL_422: Y1 Y2 Cb Cr per pair of pixels; chroma is shared by the pair. */
static void
upsample_422 (guint8 *dst, const guint8 *src, guint width, guint height)
{
  for (guint y = 0; y < height; y++)
    {
      const guint8 *s = src + (gsize) y * width * 2;
      guint8 *d = dst + (gsize) y * width * 3;
      for (guint x = 0; x < width; x++)
        {
          guint pair = x / 2;
          d[3 * x] = s[4 * pair + (x & 1)];
          d[3 * x + 1] = s[4 * pair + 2];
          d[3 * x + 2] = s[4 * pair + 3];
        }
    }
}

static gboolean
needs_word_swap (LbDicomFile *self)
{
  char vr[3];

  if (g_strcmp0 (self->transfer_syntax, "1.2.840.10008.1.2.2") != 0)
    return FALSE;
  lb_dicom_file_get_vr (self, NULL, LB_TAG_PIXEL_DATA, vr);
  return strcmp (vr, "OW") == 0;
}

static LbPixels *
decode_native (LbDicomFile *self, const LbImageInfo *info, guint frame, GError **error)
{
  LbGdcmPixelData pd;
  lb_gdcm_reader_get_pixel_data (self->reader, &pd);

  gsize count = (gsize) info->rows * info->columns;
  gboolean ybr422 = info->photometric == LB_PHOTOMETRIC_YBR_FULL_422;
  guint ssize = MAX (info->bits_allocated / 8, 1);
  guint64 frame_bits = (guint64) count * info->samples_per_pixel * info->bits_allocated;
  if (ybr422)
    frame_bits = (guint64) count * 2 * info->bits_allocated;
  guint64 needed_bits = frame_bits * info->frames;
  guint64 needed = (needed_bits + 7) / 8;

  if (pd.native_length < needed)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s is cut short: its pixel data holds %" G_GUINT64_FORMAT " of the %"
                   G_GUINT64_FORMAT " bytes the header describes.",
                   self->name, pd.native_length, needed);
      return NULL;
    }

  LbPhotometric out_pi = ybr422 ? LB_PHOTOMETRIC_YBR_FULL : info->photometric;
  g_autoptr (LbPixels) pixels = lb_pixels_new (sample_type_for (info), info->columns, info->rows,
                                               info->samples_per_pixel, out_pi, error);
  if (pixels == NULL)
    return NULL;
  guint8 *dst = lb_pixels_get_data_mut (pixels);

  if (info->bits_allocated == 1)
    {
      guint64 bit = frame_bits * frame;
      for (gsize i = 0; i < count; i++, bit++)
        dst[i] = (pd.native[bit / 8] >> (bit % 8)) & 1;
    }
  else
    {
      const guint8 *src = pd.native + (frame_bits / 8) * frame;
      if (info->bits_allocated == 32 && needs_word_swap (self))
        {
          /* GDCM swapped the big-endian OW value in 16-bit words; a 32-bit sample needs its
           * two words exchanged too. */
          guint16 *d16 = (guint16 *) dst;
          memcpy (dst, src, lb_pixels_get_size (pixels));
          for (gsize i = 0; i + 1 < lb_pixels_get_size (pixels) / 2; i += 2)
            {
              guint16 t = d16[i];
              d16[i] = d16[i + 1];
              d16[i + 1] = t;
            }
        }
      else if (ybr422)
        upsample_422 (dst, src, info->columns, info->rows);
      else if (info->samples_per_pixel == 3 && info->planar_configuration == 1)
        interleave (dst, src, count, ssize);
      else
        memcpy (dst, src, lb_pixels_get_size (pixels));
    }
  return g_steal_pointer (&pixels);
}

static LbPixels *
decode_rle (LbDicomFile *self, const LbImageInfo *info, const guint8 *data, gsize length,
            LbPixels *owned, GError **error)
{
  g_autoptr (LbPixels) pixels = owned;
  g_autoptr (GError) local_error = NULL;

  if (!lb_rle_decode_frame (data, length, info->columns, info->rows, info->samples_per_pixel,
                            info->bits_allocated / 8, lb_pixels_get_data_mut (pixels),
                            &local_error))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "The image data in %s could not be decoded: %s.", self->name,
                   local_error->message);
      return NULL;
    }
  /* RLE carries YBR only at full resolution (PS3.5 8.2.2). */
  if (info->photometric == LB_PHOTOMETRIC_YBR_FULL_422)
    lb_pixels_set_photometric (pixels, LB_PHOTOMETRIC_YBR_FULL);
  return g_steal_pointer (&pixels);
}

static LbPixels *
decode_encapsulated (LbDicomFile *self, const LbImageInfo *info, guint frame, GError **error)
{
  g_autofree char *pi_string = lb_dicom_file_dup_string (self, NULL,
                                                         LB_TAG_PHOTOMETRIC_INTERPRETATION);
  LbGdcmPixelFormat format = {
    .columns = info->columns,
    .rows = info->rows,
    .frames = info->frames,
    .samples_per_pixel = (guint16) info->samples_per_pixel,
    .bits_allocated = (guint16) info->bits_allocated,
    .bits_stored = (guint16) info->bits_stored,
    .high_bit = (guint16) info->high_bit,
    .pixel_representation = info->is_signed ? 1 : 0,
    .planar_configuration = (guint16) info->planar_configuration,
    .photometric = pi_string ? pi_string : lb_photometric_to_string (info->photometric),
  };

  if (info->bits_allocated == 1)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED,
                   "%s holds compressed 1-bit pixels, which Lightbox cannot decode.", self->name);
      return NULL;
    }

  g_autoptr (LbPixels) pixels = lb_pixels_new (sample_type_for (info), info->columns, info->rows,
                                               info->samples_per_pixel, info->photometric, error);
  if (pixels == NULL)
    return NULL;

  const guint8 *data;
  guint64 length;
  g_autofree guint8 *joined = NULL;
  int whole = 0;
  g_autoptr (GError) local_error = NULL;
  if (!lb_gdcm_reader_get_frame_bytes (self->reader, info->frames, frame, &data, &length, &joined,
                                       &whole))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "%s has no compressed data for frame %u.", self->name, frame + 1);
      return NULL;
    }
  if (g_strcmp0 (self->transfer_syntax, LB_TRANSFER_SYNTAX_RLE) == 0)
    {
      if (whole && info->frames > 1)
        {
          g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                       "%s is RLE compressed but its fragments do not match its %u frames.",
                       self->name, info->frames);
          return NULL;
        }
      return decode_rle (self, info, data, (gsize) length, g_steal_pointer (&pixels), error);
    }
  /* When frames cannot be told apart, the first codestream is checked. */
  if (!lb_codestream_check (self->transfer_syntax, data, (gsize) length, info, &local_error))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE,
                   "The image data in %s could not be decoded: %s.", self->name,
                   local_error->message);
      return NULL;
    }

  char out_pi[32] = "";
  guint16 out_planar = 0;
  char *message = NULL;
  gsize size = lb_pixels_get_size (pixels);
  g_autofree guint8 *planar = info->samples_per_pixel == 3 ? g_try_malloc (size) : NULL;
  if (info->samples_per_pixel == 3 && planar == NULL)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_TOO_LARGE,
                   "Not enough memory to decode %s.", self->name);
      return NULL;
    }
  guint8 *target = planar ? planar : lb_pixels_get_data_mut (pixels);
  LbGdcmStatus status = lb_gdcm_reader_decode_frame (self->reader, &format, frame, target, size,
                                                     out_pi, &out_planar, &message);
  if (status != LB_GDCM_OK)
    {
      const char *ts = lb_transfer_syntax_get_name (self->transfer_syntax);
      if (status == LB_GDCM_ERR_UNSUPPORTED)
        g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_UNSUPPORTED,
                     "%s is compressed as %s, which Lightbox cannot decode (%s).", self->name,
                     ts ? ts : self->transfer_syntax, message ? message : "no codec");
      else
        g_set_error (error, LB_DICOM_ERROR, error_from_status (status),
                     "The image data in %s could not be decoded: %s.", self->name,
                     message ? message : "unknown error");
      free (message);
      return NULL;
    }

  if (planar)
    {
      if (out_planar == 1)
        interleave (lb_pixels_get_data_mut (pixels), planar, (gsize) info->rows * info->columns,
                    MAX (info->bits_allocated / 8, 1));
      else
        memcpy (lb_pixels_get_data_mut (pixels), planar, size);
    }

  LbPhotometric out = lb_photometric_from_string (out_pi);
  /* Codecs hand back full-resolution samples; JPEG 2000 undoes its colour transform. */
  if (out == LB_PHOTOMETRIC_YBR_FULL_422 || out == LB_PHOTOMETRIC_YBR_PARTIAL_420)
    out = LB_PHOTOMETRIC_YBR_FULL;
  else if (out == LB_PHOTOMETRIC_YBR_ICT || out == LB_PHOTOMETRIC_YBR_RCT)
    out = LB_PHOTOMETRIC_RGB;
  else if (out == LB_PHOTOMETRIC_UNKNOWN)
    out = info->photometric;
  lb_pixels_set_photometric (pixels, out);
  return g_steal_pointer (&pixels);
}

LbPixels *
lb_dicom_file_decode_frame (LbDicomFile *self, guint frame, GError **error)
{
  const LbImageInfo *info;
  LbPixels *pixels;

  g_return_val_if_fail (LB_IS_DICOM_FILE (self), NULL);

  info = lb_dicom_file_get_image_info (self, error);
  if (info == NULL)
    return NULL;
  if (frame >= info->frames)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NO_SUCH_FRAME,
                   "%s has %u frames; there is no frame %u.", self->name, info->frames, frame + 1);
      return NULL;
    }

  g_mutex_lock (&self->decode_lock);
  if (info->encapsulated)
    pixels = decode_encapsulated (self, info, frame, error);
  else
    pixels = decode_native (self, info, frame, error);
  g_mutex_unlock (&self->decode_lock);

  if (pixels)
    {
      if (lb_photometric_is_monochrome (info->photometric) ||
          info->photometric == LB_PHOTOMETRIC_PALETTE_COLOR)
        mask_stored_bits (pixels, info);
      lb_pixels_set_bits (pixels, info->bits_allocated == 1 ? 1 : info->bits_stored);
    }
  return pixels;
}
