/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LbLoadedStudy: instances join series by Series Instance UID, series stay in series
 * number order, and loading a folder streams every image in, skips what is not DICOM,
 * counts what is broken and fails only when there is nothing to show; a held study stops
 * at its first image until resumed.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "lb-loaded-study.h"
#include "lb-slice.h"
#include "study-fixture.h"

#define STUDY_UID "1.2.3.4"

static void
add_instance (LbLoadedStudy *study, const FixtureSlice *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomFile) file = fixture_slice_file (s);
  g_autoptr (GPtrArray) slices = lb_slice_new_all (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lb_loaded_study_add_instance (study, file, slices));
}

static const char *
series_uid_at (LbLoadedStudy *study, guint i)
{
  g_autoptr (LbStudySeries) series = g_list_model_get_item (G_LIST_MODEL (study), i);
  return lb_study_series_get_series_instance_uid (series);
}

static void
test_groups_by_series (void)
{
  g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
  FixtureSlice s = { .study_uid = STUDY_UID, .has_geometry = TRUE };

  /* Series 3 arrives first, then 1; a series known from the archive before any of its
   * instances sits at the end until its number arrives with them. */
  lb_loaded_study_ensure_series (study, "1.2.3.4.9");
  s.series_uid = "1.2.3.4.3", s.series_number = 3, s.instance_number = 1;
  add_instance (study, &s);
  s.series_uid = "1.2.3.4.1", s.series_number = 1;
  add_instance (study, &s);
  s.instance_number = 2, s.z = -1;
  add_instance (study, &s);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (study)), ==, 3);
  g_assert_cmpstr (series_uid_at (study, 0), ==, "1.2.3.4.1");
  g_assert_cmpstr (series_uid_at (study, 1), ==, "1.2.3.4.3");
  g_assert_cmpstr (series_uid_at (study, 2), ==, "1.2.3.4.9");

  s.series_uid = "1.2.3.4.9", s.series_number = 2, s.instance_number = 1;
  add_instance (study, &s);
  g_assert_cmpstr (series_uid_at (study, 1), ==, "1.2.3.4.9");

  g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 4);
  LbStudySeries *one = lb_loaded_study_lookup_series (study, "1.2.3.4.1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (one)), ==, 2);
  g_assert_cmpstr (lb_loaded_study_get_patient_name (study), ==, "Fixture^Patient");
  g_assert_cmpstr (lb_loaded_study_get_study_instance_uid (study), ==, STUDY_UID);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;
  *out = g_object_ref (result);
}

static gboolean
load (LbLoadedStudy *study, const char *const *paths, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lb_loaded_study_load_paths_async (study, paths, cancellable, on_loaded, &result);
  g_assert_true (lb_loaded_study_get_loading (study));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (lb_loaded_study_get_loading (study));
  return lb_loaded_study_load_paths_finish (study, result, error);
}

static char *
make_folder (guint n_slices)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("lb-study-XXXXXX", &error);
  g_autofree char *sub = g_build_filename (dir, "DICOM", "S1", NULL);

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  /* Names that do not follow the slice order, in a sub-folder, beside files that are
   * not DICOM at all (a CD's autorun and README). */
  for (guint i = 0; i < n_slices; i++)
    {
      FixtureSlice s = { .study_uid = STUDY_UID, .series_uid = "1.2.3.4.1", .series_number = 1,
                         .instance_number = (int) i + 1, .has_geometry = TRUE, .z = -(double) i };
      g_autofree char *name = g_strdup_printf ("IM%u", (i * 7) % n_slices);
      fixture_slice_write (&s, sub, name);
    }
  g_autofree char *readme = g_build_filename (dir, "README.TXT", NULL);
  g_assert_true (g_file_set_contents (readme, "Open with any DICOM viewer.\n", -1, NULL));
  return dir;
}

static void
test_load_folder (void)
{
  g_autofree char *dir = make_folder (24);
  g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
  g_autoptr (GError) error = NULL;
  const char *paths[] = { dir, NULL };

  g_assert_true (load (study, paths, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 24);
  g_assert_cmpuint (lb_loaded_study_get_n_failed (study), ==, 0);

  LbStudySeries *series = lb_loaded_study_lookup_series (study, "1.2.3.4.1");
  g_assert_nonnull (series);
  g_assert_true (lb_study_series_get_complete (series));
  for (guint i = 0; i < 24; i++)
    {
      g_autoptr (LbSlice) slice = g_list_model_get_item (G_LIST_MODEL (series), i);
      g_assert_cmpint (lb_slice_get_instance_number (slice), ==, (int) i + 1);
    }
  fixture_remove_tree (dir);
}

static void
test_broken_and_empty (void)
{
  g_autofree char *dir = make_folder (3);
  g_autofree char *broken = g_build_filename (dir, "BROKEN.dcm", NULL);
  g_autoptr (GError) error = NULL;

  /* A DICOM preamble and magic, then nothing: DICOM, but unreadable. */
  char bytes[132] = { 0 };
  memcpy (bytes + 128, "DICM", 4);
  g_assert_true (g_file_set_contents (broken, bytes, sizeof bytes, NULL));
  {
    g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
    const char *paths[] = { dir, NULL };
    g_assert_true (load (study, paths, NULL, &error));
    g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 3);
    g_assert_cmpuint (lb_loaded_study_get_n_failed (study), ==, 1);
    g_assert_nonnull (lb_loaded_study_get_first_error (study));
  }

  /* A file with nothing to show fails, saying where it looked. */
  g_autofree char *readme = g_build_filename (dir, "README.TXT", NULL);
  {
    g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
    const char *paths[] = { readme, NULL };
    g_assert_false (load (study, paths, NULL, &error));
    g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_IMAGE);
    g_assert_nonnull (strstr (error->message, "README.TXT"));
    g_clear_error (&error);
  }
  fixture_remove_tree (dir);
}

static void
test_cancel (void)
{
  g_autofree char *dir = make_folder (8);
  g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  const char *paths[] = { dir, NULL };

  g_cancellable_cancel (cancellable);
  g_assert_false (load (study, paths, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 0);
  fixture_remove_tree (dir);
}

/* A held study (read ahead of the reader) stops at its first image, however long it is
 * held, and loads the rest once resumed; cancelled while held, it ends. */
static void
test_hold (void)
{
  g_autofree char *dir = make_folder (24);
  const char *paths[] = { dir, NULL };
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
    g_autoptr (GAsyncResult) result = NULL;

    lb_loaded_study_hold (study);
    g_assert_true (lb_loaded_study_get_held (study));
    lb_loaded_study_load_paths_async (study, paths, NULL, on_loaded, &result);
    /* Longer than the unheld wait for the first frame (2 s). */
    fixture_run_for (2500);
    g_assert_null (result);
    g_assert_true (lb_loaded_study_get_loading (study));
    g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 1);

    lb_loaded_study_resume (study);
    g_assert_false (lb_loaded_study_get_held (study));
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (lb_loaded_study_load_paths_finish (study, result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 24);
  }
  {
    g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;

    lb_loaded_study_hold (study);
    lb_loaded_study_load_paths_async (study, paths, cancellable, on_loaded, &result);
    while (lb_loaded_study_get_n_instances (study) == 0)
      g_main_context_iteration (NULL, TRUE);
    g_cancellable_cancel (cancellable);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (lb_loaded_study_load_paths_finish (study, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, 1);
  }
  fixture_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();
  g_test_add_func ("/loaded-study/groups-by-series", test_groups_by_series);
  g_test_add_func ("/loaded-study/load-folder", test_load_folder);
  g_test_add_func ("/loaded-study/broken-and-empty", test_broken_and_empty);
  g_test_add_func ("/loaded-study/cancel", test_cancel);
  g_test_add_func ("/loaded-study/hold", test_hold);
  return g_test_run ();
}
