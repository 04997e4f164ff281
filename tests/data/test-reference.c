/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every image in pydicom's test files that GDCM decodes, compared with an independent
 * implementation:
 *
 * - DCMTK (dcm2pnm, dcmj2pnm for JPEG, dcml2pnm for JPEG-LS) renders the same frame
 *   with the same window; `lightbox-cli render` must match it pixel by pixel within one
 *   grey level, or the case says why not;
 * - JPEG 2000, which DCMTK cannot decode: the codestream is cut out of the file by
 *   dcmdump and decoded by OpenJPEG's own opj_decompress; our stored values must equal
 *   its samples;
 * - lossless twins (the same image in another transfer syntax) decode to identical
 *   stored values, and render identically to DCMTK's rendering of the twin.
 *
 * Outputs of a failing case stay in the temp folder the test names.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "lb-dicom-file.h"

#define PYDICOM "/usr/lib/python3/dist-packages/pydicom/data/test_files"

typedef struct {
  const char *file;
  /* dcm2pnm, dcmj2pnm or dcml2pnm; for a twin, the file whose DCMTK rendering is the
   * reference. */
  const char *tool;
  const char *twin;
  guint frame;         /* from 1 */
  const char *window;  /* "C,W" for monochrome; NULL for colour */
  int tolerance;       /* grey levels */
  const char *why;     /* when the tolerance is above 1 */
} DcmtkCase;

/* Cases on pydicom's files; phantom_cases below are made by tools/make-phantom at run time
 * (a full-size CT slice in each lossless codec, MR, a MONOCHROME1 chest CR, a
 * mammogram). */
static const DcmtkCase dcmtk_cases[] = {
  { "CT_small.dcm", "dcm2pnm", NULL, 1, "40,400", 1, NULL },
  { "MR_small.dcm", "dcm2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_implicit.dcm", "dcm2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_bigendian.dcm", "dcm2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_expb.dcm", "dcm2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_padded.dcm", "dcm2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_RLE.dcm", "dcm2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_jpeg_ls_lossless.dcm", "dcml2pnm", NULL, 1, "600,1600", 1, NULL },
  { "MR_small_jp2klossless.dcm", "dcm2pnm", "MR_small.dcm", 1, "600,1600", 1, NULL },
  { "JPEG-lossy.dcm", "dcmj2pnm", NULL, 1, "128,256", 1, NULL },
  { "JPGExtended.dcm", "dcmj2pnm", NULL, 1, "128,256", 1, NULL },
  { "image_dfl.dcm", "dcm2pnm", NULL, 1, "128,256", 1, NULL },
  { "liver_1frame.dcm", "dcm2pnm", NULL, 1, "0.5,1", 1, NULL },
  { "liver_expb_1frame.dcm", "dcm2pnm", NULL, 1, "0.5,1", 1, NULL },
  { "rtdose.dcm", "dcm2pnm", NULL, 1, "1000000,500000", 1, NULL },
  { "rtdose.dcm", "dcm2pnm", NULL, 15, "1000000,500000", 1, NULL },
  { "rtdose_1frame.dcm", "dcm2pnm", NULL, 1, "1000000,500000", 1, NULL },
  /* DCMTK 3.6.7 renders big-endian 32-bit samples wrongly (its rendering of these files
   * differs from its rendering of their little-endian twins, which ours match); the
   * little-endian twins are the reference. */
  { "rtdose_expb.dcm", "dcm2pnm", "rtdose.dcm", 1, "1000000,500000", 1, NULL },
  { "rtdose_expb.dcm", "dcm2pnm", "rtdose.dcm", 7, "1000000,500000", 1, NULL },
  { "rtdose_expb_1frame.dcm", "dcm2pnm", "rtdose_1frame.dcm", 1, "1000000,500000", 1, NULL },
  { "rtdose_rle.dcm", "dcm2pnm", NULL, 9, "1000000,500000", 1, NULL },
  { "rtdose_rle_1frame.dcm", "dcm2pnm", NULL, 1, "1000000,500000", 1, NULL },
  /* MONOCHROME1: displayed inverted by both. */
  { "dicomdirtests/77654033/CR1/6154", "dcm2pnm", NULL, 1, "2400,800", 1, NULL },
  { "dicomdirtests/77654033/CR2/6247", "dcm2pnm", NULL, 1, "1500,600", 1, NULL },
  { "dicomdirtests/77654033/CR3/6278", "dcm2pnm", NULL, 1, "2450,700", 1, NULL },
  { "ExplVR_BigEnd.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_jpeg_dcmd.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_small_odd.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_ybr_full_422_uncompressed.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_rle.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_rle_2frame.dcm", "dcm2pnm", NULL, 2, NULL, 1, NULL },
  { "SC_rgb_rle_16bit.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_rle_16bit_2frame.dcm", "dcm2pnm", NULL, 2, NULL, 1, NULL },
  { "SC_rgb_rle_32bit.dcm", "dcm2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_rle_32bit_2frame.dcm", "dcm2pnm", NULL, 2, NULL, 1, NULL },
  { "SC_jpeg_no_color_transform.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_jpeg_no_color_transform_2.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_jpeg_app14_dcmd.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_jpeg_dcmtk.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_jpeg_gdcm.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_jpeg_lossy_gdcm.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_small_odd_jpeg.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_dcmtk_+eb+cr.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_dcmtk_+eb+cy+n1.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_dcmtk_+eb+cy+n2.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_dcmtk_+eb+cy+np.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_dcmtk_+eb+cy+s2.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
  { "SC_rgb_dcmtk_+eb+cy+s4.dcm", "dcmj2pnm", NULL, 1, NULL, 1, NULL },
};

typedef struct {
  DcmtkCase dcmtk;  /* .file names the phantom's folder under the work folder */
  const char *kind;
  const char *transfer_syntax;
  const char *prefix;
} PhantomCase;

static PhantomCase phantom_cases[] = {
  { { "ct-explicit", "dcm2pnm", NULL, 1, "40,400", 1, NULL }, "ct", "explicit", "CT" },
  { { "ct-rle", "dcm2pnm", NULL, 1, "-600,1500", 1, NULL }, "ct", "rle", "CT" },
  { { "ct-jpeg-lossless", "dcmj2pnm", NULL, 1, "40,400", 1, NULL }, "ct", "jpeg-lossless", "CT" },
  { { "ct-jpeg-ls", "dcml2pnm", NULL, 1, "300,1800", 1, NULL }, "ct", "jpeg-ls", "CT" },
  { { "mr-explicit", "dcm2pnm", NULL, 1, "600,1200", 1, NULL }, "mr", "explicit", "MR" },
  { { "cr-explicit", "dcm2pnm", NULL, 1, "2048,4096", 1, NULL }, "cr", "explicit", "CR" },
  { { "mammo-explicit", "dcm2pnm", NULL, 1, "20000,30000", 1, NULL }, "mammo", "explicit", "MG" },
};

/* JPEG 2000 files: stored values against OpenJPEG's opj_decompress. */
static const char *openjpeg_cases[] = {
  "JPEG2000.dcm",
  "693_J2KI.dcm",
  "J2K_pixelrep_mismatch.dcm",
  "MR_small_jp2klossless.dcm",
  "SC_rgb_gdcm_KY.dcm",
  "GDCMJ2K_TextGBR.dcm",
};

/* Lossless twins must decode to the same stored values. */
static const char *twins[][2] = {
  { "MR_small.dcm", "MR_small_implicit.dcm" },
  { "MR_small.dcm", "MR_small_bigendian.dcm" },
  { "MR_small.dcm", "MR_small_expb.dcm" },
  { "MR_small.dcm", "MR_small_RLE.dcm" },
  { "MR_small.dcm", "MR_small_jpeg_ls_lossless.dcm" },
  { "MR_small.dcm", "MR_small_jp2klossless.dcm" },
  { "MR_small.dcm", "MR_small_padded.dcm" },
  { "liver_1frame.dcm", "liver_expb_1frame.dcm" },
  { "rtdose.dcm", "rtdose_expb.dcm" },
  { "rtdose.dcm", "rtdose_rle.dcm" },
  { "rtdose_1frame.dcm", "rtdose_rle_1frame.dcm" },
  { "SC_rgb_rle.dcm", "SC_rgb_jpeg_gdcm.dcm" },
};

static char *work_dir;

static void
run (const char *const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_autofree char *line = g_strjoinv (" ", (char **) argv);
  g_test_message ("$ %s", line);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s%s", line, error->message, out, err);
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  return s;
}

/* The largest difference over R, G and B of every pixel. */
static int
max_difference (cairo_surface_t *a, cairo_surface_t *b, int *at_x, int *at_y)
{
  int w = cairo_image_surface_get_width (a);
  int h = cairo_image_surface_get_height (a);
  int worst = 0;

  g_assert_cmpint (cairo_image_surface_get_width (b), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (b), ==, h);
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (a) +
                                             y * cairo_image_surface_get_stride (a));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (b) +
                                             y * cairo_image_surface_get_stride (b));
      for (int x = 0; x < w; x++)
        for (int shift = 0; shift < 24; shift += 8)
          {
            int d = ABS ((int) ((ra[x] >> shift) & 0xff) - (int) ((rb[x] >> shift) & 0xff));
            if (d > worst)
              {
                worst = d;
                *at_x = x;
                *at_y = y;
              }
          }
    }
  return worst;
}

static char *
cli_path (void)
{
  return g_build_filename (g_getenv ("LB_BUILD_ROOT"), "src", "cli", "lightbox-cli", NULL);
}

static void
compare_with_dcmtk (const DcmtkCase *c, const char *source, const char *reference_source)
{
  g_autofree char *flat = g_strdelimit (g_strdup (c->file), "/", '_');
  g_autofree char *base = g_strdup_printf ("%s-%u", flat, c->frame);
  g_autofree char *ours = g_strdup_printf ("%s/%s.ours.png", work_dir, base);
  g_autofree char *theirs = g_strdup_printf ("%s/%s.dcmtk.png", work_dir, base);
  g_autofree char *frame = g_strdup_printf ("%u", c->frame);
  g_autofree char *cli = cli_path ();

  if (c->window)
    {
      g_auto (GStrv) cw = g_strsplit (c->window, ",", 2);
      const char *dcmtk[] = { c->tool, "+on", "+F", frame, "+Ww", cw[0], cw[1],
                              reference_source, theirs, NULL };
      run (dcmtk);
      const char *lightbox[] = { cli, "render", source, "--frame", frame, "--window", c->window,
                                 "-o", ours, NULL };
      run (lightbox);
    }
  else
    {
      const char *dcmtk[] = { c->tool, "+on", "+F", frame, reference_source, theirs, NULL };
      run (dcmtk);
      const char *lightbox[] = { cli, "render", source, "--frame", frame, "-o", ours, NULL };
      run (lightbox);
    }

  cairo_surface_t *a = load_png (ours);
  cairo_surface_t *b = load_png (theirs);
  int x = 0, y = 0;
  int diff = max_difference (a, b, &x, &y);
  g_test_message ("%s frame %u: largest difference %d grey levels (at %d,%d)%s%s", c->file,
                  c->frame, diff, x, y, c->why ? ": " : "", c->why ? c->why : "");
  g_assert_cmpint (diff, <=, c->tolerance);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

static void
test_dcmtk (gconstpointer data)
{
  const DcmtkCase *c = data;
  g_autofree char *source = g_build_filename (PYDICOM, c->file, NULL);
  g_autofree char *reference_source = g_build_filename (PYDICOM, c->twin ? c->twin : c->file,
                                                       NULL);

  compare_with_dcmtk (c, source, reference_source);
}

static void
test_phantom (gconstpointer data)
{
  const PhantomCase *c = data;
  g_autofree char *folder = g_build_filename (work_dir, c->dcmtk.file, NULL);
  g_autofree char *tool = g_build_filename (g_getenv ("LB_BUILD_ROOT"), "tools", "make-phantom",
                                            NULL);
  const char *make[] = { tool, "--kind", c->kind, "--slices", "1", "--seed", "7",
                         "--transfer-syntax", c->transfer_syntax, "--out", folder, NULL };
  run (make);
  g_autofree char *name = g_strdup_printf ("%s000001.dcm", c->prefix);
  g_autofree char *source = g_build_filename (folder, name, NULL);
  compare_with_dcmtk (&c->dcmtk, source, source);
}

/* opj_decompress writes .rawl as planes of little-endian samples, 1 byte for 8-bit
 * components, else 2. */
static void
test_openjpeg (gconstpointer data)
{
  const char *name = data;
  g_autofree char *source = g_build_filename (PYDICOM, name, NULL);
  g_autofree char *dump_dir = g_build_filename (work_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dump_dir, 0700), ==, 0);
  const char *dump[] = { "dcmdump", "+W", dump_dir, source, NULL };
  run (dump);

  /* Item 0 is the (possibly empty) offset table; these files hold one fragment. */
  g_autofree char *fragment = g_strdup_printf ("%s/%s.1.raw", dump_dir, name);
  g_autofree char *codestream = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (fragment, &codestream, &length, NULL));
  gboolean jp2 = length > 4 && memcmp (codestream, "\0\0\0\x0c", 4) == 0;
  g_autofree char *input = g_strdup_printf ("%s/stream.%s", dump_dir, jp2 ? "jp2" : "j2k");
  g_assert_true (g_file_set_contents (input, codestream, (gssize) length, NULL));
  g_autofree char *output = g_strdup_printf ("%s/decoded.rawl", dump_dir);
  const char *decode[] = { "opj_decompress", "-quiet", "-i", input, "-o", output, NULL };
  run (decode);

  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (source, &error);
  g_assert_no_error (error);
  g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, &error);
  g_assert_no_error (error);

  g_autofree char *raw = NULL;
  gsize raw_length;
  g_assert_true (g_file_get_contents (output, &raw, &raw_length, NULL));
  guint w = lb_pixels_get_width (pixels), h = lb_pixels_get_height (pixels);
  guint samples = lb_pixels_get_samples (pixels);
  guint size = lb_sample_type_size (lb_pixels_get_sample_type (pixels));
  gsize count = (gsize) w * h;
  g_assert_cmpuint (raw_length, ==, count * samples * size);

  guint bits = lb_pixels_get_bits (pixels);
  gboolean is_signed = lb_sample_type_is_signed (lb_pixels_get_sample_type (pixels));
  const guint8 *ours = lb_pixels_get_data (pixels);
  guint mismatches = 0;
  for (gsize i = 0; i < count; i++)
    for (guint c = 0; c < samples; c++)
      {
        const guint8 *t = (const guint8 *) raw + (c * count + i) * size;
        const guint8 *o = ours + (i * samples + c) * size;
        gint64 theirs_v = size == 1 ? t[0] : (gint64) (t[0] | t[1] << 8);
        gint64 ours_v = size == 1 ? (is_signed ? (gint8) o[0] : o[0])
                                  : (is_signed ? *(const gint16 *) o : *(const guint16 *) o);
        /* OpenJPEG gives the codestream's samples; the DICOM header decides how many bits
         * they carry and whether they are signed (J2K_pixelrep_mismatch.dcm's codestream
         * says unsigned, its header signed 13-bit: PS3.5 8.2.4 has the header win). */
        gint64 mask = (G_GINT64_CONSTANT (1) << bits) - 1;
        theirs_v &= mask;
        if (is_signed && (theirs_v >> (bits - 1)) & 1)
          theirs_v -= G_GINT64_CONSTANT (1) << bits;
        if (theirs_v != ours_v && mismatches++ < 5)
          g_test_message ("pixel %" G_GSIZE_FORMAT " sample %u: ours %" G_GINT64_FORMAT
                          ", OpenJPEG %" G_GINT64_FORMAT,
                          i, c, ours_v, theirs_v);
      }
  g_assert_cmpuint (mismatches, ==, 0);
}

static void
test_twins (gconstpointer data)
{
  const char *const *pair = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *a_path = g_build_filename (PYDICOM, pair[0], NULL);
  g_autofree char *b_path = g_build_filename (PYDICOM, pair[1], NULL);
  g_autoptr (LbDicomFile) a = lb_dicom_file_new_for_path (a_path, &error);
  g_assert_no_error (error);
  g_autoptr (LbDicomFile) b = lb_dicom_file_new_for_path (b_path, &error);
  g_assert_no_error (error);
  const LbImageInfo *ai = lb_dicom_file_get_image_info (a, &error);
  g_assert_no_error (error);
  const LbImageInfo *bi = lb_dicom_file_get_image_info (b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ai->frames, ==, bi->frames);

  for (guint f = 0; f < ai->frames; f++)
    {
      g_autoptr (LbPixels) pa = lb_dicom_file_decode_frame (a, f, &error);
      g_assert_no_error (error);
      g_autoptr (LbPixels) pb = lb_dicom_file_decode_frame (b, f, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (lb_pixels_get_size (pa), ==, lb_pixels_get_size (pb));
      g_assert_cmpint (lb_pixels_get_photometric (pa), ==, lb_pixels_get_photometric (pb));
      g_assert_true (memcmp (lb_pixels_get_data (pa), lb_pixels_get_data (pb),
                             lb_pixels_get_size (pa)) == 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("LB_BUILD_ROOT"));

  g_autoptr (GError) error = NULL;
  work_dir = g_dir_make_tmp ("lb-reference-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_message ("outputs in %s", work_dir);

  for (guint i = 0; i < G_N_ELEMENTS (dcmtk_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dcmtk/%s/frame-%u", dcmtk_cases[i].file,
                                               dcmtk_cases[i].frame);
      g_test_add_data_func (path, &dcmtk_cases[i], test_dcmtk);
    }
  for (guint i = 0; i < G_N_ELEMENTS (phantom_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/phantom/%s", phantom_cases[i].dcmtk.file);
      g_test_add_data_func (path, &phantom_cases[i], test_phantom);
    }
  for (guint i = 0; i < G_N_ELEMENTS (openjpeg_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/openjpeg/%s", openjpeg_cases[i]);
      g_test_add_data_func (path, openjpeg_cases[i], test_openjpeg);
    }
  for (guint i = 0; i < G_N_ELEMENTS (twins); i++)
    {
      g_autofree char *path = g_strdup_printf ("/twins/%s/%s", twins[i][0], twins[i][1]);
      g_test_add_data_func (path, twins[i], test_twins);
    }

  int status = g_test_run ();
  if (status == 0)
    {
      const char *rm[] = { "rm", "-rf", work_dir, NULL };
      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                    NULL);
    }
  g_free (work_dir);
  return status;
}
