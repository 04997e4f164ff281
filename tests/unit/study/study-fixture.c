/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "study-fixture.h"

#include "lb-dicom-writer.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

static const double axial[6] = { 1, 0, 0, 0, 1, 0 };

GBytes *
fixture_slice_bytes (const FixtureSlice *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  g_autofree char *uid = lb_dicom_generate_uid ();
  guint16 pixels[FIXTURE_SIZE * FIXTURE_SIZE];
  LbDicomPixelFormat format = {
    .columns = FIXTURE_SIZE,
    .rows = FIXTURE_SIZE,
    .frames = 1,
    .samples_per_pixel = 1,
    .bits_allocated = 16,
    .bits_stored = 12,
    .photometric = "MONOCHROME2",
  };
  const double *o = s->orientation != NULL ? s->orientation : axial;

  for (guint i = 0; i < G_N_ELEMENTS (pixels); i++)
    pixels[i] = (guint16) (s->hu - FIXTURE_INTERCEPT);

  g_assert_true (lb_dicom_item_set (root, LB_TAG_SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.2"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SOP_INSTANCE_UID, "UI", uid));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_MODALITY, "CS", "CT"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_PATIENT_NAME, "PN", "Fixture^Patient"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_PATIENT_ID, "LO", "FIX-1"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_STUDY_INSTANCE_UID, "UI", s->study_uid));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SERIES_INSTANCE_UID, "UI", s->series_uid));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SERIES_DESCRIPTION, "LO", "Fixture series"));
  if (s->series_number >= 0)
    g_assert_true (lb_dicom_item_set_printf (root, LB_TAG_SERIES_NUMBER, "IS", "%d",
                                             s->series_number));
  if (s->instance_number >= 0)
    g_assert_true (lb_dicom_item_set_printf (root, LB_TAG_INSTANCE_NUMBER, "IS", "%d",
                                             s->instance_number));
  if (s->has_geometry)
    {
      g_assert_true (lb_dicom_item_set_printf (root, LB_TAG_IMAGE_POSITION_PATIENT, "DS",
                                               "-8\\-8\\%g", s->z));
      g_assert_true (lb_dicom_item_set_printf (root, LB_TAG_IMAGE_ORIENTATION_PATIENT, "DS",
                                               "%g\\%g\\%g\\%g\\%g\\%g", o[0], o[1], o[2], o[3],
                                               o[4], o[5]));
    }
  g_assert_true (lb_dicom_item_set (root, LB_TAG_PIXEL_SPACING, "DS", "0.5\\0.5"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_SLICE_THICKNESS, "DS", "1"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_RESCALE_INTERCEPT, "DS", "-1024"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_RESCALE_SLOPE, "DS", "1"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_CENTER, "DS", "40"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_WIDTH, "DS", "400"));
  g_assert_true (lb_dicom_writer_set_pixels (writer, &format, pixels, sizeof pixels, &error));
  g_assert_no_error (error);

  GBytes *bytes = lb_dicom_writer_write_bytes (writer, "1.2.840.10008.1.2.1", &error);
  g_assert_no_error (error);
  return bytes;
}

LbDicomFile *
fixture_slice_file (const FixtureSlice *slice)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = fixture_slice_bytes (slice);
  LbDicomFile *file = lb_dicom_file_new_for_bytes (bytes, "fixture", &error);

  g_assert_no_error (error);
  return file;
}

void
fixture_slice_write (const FixtureSlice *slice, const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = fixture_slice_bytes (slice);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
}

void
fixture_remove_tree (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (
    file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
      fixture_remove_tree (child);
      g_object_unref (info);
    }
  g_remove (path);
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
fixture_run_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, set_true, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}
