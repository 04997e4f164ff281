/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LbStudySeries: slices arrive in any order and the series keeps them in reading order
 * (along the slice normal, head first unless instance numbers say otherwise), tells its
 * views exactly what changed, and falls back to instance numbers when one image leaves
 * the plane.
 */
#include "config.h"

#include "lb-study-series.h"
#include "study-fixture.h"

#define SERIES_UID "1.2.3.4.1"

/* A copy of the model kept only from items-changed: it matches the model only if every
 * change was announced right. */
typedef struct
{
  GPtrArray *items;
} Mirror;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Mirror *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->items->len);
  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->items, (int) (position + i), g_list_model_get_item (model, position + i));
}

static void
assert_mirror (GListModel *model, Mirror *mirror)
{
  g_assert_cmpuint (mirror->items->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < mirror->items->len; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      g_assert_true (item == g_ptr_array_index (mirror->items, i));
    }
}

static LbSlice *
make_slice (int number, gboolean geometry, double z, const double *orientation)
{
  FixtureSlice s = {
    .study_uid = "1.2.3.4", .series_uid = SERIES_UID, .series_number = 2,
    .instance_number = number, .has_geometry = geometry, .z = z,
    .orientation = orientation,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomFile) file = fixture_slice_file (&s);
  LbSlice *slice = lb_slice_new (file, 0, &error);

  g_assert_no_error (error);
  return slice;
}

static void
add (LbStudySeries *series, LbSlice *slice)
{
  g_assert_cmpuint (lb_study_series_add_slices (series, &slice, 1), ==, 1);
}

static int
number_at (LbStudySeries *series, guint i)
{
  g_autoptr (LbSlice) slice = g_list_model_get_item (G_LIST_MODEL (series), i);
  return lb_slice_get_instance_number (slice);
}

/* Instance 1 at the top (z = 0), each next one a millimetre lower, added shuffled. */
static void
test_sorts_along_normal (void)
{
  g_autoptr (LbStudySeries) series = lb_study_series_new (SERIES_UID);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref) };
  const int order[] = { 7, 2, 9, 1, 5, 10, 3, 8, 6, 4 };

  g_signal_connect (series, "items-changed", G_CALLBACK (on_items_changed), &mirror);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr (LbSlice) slice = make_slice (order[i], TRUE, -(order[i] - 1), NULL);
      add (series, slice);
      assert_mirror (G_LIST_MODEL (series), &mirror);
    }

  g_assert_true (lb_study_series_get_is_stack (series));
  for (guint i = 0; i < 10; i++)
    {
      double location;
      g_assert_cmpint (number_at (series, i), ==, (int) i + 1);
      g_assert_true (lb_study_series_get_location (series, i, &location));
      g_assert_cmpfloat_with_epsilon (location, -(double) i, 1e-9);
    }
  g_assert_cmpuint (lb_study_series_get_n_instances (series), ==, 10);
  g_ptr_array_unref (mirror.items);
}

/* Numbers that grow towards the feet... and numbers that grow towards the head: the
 * order follows the numbers either way; without numbers the head comes first. */
static void
test_direction_follows_numbers (void)
{
  g_autoptr (LbStudySeries) up = lb_study_series_new (SERIES_UID);
  g_autoptr (LbStudySeries) plain = lb_study_series_new (SERIES_UID);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref) };

  g_signal_connect (up, "items-changed", G_CALLBACK (on_items_changed), &mirror);
  for (int n = 1; n <= 6; n++)
    {
      g_autoptr (LbSlice) a = make_slice (n, TRUE, n * 2.5, NULL);
      g_autoptr (LbSlice) b = make_slice (-1, TRUE, n * 2.5, NULL);
      add (up, a);
      add (plain, b);
      assert_mirror (G_LIST_MODEL (up), &mirror);
    }
  for (guint i = 0; i < 6; i++)
    {
      double location;
      g_assert_cmpint (number_at (up, i), ==, (int) i + 1);
      g_assert_true (lb_study_series_get_location (plain, i, &location));
      g_assert_cmpfloat_with_epsilon (location, (6 - (double) i) * 2.5, 1e-9);
    }
  g_ptr_array_unref (mirror.items);
}

/* A scout in another plane turns the series into a list by instance number. */
static void
test_off_plane_falls_back_to_numbers (void)
{
  static const double coronal[6] = { 1, 0, 0, 0, 0, -1 };
  g_autoptr (LbStudySeries) series = lb_study_series_new (SERIES_UID);
  Mirror mirror = { g_ptr_array_new_with_free_func (g_object_unref) };
  g_autoptr (LbSlice) s3 = make_slice (3, TRUE, 0, NULL);
  g_autoptr (LbSlice) s1 = make_slice (1, TRUE, -10, NULL);
  g_autoptr (LbSlice) scout = make_slice (2, TRUE, 5, coronal);
  g_autoptr (LbSlice) bare = make_slice (4, FALSE, 0, NULL);

  g_signal_connect (series, "items-changed", G_CALLBACK (on_items_changed), &mirror);
  add (series, s3);
  add (series, s1);
  assert_mirror (G_LIST_MODEL (series), &mirror);
  add (series, scout);
  assert_mirror (G_LIST_MODEL (series), &mirror);
  add (series, bare);
  assert_mirror (G_LIST_MODEL (series), &mirror);

  g_assert_false (lb_study_series_get_is_stack (series));
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (number_at (series, i), ==, (int) i + 1);
  double location;
  g_assert_false (lb_study_series_get_location (series, 0, &location));
  g_assert_cmpint (lb_study_series_find (series, scout), ==, 1);
  g_ptr_array_unref (mirror.items);
}

static void
test_duplicates_and_find (void)
{
  g_autoptr (LbStudySeries) series = lb_study_series_new (SERIES_UID);
  g_autoptr (LbSlice) a = make_slice (1, TRUE, 0, NULL);
  g_autoptr (LbSlice) b = make_slice (2, TRUE, -1, NULL);
  g_autoptr (LbSlice) stranger = make_slice (3, TRUE, -2, NULL);

  add (series, b);
  add (series, a);
  /* The same instance again (a retry, a second retrieval) is not a second image. */
  g_assert_cmpuint (lb_study_series_add_slices (series, &a, 1), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (series)), ==, 2);
  g_assert_cmpint (lb_study_series_find (series, a), ==, 0);
  g_assert_cmpint (lb_study_series_find (series, b), ==, 1);
  g_assert_cmpint (lb_study_series_find (series, stranger), ==, -1);
}

static void
test_progress (void)
{
  g_autoptr (LbStudySeries) series = lb_study_series_new (SERIES_UID);

  g_assert_cmpfloat (lb_study_series_get_progress (series), ==, 0);
  lb_study_series_set_expected (series, 4);
  for (int n = 1; n <= 2; n++)
    {
      g_autoptr (LbSlice) slice = make_slice (n, TRUE, -n, NULL);
      add (series, slice);
    }
  g_assert_cmpfloat_with_epsilon (lb_study_series_get_progress (series), 0.5, 1e-9);
  lb_study_series_add_failed (series);
  g_assert_cmpfloat_with_epsilon (lb_study_series_get_progress (series), 0.75, 1e-9);
  g_assert_cmpuint (lb_study_series_get_n_failed (series), ==, 1);
  lb_study_series_set_complete (series, TRUE);
  g_assert_cmpfloat (lb_study_series_get_progress (series), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();
  g_test_add_func ("/study-series/sorts-along-normal", test_sorts_along_normal);
  g_test_add_func ("/study-series/direction-follows-numbers", test_direction_follows_numbers);
  g_test_add_func ("/study-series/off-plane-falls-back", test_off_plane_falls_back_to_numbers);
  g_test_add_func ("/study-series/duplicates-and-find", test_duplicates_and_find);
  g_test_add_func ("/study-series/progress", test_progress);
  return g_test_run ();
}
