/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Eviction: least recently used first, whole studies, under a quota or a target; never a
 * pinned, open (in any process), unsent-report or imported study.
 */
#define G_LOG_DOMAIN "test-store"
#include "config.h"

#include <glib/gstdio.h>

#include "lb-dicom-file.h"
#include "lb-store.h"
#include "store-fixture.h"

#define SERVER "http://archive.invalid/dicom-web"
/* 4 instances of 64x64 16-bit pixels: a little over 32 KiB a study. */
#define INSTANCES 4
#define SIDE 64

typedef struct
{
  char *dir;
  LbStore *store;
  guint64 study_bytes;
} Fixture;

static gboolean
is_cached (LbStore *store, const char *study_uid)
{
  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (store, study_uid, NULL);

  return entry != NULL;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *studies[] = { "1.5.1", "1.5.2", "1.5.3" };

  f->dir = store_test_make_dir ();
  f->store = lb_store_open (f->dir, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (studies); i++)
    {
      store_test_put_study (f->store, SERVER, studies[i], "A^B", INSTANCES, SIDE);
      /* Retrieval times must differ for an order to exist. */
      g_usleep (2000);
    }
  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.5.1", NULL);
  f->study_bytes = lb_worklist_entry_get_bytes (entry);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  store_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
test_lru_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  LbEvictSummary summary;

  /* Reading the oldest makes it the most recently used. */
  g_autoptr (GListModel) opened = lb_store_open_study (f->store, "1.5.1", &error);
  lb_store_close_study (f->store, "1.5.1");

  g_autoptr (GListModel) files = lb_store_list_instances (f->store, "1.5.2", NULL);
  g_autoptr (LbCachedInstance) file = g_list_model_get_item (files, 0);
  g_autofree char *path = g_strdup (lb_cached_instance_get_path (file));

  g_assert_true (lb_store_evict (f->store, 2 * f->study_bytes, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.studies, ==, 1);
  g_assert_cmpuint (summary.freed, ==, f->study_bytes);
  g_assert_cmpuint (summary.remaining, ==, 2 * f->study_bytes);
  g_assert_false (is_cached (f->store, "1.5.2"));
  g_assert_true (is_cached (f->store, "1.5.1"));
  g_assert_true (is_cached (f->store, "1.5.3"));
  /* The files go with the rows. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (lb_store_evict (f->store, f->study_bytes, &summary, &error));
  g_assert_false (is_cached (f->store, "1.5.3"));
  g_assert_true (is_cached (f->store, "1.5.1"));

  g_auto (LbVerifySummary) check = { 0 };
  g_assert_true (lb_store_verify (f->store, &check, &error));
  g_assert_true (lb_verify_summary_is_consistent (&check));
}

static void
test_protected_studies (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  LbEvictSummary summary;

  g_assert_true (lb_store_set_pinned (f->store, "1.5.1", TRUE, &error));
  g_autoptr (LbReport) draft = lb_store_save_report (f->store, "1.5.2", LB_REPORT_STATE_DRAFT,
                                                     "dr", "Findings", &error);
  g_autoptr (GListModel) opened = lb_store_open_study (f->store, "1.5.3", &error);
  /* Imported: no archive holds it but the store. */
  store_test_put_study (f->store, NULL, "1.5.4", "Local^Only", 2, SIDE);

  g_assert_true (lb_store_evict (f->store, 0, &summary, &error));
  g_assert_cmpuint (summary.studies, ==, 0);
  g_assert_cmpuint (summary.kept_pinned, ==, 1);
  g_assert_cmpuint (summary.kept_unsent, ==, 1);
  g_assert_cmpuint (summary.kept_in_use, ==, 1);
  g_assert_cmpuint (summary.kept_local, ==, 1);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *uid = g_strdup_printf ("1.5.%u", i);
      g_assert_true (is_cached (f->store, uid));
    }

  /* Each protection lifted lets that study go. */
  lb_store_close_study (f->store, "1.5.3");
  g_assert_true (lb_store_set_pinned (f->store, "1.5.1", FALSE, &error));
  g_assert_true (lb_store_evict (f->store, 0, &summary, &error));
  g_assert_cmpuint (summary.studies, ==, 2);
  g_assert_false (is_cached (f->store, "1.5.1"));
  g_assert_false (is_cached (f->store, "1.5.3"));
  g_assert_true (is_cached (f->store, "1.5.2"));
  g_assert_true (is_cached (f->store, "1.5.4"));
}

static void
test_quota (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint64 bytes;

  g_assert_cmpuint (lb_store_get_quota (f->store), ==, LB_STORE_DEFAULT_QUOTA);
  g_assert_true (lb_store_set_quota (f->store, 2 * f->study_bytes + f->study_bytes / 2, &error));
  /* A new study pushes the oldest out as it arrives. */
  store_test_put_study (f->store, SERVER, "1.5.9", "New^Study", INSTANCES, SIDE);
  g_assert_true (lb_store_get_usage (f->store, &bytes, NULL, &error));
  g_assert_cmpuint (bytes, <=, lb_store_get_quota (f->store));
  g_assert_true (is_cached (f->store, "1.5.9"));
  g_assert_false (is_cached (f->store, "1.5.1"));
  g_assert_false (is_cached (f->store, "1.5.2"));

  /* The quota is kept with the cache: another process sees it. */
  g_autoptr (LbStore) other = lb_store_open (f->dir, &error);
  g_assert_cmpuint (lb_store_get_quota (other), ==, 2 * f->study_bytes + f->study_bytes / 2);
}

static void
test_other_process (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  LbEvictSummary summary;
  /* A second store on the same folder stands for another process: its own session. */
  LbStore *reader = lb_store_open (f->dir, &error);

  g_assert_no_error (error);
  g_autoptr (GListModel) opened = lb_store_open_study (reader, "1.5.1", &error);
  g_autoptr (LbCachedInstance) first = g_list_model_get_item (opened, 0);

  g_assert_true (lb_store_evict (f->store, 0, &summary, &error));
  g_assert_cmpuint (summary.kept_in_use, ==, 1);
  g_assert_true (is_cached (f->store, "1.5.1"));
  g_assert_true (g_file_test (lb_cached_instance_get_path (first), G_FILE_TEST_EXISTS));

  /* The reader ends without closing: its lease dies with it. */
  g_clear_object (&reader);
  g_assert_true (lb_store_evict (f->store, 0, &summary, &error));
  g_assert_cmpuint (summary.kept_in_use, ==, 0);
  g_assert_false (is_cached (f->store, "1.5.1"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/evict/lru-order", test_lru_order);
  ADD ("/store/evict/protected-studies", test_protected_studies);
  ADD ("/store/evict/quota", test_quota);
  ADD ("/store/evict/other-process", test_other_process);
#undef ADD
  return g_test_run ();
}
