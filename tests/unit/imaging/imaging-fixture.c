/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include "imaging-fixture.h"

#include <string.h>

LbDicomWriter *
fixture_writer_new (guint columns, guint rows, guint frames, guint bits_allocated,
                    guint bits_stored, gboolean is_signed, const char *photometric,
                    gconstpointer values, gsize length)
{
  g_autoptr (GError) error = NULL;
  LbDicomWriter *writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  g_autofree char *uid = lb_dicom_generate_uid ();
  guint samples = g_str_equal (photometric, "RGB") || g_str_has_prefix (photometric, "YBR") ? 3
                                                                                             : 1;
  LbDicomPixelFormat format = {
    .columns = columns,
    .rows = rows,
    .frames = frames,
    .samples_per_pixel = samples,
    .bits_allocated = bits_allocated,
    .bits_stored = bits_stored,
    .is_signed = is_signed,
    .photometric = photometric,
  };

  /* Secondary Capture: the smallest image IOD. */
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SOP_CLASS_UID, "UI",
                                    "1.2.840.10008.5.1.4.1.1.7"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SOP_INSTANCE_UID, "UI", uid));
  g_assert_true (lb_dicom_writer_set_pixels (writer, &format, values, length, &error));
  g_assert_no_error (error);
  return writer;
}

LbDicomFile *
fixture_finish (LbDicomWriter *writer, const char *transfer_syntax)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = lb_dicom_writer_write_bytes (writer, transfer_syntax, &error);

  g_assert_no_error (error);
  LbDicomFile *file = lb_dicom_file_new_for_bytes (bytes, "fixture.dcm", &error);
  g_assert_no_error (error);
  return file;
}

LbDicomFile *
fixture_open_pydicom (const char *relative_path)
{
  g_autofree char *path = g_build_filename (PYDICOM_TEST_FILES, relative_path, NULL);
  g_autoptr (GError) error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("python3-pydicom's test files are not installed");
      return NULL;
    }
  LbDicomFile *file = lb_dicom_file_new_for_path (path, &error);
  g_assert_no_error (error);
  return file;
}

LbPixels *
fixture_pixels (LbSampleType type, guint width, guint height, guint samples,
                LbPhotometric photometric, guint bits, gconstpointer values)
{
  g_autoptr (GError) error = NULL;
  LbPixels *pixels = lb_pixels_new (type, width, height, samples, photometric, &error);

  g_assert_no_error (error);
  memcpy (lb_pixels_get_data_mut (pixels), values, lb_pixels_get_size (pixels));
  lb_pixels_set_bits (pixels, bits);
  return pixels;
}

guint
fixture_grey_at (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  const guint8 *row = cairo_image_surface_get_data (surface) +
                      (gsize) y * cairo_image_surface_get_stride (surface);

  if (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_A8)
    return row[x];
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_RGB24);
  guint32 p = ((const guint32 *) row)[x] & 0xffffff;
  g_assert_cmphex (p, ==, (p & 0xff) * 0x010101u);
  return p & 0xff;
}

guint32
fixture_rgb_at (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_RGB24);
  const guint8 *row = cairo_image_surface_get_data (surface) +
                      (gsize) y * cairo_image_surface_get_stride (surface);
  return ((const guint32 *) row)[x] & 0xffffff;
}
