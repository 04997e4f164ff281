/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reader who quits while a study is still loading: the process exits while other
 * threads are inside GDCM.  exit() destroys GDCM's static dictionaries; without the
 * shim's gate a thread parsing an implicit-VR file (whose VRs come from the dictionary)
 * then crashed.  Each case runs in a child process that exits mid-parse, many times.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <stdlib.h>

#include "lb-dicom-file.h"
#include "lb-dicom-writer.h"

#define ROUNDS 40

static GBytes *
implicit_vr_image (void)
{
  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  g_autoptr (GError) error = NULL;

  g_assert_true (lb_dicom_item_set (root, 0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2"));
  g_assert_true (lb_dicom_item_set (root, 0x00080018, "UI", "1.2.3.4.5"));
  g_assert_true (lb_dicom_item_set (root, 0x00100010, "PN", "EXIT^WHILE^PARSING"));
  g_assert_true (lb_dicom_item_set (root, 0x00281050, "DS", "40"));
  g_assert_true (lb_dicom_item_set (root, 0x00281051, "DS", "400"));
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (LbDicomItem) item = lb_dicom_item_new ();
      g_assert_true (lb_dicom_item_set (item, 0x00081150, "UI", "1.2.840.10008.5.1.4.1.1.2"));
      g_assert_true (lb_dicom_item_set_printf (item, 0x00081155, "UI", "1.2.3.%u", i));
      g_assert_true (lb_dicom_item_append (root, 0x00081140, item));
    }
  LbDicomPixelFormat format = { .columns = 256, .rows = 256, .frames = 1,
                                .samples_per_pixel = 1, .bits_allocated = 16,
                                .bits_stored = 12, .photometric = "MONOCHROME2" };
  g_autofree guint16 *pixels = g_new0 (guint16, 256 * 256);
  g_assert_true (lb_dicom_writer_set_pixels (writer, &format, pixels, 256 * 256 * 2, &error));
  GBytes *bytes = lb_dicom_writer_write_bytes (writer, "1.2.840.10008.1.2", &error);
  g_assert_no_error (error);
  return bytes;
}

static gint parsed;

static gpointer
parse_forever (gpointer data)
{
  GBytes *bytes = data;

  for (;;)
    {
      g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (bytes, "implicit.dcm", NULL);
      if (file == NULL)
        continue;
      char vr[3];
      lb_dicom_file_get_vr (file, lb_dicom_file_get_root (file), 0x00281050, vr);
      g_free (lb_dicom_file_dup_string (file, lb_dicom_file_get_root (file), 0x00100010));
      (void) lb_dicom_file_get_item_count (file, lb_dicom_file_get_root (file), 0x00081140);
      g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, NULL);
      g_atomic_int_inc (&parsed);
    }
  return NULL;
}

static void
test_exit_while_parsing (void)
{
  if (g_test_subprocess ())
    {
      GBytes *bytes = implicit_vr_image ();
      for (guint i = 0; i < 2; i++)
        g_thread_unref (g_thread_new ("parse", parse_forever, bytes));
      while (g_atomic_int_get (&parsed) < 20)
        g_usleep (1000);
      exit (0);
    }
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dicom/exit-while-parsing", test_exit_while_parsing);
  return g_test_run ();
}
