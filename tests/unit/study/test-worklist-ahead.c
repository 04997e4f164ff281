/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading ahead: the cached study the worklist's selection rests on is read up to its
 * first image, so that opening it has that image at once; nothing is marked opened
 * until the reader opens it, and a study read ahead but not opened is let go.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "lb-store.h"
#include "lb-worklist.h"
#include "study-fixture.h"

#define N_SLICES 12

typedef struct
{
  char *dir;
  LbStore *store;
  LbWorklist *worklist;
  LbWorklistItem *item;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("lb-ahead-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *files = g_build_filename (fixture->dir, "files", NULL);
  g_autofree char *cache = g_build_filename (fixture->dir, "cache", NULL);
  g_assert_cmpint (g_mkdir (files, 0700), ==, 0);
  for (guint i = 0; i < N_SLICES; i++)
    {
      FixtureSlice s = { .study_uid = "1.2.3.9", .series_uid = "1.2.3.9.1", .series_number = 1,
                         .instance_number = (int) i + 1, .has_geometry = TRUE, .z = -(double) i };
      g_autofree char *name = g_strdup_printf ("IM%u", i);
      fixture_slice_write (&s, files, name);
    }

  fixture->store = lb_store_open (cache, &error);
  g_assert_no_error (error);
  g_auto (LbImportSummary) summary = { 0 };
  g_assert_true (lb_store_import (fixture->store, files, NULL, NULL, &summary, NULL, &error));
  g_assert_no_error (error);

  fixture->worklist = lb_worklist_new (fixture->store, NULL);
  GListModel *items = lb_worklist_get_items (fixture->worklist);
  while (g_list_model_get_n_items (items) == 0)
    g_main_context_iteration (NULL, TRUE);
  fixture->item = g_list_model_get_item (items, 0);
  g_assert_cmpint (lb_worklist_item_get_cache_state (fixture->item), ==, LB_CACHE_STATE_CACHED);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->item);
  g_clear_object (&fixture->worklist);
  g_clear_object (&fixture->store);
  fixture_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
on_opened (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;
  *out = g_object_ref (result);
}

/* Opens the fixture's study; returns the instances it had when the call returned. */
static guint
open_and_load (Fixture *fixture)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LbLoadedStudy) study = lb_worklist_open_study (fixture->worklist, fixture->item,
                                                            NULL, NULL, on_opened, &result);
  guint at_once = lb_loaded_study_get_n_instances (study);

  g_assert_cmpint (lb_worklist_item_get_status (fixture->item), ==, LB_WORKLIST_STATUS_OPENED);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lb_worklist_open_study_finish (fixture->worklist, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lb_loaded_study_get_n_instances (study), ==, N_SLICES);
  g_assert_false (lb_loaded_study_get_held (study));
  return at_once;
}

static void
test_opens_with_first_image (Fixture *fixture, gconstpointer data)
{
  lb_worklist_read_ahead (fixture->worklist, fixture->item, NULL);
  fixture_run_for (300);
  /* Read, not opened: the reader has not seen it. */
  g_assert_cmpint (lb_worklist_item_get_status (fixture->item), ==, LB_WORKLIST_STATUS_UNREAD);
  g_assert_cmpuint (open_and_load (fixture), ==, 1);
}

static void
test_let_go (Fixture *fixture, gconstpointer data)
{
  lb_worklist_read_ahead (fixture->worklist, fixture->item, NULL);
  fixture_run_for (300);
  lb_worklist_read_ahead (fixture->worklist, NULL, NULL);
  /* Opened the ordinary way: nothing is there until the cache is read. */
  g_assert_cmpuint (open_and_load (fixture), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();
  g_test_add ("/worklist-ahead/opens-with-first-image", Fixture, NULL, fixture_set_up,
              test_opens_with_first_image, fixture_tear_down);
  g_test_add ("/worklist-ahead/let-go", Fixture, NULL, fixture_set_up, test_let_go,
              fixture_tear_down);
  return g_test_run ();
}
