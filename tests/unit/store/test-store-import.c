/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import of folders and DICOMDIR media, on files made here and on pydicom's
 * dicomdirtests (its folder is the first argument; without it those tests are skipped).
 */
#define G_LOG_DOMAIN "test-store"
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lb-dicom-file.h"
#include "lb-store.h"
#include "store-fixture.h"

static const char *dicomdirtests;

typedef struct
{
  char *dir;
  char *source;
  LbStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = store_test_make_dir ();
  f->source = g_dir_make_tmp ("lb-import-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = lb_store_open (f->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *inner = g_build_filename (f->source, "x", NULL);

  g_clear_object (&f->store);
  store_test_remove_tree (f->dir);
  store_test_remove_tree (inner);
  g_free (f->dir);
  g_free (f->source);
}

static void
write_file (const char *path, gconstpointer data, gsize length)
{
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, data, (gssize) length, NULL));
}

typedef struct
{
  guint calls;
  guint files;     /* every file the last call had counted */
  guint imported;
} Progress;

static void
on_progress (const LbImportSummary *summary, gpointer data)
{
  Progress *progress = data;
  guint files = summary->imported + summary->already_cached + summary->not_dicom +
                summary->directories + summary->broken + summary->missing;

  /* One more file each time. */
  g_assert_cmpuint (files, ==, progress->files + 1);
  progress->calls++;
  progress->files = files;
  progress->imported = summary->imported;
}

static void
test_folder (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *sop = g_strdup_printf ("1.8.1.1.%u", i);
      StoreTestInstance spec = { .study_uid = "1.8.1", .series_uid = "1.8.1.1", .sop_uid = sop,
                                 .instance_number = (int) i };
      g_autoptr (GBytes) bytes = store_test_make_instance (&spec);
      g_autofree char *name = g_strdup_printf ("deep/er/IM%u", i);
      g_autofree char *path = g_build_filename (f->source, name, NULL);

      write_file (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (i == 3)
        {
          /* The same instance cut short: DICOM, but broken. */
          g_autofree char *cut = g_build_filename (f->source, "cut.dcm", NULL);
          write_file (cut, g_bytes_get_data (bytes, NULL), 300);
        }
    }
  g_autofree char *readme = g_build_filename (f->source, "README.txt", NULL);
  write_file (readme, "not an image", 12);

  g_auto (LbImportSummary) summary = { 0 };
  Progress progress = { 0 };
  g_assert_true (lb_store_import (f->store, f->source, on_progress, &progress, &summary, NULL,
                                  &error));
  g_assert_no_error (error);
  /* Told after each of the five files, with the counts so far: the last time, the
   * summary's own. */
  g_assert_cmpuint (progress.calls, ==, 5);
  g_assert_cmpuint (progress.files, ==, 5);
  g_assert_cmpuint (progress.imported, ==, 3);
  g_assert_cmpuint (summary.imported, ==, 3);
  g_assert_cmpuint (summary.not_dicom, ==, 1);
  g_assert_cmpuint (summary.broken, ==, 1);
  g_assert_cmpuint (summary.problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (summary.problems, 0), "cut.dcm"));

  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.8.1", &error);
  g_assert_cmpuint (lb_worklist_entry_get_cached_instances (entry), ==, 3);
  g_assert_true (lb_worklist_entry_get_local (entry));
  g_assert_true (lb_worklist_entry_get_complete (entry));

  g_auto (LbImportSummary) again = { 0 };
  g_assert_true (lb_store_import (f->store, f->source, NULL, NULL, &again, NULL, &error));
  g_assert_cmpuint (again.imported, ==, 0);
  g_assert_cmpuint (again.already_cached, ==, 3);

  /* The copies belong to the store: the source may go (media ejected). */
  g_autofree char *im1 = g_build_filename (f->source, "deep/er/IM1", NULL);
  g_assert_cmpint (g_unlink (im1), ==, 0);
  g_autoptr (GListModel) opened = lb_store_open_study (f->store, "1.8.1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (opened), ==, 3);
  lb_store_close_study (f->store, "1.8.1");

  g_auto (LbImportSummary) nothing = { 0 };
  g_autofree char *missing = g_build_filename (f->source, "no-such-thing", NULL);
  g_assert_false (lb_store_import (f->store, missing, NULL, NULL, &nothing, NULL, &error));
  g_assert_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND);
}

static void
test_dicomdir (Fixture *f, gconstpointer data)
{
  g_autofree char *main_dir = NULL;
  g_autofree char *tiny_dir = NULL;
  g_autoptr (GError) error = NULL;

  if (dicomdirtests == NULL)
    {
      g_test_skip ("pydicom's dicomdirtests folder was not given");
      return;
    }
  main_dir = g_build_filename (dicomdirtests, "DICOMDIR", NULL);
  tiny_dir = g_build_filename (dicomdirtests, "TINY_ALPHA", "DICOMDIR", NULL);

  g_auto (LbImportSummary) first = { 0 };
  g_assert_true (lb_store_import (f->store, main_dir, NULL, NULL, &first, NULL, &error));
  g_assert_no_error (error);
  /* The DICOMDIR names 31 images of three patients; nothing else is read. */
  g_assert_cmpuint (first.imported, ==, 31);
  g_assert_cmpuint (first.missing + first.broken + first.not_dicom, ==, 0);

  g_auto (LbImportSummary) tiny = { 0 };
  g_assert_true (lb_store_import (f->store, tiny_dir, NULL, NULL, &tiny, NULL, &error));
  g_assert_cmpuint (tiny.imported, ==, 50);

  g_autoptr (GListModel) studies = lb_store_list_studies (f->store, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (studies), ==, 7);
  guint instances = 0;
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (studies, i);
      instances += lb_worklist_entry_get_cached_instances (entry);
      g_assert_true (lb_worklist_entry_get_local (entry));
    }
  g_assert_cmpuint (instances, ==, 81);

  /* The folder holds the same 81 images, the DICOMDIRs, two texts and one DICOMDIR GDCM
   * cannot read (offsets of 0). */
  g_auto (LbImportSummary) folder = { 0 };
  g_assert_true (lb_store_import (f->store, dicomdirtests, NULL, NULL, &folder, NULL, &error));
  g_assert_cmpuint (folder.imported, ==, 0);
  g_assert_cmpuint (folder.already_cached, ==, 81);
  g_assert_cmpuint (folder.directories, ==, 7);
  g_assert_cmpuint (folder.not_dicom, ==, 2);
  g_assert_cmpuint (folder.broken, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (folder.problems, 0), "DICOMDIR-nooffset"));
}

static void
copy_tree (const char *from, const char *to)
{
  g_autoptr (GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);

      if (g_file_test (source, G_FILE_TEST_IS_DIR))
        copy_tree (source, target);
      else
        {
          g_autofree char *contents = NULL;
          gsize length;
          g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
          write_file (target, contents, length);
        }
    }
}

static void
test_dicomdir_names (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  if (dicomdirtests == NULL)
    {
      g_test_skip ("pydicom's dicomdirtests folder was not given");
      return;
    }

  g_autofree char *tiny = g_build_filename (dicomdirtests, "TINY_ALPHA", NULL);
  g_autofree char *media = g_build_filename (f->source, "x", "media", NULL);
  g_autofree char *series = g_build_filename (media, "PT000000", "ST000000", "SE000000", NULL);
  g_autofree char *gone = g_build_filename (series, "IM000000", NULL);
  g_autofree char *upper = g_build_filename (series, "IM000001", NULL);
  g_autofree char *lower = g_build_filename (series, "im000001", NULL);
  g_autofree char *dicomdir = g_build_filename (media, "DICOMDIR", NULL);

  copy_tree (tiny, media);
  g_assert_cmpint (g_unlink (gone), ==, 0);
  /* Media written elsewhere may spell names in another case. */
  g_assert_cmpint (g_rename (upper, lower), ==, 0);

  g_auto (LbImportSummary) summary = { 0 };
  g_assert_true (lb_store_import (f->store, dicomdir, NULL, NULL, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.imported, ==, 49);
  g_assert_cmpuint (summary.missing, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (summary.problems, 0), "IM000000"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();
  if (argc > 1 && g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    dicomdirtests = argv[1];

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/import/folder", test_folder);
  ADD ("/store/import/dicomdir", test_dicomdir);
  ADD ("/store/import/dicomdir-names", test_dicomdir_names);
#undef ADD
  return g_test_run ();
}
