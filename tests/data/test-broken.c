/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Broken inputs: each folder in tests/data/broken/ holds input.dcm and case.ini naming
 * the stage that must fail (open, info, decode), the LB_DICOM_ERROR code and words the
 * message must contain.  Then valid files cut at many points: each gives a clear error or
 * decodes, and never crashes.  Run under valgrind with `meson test --setup valgrind`.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lb-dicom-file.h"

static const char *pydicom_files = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

static const struct {
  const char *name;
  LbDicomError code;
} codes[] = {
  { "IO", LB_DICOM_ERROR_IO },
  { "NOT_DICOM", LB_DICOM_ERROR_NOT_DICOM },
  { "CORRUPT", LB_DICOM_ERROR_CORRUPT },
  { "NOT_IMAGE", LB_DICOM_ERROR_NOT_IMAGE },
  { "UNSUPPORTED", LB_DICOM_ERROR_UNSUPPORTED },
  { "TOO_LARGE", LB_DICOM_ERROR_TOO_LARGE },
  { "DECODE", LB_DICOM_ERROR_DECODE },
};

static LbDicomError
code_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_strcmp0 (codes[i].name, name) == 0)
      return codes[i].code;
  g_error ("unknown error code %s in a case.ini", name);
}

/* Runs the three stages; returns the first error and which stage gave it. */
static GError *
run_stages (const char *path, const char **stage)
{
  GError *error = NULL;
  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (path, &error);

  *stage = "open";
  if (file == NULL)
    return error;
  *stage = "info";
  const LbImageInfo *info = lb_dicom_file_get_image_info (file, &error);
  if (info == NULL)
    return error;
  *stage = "decode";
  for (guint f = 0; f < info->frames; f++)
    {
      g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, f, &error);
      if (pixels == NULL)
        return error;
      g_assert_cmpuint (lb_pixels_get_width (pixels), ==, info->columns);
      g_assert_cmpuint (lb_pixels_get_height (pixels), ==, info->rows);
    }
  *stage = "none";
  return NULL;
}

static void
test_case (gconstpointer data)
{
  const char *folder = data;
  g_autofree char *ini = g_build_filename (folder, "case.ini", NULL);
  g_autofree char *input = g_build_filename (folder, "input.dcm", NULL);
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GError) ini_error = NULL;

  g_assert_true (g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, &ini_error));
  g_autofree char *stage = g_key_file_get_string (keys, "case", "stage", NULL);
  g_autofree char *code = g_key_file_get_string (keys, "case", "error", NULL);
  g_autofree char *message = g_key_file_get_string (keys, "case", "message", NULL);
  g_autofree char *why = g_key_file_get_string (keys, "case", "why", NULL);
  g_test_message ("%s: %s", folder, why);

  const char *failed_at = NULL;
  g_autoptr (GError) error = run_stages (input, &failed_at);
  g_assert_nonnull (error);
  g_test_message ("-> %s", error->message);
  g_assert_cmpstr (failed_at, ==, stage);
  g_assert_error (error, LB_DICOM_ERROR, (gint) code_from_name (code));
  g_assert_nonnull (strstr (error->message, message));
  /* One sentence that names the file. */
  g_assert_nonnull (strstr (error->message, "input.dcm"));
  g_assert_true (g_str_has_suffix (error->message, "."));
  g_assert_null (strchr (error->message, '\n'));
}

/* Cuts each file at 48 places (a fixed pseudo-random sequence, so failures reproduce)
 * and at every byte of its first 400; each cut must open, fail with a sentence, or
 * decode, never crash or read out of bounds. */
static void
test_cuts (gconstpointer data)
{
  const char *name = data;
  g_autofree char *source = g_build_filename (pydicom_files, name, NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lb-cuts-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GRand *rand = g_rand_new_with_seed (1234);
  guint failures = 0, successes = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  for (guint i = 0; i < 448; i++)
    {
      gsize cut = i < 400 ? i : (gsize) g_rand_int_range (rand, 0, (gint32) length);
      g_assert_true (g_file_set_contents (path, contents, (gssize) cut, NULL));
      const char *stage;
      g_autoptr (GError) cut_error = run_stages (path, &stage);
      if (cut_error)
        {
          g_assert_true (cut_error->domain == LB_DICOM_ERROR);
          g_assert_nonnull (strstr (cut_error->message, name));
          failures++;
        }
      else
        successes++;
    }
  g_test_message ("%s: %u cuts refused, %u decoded", name, failures, successes);
  /* Nearly every cut loses pixel data; accepting most of them would mean a length check
   * is missing. */
  g_assert_cmpuint (failures, >, successes);
  g_rand_free (rand);
  g_unlink (path);
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  const char *root = g_getenv ("LB_SOURCE_ROOT");
  g_assert_nonnull (root);
  g_autofree char *broken = g_build_filename (root, "tests", "data", "broken", NULL);
  g_autoptr (GDir) dir = g_dir_open (broken, 0, NULL);
  g_assert_nonnull (dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *entry; (entry = g_dir_read_name (dir));)
    {
      g_autofree char *folder = g_build_filename (broken, entry, NULL);
      if (g_file_test (folder, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (entry));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = g_ptr_array_index (names, i);
      g_autofree char *test = g_strdup_printf ("/broken/%s", entry);
      g_test_add_data_func_full (test, g_build_filename (broken, entry, NULL), test_case, g_free);
    }

  static const char *cut_files[] = {
    "MR_small.dcm", "CT_small.dcm", "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm",
    "MR_small_jp2klossless.dcm", "JPEG-lossy.dcm", "SC_rgb_rle_2frame.dcm", "rtdose.dcm",
    "MR_small_bigendian.dcm", "image_dfl.dcm",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cut_files); i++)
    {
      g_autofree char *test = g_strdup_printf ("/cuts/%s", cut_files[i]);
      g_test_add_data_func (test, cut_files[i], test_cuts);
    }
  return g_test_run ();
}
