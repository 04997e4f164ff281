/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Window/level speed: how long LbFrameRenderer takes to turn a 512x512 int16 CT frame
 * and a 4096x3328 uint16 mammogram into a surface, as during a window/level drag (the
 * window changes on every run, so the table is rebuilt each time).  Each result is the
 * median of many runs, in ms and as a multiple of a memcpy of the frame's input bytes
 * measured in the same run.  Two ways the table could have been avoided are timed too,
 * for comparison: arithmetic per pixel, and a 64K-entry table over every 16-bit value.
 * Prints Markdown table rows.
 *
 *   bench-wl [RUNS_SMALL RUNS_LARGE]
 */
#define G_LOG_DOMAIN "lb-bench"
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lb-frame-renderer.h"
#include "lb-pyramid.h"
#include "lb-render.h"

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

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

/* Call after median(): the array is sorted. */
static double
fastest (const double *v)
{
  return v[0];
}

/* Smooth anatomy-like ramps plus noise, so neighbouring pixels differ as in real
 * frames, spread over @lo..@hi. */
static LbPixels *
synthetic (LbSampleType type, guint width, guint height, int lo, int hi)
{
  LbPixels *pixels = lb_pixels_new (type, width, height, 1, LB_PHOTOMETRIC_MONOCHROME2, NULL);
  guint32 seed = 12345;
  int span = hi - lo;

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        seed = seed * 1664525u + 1013904223u;
        double base = 0.5 + 0.45 * sin (x * 0.01) * cos (y * 0.013);
        int v = lo + (int) (base * span) + (int) (seed >> 24) - 128;
        v = CLAMP (v, lo, hi);
        if (type == LB_SAMPLE_S16)
          ((gint16 *) lb_pixels_get_data_mut (pixels))[(gsize) y * width + x] = (gint16) v;
        else
          ((guint16 *) lb_pixels_get_data_mut (pixels))[(gsize) y * width + x] = (guint16) v;
      }
  return pixels;
}

typedef struct {
  const char *name;
  LbSampleType type;
  guint width, height;
  int lo, hi;
  double slope, intercept, center, width_hu;
} Case;

/* The comparison kernels, not used by Lightbox: one computes the LINEAR window per
 * pixel in single precision (with SSE2, eight pixels at a time, as a compiler at -O2
 * does not vectorise it), the other looks up a table over all 65536 values. */
static void
arith_a8 (const guint16 *src, gsize n, gboolean is_signed, float a, float b, guint8 *dst)
{
  gsize i = 0;

#ifdef __SSE2__
  const __m128 va = _mm_set1_ps (a), vb = _mm_set1_ps (b);
  const __m128 lo = _mm_setzero_ps (), hi = _mm_set1_ps (255);
  const __m128i zero = _mm_setzero_si128 ();
  for (; i + 8 <= n; i += 8)
    {
      __m128i x = _mm_loadu_si128 ((const __m128i *) (src + i));
      __m128i half[2];
      if (is_signed)
        {
          half[0] = _mm_srai_epi32 (_mm_unpacklo_epi16 (zero, x), 16);
          half[1] = _mm_srai_epi32 (_mm_unpackhi_epi16 (zero, x), 16);
        }
      else
        {
          half[0] = _mm_unpacklo_epi16 (x, zero);
          half[1] = _mm_unpackhi_epi16 (x, zero);
        }
      for (guint k = 0; k < 2; k++)
        {
          __m128 y = _mm_add_ps (_mm_mul_ps (_mm_cvtepi32_ps (half[k]), va), vb);
          half[k] = _mm_cvtps_epi32 (_mm_min_ps (_mm_max_ps (y, lo), hi));
        }
      __m128i bytes = _mm_packus_epi16 (_mm_packs_epi32 (half[0], half[1]), zero);
      _mm_storel_epi64 ((__m128i *) (dst + i), bytes);
    }
#endif
  for (; i < n; i++)
    {
      float y = (is_signed ? (gint16) src[i] : src[i]) * a + b;
      y = y < 0 ? 0 : y > 255 ? 255 : y;
      dst[i] = (guint8) (y + 0.5f);
    }
}

static void
full_lut_a8 (const guint16 *src, gsize n, const guint8 *lut, guint8 *dst)
{
  for (gsize i = 0; i < n; i++)
    dst[i] = lut[src[i]];
}

/* The median is what the budget is about; the fastest run shows what the code costs
 * when nothing else competes for the machine. */
static void
row (const char *what, const char *format, double *times, guint runs, double memcpy_ms)
{
  double ms = median (times, runs);

  printf ("| %s | %s | %.3f | %.3f | %.3f | %.1f |\n", what, format, ms, fastest (times),
          memcpy_ms, ms / memcpy_ms);
}

static void
run_case (const Case *c, guint runs)
{
  g_autoptr (LbPixels) pixels = synthetic (c->type, c->width, c->height, c->lo, c->hi);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, c->slope,
                                                                         c->intercept, NULL, 0);
  g_autoptr (GError) error = NULL;
  double t_setup = now_ms ();
  g_autoptr (LbFrameRenderer) renderer = lb_frame_renderer_new (display, pixels, &error);
  t_setup = now_ms () - t_setup;
  gsize bytes = lb_pixels_get_size (pixels);
  gsize n = bytes / 2;
  g_autofree guint8 *copy = g_malloc (bytes);
  g_autofree guint8 *plain = g_malloc (n);
  g_autofree guint8 *lut = g_malloc (65536);
  g_autofree double *t_copy = g_new (double, runs);
  g_autofree double *t_rgb = g_new (double, runs);
  g_autofree double *t_a8 = g_new (double, runs);
  g_autofree double *t_cached = g_new (double, runs);
  g_autofree double *t_level = g_new (double, runs);
  g_autofree double *t_arith = g_new (double, runs);
  g_autofree double *t_lut = g_new (double, runs);
  const cairo_format_t formats[] = { CAIRO_FORMAT_RGB24, CAIRO_FORMAT_A8 };
  cairo_surface_t *targets[3];
  guint level_width, level_height;

  g_assert_no_error (error);
  for (guint f = 0; f < 2; f++)
    targets[f] = cairo_image_surface_create (formats[f], (int) c->width, (int) c->height);
  lb_frame_renderer_get_level_size (renderer, 1, &level_width, &level_height);
  targets[2] = cairo_image_surface_create (CAIRO_FORMAT_A8, (int) level_width,
                                           (int) level_height);
  /* Once per frame: halving it for level 1. */
  LbRenderOptions first = { .mode = LB_VOI_MODE_FULL_RANGE, .grey_a8 = TRUE };
  double t_halve = now_ms ();
  lb_frame_renderer_render_into (renderer, &first, targets[2], NULL, &error);
  t_halve = now_ms () - t_halve;
  memcpy (copy, lb_pixels_get_data (pixels), bytes);

  for (guint r = 0; r < runs; r++)
    {
      /* A drag moves the window a little on every event. */
      LbRenderOptions options = {
        .mode = LB_VOI_MODE_WINDOW,
        .window = { c->center + (r % 7), c->width_hu + (r % 5), LB_VOI_FUNCTION_LINEAR },
      };
      /* Folds rescale and window into y = x a + b, clamped, for the comparison. */
      double a = c->slope * 255 / (options.window.width - 1);
      double b = (c->intercept - (options.window.center - 0.5)) * 255 / (options.window.width - 1) +
                 127.5;
      double t0 = now_ms ();
      memcpy (copy, lb_pixels_get_data (pixels), bytes);
      double t1 = now_ms ();
      lb_frame_renderer_render_into (renderer, &options, targets[0], NULL, &error);
      double t2 = now_ms ();
      options.grey_a8 = TRUE;
      options.window.center += 1;
      lb_frame_renderer_render_into (renderer, &options, targets[1], NULL, &error);
      double t3 = now_ms ();
      lb_frame_renderer_render_into (renderer, &options, targets[1], NULL, &error);
      double t4 = now_ms ();
      arith_a8 (lb_pixels_get_data (pixels), n, c->type == LB_SAMPLE_S16, (float) a, (float) b,
                plain);
      double t5 = now_ms ();
      for (guint v = 0; v < 65536; v++)
        {
          double y = (c->type == LB_SAMPLE_S16 ? (gint16) v : (int) v) * a + b;
          lut[v] = (guint8) (CLAMP (y, 0, 255) + 0.5);
        }
      full_lut_a8 (lb_pixels_get_data (pixels), n, lut, plain);
      double t6 = now_ms ();
      options.window.center += 1;
      lb_frame_renderer_render_into (renderer, &options, targets[2], NULL, &error);
      double t7 = now_ms ();
      g_assert_no_error (error);
      t_copy[r] = t1 - t0;
      t_rgb[r] = t2 - t1;
      t_a8[r] = t3 - t2;
      t_cached[r] = t4 - t3;
      t_arith[r] = t5 - t4;
      t_lut[r] = t6 - t5;
      t_level[r] = t7 - t6;
    }

  double m_copy = median (t_copy, runs);
  row (c->name, "once per frame: new renderer (value range)", &t_setup, 1, m_copy);
  row (c->name, "once per frame: first level 1 render (halving)", &t_halve, 1, m_copy);
  row (c->name, "RGB24", t_rgb, runs, m_copy);
  row (c->name, "A8", t_a8, runs, m_copy);
  row (c->name, "A8, window unchanged (table reused)", t_cached, runs, m_copy);
  row (c->name, "A8, arithmetic per pixel (comparison)", t_arith, runs, m_copy);
  row (c->name, "A8, 64K-entry table (comparison)", t_lut, runs, m_copy);
  g_autofree char *level = g_strdup_printf ("A8, level 1 (%ux%u)", level_width, level_height);
  row (c->name, level, t_level, runs, m_copy);
  for (guint f = 0; f < 3; f++)
    cairo_surface_destroy (targets[f]);
}

/* Drawing the rendered mammogram fitted into a 1368x1112 viewport: building the
 * pyramid (once per rendered frame) and drawing from it. */
static void
run_scale (guint runs)
{
  g_autoptr (LbPixels) pixels = synthetic (LB_SAMPLE_U16, 3328, 4096, 0, 16383);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new_monochrome (FALSE, 1, 0, NULL, 0);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FULL_RANGE };
  cairo_surface_t *frame = lb_render_frame (display, pixels, &options, NULL, NULL);
  cairo_surface_t *viewport = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1368, 1112);
  g_autofree guint8 *copy = g_malloc (lb_pixels_get_size (pixels));
  g_autofree double *t_copy = g_new (double, runs);
  g_autofree double *t_build = g_new (double, runs);
  g_autofree double *t_draw = g_new (double, runs);
  g_autofree double *t_bilinear = g_new (double, runs);
  cairo_rectangle_int_t r;

  lb_render_fit_rect (3328, 4096, 1368, 1112, &r);
  for (guint i = 0; i < runs; i++)
    {
      double t0 = now_ms ();
      memcpy (copy, lb_pixels_get_data (pixels), lb_pixels_get_size (pixels));
      double t1 = now_ms ();
      g_autoptr (LbPyramid) pyramid = lb_pyramid_new (frame);
      lb_pyramid_get_level (pyramid, 1);
      double t2 = now_ms ();
      cairo_t *cr = cairo_create (viewport);
      cairo_translate (cr, r.x, r.y);
      cairo_scale (cr, (double) r.width / 3328, (double) r.height / 4096);
      lb_pyramid_paint (pyramid, cr, CAIRO_FILTER_BILINEAR);
      cairo_destroy (cr);
      double t3 = now_ms ();
      cr = cairo_create (viewport);
      cairo_translate (cr, r.x, r.y);
      cairo_scale (cr, (double) r.width / 3328, (double) r.height / 4096);
      cairo_set_source_surface (cr, frame, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
      cairo_paint (cr);
      cairo_destroy (cr);
      double t4 = now_ms ();
      t_copy[i] = t1 - t0;
      t_build[i] = t2 - t1;
      t_draw[i] = t3 - t2;
      t_bilinear[i] = t4 - t3;
    }
  double m_copy = median (t_copy, runs);
  row ("4096x3328 to 1368x1112", "build 2x level", t_build, runs, m_copy);
  row ("4096x3328 to 1368x1112", "draw from pyramid, BILINEAR", t_draw, runs, m_copy);
  row ("4096x3328 to 1368x1112", "BILINEAR from full frame (comparison)", t_bilinear, runs,
       m_copy);
  cairo_surface_destroy (viewport);
  cairo_surface_destroy (frame);
}

int
main (int argc, char **argv)
{
  guint small_runs = argc > 1 ? (guint) atoi (argv[1]) : 400;
  guint large_runs = argc > 2 ? (guint) atoi (argv[2]) : 40;
  const Case small = { "512x512 int16 CT", LB_SAMPLE_S16, 512, 512, -1024, 3071,
                       1, 0, 40, 400 };
  const Case large = { "4096x3328 uint16 mammogram", LB_SAMPLE_U16, 4096, 3328, 0, 16383,
                       1, 0, 8000, 6000 };

  if (small_runs == 0 || large_runs == 0)
    {
      fprintf (stderr, "Usage: bench-wl [RUNS_SMALL RUNS_LARGE]\n");
      return 2;
    }
  printf ("| frame | output | median ms | fastest ms | memcpy ms | x memcpy |\n");
  printf ("| --- | --- | ---: | ---: | ---: | ---: |\n");
  run_case (&small, small_runs);
  run_case (&large, large_runs);
  run_scale (large_runs);
  return 0;
}
