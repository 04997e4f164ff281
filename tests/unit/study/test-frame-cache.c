/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LbFrameCache: a picture is rendered with the window asked for, found again without a
 * render, redrawn into its own surface for a new window when nobody holds it, kept
 * within its byte budgets, and prefetching decodes a series outwards.
 */
#include "config.h"

#include "lb-frame-cache.h"
#include "study-fixture.h"

static LbSlice *
make_slice (int number, double hu)
{
  FixtureSlice s = { .study_uid = "1.2.3.4", .series_uid = "1.2.3.4.1", .series_number = 1,
                     .instance_number = number, .has_geometry = TRUE, .z = -number, .hu = hu };
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomFile) file = fixture_slice_file (&s);
  LbSlice *slice = lb_slice_new (file, 0, &error);

  g_assert_no_error (error);
  return slice;
}

static guint8
grey_at (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_A8);
  return cairo_image_surface_get_data (surface)[y * cairo_image_surface_get_stride (surface) + x];
}

static void
test_render_and_find (void)
{
  g_autoptr (LbFrameCache) cache = lb_frame_cache_new (64 << 20, 64 << 20);
  g_autoptr (LbSlice) slice = make_slice (1, 40);
  g_autoptr (GError) error = NULL;
  LbRenderOptions options = { .mode = LB_VOI_MODE_WINDOW, .window = { 40, 400, 0 },
                              .grey_a8 = TRUE };
  LbWindow applied;

  g_assert_null (lb_frame_cache_peek_render (cache, slice, 0, &options, NULL));
  cairo_surface_t *a = lb_frame_cache_render (cache, slice, 0, &options, &applied, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (a), ==, FIXTURE_SIZE);
  g_assert_cmpfloat (applied.width, ==, 400);
  /* 40 HU is the centre of 40/400: mid grey. */
  g_assert_cmpint (abs (grey_at (a, 3, 3) - 128), <=, 1);

  LbWindow again;
  cairo_surface_t *b = lb_frame_cache_peek_render (cache, slice, 0, &options, &again);
  g_assert_true (a == b);
  g_assert_cmpfloat (again.center, ==, 40);
  cairo_surface_destroy (b);

  /* Another window is another picture; the first is not on screen any more, so the
   * second is drawn into the same memory. */
  cairo_surface_t *old = a;
  cairo_surface_destroy (a);
  options.window = (LbWindow) { 240, 400, 0 };
  cairo_surface_t *c = lb_frame_cache_render (cache, slice, 0, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (c == old);
  g_assert_cmpint (grey_at (c, 3, 3), <=, 1);
  g_assert_null (lb_frame_cache_peek_render (cache, slice, 1, &options, NULL));

  /* Held by a viewport, it is not drawn over: the next window gets other memory. */
  options.window = (LbWindow) { -160, 400, 0 };
  cairo_surface_t *d = lb_frame_cache_render (cache, slice, 0, &options, NULL, NULL, &error);
  g_assert_true (d != c);
  g_assert_cmpint (grey_at (c, 3, 3), <=, 1);
  g_assert_cmpint (grey_at (d, 3, 3), >=, 254);
  cairo_surface_destroy (c);
  cairo_surface_destroy (d);
}

static void
test_levels (void)
{
  g_autoptr (LbFrameCache) cache = lb_frame_cache_new (64 << 20, 64 << 20);
  g_autoptr (LbSlice) slice = make_slice (1, 40);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE, .grey_a8 = TRUE };
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (lb_frame_cache_choose_level (2.0), ==, 0);
  g_assert_cmpuint (lb_frame_cache_choose_level (0.6), ==, 0);
  g_assert_cmpuint (lb_frame_cache_choose_level (0.3), ==, 1);
  g_assert_cmpuint (lb_frame_cache_choose_level (0.2), ==, 2);

  cairo_surface_t *half = lb_frame_cache_render (cache, slice, 1, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (half), ==, FIXTURE_SIZE / 2);
  cairo_surface_destroy (half);
}

static void
test_budgets (void)
{
  /* Room for about three decoded frames and three pictures. */
  guint64 frame = FIXTURE_SIZE * FIXTURE_SIZE * 2 * 4 / 3;
  g_autoptr (LbFrameCache) cache = lb_frame_cache_new (frame * 3, FIXTURE_SIZE * FIXTURE_SIZE * 3);
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE, .grey_a8 = TRUE };
  g_autoptr (GPtrArray) slices = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < 8; i++)
    {
      g_autoptr (GError) error = NULL;
      g_ptr_array_add (slices, make_slice (i + 1, 40));
      cairo_surface_t *picture = lb_frame_cache_render (cache, g_ptr_array_index (slices, i), 0,
                                                        &options, NULL, NULL, &error);
      g_assert_no_error (error);
      cairo_surface_destroy (picture);
      g_assert_cmpuint (lb_frame_cache_get_decoded_bytes (cache), <=, frame * 3);
      g_assert_cmpuint (lb_frame_cache_get_rendered_bytes (cache), <=, FIXTURE_SIZE * FIXTURE_SIZE * 3);
    }
  /* The oldest went first; the newest is still there. */
  g_autoptr (LbFrameRenderer) oldest = lb_frame_cache_peek_renderer (cache, g_ptr_array_index (slices, 0));
  g_autoptr (LbFrameRenderer) newest = lb_frame_cache_peek_renderer (cache, g_ptr_array_index (slices, 7));
  g_assert_null (oldest);
  g_assert_nonnull (newest);
}

static void
test_prefetch (void)
{
  g_autoptr (LbFrameCache) cache = lb_frame_cache_new (64 << 20, 64 << 20);
  g_autoptr (GPtrArray) slices = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < 12; i++)
    g_ptr_array_add (slices, make_slice (i + 1, 40));
  lb_frame_cache_prefetch (cache, slices, 6);

  /* Decoding a dozen tiny frames takes milliseconds; the bound only stops a hang. */
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (guint i = 0; i < slices->len; i++)
    {
      LbFrameRenderer *renderer;
      while ((renderer = lb_frame_cache_peek_renderer (cache, g_ptr_array_index (slices, i))) == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, give_up);
          g_usleep (1000);
        }
      g_object_unref (renderer);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();
  g_test_add_func ("/frame-cache/render-and-find", test_render_and_find);
  g_test_add_func ("/frame-cache/levels", test_levels);
  g_test_add_func ("/frame-cache/budgets", test_budgets);
  g_test_add_func ("/frame-cache/prefetch", test_prefetch);
  return g_test_run ();
}
