/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-dicom-writer.h"

#include <stdlib.h>

#include "gdcm-shim/lb-gdcm-shim.h"
#include "lb-dicom-file.h"

struct _LbDicomWriter
{
  GObject parent_instance;
  LbGdcmWriter *writer;
};

G_DEFINE_FINAL_TYPE (LbDicomWriter, lb_dicom_writer, G_TYPE_OBJECT)

static void
lb_dicom_writer_finalize (GObject *object)
{
  LbDicomWriter *self = LB_DICOM_WRITER (object);

  g_clear_pointer (&self->writer, lb_gdcm_writer_free);
  G_OBJECT_CLASS (lb_dicom_writer_parent_class)->finalize (object);
}

static void
lb_dicom_writer_class_init (LbDicomWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_dicom_writer_finalize;
}

static void
lb_dicom_writer_init (LbDicomWriter *self)
{
  self->writer = lb_gdcm_writer_new ();
  if (self->writer == NULL)
    g_error ("out of memory creating a DICOM writer");
}

LbDicomWriter *
lb_dicom_writer_new (void)
{
  lb_dicom_init ();
  return g_object_new (LB_TYPE_DICOM_WRITER, NULL);
}

LbDicomItem *
lb_dicom_writer_get_root (LbDicomWriter *self)
{
  g_return_val_if_fail (LB_IS_DICOM_WRITER (self), NULL);
  return (LbDicomItem *) lb_gdcm_writer_get_root (self->writer);
}

LbDicomItem *
lb_dicom_item_new (void)
{
  LbGdcmItem *item = lb_gdcm_item_new ();

  if (item == NULL)
    g_error ("out of memory creating a DICOM item");
  return (LbDicomItem *) item;
}

void
lb_dicom_item_free (LbDicomItem *item)
{
  lb_gdcm_item_free ((LbGdcmItem *) item);
}

gboolean
lb_dicom_item_set (LbDicomItem *item, guint32 tag, const char *vr, const char *value)
{
  g_return_val_if_fail (item != NULL && vr != NULL && value != NULL, FALSE);
  return lb_gdcm_item_set_string ((LbGdcmItem *) item, tag, vr, value) != 0;
}

gboolean
lb_dicom_item_set_printf (LbDicomItem *item, guint32 tag, const char *vr, const char *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *value = g_strdup_vprintf (format, args);
  va_end (args);
  return lb_dicom_item_set (item, tag, vr, value);
}

gboolean
lb_dicom_item_set_bytes (LbDicomItem *item, guint32 tag, const char *vr, gconstpointer data,
                         gsize length)
{
  g_return_val_if_fail (item != NULL && vr != NULL, FALSE);
  return lb_gdcm_item_set_bytes ((LbGdcmItem *) item, tag, vr, data, length) != 0;
}

gboolean
lb_dicom_item_append (LbDicomItem *parent, guint32 tag, const LbDicomItem *child)
{
  g_return_val_if_fail (parent != NULL && child != NULL, FALSE);
  return lb_gdcm_item_append ((LbGdcmItem *) parent, tag, (const LbGdcmItem *) child) != 0;
}

gboolean
lb_dicom_writer_set_pixels (LbDicomWriter *self, const LbDicomPixelFormat *format,
                            gconstpointer data, gsize length, GError **error)
{
  g_return_val_if_fail (LB_IS_DICOM_WRITER (self), FALSE);

  LbGdcmPixelFormat f = {
    .columns = format->columns,
    .rows = format->rows,
    .frames = MAX (format->frames, 1),
    .samples_per_pixel = (guint16) format->samples_per_pixel,
    .bits_allocated = (guint16) format->bits_allocated,
    .bits_stored = (guint16) format->bits_stored,
    .high_bit = (guint16) (format->bits_stored - 1),
    .pixel_representation = format->is_signed ? 1 : 0,
    .planar_configuration = 0,
    .photometric = format->photometric,
  };
  if (!lb_gdcm_writer_set_pixels (self->writer, &f, data, length))
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT,
                   "The pixel buffer (%" G_GSIZE_FORMAT " bytes) does not match a %u x %u x %u "
                   "image of %u-bit samples.",
                   length, format->columns, format->rows, f.frames, format->bits_allocated);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_status (LbGdcmStatus status, char *message, GError **error)
{
  if (status == LB_GDCM_OK)
    return TRUE;
  g_set_error (error, LB_DICOM_ERROR,
               status == LB_GDCM_ERR_UNSUPPORTED ? LB_DICOM_ERROR_UNSUPPORTED : LB_DICOM_ERROR_IO,
               "Cannot write the DICOM file: %s.", message ? message : "unknown error");
  free (message);
  return FALSE;
}

gboolean
lb_dicom_writer_write_file (LbDicomWriter *self, const char *path, const char *transfer_syntax,
                            GError **error)
{
  char *message = NULL;

  g_return_val_if_fail (LB_IS_DICOM_WRITER (self), FALSE);
  /* The call must finish before message is read: argument evaluation order is unspecified. */
  LbGdcmStatus status = lb_gdcm_writer_write_file (self->writer, path, transfer_syntax, &message);
  return check_status (status, message, error);
}

GBytes *
lb_dicom_writer_write_bytes (LbDicomWriter *self, const char *transfer_syntax, GError **error)
{
  char *message = NULL;
  guint8 *out = NULL;
  guint64 length = 0;

  g_return_val_if_fail (LB_IS_DICOM_WRITER (self), NULL);
  LbGdcmStatus status = lb_gdcm_writer_write_memory (self->writer, transfer_syntax, &out, &length,
                                                     &message);
  if (!check_status (status, message, error))
    return NULL;
  return g_bytes_new_with_free_func (out, (gsize) length, free, out);
}

char *
lb_dicom_generate_uid (void)
{
  char uid[65];

  lb_dicom_init ();
  lb_gdcm_generate_uid (uid);
  return g_strdup (uid);
}
