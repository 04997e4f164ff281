/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-pixels.h"

#include "lb-base.h"
#include "lb-dicom-error.h"

struct _LbPixels
{
  gatomicrefcount ref;
  LbSampleType type;
  LbPhotometric photometric;
  guint width;
  guint height;
  guint samples;
  guint bits;
  gsize size;
  guint8 *data;
};

G_DEFINE_BOXED_TYPE (LbPixels, lb_pixels, lb_pixels_ref, lb_pixels_unref)

guint
lb_sample_type_size (LbSampleType type)
{
  switch (type)
    {
    case LB_SAMPLE_U8:
    case LB_SAMPLE_S8:
      return 1;
    case LB_SAMPLE_U16:
    case LB_SAMPLE_S16:
      return 2;
    case LB_SAMPLE_U32:
    case LB_SAMPLE_S32:
      return 4;
    default:
      g_return_val_if_reached (1);
    }
}

gboolean
lb_sample_type_is_signed (LbSampleType type)
{
  return type == LB_SAMPLE_S8 || type == LB_SAMPLE_S16 || type == LB_SAMPLE_S32;
}

LbPixels *
lb_pixels_new (LbSampleType type, guint width, guint height, guint samples,
               LbPhotometric photometric, GError **error)
{
  guint64 size;

  g_return_val_if_fail (samples == 1 || samples == 3, NULL);

  if (width == 0 || height == 0)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "The image has no pixels (%u x %u).", width, height);
      return NULL;
    }
  if (!lb_size_mul (width, height, &size) || !lb_size_mul (size, samples, &size) ||
      !lb_size_mul (size, lb_sample_type_size (type), &size) || size > LB_PIXELS_MAX_BYTES)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_TOO_LARGE,
                   "A frame of %u x %u pixels is larger than Lightbox accepts.", width, height);
      return NULL;
    }

  LbPixels *self = g_new0 (LbPixels, 1);
  g_atomic_ref_count_init (&self->ref);
  self->type = type;
  self->photometric = photometric;
  self->width = width;
  self->height = height;
  self->samples = samples;
  self->bits = lb_sample_type_size (type) * 8;
  self->size = (gsize) size;
  self->data = g_try_malloc (self->size);
  if (self->data == NULL)
    {
      g_free (self);
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_TOO_LARGE,
                   "Not enough memory for a frame of %u x %u pixels.", width, height);
      return NULL;
    }
  return self;
}

LbPixels *
lb_pixels_ref (LbPixels *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
lb_pixels_unref (LbPixels *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref))
    {
      g_free (self->data);
      g_free (self);
    }
}

guint
lb_pixels_get_width (const LbPixels *self)
{
  return self->width;
}

guint
lb_pixels_get_height (const LbPixels *self)
{
  return self->height;
}

guint
lb_pixels_get_samples (const LbPixels *self)
{
  return self->samples;
}

LbSampleType
lb_pixels_get_sample_type (const LbPixels *self)
{
  return self->type;
}

LbPhotometric
lb_pixels_get_photometric (const LbPixels *self)
{
  return self->photometric;
}

void
lb_pixels_set_photometric (LbPixels *self, LbPhotometric photometric)
{
  self->photometric = photometric;
}

guint
lb_pixels_get_bits (const LbPixels *self)
{
  return self->bits;
}

void
lb_pixels_set_bits (LbPixels *self, guint bits)
{
  g_return_if_fail (bits >= 1 && bits <= lb_sample_type_size (self->type) * 8);
  self->bits = bits;
}

gsize
lb_pixels_get_stride (const LbPixels *self)
{
  return (gsize) self->width * self->samples * lb_sample_type_size (self->type);
}

gsize
lb_pixels_get_size (const LbPixels *self)
{
  return self->size;
}

gconstpointer
lb_pixels_get_data (const LbPixels *self)
{
  return self->data;
}

gpointer
lb_pixels_get_data_mut (LbPixels *self)
{
  return self->data;
}
