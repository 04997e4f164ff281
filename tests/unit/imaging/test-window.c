/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VOI maths (PS3.3 C.11.2.1.2 and C.11.2.1.3) against values worked out by hand, and the
 * CT preset table.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <math.h>

#include "lb-imaging-error.h"
#include "lb-presets.h"
#include "lb-window.h"

#define EPS 1e-9

static void
test_linear (void)
{
  LbWindow w = { 40, 400, LB_VOI_FUNCTION_LINEAR };

  /* Edges: c - 0.5 - (w - 1)/2 = 40 - 0.5 - 199.5 = -160 and c - 0.5 + (w - 1)/2 = 239. */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -1000, 255), 0, EPS);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -160, 255), 0, EPS);
  /* x = -159: ((-159 - 39.5) / 399 + 0.5) * 255 = (0.5 - 198.5/399) * 255 = 0.6390977... */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -159, 255), 255 * (0.5 - 198.5 / 399), EPS);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -159, 255), 0.6390977443609, 1e-9);
  /* x = 0: ((0 - 39.5) / 399 + 0.5) * 255 = 102.2556390977... */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 0, 255), 102.2556390977444, 1e-9);
  /* x = 40: (0.5 / 399 + 0.5) * 255 = 127.8195488721... */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 40, 255), 127.8195488721805, 1e-9);
  /* x = 239 is the right edge, still inside: (199.5 / 399 + 0.5) * 255 = 255. */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 239, 255), 255, EPS);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 239.5, 255), 255, EPS);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 5000, 255), 255, EPS);
}

static void
test_linear_width_one (void)
{
  LbWindow w = { 100, 1, LB_VOI_FUNCTION_LINEAR };

  /* Both edges are c - 0.5 = 99.5: a threshold. */
  g_assert_cmpfloat (lb_window_map (&w, 99, 255), ==, 0);
  g_assert_cmpfloat (lb_window_map (&w, 99.5, 255), ==, 0);
  g_assert_cmpfloat (lb_window_map (&w, 99.6, 255), ==, 255);
  g_assert_cmpfloat (lb_window_map (&w, 100, 255), ==, 255);
}

static void
test_linear_exact (void)
{
  LbWindow w = { 40, 400, LB_VOI_FUNCTION_LINEAR_EXACT };

  /* Edges: c - w/2 = -160 and c + w/2 = 240. */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -160, 255), 0, EPS);
  /* x = -159: ((-159 - 40) / 400 + 0.5) * 255 = 0.0025 * 255 = 0.6375 */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -159, 255), 0.6375, EPS);
  /* x = 0: (-40 / 400 + 0.5) * 255 = 0.4 * 255 = 102 */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 0, 255), 102, EPS);
  /* x = 40: 0.5 * 255 = 127.5 */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 40, 255), 127.5, EPS);
  /* x = 240 is the right edge, inside: (200 / 400 + 0.5) * 255 = 255. */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 240, 255), 255, EPS);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 240.01, 255), 255, EPS);

  /* A width below 1 is allowed here: c = 10, w = 0.5 maps 10 to the middle. */
  LbWindow narrow = { 10, 0.5, LB_VOI_FUNCTION_LINEAR_EXACT };
  g_assert_true (lb_window_check (&narrow, NULL));
  g_assert_cmpfloat_with_epsilon (lb_window_map (&narrow, 10, 255), 127.5, EPS);
  g_assert_cmpfloat (lb_window_map (&narrow, 9.75, 255), ==, 0);
  g_assert_cmpfloat (lb_window_map (&narrow, 10.26, 255), ==, 255);
}

static void
test_sigmoid (void)
{
  LbWindow w = { 40, 400, LB_VOI_FUNCTION_SIGMOID };

  /* y = 255 / (1 + exp(-4 (x - c) / w)) */
  /* x = 40: 255 / 2 = 127.5 */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 40, 255), 127.5, EPS);
  /* x = 140: 255 / (1 + e^-1) = 255 / 1.3678794412 = 186.41994... */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 140, 255), 186.41994, 1e-4);
  /* x = -60: 255 / (1 + e) = 255 / 3.7182818285 = 68.58006... */
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -60, 255), 68.58006, 1e-4);
  /* Not clipped like LINEAR: x = 1000 gives 255 / (1 + e^-9.6) = 254.983. */
  g_assert_cmpfloat (lb_window_map (&w, 1000, 255), <, 255);
  g_assert_cmpfloat (lb_window_map (&w, 1000, 255), >, 254.98);
}

static void
test_check (void)
{
  const struct {
    LbWindow w;
    gboolean ok;
  } cases[] = {
    { { 40, 1, LB_VOI_FUNCTION_LINEAR }, TRUE },
    { { 40, 0.99, LB_VOI_FUNCTION_LINEAR }, FALSE },
    { { 40, 0, LB_VOI_FUNCTION_LINEAR }, FALSE },
    { { 40, 0.01, LB_VOI_FUNCTION_LINEAR_EXACT }, TRUE },
    { { 40, 0, LB_VOI_FUNCTION_LINEAR_EXACT }, FALSE },
    { { 40, 0.01, LB_VOI_FUNCTION_SIGMOID }, TRUE },
    { { 40, -5, LB_VOI_FUNCTION_SIGMOID }, FALSE },
    { { NAN, 400, LB_VOI_FUNCTION_LINEAR }, FALSE },
    { { 40, INFINITY, LB_VOI_FUNCTION_LINEAR }, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = lb_window_check (&cases[i].w, &error);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_INVALID_WINDOW);
    }
}

static void
test_from_range (void)
{
  LbWindow w;

  /* -1024..3071: c = (-1024 + 3071 + 1) / 2 = 1024, w = 3071 + 1024 + 1 = 4096. */
  lb_window_from_range (-1024, 3071, &w);
  g_assert_cmpfloat (w.center, ==, 1024);
  g_assert_cmpfloat (w.width, ==, 4096);
  g_assert_cmpint (w.function, ==, LB_VOI_FUNCTION_LINEAR);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, -1024, 255), 0, EPS);
  g_assert_cmpfloat_with_epsilon (lb_window_map (&w, 3071, 255), 255, EPS);

  /* One value: a window of width 1 that shows it black, as DCMTK does. */
  lb_window_from_range (7, 7, &w);
  g_assert_cmpfloat (w.width, ==, 1);
  g_assert_true (lb_window_check (&w, NULL));
}

static void
test_function_names (void)
{
  LbVoiFunction f;

  g_assert_true (lb_voi_function_from_string (NULL, &f));
  g_assert_cmpint (f, ==, LB_VOI_FUNCTION_LINEAR);
  g_assert_true (lb_voi_function_from_string ("LINEAR_EXACT", &f));
  g_assert_cmpint (f, ==, LB_VOI_FUNCTION_LINEAR_EXACT);
  g_assert_true (lb_voi_function_from_string ("SIGMOID", &f));
  g_assert_cmpint (f, ==, LB_VOI_FUNCTION_SIGMOID);
  g_assert_false (lb_voi_function_from_string ("LOG", &f));
  g_assert_cmpstr (lb_voi_function_to_string (LB_VOI_FUNCTION_LINEAR_EXACT), ==, "LINEAR_EXACT");
}

static void
test_presets (void)
{
  static const struct {
    const char *id;
    double width, level;
  } expected[] = {
    { "brain", 80, 40 },        { "subdural", 200, 75 },   { "stroke", 40, 40 },
    { "soft-tissue", 400, 40 }, { "liver", 150, 90 },      { "mediastinum", 400, 40 },
    { "lung", 1500, -600 },     { "bone", 1800, 400 },     { "angio", 600, 300 },
  };
  guint n = 0;
  const LbPreset *presets = lb_presets_get (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (presets[i].id, ==, expected[i].id);
      g_assert_cmpfloat (presets[i].width, ==, expected[i].width);
      g_assert_cmpfloat (presets[i].level, ==, expected[i].level);
      g_assert_true (lb_preset_find (expected[i].id) == &presets[i]);
      g_assert_nonnull (lb_preset_get_label (&presets[i]));
      g_assert_cmpstr (lb_preset_get_label (&presets[i]), !=, "");
    }
  g_assert_null (lb_preset_find ("spleen"));
  g_assert_null (lb_preset_find ("Lung"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imaging/window/linear", test_linear);
  g_test_add_func ("/imaging/window/linear-width-one", test_linear_width_one);
  g_test_add_func ("/imaging/window/linear-exact", test_linear_exact);
  g_test_add_func ("/imaging/window/sigmoid", test_sigmoid);
  g_test_add_func ("/imaging/window/check", test_check);
  g_test_add_func ("/imaging/window/from-range", test_from_range);
  g_test_add_func ("/imaging/window/function-names", test_function_names);
  g_test_add_func ("/imaging/presets", test_presets);
  return g_test_run ();
}
