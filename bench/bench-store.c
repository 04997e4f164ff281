/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local store's two hot paths:
 *   - opening a cached 300-slice CT as the viewer does: the index lookups
 *     (lb_store_open_study: lease, instance list, reading state, audit) and the first
 *     image parsed and decoded;
 *   - the offline worklist: lb_store_list_studies over 10,000 cached studies, all of
 *     them, a page of 50, and a name filter.
 * Each next to a memcpy of the decoded slice or of the rows' bytes, as the other benches
 * do, since the 2-core machine is noisy.
 *
 *   bench-store [--cache-dir DIR] [--studies N] [--runs N]
 *
 * Without --cache-dir the cache is made in a temporary folder and removed afterwards; with
 * it, a cache this program filled before is used again (filling 10,000 studies, one fsync
 * each, takes a minute or two).
 */
#define G_LOG_DOMAIN "lb-bench"
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-dicom-file.h"
#include "lb-dicom-writer.h"
#include "lb-store.h"

#define SLICES 300
#define CT_STUDY "2.25.900000000000000000000000000000000001"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
write_instance (const char *path, const char *study_uid, const char *sop_uid,
                const char *patient, guint side, guint number)
{
  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  LbDicomPixelFormat format = { side, side, 1, 1, 16, 12, FALSE, "MONOCHROME2" };
  g_autofree guint16 *pixels = g_new (guint16, side * side);
  g_autofree char *series_uid = g_strdup_printf ("%s.1", study_uid);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < side * side; i++)
    pixels[i] = (guint16) ((i * 7 + number) % 4096);
  lb_dicom_item_set (root, LB_TAG_SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.2");
  lb_dicom_item_set (root, LB_TAG_SOP_INSTANCE_UID, "UI", sop_uid);
  lb_dicom_item_set (root, LB_TAG_STUDY_INSTANCE_UID, "UI", study_uid);
  lb_dicom_item_set (root, LB_TAG_SERIES_INSTANCE_UID, "UI", series_uid);
  lb_dicom_item_set (root, LB_TAG_MODALITY, "CS", number % 3 == 0 ? "MR" : "CT");
  lb_dicom_item_set (root, LB_TAG_PATIENT_NAME, "PN", patient);
  lb_dicom_item_set_printf (root, LB_TAG_PATIENT_ID, "LO", "BENCH-%06u", number);
  lb_dicom_item_set_printf (root, LB_TAG_STUDY_DATE, "DA", "2024%02u%02u", number % 12 + 1,
                            number % 28 + 1);
  lb_dicom_item_set (root, LB_TAG_STUDY_TIME, "TM", "101500");
  lb_dicom_item_set_printf (root, LB_TAG_ACCESSION_NUMBER, "SH", "ACC%06u", number);
  lb_dicom_item_set (root, LB_TAG_STUDY_DESCRIPTION, "LO", "BENCH STUDY");
  lb_dicom_item_set (root, LB_TAG_SERIES_NUMBER, "IS", "1");
  lb_dicom_item_set_printf (root, LB_TAG_INSTANCE_NUMBER, "IS", "%u", number);
  if (!lb_dicom_writer_set_pixels (writer, &format, pixels, side * side * 2, &error) ||
      !lb_dicom_writer_write_file (writer, path, "1.2.840.10008.1.2.1", &error))
    g_error ("%s", error->message);
}

static void
import (LbStore *store, const char *folder)
{
  g_auto (LbImportSummary) summary = { 0 };
  g_autoptr (GError) error = NULL;

  if (!lb_store_import (store, folder, NULL, NULL, &summary, NULL, &error))
    g_error ("%s", error->message);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* One study of @SLICES 512x512 slices and @studies - 1 studies of one small image. */
static void
fill (LbStore *store, guint studies)
{
  g_autofree char *ct = g_dir_make_tmp ("lb-bench-ct-XXXXXX", NULL);
  g_autofree char *many = g_dir_make_tmp ("lb-bench-many-XXXXXX", NULL);

  fprintf (stderr, "writing a %u-slice CT and %u small studies...\n", SLICES, studies - 1);
  for (guint i = 1; i <= SLICES; i++)
    {
      g_autofree char *sop = g_strdup_printf ("%s.1.%u", CT_STUDY, i);
      g_autofree char *path = g_strdup_printf ("%s/CT%03u.dcm", ct, i);
      write_instance (path, CT_STUDY, sop, "BENCH^CT", 512, i);
    }
  for (guint i = 1; i < studies; i++)
    {
      g_autofree char *study = g_strdup_printf ("2.25.8%05u", i);
      g_autofree char *sop = g_strdup_printf ("%s.1.1", study);
      g_autofree char *patient = g_strdup_printf ("BENCH^%05u", i);
      g_autofree char *path = g_strdup_printf ("%s/S%05u.dcm", many, i);
      write_instance (path, study, sop, patient, 8, i);
    }
  fprintf (stderr, "importing them (one fsync each)...\n");
  import (store, ct);
  import (store, many);
  remove_tree (ct);
  remove_tree (many);
}

static void
bench_open (LbStore *store, int runs)
{
  g_autofree double *index_ms = g_new (double, runs);
  g_autofree double *total_ms = g_new (double, runs);
  g_autofree double *copy_ms = g_new (double, runs);
  g_autofree guint8 *copy = g_malloc (512 * 512 * 2);

  for (int r = 0; r < runs; r++)
    {
      g_autoptr (GError) error = NULL;
      double start = now_ms ();
      g_autoptr (GListModel) instances = lb_store_open_study (store, CT_STUDY, &error);
      if (instances == NULL)
        g_error ("%s", error->message);
      double listed = now_ms ();
      g_autoptr (LbCachedInstance) first = g_list_model_get_item (instances, 0);
      g_autoptr (LbDicomFile) file =
        lb_dicom_file_new_for_path (lb_cached_instance_get_path (first), &error);
      g_autoptr (LbPixels) pixels = file != NULL ? lb_dicom_file_decode_frame (file, 0, &error)
                                                 : NULL;
      if (pixels == NULL)
        g_error ("%s", error->message);
      double decoded = now_ms ();

      g_assert_cmpuint (g_list_model_get_n_items (instances), ==, SLICES);
      lb_store_close_study (store, CT_STUDY);
      memcpy (copy, lb_pixels_get_data (pixels), 512 * 512 * 2);
      double copied = now_ms ();
      index_ms[r] = listed - start;
      total_ms[r] = decoded - start;
      copy_ms[r] = copied - decoded;
    }
  printf ("| open a cached %u-slice CT: index lookups | %.2f ms |\n", SLICES,
          median (index_ms, (guint) runs));
  printf ("| open a cached %u-slice CT: index + first image parsed and decoded | %.2f ms |\n",
          SLICES, median (total_ms, (guint) runs));
  printf ("| (memcpy of the decoded 512x512 slice) | %.3f ms |\n", median (copy_ms, (guint) runs));
}

static void
bench_query (LbStore *store, const char *what, LbQidoQuery *query, guint expected, int runs)
{
  g_autofree double *ms = g_new (double, runs);

  for (int r = 0; r < runs; r++)
    {
      g_autoptr (GError) error = NULL;
      double start = now_ms ();
      g_autoptr (GListModel) rows = lb_store_list_studies (store, query, &error);
      ms[r] = now_ms () - start;

      if (rows == NULL)
        g_error ("%s", error->message);
      if (g_list_model_get_n_items (rows) != expected)
        g_error ("%s: %u rows, not %u", what, g_list_model_get_n_items (rows), expected);
    }
  printf ("| worklist of %s | %.2f ms |\n", what, median (ms, (guint) runs));
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  int studies = 10000;
  int runs = 20;
  GOptionEntry entries[] = {
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Use (and keep) this cache", "DIR" },
    { "studies", 0, 0, G_OPTION_ARG_INT, &studies, "Cached studies (default 10000)", "N" },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Repetitions (default 20)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("");
  g_autoptr (GError) error = NULL;
  gboolean temporary = FALSE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || studies < 2 || runs < 1)
    {
      fprintf (stderr, "usage: bench-store [--cache-dir DIR] [--studies N] [--runs N]\n");
      return 2;
    }
  lb_dicom_init ();
  if (dir == NULL)
    {
      g_autofree char *parent = g_dir_make_tmp ("lb-bench-store-XXXXXX", NULL);
      dir = g_build_filename (parent, "cache", NULL);
      temporary = TRUE;
    }

  g_autoptr (LbStore) store = lb_store_open (dir, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  guint cached = 0;
  lb_store_get_usage (store, NULL, &cached, NULL);
  if (cached != (guint) studies)
    fill (store, (guint) studies);

  g_autoptr (LbQidoQuery) page = lb_qido_query_new ();
  g_autoptr (LbQidoQuery) name = lb_qido_query_new ();
  g_autoptr (LbQidoQuery) modality = lb_qido_query_new ();
  lb_qido_query_set_limit (page, 50);
  lb_qido_query_set (name, "PatientName", "bench^001*");
  lb_qido_query_set (modality, "ModalitiesInStudy", "MR");

  printf ("| what | median |\n| --- | ---: |\n");
  bench_open (store, runs);
  g_autofree char *all = g_strdup_printf ("all %d cached studies", studies);
  bench_query (store, all, NULL, (guint) studies, runs);
  bench_query (store, "a page of 50, newest first", page, 50, runs);
  bench_query (store, "PatientName=bench^001* (case-insensitive wildcard)", name, 100, runs);
  guint mr = 0;
  for (int i = 1; i < studies; i++)
    mr += i % 3 == 0;
  bench_query (store, "ModalitiesInStudy=MR", modality, mr, runs);

  g_clear_object (&store);
  if (temporary)
    {
      g_autofree char *parent = g_path_get_dirname (dir);
      remove_tree (parent);
    }
  return 0;
}
