/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"
#include "config.h"

#include "store-fixture.h"

#include <glib/gstdio.h>

#include "lb-dicom-writer.h"

char *
store_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *parent = g_dir_make_tmp ("lb-store-test-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (parent, "cache", NULL);
}

static void
remove_recursively (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_recursively (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
store_test_remove_tree (const char *path)
{
  g_autofree char *parent = g_path_get_dirname (path);

  remove_recursively (parent);
}

GBytes *
store_test_make_instance (const StoreTestInstance *spec)
{
  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  guint side = spec->side > 0 ? spec->side : 8;
  LbDicomPixelFormat format = {
    .columns = side,
    .rows = side,
    .frames = 1,
    .samples_per_pixel = 1,
    .bits_allocated = 16,
    .bits_stored = 12,
    .is_signed = FALSE,
    .photometric = "MONOCHROME2",
  };
  g_autofree guint16 *pixels = g_new0 (guint16, side * side);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < side * side; i++)
    pixels[i] = (guint16) (i % 4096);
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.2"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SOP_INSTANCE_UID, "UI", spec->sop_uid));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_STUDY_INSTANCE_UID, "UI", spec->study_uid));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SERIES_INSTANCE_UID, "UI",
                                    spec->series_uid != NULL ? spec->series_uid : "1.2.3.999"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_MODALITY, "CS",
                                    spec->modality != NULL ? spec->modality : "CT"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_PATIENT_NAME, "PN",
                                    spec->patient_name != NULL ? spec->patient_name : "TEST^PATIENT"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_PATIENT_ID, "LO",
                                    spec->patient_id != NULL ? spec->patient_id : "ID-1"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_STUDY_DATE, "DA",
                                    spec->study_date != NULL ? spec->study_date : "20240101"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_STUDY_TIME, "TM",
                                    spec->study_time != NULL ? spec->study_time : "120000"));
  if (spec->accession != NULL)
    g_assert_true (lb_dicom_item_set (root, LB_TAG_ACCESSION_NUMBER, "SH", spec->accession));
  if (spec->description != NULL)
    g_assert_true (lb_dicom_item_set (root, LB_TAG_STUDY_DESCRIPTION, "LO", spec->description));
  if (spec->priority != NULL)
    g_assert_true (lb_dicom_item_set (root, LB_TAG_REQUESTED_PROCEDURE_PRIORITY, "SH",
                                      spec->priority));
  g_assert_true (lb_dicom_item_set_printf (root, LB_TAG_SERIES_NUMBER, "IS", "%d",
                                           spec->series_number));
  g_assert_true (lb_dicom_item_set_printf (root, LB_TAG_INSTANCE_NUMBER, "IS", "%d",
                                           spec->instance_number));
  g_assert_true (lb_dicom_writer_set_pixels (writer, &format, pixels,
                                             side * side * sizeof (guint16), &error));
  g_assert_no_error (error);

  GBytes *bytes = lb_dicom_writer_write_bytes (writer, "1.2.840.10008.1.2.1", &error);
  g_assert_no_error (error);
  return bytes;
}

void
store_test_put_study (LbStore *store, const char *server_url, const char *study_uid,
                      const char *patient_name, guint n, guint side)
{
  g_autofree char *series_uid = g_strdup_printf ("%s.1", study_uid);

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *sop_uid = g_strdup_printf ("%s.1.%u", study_uid, i);
      StoreTestInstance spec = {
        .study_uid = study_uid,
        .series_uid = series_uid,
        .sop_uid = sop_uid,
        .patient_name = patient_name,
        .series_number = 1,
        .instance_number = (int) i,
        .side = side,
      };
      g_autoptr (GBytes) bytes = store_test_make_instance (&spec);
      g_autoptr (GError) error = NULL;

      g_assert_true (lb_store_put_instance (store, server_url, bytes, NULL, &error));
      g_assert_no_error (error);
    }
}

char *
store_test_path (LbStore *store, const char *relative)
{
  return g_build_filename (lb_store_get_dir (store), relative, NULL);
}
