/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phantom model and tools/make-phantom.  The model must paint what it says it
 * paints; the tool's files must carry the geometry phantom.json describes, as read by
 * LbDicomFile and by independent readers (DCMTK dcmdump, dcm2niix, dciodvfy), and be
 * reproducible with --seed.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "lb-dicom-file.h"
#include "lb-phantom.h"

/* ---- helpers ----------------------------------------------------------------------- */

static char *
tool_path (void)
{
  const char *build = g_getenv ("LB_BUILD_ROOT");

  if (build == NULL)
    return NULL;
  return g_build_filename (build, "tools", "make-phantom", NULL);
}

/* Runs @argv; returns its exit status, 0 on success. */
static int
run (const char *const *argv, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                               err, &status, &error));
  g_assert_no_error (error);
  if (g_spawn_check_wait_status (status, &error))
    return 0;
  g_assert_true (error->domain == G_SPAWN_EXIT_ERROR);
  return error->code;
}

/* Runs make-phantom with @args (NULL-terminated) and asserts it succeeded. */
static void
make_phantom (const char *first, ...)
{
  g_autofree char *tool = tool_path ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, tool);
  va_start (args, first);
  for (const char *a = first; a; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  int status = run ((const char *const *) argv->pdata, &out, &err);
  if (status != 0)
    g_error ("make-phantom failed (%d): %s", status, err);
  g_assert_true (g_str_has_prefix (out, "make-phantom: wrote "));
}

static gboolean
have_tool (void)
{
  g_autofree char *tool = tool_path ();

  if (tool == NULL || !g_file_test (tool, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("LB_BUILD_ROOT is not set or make-phantom is not built");
      return FALSE;
    }
  return TRUE;
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed", name);
      g_test_skip (message);
      return FALSE;
    }
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static char *
make_temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("lb-phantom-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static JsonObject *
load_description (JsonParser *parser, const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "phantom.json", NULL);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
get_vector (JsonObject *o, const char *member, double *v, guint n)
{
  JsonArray *a = json_object_get_array_member (o, member);

  g_assert_nonnull (a);
  g_assert_cmpuint (json_array_get_length (a), ==, n);
  for (guint i = 0; i < n; i++)
    v[i] = json_array_get_double_element (a, i);
}

static LbDicomFile *
open_instance (const char *dir, JsonObject *instance)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, json_object_get_string_member (instance, "file"),
                                            NULL);
  LbDicomFile *file = lb_dicom_file_new_for_path (path, &error);

  g_assert_no_error (error);
  return file;
}

static void
assert_string (LbDicomFile *file, guint32 tag, const char *want)
{
  g_autofree char *got = lb_dicom_file_dup_string (file, NULL, tag);

  g_assert_cmpstr (got, ==, want);
}

static guint16
decoded_at (LbPixels *pixels, guint i, guint j)
{
  const guint16 *data = lb_pixels_get_data (pixels);

  g_assert_cmpint (lb_pixels_get_sample_type (pixels), ==, LB_SAMPLE_U16);
  return data[(gsize) j * lb_pixels_get_width (pixels) + i];
}

/* ---- the model --------------------------------------------------------------------- */

static const LbPhantomKind all_kinds[] = {
  LB_PHANTOM_KIND_CT, LB_PHANTOM_KIND_MR, LB_PHANTOM_KIND_CR, LB_PHANTOM_KIND_DX,
  LB_PHANTOM_KIND_MAMMO,
};

/* Every test object holds its value at its centre, and sits in a uniform surrounding:
 * points 1.5 mm outside it in every direction all have one value, another one. */
static void
test_model_test_objects (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
    {
      g_autoptr (LbPhantom) phantom = lb_phantom_new (all_kinds[k], 0, 0, 0, 0, 1);
      gboolean projection = lb_phantom_is_projection (phantom);
      guint tested = 0;

      for (guint n = 0; n < lb_phantom_get_n_objects (phantom); n++)
        {
          const LbPhantomObject *o = lb_phantom_get_object (phantom, n);
          gboolean first = TRUE;
          double around = 0;

          if (!o->test_object)
            continue;
          tested++;
          g_assert_cmpfloat (lb_phantom_value_at (phantom, o->centre), ==, o->value);
          for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
              for (int dz = -1; dz <= 1; dz++)
                {
                  double d[3] = { dx, dy, projection ? 0 : dz };
                  double norm = sqrt (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                  if (norm == 0 || (projection && dz != 0))
                    continue;
                  double reach = 1.5;
                  for (guint a = 0; a < 3; a++)
                    reach += fabs (d[a] / norm) * o->half[a];
                  double p[3];
                  for (guint a = 0; a < 3; a++)
                    p[a] = o->centre[a] + d[a] / norm * reach;
                  double v = lb_phantom_value_at (phantom, p);
                  if (first)
                    around = v;
                  first = FALSE;
                  if (v != around)
                    g_error ("%s %s: the surrounding is not uniform (%g and %g)",
                             lb_phantom_kind_to_string (all_kinds[k]), o->name, around, v);
                }
          g_assert_cmpfloat (around, !=, o->value);
        }
      g_assert_cmpuint (tested, >=, 2);
    }
}

/* Rendered voxels are the model's value at the voxel centre plus bounded noise that
 * averages out, the same for the same seed and different for another. */
static void
test_model_render (void)
{
  static const struct { LbPhantomKind kind; guint columns, rows, slices; } cases[] = {
    { LB_PHANTOM_KIND_CT, 48, 40, 6 },
    { LB_PHANTOM_KIND_MR, 40, 36, 5 },
    { LB_PHANTOM_KIND_CR, 64, 80, 1 },
    { LB_PHANTOM_KIND_DX, 64, 80, 1 },
    { LB_PHANTOM_KIND_MAMMO, 60, 74, 1 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (LbPhantom) phantom = lb_phantom_new (cases[c].kind, cases[c].columns,
                                                      cases[c].rows, cases[c].slices, 0, 5);
      g_autoptr (LbPhantom) again = lb_phantom_new (cases[c].kind, cases[c].columns,
                                                    cases[c].rows, cases[c].slices, 0, 5);
      g_autoptr (LbPhantom) other = lb_phantom_new (cases[c].kind, cases[c].columns,
                                                    cases[c].rows, cases[c].slices, 0, 6);
      guint columns = lb_phantom_get_columns (phantom);
      guint rows = lb_phantom_get_rows (phantom);
      gsize n = (gsize) columns * rows;
      g_autofree guint16 *slice = g_new (guint16, n);
      g_autofree guint16 *same = g_new (guint16, n);
      g_autofree guint16 *different = g_new (guint16, n);
      double intercept, slope;
      gint64 amplitude = lb_phantom_get_noise_amplitude (phantom);
      gint64 top = (1 << lb_phantom_get_bits_stored (phantom)) - 1;
      gint64 worst = 0, sum = 0, count = 0;
      gboolean differs = FALSE;

      g_assert_cmpuint (columns, ==, cases[c].columns);
      g_assert_cmpuint (rows, ==, cases[c].rows);
      g_assert_cmpuint (lb_phantom_get_slices (phantom), ==, cases[c].slices);
      lb_phantom_get_rescale (phantom, &intercept, &slope);
      for (guint k = 0; k < cases[c].slices; k++)
        {
          lb_phantom_render_slice (phantom, k, slice);
          lb_phantom_render_slice (again, k, same);
          lb_phantom_render_slice (other, k, different);
          g_assert_cmpmem (slice, n * 2, same, n * 2);
          differs = differs || memcmp (slice, different, n * 2) != 0;
          for (guint j = 0; j < rows; j++)
            for (guint i = 0; i < columns; i++)
              {
                double p[3];
                lb_phantom_voxel_to_patient (phantom, i, j, k, p);
                gint64 expect = llround ((lb_phantom_value_at (phantom, p) - intercept) / slope);
                gint64 got = slice[(gsize) j * columns + i];
                gint64 diff = got - CLAMP (expect, 0, top);
                if (ABS (diff) > amplitude)
                  g_error ("%s voxel (%u, %u, %u) is %" G_GINT64_FORMAT ", the model says %"
                           G_GINT64_FORMAT " +- %" G_GINT64_FORMAT,
                           lb_phantom_kind_to_string (cases[c].kind), i, j, k, got, expect,
                           amplitude);
                if (expect - amplitude >= 0 && expect + amplitude <= top)
                  {
                    worst = MAX (worst, ABS (diff));
                    sum += diff;
                    count++;
                  }
              }
        }
      g_assert_true (differs);
      g_assert_cmpint (worst, ==, amplitude);
      g_assert_cmpfloat (fabs ((double) sum / count), <, 0.5);
    }
}

/* voxel_to_patient follows the documented formula, and the slice direction is opposite
 * to row x column. */
static void
test_model_geometry (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (all_kinds); k++)
    {
      g_autoptr (LbPhantom) phantom = lb_phantom_new (all_kinds[k], 50, 30, 0, 0, 1);
      double origin[3], spacing[3], o[6], s[3], p[3];

      if (lb_phantom_is_projection (phantom))
        continue;
      lb_phantom_get_origin (phantom, origin);
      lb_phantom_get_spacing (phantom, spacing);
      lb_phantom_get_orientation (phantom, o);
      lb_phantom_get_slice_direction (phantom, s);
      double normal[3] = { o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5],
                           o[0] * o[4] - o[1] * o[3] };
      for (guint a = 0; a < 3; a++)
        g_assert_cmpfloat (s[a], ==, -normal[a]);
      lb_phantom_voxel_to_patient (phantom, 3, 4, 5, p);
      for (guint a = 0; a < 3; a++)
        g_assert_cmpfloat_with_epsilon (p[a],
                                        origin[a] + 3 * spacing[0] * o[a] +
                                          4 * spacing[1] * o[3 + a] + 5 * spacing[2] * s[a],
                                        1e-9);
      g_assert_cmpfloat (spacing[0], ==, spacing[1]);
    }
}

/* ---- the tool ---------------------------------------------------------------------- */

/* The geometry, identity and pixels of a small CT, as LbDicomFile reads them, against
 * phantom.json and the model. */
static void
test_tool_ct (void)
{
  if (!have_tool ())
    return;
  g_autofree char *dir = make_temp_dir ();
  make_phantom ("--kind", "ct", "--size", "48x40", "--slices", "6", "--seed", "7",
                "--patient-name", "Doe^Jane", "--patient-id", "P-42", "--accession", "ACC42",
                "--study-date", "20230102", "--study-description", "CT CHEST", "--out", dir,
                NULL);

  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root = load_description (parser, dir);
  JsonObject *geometry = json_object_get_object_member (root, "geometry");
  JsonObject *study = json_object_get_object_member (root, "study");
  JsonObject *series = json_object_get_object_member (root, "series");
  JsonObject *pixels = json_object_get_object_member (root, "pixels");
  JsonArray *instances = json_object_get_array_member (root, "instances");
  g_autoptr (LbPhantom) phantom = lb_phantom_new (LB_PHANTOM_KIND_CT, 48, 40, 6, 0, 7);
  double spacing[3], origin[3], orientation[6], model_origin[3], model_position[3];

  g_assert_cmpstr (json_object_get_string_member (root, "modality"), ==, "CT");
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (geometry, "columns"), ==, 48);
  g_assert_cmpint (json_object_get_int_member (geometry, "rows"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (geometry, "slices"), ==, 6);
  g_assert_cmpuint (json_array_get_length (instances), ==, 6);
  get_vector (geometry, "spacing", spacing, 3);
  get_vector (geometry, "origin", origin, 3);
  get_vector (geometry, "orientation", orientation, 6);
  lb_phantom_get_origin (phantom, model_origin);
  g_assert_cmpfloat (spacing[0], ==, 7.5);
  g_assert_cmpfloat (spacing[2], ==, 1.0);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpfloat_with_epsilon (origin[a], model_origin[a], 1e-6);
  g_assert_cmpfloat (json_object_get_double_member (pixels, "rescale_intercept"), ==, -1024);
  g_assert_cmpstr (json_object_get_string_member (study, "accession_number"), ==, "ACC42");

  g_autofree guint16 *expect = g_new (guint16, 48 * 40);
  double previous_z = G_MAXDOUBLE;
  for (guint k = 0; k < 6; k++)
    {
      g_autoptr (GError) error = NULL;
      JsonObject *instance = json_array_get_object_element (instances, k);
      g_autoptr (LbDicomFile) file = open_instance (dir, instance);
      double ipp[3], iop[6], ps[2], want[3], value;
      gint64 number;

      g_assert_cmpstr (lb_dicom_file_get_sop_instance_uid (file), ==,
                       json_object_get_string_member (instance, "sop_instance_uid"));
      g_assert_cmpstr (lb_dicom_file_get_sop_class_uid (file), ==, "1.2.840.10008.5.1.4.1.1.2");
      g_assert_cmpstr (lb_dicom_file_get_transfer_syntax (file), ==, "1.2.840.10008.1.2.1");
      assert_string (file, LB_TAG_STUDY_INSTANCE_UID,
                     json_object_get_string_member (study, "instance_uid"));
      assert_string (file, LB_TAG_SERIES_INSTANCE_UID,
                     json_object_get_string_member (series, "instance_uid"));
      assert_string (file, LB_TAG_FRAME_OF_REFERENCE_UID,
                     json_object_get_string_member (series, "frame_of_reference_uid"));
      assert_string (file, LB_TAG_PATIENT_NAME, "Doe^Jane");
      assert_string (file, LB_TAG_PATIENT_ID, "P-42");
      assert_string (file, LB_TAG_ACCESSION_NUMBER, "ACC42");
      assert_string (file, LB_TAG_STUDY_DATE, "20230102");
      assert_string (file, LB_TAG_STUDY_DESCRIPTION, "CT CHEST");
      assert_string (file, LB_TAG_MODALITY, "CT");
      assert_string (file, LB_TAG_RESCALE_TYPE, "HU");
      g_assert_true (lb_dicom_file_get_int (file, NULL, LB_TAG_INSTANCE_NUMBER, 0, &number));
      g_assert_cmpint (number, ==, k + 1);

      g_assert_cmpuint (lb_dicom_file_get_doubles (file, NULL, LB_TAG_IMAGE_POSITION_PATIENT,
                                                   ipp, 3),
                        ==, 3);
      get_vector (instance, "image_position", want, 3);
      lb_phantom_voxel_to_patient (phantom, 0, 0, k, model_position);
      for (guint a = 0; a < 3; a++)
        {
          g_assert_cmpfloat (ipp[a], ==, want[a]);
          g_assert_cmpfloat_with_epsilon (ipp[a], model_position[a], 1e-6);
        }
      /* Axial, head first: z falls by one spacing per instance. */
      if (k > 0)
        g_assert_cmpfloat_with_epsilon (previous_z - ipp[2], spacing[2], 1e-9);
      previous_z = ipp[2];
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_SLICE_LOCATION, 0, &value));
      g_assert_cmpfloat (value, ==, ipp[2]);

      g_assert_cmpuint (lb_dicom_file_get_doubles (file, NULL, LB_TAG_IMAGE_ORIENTATION_PATIENT,
                                                   iop, 6),
                        ==, 6);
      for (guint a = 0; a < 6; a++)
        g_assert_cmpfloat (iop[a], ==, orientation[a]);
      g_assert_cmpuint (lb_dicom_file_get_doubles (file, NULL, LB_TAG_PIXEL_SPACING, ps, 2), ==, 2);
      g_assert_cmpfloat (ps[0], ==, spacing[1]);
      g_assert_cmpfloat (ps[1], ==, spacing[0]);
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_SLICE_THICKNESS, 0, &value));
      g_assert_cmpfloat (value, ==, 1.0);
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_RESCALE_INTERCEPT, 0, &value));
      g_assert_cmpfloat (value, ==, -1024);
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_RESCALE_SLOPE, 0, &value));
      g_assert_cmpfloat (value, ==, 1);
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_WINDOW_CENTER, 0, &value));
      g_assert_cmpfloat (value, ==, 40);
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_WINDOW_WIDTH, 1, &value));
      g_assert_cmpfloat (value, ==, 1500);

      const LbImageInfo *info = lb_dicom_file_get_image_info (file, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (info->columns, ==, 48);
      g_assert_cmpuint (info->rows, ==, 40);
      g_assert_cmpuint (info->bits_stored, ==, 12);
      g_assert_false (info->is_signed);
      g_assert_false (info->lossy);
      g_assert_cmpint (info->photometric, ==, LB_PHOTOMETRIC_MONOCHROME2);

      g_autoptr (LbPixels) frame = lb_dicom_file_decode_frame (file, 0, &error);
      g_assert_no_error (error);
      lb_phantom_render_slice (phantom, k, expect);
      g_assert_cmpmem (lb_pixels_get_data (frame), lb_pixels_get_size (frame), expect,
                       48 * 40 * sizeof (guint16));
    }
  remove_tree (dir);
}

/* The voxel nearest each sphere centre, located from the files' own geometry, decodes to
 * the sphere's HU within the noise. */
static void
test_tool_spheres (void)
{
  if (!have_tool ())
    return;
  g_autofree char *dir = make_temp_dir ();
  make_phantom ("--kind", "ct", "--size", "64x64", "--slices", "8", "--seed", "3", "--out", dir,
                NULL);

  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root = load_description (parser, dir);
  JsonArray *instances = json_object_get_array_member (root, "instances");
  JsonArray *spheres = json_object_get_array_member (root, "spheres");
  double noise = json_object_get_int_member (json_object_get_object_member (root, "noise"),
                                             "amplitude");
  guint found = 0;

  g_autoptr (LbDicomFile) first = open_instance (dir, json_array_get_object_element (instances, 0));
  g_autoptr (LbDicomFile) second = open_instance (dir, json_array_get_object_element (instances, 1));
  double p0[3], p1[3], iop[6], ps[2];
  g_assert_cmpuint (lb_dicom_file_get_doubles (first, NULL, LB_TAG_IMAGE_POSITION_PATIENT, p0, 3), ==, 3);
  g_assert_cmpuint (lb_dicom_file_get_doubles (second, NULL, LB_TAG_IMAGE_POSITION_PATIENT, p1, 3), ==, 3);
  g_assert_cmpuint (lb_dicom_file_get_doubles (first, NULL, LB_TAG_IMAGE_ORIENTATION_PATIENT, iop, 6), ==, 6);
  g_assert_cmpuint (lb_dicom_file_get_doubles (first, NULL, LB_TAG_PIXEL_SPACING, ps, 2), ==, 2);
  double step[3] = { p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2] };
  double step2 = step[0] * step[0] + step[1] * step[1] + step[2] * step[2];

  for (guint s = 0; s < json_array_get_length (spheres); s++)
    {
      g_autoptr (GError) error = NULL;
      JsonObject *sphere = json_array_get_object_element (spheres, s);
      double c[3], d[3];
      get_vector (sphere, "centre", c, 3);
      for (guint a = 0; a < 3; a++)
        d[a] = c[a] - p0[a];
      double fi = (d[0] * iop[0] + d[1] * iop[1] + d[2] * iop[2]) / ps[1];
      double fj = (d[0] * iop[3] + d[1] * iop[4] + d[2] * iop[5]) / ps[0];
      double fk = (d[0] * step[0] + d[1] * step[1] + d[2] * step[2]) / step2;
      long i = lround (fi), j = lround (fj), k = lround (fk);
      if (i < 0 || j < 0 || k < 0 || i >= 64 || j >= 64 || k >= 8)
        continue;
      found++;

      g_autoptr (LbDicomFile) file = open_instance (dir,
                                                    json_array_get_object_element (instances, k));
      g_autoptr (LbPixels) frame = lb_dicom_file_decode_frame (file, 0, &error);
      g_assert_no_error (error);
      double slope, intercept;
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_RESCALE_SLOPE, 0, &slope));
      g_assert_true (lb_dicom_file_get_double (file, NULL, LB_TAG_RESCALE_INTERCEPT, 0,
                                               &intercept));
      double hu = decoded_at (frame, (guint) i, (guint) j) * slope + intercept;
      g_assert_cmpfloat (fabs (hu - json_object_get_double_member (sphere, "value")), <=, noise);
    }
  /* The 8 mm slab through the middle of the chest holds the two lung spheres. */
  g_assert_cmpuint (found, ==, 2);
  remove_tree (dir);
}

/* DCMTK, an independent parser, reads the Image Position (Patient) phantom.json gives. */
static void
test_tool_dcmdump (void)
{
  if (!have_tool () || !have_program ("dcmdump"))
    return;
  g_autofree char *dir = make_temp_dir ();
  make_phantom ("--kind", "ct", "--size", "32x32", "--slices", "5", "--spacing", "2.5",
                "--seed", "11", "--transfer-syntax", "jpeg-ls", "--out", dir, NULL);

  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root = load_description (parser, dir);
  JsonArray *instances = json_object_get_array_member (root, "instances");
  g_autoptr (GRegex) regex = g_regex_new ("^\\(0020,0032\\) DS \\[([^]]*)\\]", G_REGEX_MULTILINE,
                                          0, NULL);

  for (guint k = 0; k < json_array_get_length (instances); k++)
    {
      JsonObject *instance = json_array_get_object_element (instances, k);
      g_autofree char *path = g_build_filename (dir, json_object_get_string_member (instance, "file"),
                                                NULL);
      const char *argv[] = { "dcmdump", "+P", "0020,0032", path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr (GMatchInfo) match = NULL;
      double want[3];

      g_assert_cmpint (run (argv, &out, &err), ==, 0);
      g_assert_true (g_regex_match (regex, out, 0, &match));
      g_autofree char *value = g_match_info_fetch (match, 1);
      g_auto (GStrv) parts = g_strsplit (value, "\\", -1);
      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      get_vector (instance, "image_position", want, 3);
      for (guint a = 0; a < 3; a++)
        g_assert_cmpfloat (g_ascii_strtod (parts[a], NULL), ==, want[a]);
    }
  remove_tree (dir);
}

/* dcm2niix builds the volume phantom.json describes: dimensions, spacing, and the centre
 * of the volume at (0, 0, -140) mm (RAS in NIfTI has the same z). */
static void
test_tool_dcm2niix (void)
{
  if (!have_tool () || !have_program ("dcm2niix"))
    return;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *nii_dir = g_build_filename (dir, "nii", NULL);
  g_autofree char *series = g_build_filename (dir, "series", NULL);
  make_phantom ("--kind", "ct", "--size", "40x36", "--slices", "7", "--spacing", "1.5",
                "--seed", "2", "--out", series, NULL);
  g_assert_cmpint (g_mkdir (nii_dir, 0700), ==, 0);

  const char *argv[] = { "dcm2niix", "-b", "n", "-z", "n", "-f", "volume", "-o", nii_dir,
                         series, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_assert_cmpint (run (argv, &out, &err), ==, 0);

  g_autofree char *nii = g_build_filename (nii_dir, "volume.nii", NULL);
  g_autofree char *header = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (nii, &header, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 348);

  gint32 sizeof_hdr;
  gint16 dim[8];
  float pixdim[8], srow[3][4];
  memcpy (&sizeof_hdr, header, 4);
  memcpy (dim, header + 40, sizeof dim);
  memcpy (pixdim, header + 76, sizeof pixdim);
  memcpy (srow, header + 280, sizeof srow);
  g_assert_cmpint (sizeof_hdr, ==, 348);
  g_assert_cmpint (dim[0], ==, 3);
  g_assert_cmpint (dim[1], ==, 40);
  g_assert_cmpint (dim[2], ==, 36);
  g_assert_cmpint (dim[3], ==, 7);
  g_assert_cmpfloat_with_epsilon (pixdim[1], 9.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (pixdim[2], 9.0, 1e-4);
  g_assert_cmpfloat_with_epsilon (pixdim[3], 1.5, 1e-4);
  double centre[3] = { (dim[1] - 1) / 2.0, (dim[2] - 1) / 2.0, (dim[3] - 1) / 2.0 };
  double ras[3];
  for (guint r = 0; r < 3; r++)
    ras[r] = srow[r][0] * centre[0] + srow[r][1] * centre[1] + srow[r][2] * centre[2] +
             srow[r][3];
  g_assert_cmpfloat_with_epsilon (ras[0], 0, 1e-3);
  g_assert_cmpfloat_with_epsilon (ras[1], 0, 1e-3);
  g_assert_cmpfloat_with_epsilon (ras[2], -140, 1e-3);
  remove_tree (dir);
}

/* dicom3tools' validator finds no errors in any kind (warnings are allowed). */
static void
test_tool_dciodvfy (void)
{
  static const char *const cases[][3] = {
    { "ct", "64x64", "CT000002.dcm" },
    { "mr", "64x64", "MR000002.dcm" },
    { "cr", "128x160", "CR000001.dcm" },
    { "dx", "128x160", "DX000001.dcm" },
    { "mammo", "104x128", "MG000001.dcm" },
  };

  if (!have_tool () || !have_program ("dciodvfy"))
    return;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *dir = make_temp_dir ();
      gboolean projection = g_strcmp0 (cases[c][0], "ct") != 0 &&
                            g_strcmp0 (cases[c][0], "mr") != 0;
      make_phantom ("--kind", cases[c][0], "--size", cases[c][1], "--slices",
                    projection ? "1" : "3", "--seed", "1", "--patient-name", "Ünal^Zoë",
                    "--out", dir, NULL);
      g_autofree char *path = g_build_filename (dir, cases[c][2], NULL);
      const char *argv[] = { "dciodvfy", path, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      run (argv, &out, &err);
      g_autofree char *all = g_strconcat (out, err, NULL);
      if (strstr (all, "Error") != NULL)
        g_error ("dciodvfy finds errors in the %s phantom:\n%s", cases[c][0], all);
      remove_tree (dir);
    }
}

static void
assert_same_files (const char *a, const char *b)
{
  g_autoptr (GDir) dir = g_dir_open (a, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *pa = g_build_filename (a, name, NULL);
      g_autofree char *pb = g_build_filename (b, name, NULL);
      g_autofree char *ca = NULL, *cb = NULL;
      gsize la = 0, lb = 0;
      g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
      g_assert_cmpmem (ca, la, cb, lb);
      count++;
    }
  g_assert_cmpuint (count, >, 1);
}

static char *
study_uid_of (const char *dir)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root = load_description (parser, dir);

  return g_strdup (json_object_get_string_member (json_object_get_object_member (root, "study"),
                                                  "instance_uid"));
}

/* With --seed, runs write identical bytes whatever the number of threads; without it,
 * every run makes a new study. */
static void
test_tool_reproducible (void)
{
  if (!have_tool ())
    return;
  g_autofree char *top = make_temp_dir ();
  g_autofree char *a = g_build_filename (top, "a", NULL);
  g_autofree char *b = g_build_filename (top, "b", NULL);
  g_autofree char *c = g_build_filename (top, "c", NULL);
  g_autofree char *d = g_build_filename (top, "d", NULL);

  make_phantom ("--kind", "ct", "--size", "32x32", "--slices", "5", "--seed", "9",
                "--transfer-syntax", "j2k", "--jobs", "1", "--out", a, NULL);
  make_phantom ("--kind", "ct", "--size", "32x32", "--slices", "5", "--seed", "9",
                "--transfer-syntax", "j2k", "--jobs", "3", "--out", b, NULL);
  assert_same_files (a, b);

  make_phantom ("--kind", "ct", "--size", "32x32", "--slices", "2", "--out", c, NULL);
  make_phantom ("--kind", "ct", "--size", "32x32", "--slices", "2", "--out", d, NULL);
  g_autofree char *uid_c = study_uid_of (c);
  g_autofree char *uid_d = study_uid_of (d);
  g_assert_cmpstr (uid_c, !=, uid_d);
  remove_tree (top);
}

/* Compressed series decode to the same stored values (lossless) or carry the lossy flag,
 * and the study UID given is used. */
static void
test_tool_compressed (void)
{
  static const struct { const char *name, *uid; gboolean lossy; } syntaxes[] = {
    { "jpeg-ls", "1.2.840.10008.1.2.4.80", FALSE },
    { "jpeg-lossless", "1.2.840.10008.1.2.4.70", FALSE },
    { "rle", "1.2.840.10008.1.2.5", FALSE },
    { "big-endian", "1.2.840.10008.1.2.2", FALSE },
    { "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.90", FALSE },
    { "j2k-lossy", "1.2.840.10008.1.2.4.91", TRUE },
  };

  if (!have_tool ())
    return;
  for (guint s = 0; s < G_N_ELEMENTS (syntaxes); s++)
    {
      g_autofree char *dir = make_temp_dir ();
      g_autoptr (LbPhantom) phantom = lb_phantom_new (LB_PHANTOM_KIND_CT, 40, 40, 3, 0, 4);
      g_autofree guint16 *expect = g_new (guint16, 40 * 40);
      make_phantom ("--kind", "ct", "--size", "40x40", "--slices", "3", "--seed", "4",
                    "--study-uid", "1.2.826.0.1.3680043.10.1234.1", "--transfer-syntax",
                    syntaxes[s].name, "--out", dir, NULL);

      for (guint k = 0; k < 3; k++)
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *name = g_strdup_printf ("CT%06u.dcm", k + 1);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (path, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (lb_dicom_file_get_transfer_syntax (file), ==, syntaxes[s].uid);
          assert_string (file, LB_TAG_STUDY_INSTANCE_UID, "1.2.826.0.1.3680043.10.1234.1");
          const LbImageInfo *info = lb_dicom_file_get_image_info (file, &error);
          g_assert_no_error (error);
          g_assert_cmpint (info->lossy, ==, syntaxes[s].lossy);
          g_autoptr (LbPixels) frame = lb_dicom_file_decode_frame (file, 0, &error);
          g_assert_no_error (error);
          if (!syntaxes[s].lossy)
            {
              lb_phantom_render_slice (phantom, k, expect);
              g_assert_cmpmem (lb_pixels_get_data (frame), lb_pixels_get_size (frame), expect,
                               40 * 40 * sizeof (guint16));
            }
        }
      remove_tree (dir);
    }
}

/* Each kind: its modality and pixel module, and every test object large enough to hold
 * a pixel reads back its value within the noise. */
static void
test_tool_kinds (void)
{
  static const struct {
    const char *kind, *size, *slices, *modality, *photometric;
    guint bits;
  } cases[] = {
    { "mr", "64x64", "13", "MR", "MONOCHROME2", 16 },
    { "cr", "256x312", "1", "CR", "MONOCHROME1", 12 },
    { "dx", "256x312", "1", "DX", "MONOCHROME2", 12 },
    { "mammo", "333x410", "1", "MG", "MONOCHROME2", 16 },
  };

  if (!have_tool ())
    return;
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *dir = make_temp_dir ();
      make_phantom ("--kind", cases[c].kind, "--size", cases[c].size, "--slices",
                    cases[c].slices, "--seed", "5", "--out", dir, NULL);
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *root = load_description (parser, dir);
      JsonArray *instances = json_object_get_array_member (root, "instances");
      JsonArray *objects = json_object_get_array_member (root, "test_objects");
      double spacing[3];
      double noise = json_object_get_int_member (json_object_get_object_member (root, "noise"),
                                                 "amplitude");
      guint checked = 0;

      get_vector (json_object_get_object_member (root, "geometry"), "spacing", spacing, 3);
      g_assert_cmpstr (json_object_get_string_member (root, "modality"), ==, cases[c].modality);
      for (guint n = 0; n < json_array_get_length (objects); n++)
        {
          g_autoptr (GError) error = NULL;
          JsonObject *o = json_array_get_object_element (objects, n);
          double index[3], half[3];
          get_vector (o, "centre_index", index, 3);
          get_vector (o, "half_size", half, 3);
          if (!json_object_get_boolean_member (o, "in_image") ||
              MIN (half[0], half[1]) < 2 * spacing[0])
            continue;
          long k = (long) floor (index[2] + 0.5);
          JsonObject *instance = json_array_get_object_element (instances, (guint) k);
          g_autoptr (LbDicomFile) file = open_instance (dir, instance);
          const LbImageInfo *info = lb_dicom_file_get_image_info (file, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (lb_photometric_to_string (info->photometric), ==,
                           cases[c].photometric);
          g_assert_cmpuint (info->bits_stored, ==, cases[c].bits);
          assert_string (file, LB_TAG_MODALITY, cases[c].modality);
          g_autoptr (LbPixels) frame = lb_dicom_file_decode_frame (file, 0, &error);
          g_assert_no_error (error);
          guint16 v = decoded_at (frame, (guint) floor (index[0] + 0.5),
                                  (guint) floor (index[1] + 0.5));
          g_assert_cmpfloat (fabs (v - json_object_get_double_member (o, "value")), <=, noise);
          checked++;
        }
      g_assert_cmpuint (checked, >=, 2);
      remove_tree (dir);
    }
}

/* Bad requests exit with status 2 and say what is wrong in one line. */
static void
test_tool_refusals (void)
{
  static const struct { const char *args[6]; const char *says; } cases[] = {
    { { "--kind", "ct", "--transfer-syntax", "jpeg-baseline" }, "8 bits" },
    { { "--kind", "mammo", "--transfer-syntax", "jpeg-extended" }, "12 bits" },
    { { "--kind", "skull" }, "unknown kind" },
    { { "--kind", "cr", "--slices", "4" }, "single image" },
    { { "--transfer-syntax", "jpeg-xl" }, "unknown transfer syntax" },
    { { "--study-date", "20230230" }, "real date" },
    { { "--study-uid", "1.2.03" }, "not a valid UID" },
    { { "--accession", "ABCDEFGHIJKLMNOPQ" }, "16 characters" },
    { { "--size", "0x12" }, "--size" },
    { { "--slices", "0" }, "--slices" },
  };

  if (!have_tool ())
    return;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *tool = tool_path ();
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *argv[10] = { tool, "--out", dir };
      guint n = 3;
      for (guint a = 0; a < G_N_ELEMENTS (cases[c].args) && cases[c].args[a]; a++)
        argv[n++] = cases[c].args[a];
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_assert_cmpint (run (argv, &out, &err), ==, 2);
      if (strstr (err, cases[c].says) == NULL)
        g_error ("expected \"%s\" in: %s", cases[c].says, err);
    }
  const char *no_out[] = { tool, "--kind", "ct", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_assert_cmpint (run (no_out, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--out"));
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();

  g_test_add_func ("/phantom/model/test-objects", test_model_test_objects);
  g_test_add_func ("/phantom/model/render", test_model_render);
  g_test_add_func ("/phantom/model/geometry", test_model_geometry);
  g_test_add_func ("/phantom/tool/ct", test_tool_ct);
  g_test_add_func ("/phantom/tool/spheres", test_tool_spheres);
  g_test_add_func ("/phantom/tool/dcmdump", test_tool_dcmdump);
  g_test_add_func ("/phantom/tool/dcm2niix", test_tool_dcm2niix);
  g_test_add_func ("/phantom/tool/dciodvfy", test_tool_dciodvfy);
  g_test_add_func ("/phantom/tool/reproducible", test_tool_reproducible);
  g_test_add_func ("/phantom/tool/compressed", test_tool_compressed);
  g_test_add_func ("/phantom/tool/kinds", test_tool_kinds);
  g_test_add_func ("/phantom/tool/refusals", test_tool_refusals);
  return g_test_run ();
}
