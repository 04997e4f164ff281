/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rendering pipeline on frames built by hand: modality rescale, the VOI functions,
 * full-range and automatic windows, inversions, A8 against RGB24, colour conversion,
 * and scaling to a size.  Expected grey levels are worked out in the comments; the
 * renderer rounds to the nearest level.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include "imaging-fixture.h"
#include "lb-frame-renderer.h"
#include "lb-imaging-error.h"
#include "lb-pyramid.h"
#include "lb-render.h"

static cairo_surface_t *
render (LbFrameDisplay *display, LbPixels *pixels, const LbRenderOptions *options,
        LbWindow *applied)
{
  g_autoptr (GError) error = NULL;
  cairo_surface_t *surface = lb_render_frame (display, pixels, options, applied, &error);

  g_assert_no_error (error);
  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static void
assert_row (cairo_surface_t *surface, const guint *expected, guint n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (fixture_grey_at (surface, (int) i, 0), ==, expected[i]);
}

/* Window 40/400 (LINEAR) over modality values -1024, 0, 40, 1000:
 * -1024 is left of -160: 0; 0 gives 102.26 -> 102; 40 gives 127.82 -> 128; 1000: 255. */
static const guint ct_window_expected[] = { 0, 102, 128, 255 };
static const LbRenderOptions ct_window = { .mode = LB_VOI_MODE_WINDOW,
                                           .window = { 40, 400, LB_VOI_FUNCTION_LINEAR } };

static void
test_window (void)
{
  const gint16 values[] = { -1024, 0, 40, 1000 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbWindow applied;
  cairo_surface_t *s = render (display, pixels, &ct_window, &applied);

  g_assert_cmpint (cairo_image_surface_get_format (s), ==, CAIRO_FORMAT_RGB24);
  assert_row (s, ct_window_expected, 4);
  g_assert_cmpfloat (applied.center, ==, 40);
  g_assert_cmpfloat (applied.width, ==, 400);
  cairo_surface_destroy (s);
}

static void
test_rescale (void)
{
  /* Stored 0, 1024, 1064, 2024 with intercept -1024 are the values of test_window. */
  const guint16 values[] = { 0, 1024, 1064, 2024 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_U16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 12, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, -1024, NULL,
                                                                         0);
  cairo_surface_t *s = render (display, pixels, &ct_window, NULL);
  assert_row (s, ct_window_expected, 4);
  cairo_surface_destroy (s);

  /* Slope 2: stored 0, 512, 532, 1012 -> -1024, 0, 40, 1000 again. */
  const guint16 halves[] = { 0, 512, 532, 1012 };
  g_autoptr (LbPixels) pixels2 = fixture_pixels (LB_SAMPLE_U16, 4, 1, 1,
                                                 LB_PHOTOMETRIC_MONOCHROME2, 12, halves);
  g_autoptr (LbFrameDisplay) display2 = lb_frame_display_new_monochrome (FALSE, 2, -1024, NULL,
                                                                          0);
  s = render (display2, pixels2, &ct_window, NULL);
  assert_row (s, ct_window_expected, 4);
  cairo_surface_destroy (s);
}

static void
test_functions (void)
{
  const gint16 values[] = { -160, -159, 40, 140, 240, 241 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 6, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = { .mode = LB_VOI_MODE_WINDOW, .window = { 40, 400 } };

  /* LINEAR_EXACT, edges -160 and 240: -159 -> 0.6375 -> 1; 40 -> 127.5 -> 128;
   * 140 -> 0.75 * 255 = 191.25 -> 191; 240 -> 255. */
  options.window.function = LB_VOI_FUNCTION_LINEAR_EXACT;
  cairo_surface_t *s = render (display, pixels, &options, NULL);
  const guint exact[] = { 0, 1, 128, 191, 255, 255 };
  assert_row (s, exact, 6);
  cairo_surface_destroy (s);

  /* SIGMOID, y = 255 / (1 + exp(-4 (x - 40) / 400)):
   * -160 -> 255 / (1 + e^2) = 30.40 -> 30; -159 -> 255 / (1 + e^1.99) = 30.67 -> 31;
   * 40 -> 127.5 -> 128; 140 -> 255 / (1 + e^-1) = 186.42 -> 186;
   * 240 -> 255 / (1 + e^-2) = 224.60 -> 225; 241 -> 255 / (1 + e^-2.01) = 224.87 -> 225. */
  options.window.function = LB_VOI_FUNCTION_SIGMOID;
  s = render (display, pixels, &options, NULL);
  const guint sigmoid[] = { 30, 31, 128, 186, 225, 225 };
  assert_row (s, sigmoid, 6);
  cairo_surface_destroy (s);
}

static void
test_width_one (void)
{
  const gint16 values[] = { 98, 99, 100, 101 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = { .mode = LB_VOI_MODE_WINDOW,
                              .window = { 100, 1, LB_VOI_FUNCTION_LINEAR } };

  /* Threshold at c - 0.5 = 99.5. */
  cairo_surface_t *s = render (display, pixels, &options, NULL);
  const guint expected[] = { 0, 0, 255, 255 };
  assert_row (s, expected, 4);
  cairo_surface_destroy (s);
}

static void
test_bad_window (void)
{
  const gint16 values[] = { 0 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 1, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = { .mode = LB_VOI_MODE_WINDOW,
                              .window = { 40, 0.5, LB_VOI_FUNCTION_LINEAR } };
  g_autoptr (GError) error = NULL;

  g_assert_null (lb_render_frame (display, pixels, &options, NULL, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_INVALID_WINDOW);
}

static void
test_inversions (void)
{
  const gint16 values[] = { -1024, 0, 40, 1000 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME1, 16, values);
  g_autoptr (LbFrameDisplay) mono1 = lb_frame_display_new_monochrome (TRUE, 1, 0, NULL, 0);
  g_autoptr (LbFrameDisplay) mono2 = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = ct_window;
  const guint inverted[] = { 255, 153, 127, 0 };

  /* MONOCHROME1: low values white. */
  g_assert_true (lb_frame_display_get_inverted (mono1));
  cairo_surface_t *s = render (mono1, pixels, &options, NULL);
  assert_row (s, inverted, 4);
  cairo_surface_destroy (s);

  /* The user's invert on top of MONOCHROME1 swaps back. */
  options.invert = TRUE;
  s = render (mono1, pixels, &options, NULL);
  assert_row (s, ct_window_expected, 4);
  cairo_surface_destroy (s);

  /* And on MONOCHROME2 it inverts. */
  g_autoptr (LbPixels) pixels2 = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                 LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  s = render (mono2, pixels2, &options, NULL);
  assert_row (s, inverted, 4);
  cairo_surface_destroy (s);
}

static void
test_a8 (void)
{
  const gint16 values[] = { -1024, 0, 40, 1000, 0 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 5, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = ct_window;

  options.grey_a8 = TRUE;
  cairo_surface_t *a8 = render (display, pixels, &options, NULL);
  options.grey_a8 = FALSE;
  cairo_surface_t *rgb = render (display, pixels, &options, NULL);

  g_assert_cmpint (cairo_image_surface_get_format (a8), ==, CAIRO_FORMAT_A8);
  g_assert_cmpint (cairo_image_surface_get_format (rgb), ==, CAIRO_FORMAT_RGB24);
  g_assert_cmpint (cairo_image_surface_get_width (a8), ==, 5);
  /* Cairo pads A8 rows to four bytes. */
  g_assert_cmpint (cairo_image_surface_get_stride (a8), ==, 8);
  assert_row (a8, ct_window_expected, 4);
  assert_row (rgb, ct_window_expected, 4);
  g_assert_cmphex (fixture_rgb_at (rgb, 1, 0), ==, 0x666666);
  cairo_surface_destroy (a8);
  cairo_surface_destroy (rgb);
}

static void
test_full_range (void)
{
  const gint16 values[] = { -100, 0, 100, 300 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FULL_RANGE };
  LbWindow applied;
  double min, max;

  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, NULL);
  g_assert_true (lb_frame_renderer_get_modality_range (renderer, &min, &max));
  g_assert_cmpfloat (min, ==, -100);
  g_assert_cmpfloat (max, ==, 300);

  /* c = (-100 + 300 + 1) / 2 = 100.5, w = 401: 0 -> (-100/400 + 0.5) * 255 = 63.75 -> 64;
   * 100 -> 127.5 -> 128. */
  cairo_surface_t *s = lb_frame_renderer_render (renderer, &options, &applied, NULL);
  g_assert_cmpfloat (applied.center, ==, 100.5);
  g_assert_cmpfloat (applied.width, ==, 401);
  const guint expected[] = { 0, 64, 128, 255 };
  assert_row (s, expected, 4);
  cairo_surface_destroy (s);

  /* Without windows in the file, the file's choice is the full range. */
  options.mode = LB_VOI_MODE_FILE;
  s = lb_frame_renderer_render (renderer, &options, &applied, NULL);
  g_assert_cmpfloat (applied.center, ==, 100.5);
  assert_row (s, expected, 4);
  cairo_surface_destroy (s);
}

static void
test_file_window (void)
{
  const gint16 values[] = { -1024, 0, 40, 1000 };
  const LbWindow windows[] = {
    { 40, 400, LB_VOI_FUNCTION_LINEAR },
    { 40, 0, LB_VOI_FUNCTION_LINEAR }, /* forbidden: left out */
    { -600, 1500, LB_VOI_FUNCTION_SIGMOID },
  };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, windows, 3);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
  LbWindow applied, w;

  g_assert_cmpuint (lb_frame_display_get_n_windows (display), ==, 2);
  g_assert_true (lb_frame_display_get_window (display, 1, &w, NULL));
  g_assert_cmpfloat (w.center, ==, -600);
  g_assert_cmpint (w.function, ==, LB_VOI_FUNCTION_SIGMOID);
  g_assert_false (lb_frame_display_get_window (display, 2, &w, NULL));

  cairo_surface_t *s = render (display, pixels, &options, &applied);
  g_assert_cmpfloat (applied.center, ==, 40);
  g_assert_cmpfloat (applied.width, ==, 400);
  assert_row (s, ct_window_expected, 4);
  cairo_surface_destroy (s);
}

static void
test_auto (void)
{
  /* 0..999 once each (in a scrambled order) and four outliers: N = 1004.  Sorted:
   * -30000, -30000, 0, 1, ..., 999, 30000, 30000 (value v at rank v + 2).
   * Low rank floor(0.005 * 1004) = 5 -> value 3; high rank ceil(0.995 * 1004) - 1 = 998
   * -> value 996.  Window: c = (3 + 996 + 1) / 2 = 500, w = 996 - 3 + 1 = 994. */
  gint16 values[1004];
  for (guint i = 0; i < 1000; i++)
    values[i] = (gint16) ((i * 7919) % 1000);
  values[1000] = values[1001] = -30000;
  values[1002] = values[1003] = 30000;
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 1004, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, NULL);
  LbWindow w, applied;

  g_assert_true (lb_frame_renderer_get_auto_window (renderer, &w));
  g_assert_cmpfloat (w.center, ==, 500);
  g_assert_cmpfloat (w.width, ==, 994);

  LbRenderOptions options = { .mode = LB_VOI_MODE_AUTO };
  cairo_surface_t *s = lb_frame_renderer_render (renderer, &options, &applied, NULL);
  g_assert_cmpfloat (applied.center, ==, 500);
  g_assert_cmpuint (fixture_grey_at (s, 1000, 0), ==, 0);
  g_assert_cmpuint (fixture_grey_at (s, 1003, 0), ==, 255);
  cairo_surface_destroy (s);
}

static void
test_cache (void)
{
  const gint16 values[] = { -1024, 0, 40, 1000 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 4, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, NULL);
  g_autoptr (GError) error = NULL;
  LbRenderOptions options = ct_window;
  cairo_surface_t *s = lb_frame_renderer_render (renderer, &options, NULL, &error);

  /* A drag: every change of window or invert must show, and returning to the first
   * window must give the first picture. */
  options.window.center = 1000;
  g_assert_true (lb_frame_renderer_render_into (renderer, &options, s, NULL, &error));
  g_assert_cmpuint (fixture_grey_at (s, 3, 0), ==, 128);
  options.invert = TRUE;
  g_assert_true (lb_frame_renderer_render_into (renderer, &options, s, NULL, &error));
  g_assert_cmpuint (fixture_grey_at (s, 3, 0), ==, 127);
  options = ct_window;
  g_assert_true (lb_frame_renderer_render_into (renderer, &options, s, NULL, &error));
  assert_row (s, ct_window_expected, 4);

  /* A surface of another format is refused, not scribbled over. */
  options.grey_a8 = TRUE;
  g_assert_false (lb_frame_renderer_render_into (renderer, &options, s, NULL, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_MISMATCH);
  cairo_surface_destroy (s);
}

static void
test_wide_range (void)
{
  /* 32-bit values over 20 million: too many for a table, computed per pixel.
   * c = 0, w = 20000001: edges -10000000.5 and 9999999.5.
   * -10000000 -> (0.5 - 9999999.5 / 20000000) * 255 = 0.0000064 -> 0;
   * 0 -> (0.5 / 20000000 + 0.5) * 255 = 127.5000064 -> 128; 10000000 -> 255. */
  const gint32 values[] = { -10000000, 0, 10000000 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S32, 3, 1, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 32, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = { .mode = LB_VOI_MODE_WINDOW,
                              .window = { 0, 20000001, LB_VOI_FUNCTION_LINEAR } };

  cairo_surface_t *s = render (display, pixels, &options, NULL);
  const guint expected[] = { 0, 128, 255 };
  assert_row (s, expected, 3);
  cairo_surface_destroy (s);
}

static void
test_levels (void)
{
  /* 5x3 stored values; level 1 is 3x2, averaging 2x2 blocks (half up):
   *   row 0:  0  4 | 8 12 | 16        ->  (0 + 4 + 20 + 24) / 4 = 12, (8 + 12 + 28 + 32) / 4
   *   row 1: 20 24 | 28 32 | 36           = 20, (16 + 36) / 2 = 26
   *   row 2: -1 -2 | 40 41 | 50       ->  (-1 - 2) / 2 = -1.5 -> -1, (40 + 41) / 2 = 40.5 ->
   *                                       41, 50
   * With the window c = 25.5, w = 51 (edges 0 and 50) a value v shows as v * 255 / 50. */
  const gint16 values[] = { 0, 4, 8, 12, 16, 20, 24, 28, 32, 36, -1, -2, 40, 41, 50 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_S16, 5, 3, 1,
                                                LB_PHOTOMETRIC_MONOCHROME2, 16, values);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, NULL);
  LbRenderOptions options = { .mode = LB_VOI_MODE_WINDOW,
                              .window = { 25.5, 51, LB_VOI_FUNCTION_LINEAR },
                              .grey_a8 = TRUE };
  g_autoptr (GError) error = NULL;
  guint w, h;

  lb_frame_renderer_get_level_size (renderer, 1, &w, &h);
  g_assert_cmpuint (w, ==, 3);
  g_assert_cmpuint (h, ==, 2);
  lb_frame_renderer_get_level_size (renderer, 9, &w, &h);
  g_assert_cmpuint (w, ==, 1);
  g_assert_cmpuint (h, ==, 1);

  cairo_surface_t *s = lb_frame_renderer_render_level (renderer, 1, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 3);
  /* 12 -> 61.2 -> 61; 20 -> 102; 26 -> 132.6 -> 133; -1 -> 0; 41 -> 209.1 -> 209; 50 -> 255. */
  const guint expected[2][3] = { { 61, 102, 133 }, { 0, 209, 255 } };
  for (int y = 0; y < 2; y++)
    for (int x = 0; x < 3; x++)
      g_assert_cmpuint (fixture_grey_at (s, x, y), ==, expected[y][x]);

  /* render_into picks the level from the target's size; other sizes are refused. */
  options.window.center = 0.5;
  g_assert_true (lb_frame_renderer_render_into (renderer, &options, s, NULL, &error));
  g_assert_cmpuint (fixture_grey_at (s, 2, 1), ==, 255);
  cairo_surface_destroy (s);
  s = cairo_image_surface_create (CAIRO_FORMAT_A8, 2, 2);
  g_assert_false (lb_frame_renderer_render_into (renderer, &options, s, NULL, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_MISMATCH);
  cairo_surface_destroy (s);
}

static void
test_mismatch (void)
{
  const guint8 rgb[] = { 1, 2, 3 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_U8, 1, 1, 3, LB_PHOTOMETRIC_RGB, 8,
                                                rgb);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  g_autoptr (GError) error = NULL;

  g_assert_null (lb_frame_renderer_new (display, pixels, &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_MISMATCH);
}

static void
test_colour (void)
{
  g_autoptr (LbDicomFile) file = fixture_open_pydicom ("SC_rgb_small_odd.dcm");
  if (file == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new (file, 0, &error);
  g_assert_no_error (error);
  g_assert_false (lb_frame_display_is_grey (display));

  /* YBR_FULL -> RGB, rounded and clamped:
   * (128, 128, 128) -> grey 128;
   * (76, 85, 255): R = 76 + 1.402 * 127 = 254.05 -> 254,
   *   G = 76 - 0.344136 * -43 - 0.714136 * 127 = 0.10 -> 0, B = 76 + 1.772 * -43 = -0.20 -> 0;
   * (0, 0, 255): R = 178.05 -> 178, G = 44.05 - 90.70 < 0 -> 0, B = -226.8 -> 0;
   * (255, 128, 128) -> white. */
  const guint8 ybr[] = { 128, 128, 128, 76, 85, 255, 0, 0, 255, 255, 128, 128 };
  g_autoptr (LbPixels) pixels = fixture_pixels (LB_SAMPLE_U8, 4, 1, 3, LB_PHOTOMETRIC_YBR_FULL,
                                                8, ybr);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE, .grey_a8 = TRUE };
  LbWindow applied;
  cairo_surface_t *s = render (display, pixels, &options, &applied);
  g_assert_cmpint (cairo_image_surface_get_format (s), ==, CAIRO_FORMAT_RGB24);
  g_assert_cmpfloat (applied.width, ==, 0);
  g_assert_cmphex (fixture_rgb_at (s, 0, 0), ==, 0x808080);
  g_assert_cmphex (fixture_rgb_at (s, 1, 0), ==, 0xfe0000);
  g_assert_cmphex (fixture_rgb_at (s, 2, 0), ==, 0xb20000);
  g_assert_cmphex (fixture_rgb_at (s, 3, 0), ==, 0xffffff);
  cairo_surface_destroy (s);

  /* 16-bit RGB keeps the high byte; the user's invert applies to colour too. */
  const guint16 rgb16[] = { 0xabcd, 0x1234, 0xffff };
  g_autoptr (LbPixels) wide = fixture_pixels (LB_SAMPLE_U16, 1, 1, 3, LB_PHOTOMETRIC_RGB, 16,
                                              rgb16);
  s = render (display, wide, &options, NULL);
  g_assert_cmphex (fixture_rgb_at (s, 0, 0), ==, 0xab12ff);
  cairo_surface_destroy (s);
  options.invert = TRUE;
  s = render (display, wide, &options, NULL);
  g_assert_cmphex (fixture_rgb_at (s, 0, 0), ==, 0x54ed00);
  cairo_surface_destroy (s);
}

static void
test_fit_rect (void)
{
  cairo_rectangle_int_t r;

  lb_render_fit_rect (512, 256, 100, 100, &r);
  g_assert_cmpint (r.x, ==, 0);
  g_assert_cmpint (r.y, ==, 25);
  g_assert_cmpint (r.width, ==, 100);
  g_assert_cmpint (r.height, ==, 50);

  lb_render_fit_rect (100, 300, 300, 300, &r);
  g_assert_cmpint (r.x, ==, 100);
  g_assert_cmpint (r.y, ==, 0);
  g_assert_cmpint (r.width, ==, 100);
  g_assert_cmpint (r.height, ==, 300);

  /* Enlarging: 10x10 into 35x20 is 20x20, centred at x = 7. */
  lb_render_fit_rect (10, 10, 35, 20, &r);
  g_assert_cmpint (r.x, ==, 7);
  g_assert_cmpint (r.width, ==, 20);
  g_assert_cmpint (r.height, ==, 20);

  /* A sliver never vanishes. */
  lb_render_fit_rect (10000, 1, 100, 100, &r);
  g_assert_cmpint (r.height, ==, 1);
}

static cairo_surface_t *
filled (cairo_format_t format, int width, int height, double grey)
{
  cairo_surface_t *s = cairo_image_surface_create (format, width, height);
  cairo_t *cr = cairo_create (s);

  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_rgba (cr, grey, grey, grey, format == CAIRO_FORMAT_A8 ? grey : 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  return s;
}

static void
test_scale_to_fit (void)
{
  const cairo_format_t formats[] = { CAIRO_FORMAT_RGB24, CAIRO_FORMAT_A8 };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      /* 64x32 white into 16x16: 16x8 at y = 4, black above and below. */
      cairo_surface_t *src = filled (formats[f], 64, 32, 1);
      cairo_surface_t *out = lb_render_scale_to_fit (src, 16, 16);

      g_assert_nonnull (out);
      g_assert_cmpint (cairo_image_surface_get_format (out), ==, formats[f]);
      g_assert_cmpint (cairo_image_surface_get_width (out), ==, 16);
      g_assert_cmpint (cairo_image_surface_get_height (out), ==, 16);
      for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++)
          g_assert_cmpuint (fixture_grey_at (out, x, y), ==, y >= 4 && y < 12 ? 255 : 0);
      cairo_surface_destroy (out);
      cairo_surface_destroy (src);
    }
}

static void
test_pyramid (void)
{
  /* A 1-pixel checkerboard of 0 and 255 halves to mid grey: each level pixel is the
   * average of a 2x2 block. */
  cairo_surface_t *src = cairo_image_surface_create (CAIRO_FORMAT_A8, 100, 60);
  guint8 *data = cairo_image_surface_get_data (src);
  int stride = cairo_image_surface_get_stride (src);
  for (int y = 0; y < 60; y++)
    for (int x = 0; x < 100; x++)
      data[y * stride + x] = (x + y) % 2 ? 255 : 0;
  cairo_surface_mark_dirty (src);

  g_autoptr (LbPyramid) pyramid = lb_pyramid_new (src);
  cairo_surface_t *l1 = lb_pyramid_get_level (pyramid, 1);
  g_assert_cmpint (cairo_image_surface_get_width (l1), ==, 50);
  g_assert_cmpint (cairo_image_surface_get_height (l1), ==, 30);
  guint v = fixture_grey_at (l1, 10, 10);
  g_assert_cmpuint (v, >=, 127);
  g_assert_cmpuint (v, <=, 128);
  cairo_surface_t *l3 = lb_pyramid_get_level (pyramid, 3);
  g_assert_cmpint (cairo_image_surface_get_width (l3), ==, 13);
  g_assert_cmpint (cairo_image_surface_get_height (l3), ==, 8);

  /* The last reduction stays between 1 and 1/2. */
  g_assert_cmpuint (lb_pyramid_choose_level (pyramid, 2), ==, 0);
  g_assert_cmpuint (lb_pyramid_choose_level (pyramid, 1), ==, 0);
  g_assert_cmpuint (lb_pyramid_choose_level (pyramid, 0.6), ==, 0);
  g_assert_cmpuint (lb_pyramid_choose_level (pyramid, 0.5), ==, 1);
  g_assert_cmpuint (lb_pyramid_choose_level (pyramid, 0.3), ==, 1);
  g_assert_cmpuint (lb_pyramid_choose_level (pyramid, 0.25), ==, 2);
  cairo_surface_destroy (src);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imaging/render/window", test_window);
  g_test_add_func ("/imaging/render/rescale", test_rescale);
  g_test_add_func ("/imaging/render/functions", test_functions);
  g_test_add_func ("/imaging/render/width-one", test_width_one);
  g_test_add_func ("/imaging/render/bad-window", test_bad_window);
  g_test_add_func ("/imaging/render/inversions", test_inversions);
  g_test_add_func ("/imaging/render/a8", test_a8);
  g_test_add_func ("/imaging/render/full-range", test_full_range);
  g_test_add_func ("/imaging/render/file-window", test_file_window);
  g_test_add_func ("/imaging/render/auto", test_auto);
  g_test_add_func ("/imaging/render/cache", test_cache);
  g_test_add_func ("/imaging/render/wide-range", test_wide_range);
  g_test_add_func ("/imaging/render/levels", test_levels);
  g_test_add_func ("/imaging/render/mismatch", test_mismatch);
  g_test_add_func ("/imaging/render/colour", test_colour);
  g_test_add_func ("/imaging/scale/fit-rect", test_fit_rect);
  g_test_add_func ("/imaging/scale/to-fit", test_scale_to_fit);
  g_test_add_func ("/imaging/scale/pyramid", test_pyramid);
  return g_test_run ();
}
