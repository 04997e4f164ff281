/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LbFrameDisplay on real files: pydicom's test images, and small instances written with
 * LbDicomWriter to hold modality and VOI lookup tables, per-frame windows, Presentation
 * LUT Shape, padding and palettes.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include "imaging-fixture.h"
#include "lb-frame-display.h"
#include "lb-frame-renderer.h"
#include "lb-imaging-error.h"
#include "lb-render.h"

static LbFrameDisplay *
display_for (LbDicomFile *file, guint frame)
{
  g_autoptr (GError) error = NULL;
  LbFrameDisplay *display = lb_frame_display_new (file, frame, &error);

  g_assert_no_error (error);
  return display;
}

static cairo_surface_t *
render_file (LbDicomFile *file, const LbRenderOptions *options, LbWindow *applied)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, &error);
  g_assert_no_error (error);
  cairo_surface_t *s = lb_render_frame (display, pixels, options, applied, &error);
  g_assert_no_error (error);
  return s;
}

static void
assert_row (cairo_surface_t *surface, const guint *expected, guint n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (fixture_grey_at (surface, (int) i, 0), ==, expected[i]);
}

static void
test_ct_small (void)
{
  g_autoptr (LbDicomFile) file = fixture_open_pydicom ("CT_small.dcm");
  if (file == NULL)
    return;
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  double slope, intercept;
  gint64 low, high;

  g_assert_true (lb_frame_display_is_grey (display));
  g_assert_cmpuint (lb_frame_display_get_n_windows (display), ==, 0);
  g_assert_false (lb_frame_display_has_voi_lut (display));
  g_assert_false (lb_frame_display_get_inverted (display));
  g_assert_null (lb_frame_display_get_modality_lut (display));
  lb_frame_display_get_rescale (display, &slope, &intercept);
  g_assert_cmpfloat (slope, ==, 1);
  g_assert_cmpfloat (intercept, ==, -1024);
  g_assert_true (lb_frame_display_get_padding (display, &low, &high));
  g_assert_cmpint (low, ==, -2000);
  g_assert_cmpint (high, ==, -2000);

  /* No window: the full range.  Stored 128..2191 are -896..1167 HU: c = 136, w = 2064.
   * Pixel (0, 0) is 175, -849 HU: ((-849 - 135.5) / 2063 + 0.5) * 255 = 5.81 -> 6. */
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  LbWindow applied;
  cairo_surface_t *s = render_file (file, &options, &applied);
  g_assert_cmpfloat (applied.center, ==, 136);
  g_assert_cmpfloat (applied.width, ==, 2064);
  g_assert_cmpuint (fixture_grey_at (s, 0, 0), ==, 6);
  cairo_surface_destroy (s);

  g_autoptr (GError) error = NULL;
  g_assert_null (lb_frame_display_new (file, 1, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_NO_SUCH_FRAME);
}

static void
test_mr_small (void)
{
  g_autoptr (LbDicomFile) file = fixture_open_pydicom ("MR_small.dcm");
  if (file == NULL)
    return;
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  LbWindow w;

  g_assert_cmpuint (lb_frame_display_get_n_windows (display), ==, 1);
  g_assert_true (lb_frame_display_get_window (display, 0, &w, NULL));
  g_assert_cmpfloat (w.center, ==, 600);
  g_assert_cmpfloat (w.width, ==, 1600);

  /* Pixel (0, 0) is 905: ((905 - 599.5) / 1599 + 0.5) * 255 = 176.22 -> 176. */
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  cairo_surface_t *s = render_file (file, &options, NULL);
  g_assert_cmpuint (fixture_grey_at (s, 0, 0), ==, 176);
  cairo_surface_destroy (s);
}

static void
test_several_windows (void)
{
  g_autoptr (LbDicomFile) file = fixture_open_pydicom ("J2K_pixelrep_mismatch.dcm");
  if (file == NULL)
    return;
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  LbWindow w;

  /* Window Center 40\40\40, Window Width 100\100\200. */
  g_assert_cmpuint (lb_frame_display_get_n_windows (display), ==, 3);
  g_assert_true (lb_frame_display_get_window (display, 2, &w, NULL));
  g_assert_cmpfloat (w.center, ==, 40);
  g_assert_cmpfloat (w.width, ==, 200);
}

static void
test_monochrome1_cr (void)
{
  g_autoptr (LbDicomFile) file = fixture_open_pydicom ("dicomdirtests/77654033/CR1/6154");
  if (file == NULL)
    return;
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);

  g_assert_true (lb_frame_display_get_inverted (display));
  /* Stored 1994 * 0.684 + 200 = 1563.896; window 1600/2800:
   * ((1563.896 - 1599.5) / 2799 + 0.5) * 255 = 124.26 -> 124, inverted 131. */
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  cairo_surface_t *s = render_file (file, &options, NULL);
  g_assert_cmpuint (fixture_grey_at (s, 0, 0), ==, 131);
  cairo_surface_destroy (s);
}

static LbDicomItem *
lut_item (const char *descriptor_vr, const char *descriptor, const guint16 *data, gsize n)
{
  LbDicomItem *item = lb_dicom_item_new ();

  g_assert_true (lb_dicom_item_set (item, LB_TAG_LUT_DESCRIPTOR, descriptor_vr, descriptor));
  if (data)
    g_assert_true (lb_dicom_item_set_bytes (item, LB_TAG_LUT_DATA, "OW", data, n * 2));
  return item;
}

static void
test_modality_lut (void)
{
  /* First mapped -2: written as SS, as US 65534 (read signed because the pixels are),
   * and in implicit VR where the dictionary says "US or SS". */
  const struct {
    const char *vr, *descriptor, *syntax;
  } cases[] = {
    { "SS", "4\\-2\\16", FIXTURE_EXPLICIT_LE },
    { "US", "4\\65534\\16", FIXTURE_EXPLICIT_LE },
    { "US", "4\\65534\\16", FIXTURE_IMPLICIT_LE },
  };
  const gint16 values[] = { -5, -2, -1, 0, 1, 5 };
  const guint16 table[] = { 100, 200, 300, 400 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LbDicomWriter) writer = fixture_writer_new (6, 1, 1, 16, 16, TRUE, "MONOCHROME2",
                                                             values, sizeof values);
      g_autoptr (LbDicomItem) item = lut_item (cases[i].vr, cases[i].descriptor, table, 4);
      g_assert_true (lb_dicom_item_set (item, LB_TAG_MODALITY_LUT_TYPE, "LO", "HU"));
      g_assert_true (lb_dicom_item_append (lb_dicom_writer_get_root (writer),
                                           LB_TAG_MODALITY_LUT_SEQUENCE, item));
      g_autoptr (LbDicomFile) file = fixture_finish (writer, cases[i].syntax);
      g_autoptr (LbFrameDisplay) display = display_for (file, 0);

      LbLut *lut = lb_frame_display_get_modality_lut (display);
      g_assert_nonnull (lut);
      g_assert_cmpint (lb_lut_get_first (lut), ==, -2);
      /* -5 is below the first mapped value, 5 past the last. */
      const double modality[] = { 100, 100, 200, 300, 400, 400 };
      for (guint k = 0; k < G_N_ELEMENTS (values); k++)
        g_assert_cmpfloat (lb_frame_display_to_modality (display, values[k]), ==, modality[k]);

      /* Full range 100..400: c = 250.5, w = 301.  200 -> (-50 / 300 + 0.5) * 255 = 85;
       * 300 -> (50 / 300 + 0.5) * 255 = 170. */
      LbRenderOptions options = { .mode = LB_VOI_MODE_FULL_RANGE };
      cairo_surface_t *s = render_file (file, &options, NULL);
      const guint expected[] = { 0, 0, 85, 170, 255, 255 };
      assert_row (s, expected, 6);
      cairo_surface_destroy (s);
    }
}

static void
test_voi_lut (void)
{
  const guint16 values[] = { 9, 10, 11, 12, 13, 100 };
  const guint16 table[] = { 0, 1365, 2730, 4095 };
  g_autoptr (LbDicomWriter) writer = fixture_writer_new (6, 1, 1, 16, 12, FALSE, "MONOCHROME2",
                                                         values, sizeof values);
  g_autoptr (LbDicomItem) item = lut_item ("US", "4\\10\\12", table, 4);
  g_assert_true (lb_dicom_item_set (item, LB_TAG_LUT_EXPLANATION, "LO", "SOFT"));
  g_assert_true (lb_dicom_item_append (lb_dicom_writer_get_root (writer), LB_TAG_VOI_LUT_SEQUENCE,
                                       item));
  g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);

  g_assert_true (lb_frame_display_has_voi_lut (display));
  g_assert_cmpuint (lb_frame_display_get_n_voi_luts (display), ==, 1);
  g_assert_cmpstr (lb_lut_get_explanation (lb_frame_display_get_voi_lut (display, 0)), ==,
                   "SOFT");

  /* 12-bit entries scaled to 8 bits: 1365 * 255 / 4095 = 85, 2730 -> 170, 4095 -> 255;
   * 9 is below the first mapped value 10, 100 past the end. */
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  LbWindow applied;
  cairo_surface_t *s = render_file (file, &options, &applied);
  const guint expected[] = { 0, 0, 85, 170, 255, 255 };
  assert_row (s, expected, 6);
  /* The overlay shows the table's input range 10..13 as a window: c = 12, w = 4. */
  g_assert_cmpfloat (applied.center, ==, 12);
  g_assert_cmpfloat (applied.width, ==, 4);
  cairo_surface_destroy (s);

  options.mode = LB_VOI_MODE_VOI_LUT;
  options.voi_lut = 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, NULL);
  g_assert_null (lb_render_frame (display, pixels, &options, NULL, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
}

static void
test_windows_with_function (void)
{
  const guint16 values[] = { 0 };
  g_autoptr (LbDicomWriter) writer = fixture_writer_new (1, 1, 1, 16, 12, FALSE, "MONOCHROME2",
                                                         values, sizeof values);
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_CENTER, "DS", "40\\-600\\10"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_WIDTH, "DS", "400\\1500\\0"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_EXPLANATION, "LO", "SOFT\\LUNG\\NONE"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_VOI_LUT_FUNCTION, "CS", "SIGMOID"));
  g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  const char *explanation = NULL;
  LbWindow w;

  /* The third window has width 0, which SIGMOID forbids. */
  g_assert_cmpuint (lb_frame_display_get_n_windows (display), ==, 2);
  g_assert_true (lb_frame_display_get_window (display, 1, &w, &explanation));
  g_assert_cmpfloat (w.center, ==, -600);
  g_assert_cmpfloat (w.width, ==, 1500);
  g_assert_cmpint (w.function, ==, LB_VOI_FUNCTION_SIGMOID);
  g_assert_cmpstr (explanation, ==, "LUNG");
}

static void
add_frame_group (LbDicomItem *root, double center, double width, const char *explanation,
                 double slope, double intercept)
{
  g_autoptr (LbDicomItem) group = lb_dicom_item_new ();
  g_autoptr (LbDicomItem) voi = lb_dicom_item_new ();
  g_autoptr (LbDicomItem) pvt = lb_dicom_item_new ();

  g_assert_true (lb_dicom_item_set_printf (voi, LB_TAG_WINDOW_CENTER, "DS", "%g", center));
  g_assert_true (lb_dicom_item_set_printf (voi, LB_TAG_WINDOW_WIDTH, "DS", "%g", width));
  g_assert_true (lb_dicom_item_set (voi, LB_TAG_WINDOW_EXPLANATION, "LO", explanation));
  g_assert_true (lb_dicom_item_set_printf (pvt, LB_TAG_RESCALE_SLOPE, "DS", "%g", slope));
  g_assert_true (lb_dicom_item_set_printf (pvt, LB_TAG_RESCALE_INTERCEPT, "DS", "%g", intercept));
  g_assert_true (lb_dicom_item_append (group, LB_TAG_FRAME_VOI_LUT_SEQUENCE, voi));
  g_assert_true (lb_dicom_item_append (group, LB_TAG_PIXEL_VALUE_TRANSFORMATION_SEQUENCE, pvt));
  g_assert_true (lb_dicom_item_append (root, LB_TAG_PER_FRAME_FUNCTIONAL_GROUPS, group));
}

static void
test_per_frame (void)
{
  const guint16 values[] = { 1, 2, 3, 4 };
  g_autoptr (LbDicomWriter) writer = fixture_writer_new (2, 1, 2, 16, 16, FALSE, "MONOCHROME2",
                                                         values, sizeof values);
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  /* A root window that the per-frame ones must win over. */
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_CENTER, "DS", "1"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG_WINDOW_WIDTH, "DS", "1"));
  add_frame_group (root, 100, 50, "FIRST", 2, -10);
  add_frame_group (root, 300, 80, "SECOND", 1, 5);
  g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);

  const struct {
    double center, width, slope, intercept;
    const char *explanation;
  } expected[] = { { 100, 50, 2, -10, "FIRST" }, { 300, 80, 1, 5, "SECOND" } };
  for (guint f = 0; f < 2; f++)
    {
      g_autoptr (LbFrameDisplay) display = display_for (file, f);
      const char *explanation = NULL;
      double slope, intercept;
      LbWindow w;

      g_assert_cmpuint (lb_frame_display_get_n_windows (display), ==, 1);
      g_assert_true (lb_frame_display_get_window (display, 0, &w, &explanation));
      g_assert_cmpfloat (w.center, ==, expected[f].center);
      g_assert_cmpfloat (w.width, ==, expected[f].width);
      g_assert_cmpstr (explanation, ==, expected[f].explanation);
      lb_frame_display_get_rescale (display, &slope, &intercept);
      g_assert_cmpfloat (slope, ==, expected[f].slope);
      g_assert_cmpfloat (intercept, ==, expected[f].intercept);
    }
}

static void
test_presentation_shape (void)
{
  const struct {
    const char *photometric, *shape;
    gboolean inverted;
  } cases[] = {
    { "MONOCHROME2", NULL, FALSE },
    { "MONOCHROME2", "INVERSE", TRUE },
    { "MONOCHROME1", NULL, TRUE },
    /* DX pairs MONOCHROME1 with INVERSE: one inversion, not two. */
    { "MONOCHROME1", "INVERSE", TRUE },
    { "MONOCHROME1", "IDENTITY", FALSE },
  };
  const guint8 values[] = { 0, 255 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LbDicomWriter) writer = fixture_writer_new (2, 1, 1, 8, 8, FALSE,
                                                             cases[i].photometric, values,
                                                             sizeof values);
      if (cases[i].shape)
        g_assert_true (lb_dicom_item_set (lb_dicom_writer_get_root (writer),
                                          LB_TAG_PRESENTATION_LUT_SHAPE, "CS", cases[i].shape));
      g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);
      g_autoptr (LbFrameDisplay) display = display_for (file, 0);
      g_assert_cmpint (lb_frame_display_get_inverted (display), ==, cases[i].inverted);

      LbRenderOptions options = { .mode = LB_VOI_MODE_FULL_RANGE };
      cairo_surface_t *s = render_file (file, &options, NULL);
      g_assert_cmpuint (fixture_grey_at (s, 0, 0), ==, cases[i].inverted ? 255 : 0);
      g_assert_cmpuint (fixture_grey_at (s, 1, 0), ==, cases[i].inverted ? 0 : 255);
      cairo_surface_destroy (s);
    }
}

static void
test_padding_auto (void)
{
  /* 0..99 once each, 50 pixels of padding (-2000) and 10 inside the padding range
   * (-1500, up to the limit -1000).  Without padding: N = 100, low rank 0 -> 0, high
   * rank ceil(99.5) - 1 = 99 -> 99; c = (0 + 99 + 1) / 2 = 50, w = 100. */
  gint16 values[160];
  for (guint i = 0; i < 100; i++)
    values[i] = (gint16) i;
  for (guint i = 100; i < 150; i++)
    values[i] = -2000;
  for (guint i = 150; i < 160; i++)
    values[i] = -1500;
  g_autoptr (LbDicomWriter) writer = fixture_writer_new (160, 1, 1, 16, 16, TRUE, "MONOCHROME2",
                                                         values, sizeof values);
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  g_assert_true (lb_dicom_item_set (root, LB_TAG (0x0028, 0x0120), "SS", "-2000"));
  g_assert_true (lb_dicom_item_set (root, LB_TAG (0x0028, 0x0121), "SS", "-1000"));
  g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, NULL);
  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, NULL);
  LbWindow w;
  double min, max;

  g_assert_true (lb_frame_renderer_get_auto_window (renderer, &w));
  g_assert_cmpfloat (w.center, ==, 50);
  g_assert_cmpfloat (w.width, ==, 100);
  /* The full range still covers everything in the frame. */
  g_assert_true (lb_frame_renderer_get_modality_range (renderer, &min, &max));
  g_assert_cmpfloat (min, ==, -2000);
  g_assert_cmpfloat (max, ==, 99);
}

static void
set_palette (LbDicomItem *root, guint channel, const char *descriptor, const guint16 *data,
             gsize n, gboolean segmented)
{
  guint32 data_tag = segmented ? LB_TAG_SEGMENTED_RED_PALETTE_DATA : LB_TAG_RED_PALETTE_DATA;

  g_assert_true (lb_dicom_item_set (root, LB_TAG_RED_PALETTE_DESCRIPTOR + channel, "US",
                                    descriptor));
  g_assert_true (lb_dicom_item_set_bytes (root, data_tag + channel, "OW", data, n * 2));
}

static void
test_palette_image (void)
{
  const guint8 values[] = { 0, 1, 2, 3, 7 };
  const guint16 red[] = { 0x0000, 0xff00, 0x8000, 0x1234 };
  const guint16 green[] = { 0xffff, 0x0000, 0x4000, 0x5678 };
  const guint16 blue[] = { 0x00ff, 0x00ff, 0xc000, 0x9abc };
  g_autoptr (LbDicomWriter) writer = fixture_writer_new (5, 1, 1, 8, 8, FALSE, "PALETTE COLOR",
                                                         values, sizeof values);
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  set_palette (root, 0, "4\\0\\16", red, 4, FALSE);
  set_palette (root, 1, "4\\0\\16", green, 4, FALSE);
  set_palette (root, 2, "4\\0\\16", blue, 4, FALSE);
  g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);

  /* 16-bit entries keep their high byte; 7 is past the end and takes the last. */
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  cairo_surface_t *s = render_file (file, &options, NULL);
  const guint32 expected[] = { 0x00ff00, 0xff0000, 0x8040c0, 0x12569a, 0x12569a };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmphex (fixture_rgb_at (s, (int) i, 0), ==, expected[i]);
  cairo_surface_destroy (s);

  /* Halved, indices are sampled (0, 2, 7), never averaged into another colour. */
  g_autoptr (LbFrameDisplay) display = display_for (file, 0);
  g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, NULL);
  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, NULL);
  s = lb_frame_renderer_render_level (renderer, 1, &options, NULL, NULL);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 3);
  g_assert_cmphex (fixture_rgb_at (s, 0, 0), ==, 0x00ff00);
  g_assert_cmphex (fixture_rgb_at (s, 1, 0), ==, 0x8040c0);
  g_assert_cmphex (fixture_rgb_at (s, 2, 0), ==, 0x12569a);
  cairo_surface_destroy (s);
}

static void
test_segmented_palette_image (void)
{
  const guint8 values[] = { 0, 1, 2, 3 };
  /* Red: 0, then linear to 0xff00 over 3 (0x5500, 0xaa00, 0xff00).  Green: discrete.
   * Blue: 0xff00, then indirect: one segment from word 0 (itself: 0xff00 again), then
   * linear to 0 over 2 (0x7f80, 0). */
  const guint16 red[] = { 0, 1, 0, 1, 3, 0xff00 };
  const guint16 green[] = { 0, 4, 0x1000, 0x2000, 0x3000, 0x4000 };
  const guint16 blue[] = { 0, 1, 0xff00, 2, 1, 0, 0, 1, 2, 0 };
  g_autoptr (LbDicomWriter) writer = fixture_writer_new (4, 1, 1, 8, 8, FALSE, "PALETTE COLOR",
                                                         values, sizeof values);
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  set_palette (root, 0, "4\\0\\16", red, G_N_ELEMENTS (red), TRUE);
  set_palette (root, 1, "4\\0\\16", green, G_N_ELEMENTS (green), TRUE);
  set_palette (root, 2, "4\\0\\16", blue, G_N_ELEMENTS (blue), TRUE);
  g_autoptr (LbDicomFile) file = fixture_finish (writer, FIXTURE_EXPLICIT_LE);

  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  cairo_surface_t *s = render_file (file, &options, NULL);
  const guint32 expected[] = { 0x0010ff, 0x5520ff, 0xaa307f, 0xff4000 };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmphex (fixture_rgb_at (s, (int) i, 0), ==, expected[i]);
  cairo_surface_destroy (s);
}

static void
test_broken_tables (void)
{
  const gint16 values[] = { 0 };
  g_autoptr (GError) error = NULL;

  /* A modality table without data: the values would be meaningless. */
  g_autoptr (LbDicomWriter) w1 = fixture_writer_new (1, 1, 1, 16, 16, TRUE, "MONOCHROME2",
                                                     values, sizeof values);
  g_autoptr (LbDicomItem) item = lut_item ("US", "4\\0\\16", NULL, 0);
  g_assert_true (lb_dicom_item_append (lb_dicom_writer_get_root (w1),
                                       LB_TAG_MODALITY_LUT_SEQUENCE, item));
  g_autoptr (LbDicomFile) f1 = fixture_finish (w1, FIXTURE_EXPLICIT_LE);
  g_assert_null (lb_frame_display_new (f1, 0, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
  g_clear_error (&error);

  /* A damaged VOI table costs that table only. */
  g_autoptr (LbDicomWriter) w2 = fixture_writer_new (1, 1, 1, 16, 16, TRUE, "MONOCHROME2",
                                                     values, sizeof values);
  g_autoptr (LbDicomItem) voi = lut_item ("US", "4\\0", NULL, 0);
  g_assert_true (lb_dicom_item_append (lb_dicom_writer_get_root (w2), LB_TAG_VOI_LUT_SEQUENCE,
                                       voi));
  g_autoptr (LbDicomFile) f2 = fixture_finish (w2, FIXTURE_EXPLICIT_LE);
  g_autoptr (LbFrameDisplay) d2 = display_for (f2, 0);
  g_assert_false (lb_frame_display_has_voi_lut (d2));

  /* A palette image without its palette. */
  const guint8 index[] = { 0 };
  g_autoptr (LbDicomWriter) w3 = fixture_writer_new (1, 1, 1, 8, 8, FALSE, "PALETTE COLOR",
                                                     index, sizeof index);
  g_autoptr (LbDicomFile) f3 = fixture_finish (w3, FIXTURE_EXPLICIT_LE);
  g_assert_null (lb_frame_display_new (f3, 0, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imaging/display/ct-small", test_ct_small);
  g_test_add_func ("/imaging/display/mr-small", test_mr_small);
  g_test_add_func ("/imaging/display/several-windows", test_several_windows);
  g_test_add_func ("/imaging/display/monochrome1-cr", test_monochrome1_cr);
  g_test_add_func ("/imaging/display/modality-lut", test_modality_lut);
  g_test_add_func ("/imaging/display/voi-lut", test_voi_lut);
  g_test_add_func ("/imaging/display/windows-with-function", test_windows_with_function);
  g_test_add_func ("/imaging/display/per-frame", test_per_frame);
  g_test_add_func ("/imaging/display/presentation-shape", test_presentation_shape);
  g_test_add_func ("/imaging/display/padding-auto", test_padding_auto);
  g_test_add_func ("/imaging/display/palette", test_palette_image);
  g_test_add_func ("/imaging/display/segmented-palette", test_segmented_palette_image);
  g_test_add_func ("/imaging/display/broken-tables", test_broken_tables);
  return g_test_run ();
}
