/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checking and repairing: index rows without files, files without rows, damaged files,
 * outbox payloads, leftovers of processes that died, and a damaged index rebuilt from
 * the files.
 */
#define G_LOG_DOMAIN "test-store"
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lb-dicom-file.h"
#include "lb-store.h"
#include "store-fixture.h"

#define SERVER "http://archive.invalid/dicom-web"

typedef struct
{
  char *dir;
  LbStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = store_test_make_dir ();
  f->store = lb_store_open (f->dir, &error);
  g_assert_no_error (error);
  store_test_put_study (f->store, SERVER, "1.7.1", "A^B", 3, 8);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  store_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
verify (LbStore *store, LbVerifySummary *summary)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (lb_store_verify (store, summary, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < summary->findings->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (summary->findings, i));
}

static void
assert_consistent (LbStore *store)
{
  g_auto (LbVerifySummary) summary = { 0 };

  verify (store, &summary);
  g_assert_true (lb_verify_summary_is_consistent (&summary));
  g_assert_cmpuint (summary.findings->len, ==, 0);
}

static char *
instance_path (LbStore *store, const char *study_uid, guint index)
{
  g_autoptr (GListModel) instances = lb_store_list_instances (store, study_uid, NULL);
  g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, index);

  return g_strdup (lb_cached_instance_get_path (instance));
}

static guint
count_instances (LbStore *store, const char *study_uid)
{
  g_autoptr (GListModel) instances = lb_store_list_instances (store, study_uid, NULL);

  return g_list_model_get_n_items (instances);
}

static void
test_consistent (Fixture *f, gconstpointer data)
{
  assert_consistent (f->store);
}

static void
test_missing_and_damaged_files (Fixture *f, gconstpointer data)
{
  g_autofree char *gone = instance_path (f->store, "1.7.1", 0);
  g_autofree char *cut = instance_path (f->store, "1.7.1", 1);
  g_auto (LbVerifySummary) summary = { 0 };

  g_assert_cmpint (g_unlink (gone), ==, 0);
  g_assert_cmpint (truncate (cut, 100), ==, 0);

  verify (f->store, &summary);
  g_assert_false (lb_verify_summary_is_consistent (&summary));
  g_assert_cmpuint (summary.missing_files, ==, 1);
  g_assert_cmpuint (summary.damaged_files, ==, 1);
  g_assert_cmpuint (summary.findings->len, ==, 2);
  g_assert_cmpuint (count_instances (f->store, "1.7.1"), ==, 1);
  /* A cut-off file is not kept for anyone to read. */
  g_assert_false (g_file_test (cut, G_FILE_TEST_EXISTS));

  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.7.1", NULL);
  g_assert_cmpuint (lb_worklist_entry_get_cached_instances (entry), ==, 1);
  assert_consistent (f->store);
}

static void
test_unindexed_and_stray_files (Fixture *f, gconstpointer data)
{
  StoreTestInstance spec = { .study_uid = "1.7.2", .series_uid = "1.7.2.1", .sop_uid = "1.7.2.1.1",
                             .patient_name = "Found^Later" };
  g_autoptr (GBytes) bytes = store_test_make_instance (&spec);
  g_autofree char *folder = store_test_path (f->store, "blobs/1.7.2");
  g_autofree char *orphan = g_build_filename (folder, "1.7.2.1.1.dcm", NULL);
  g_autofree char *junk = g_build_filename (folder, "notes.txt", NULL);
  /* The same instance again, under a name that is not its own. */
  g_autofree char *copy = store_test_path (f->store, "blobs/1.7.1/copy.dcm");
  g_autofree char *original = instance_path (f->store, "1.7.1", 0);
  g_autofree char *contents = NULL;
  gsize length;
  g_auto (LbVerifySummary) summary = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (orphan, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  g_assert_true (g_file_set_contents (junk, "junk", 4, NULL));
  g_assert_true (g_file_get_contents (original, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, NULL));

  verify (f->store, &summary);
  g_assert_cmpuint (summary.unindexed_files, ==, 1);
  g_assert_cmpuint (summary.stray_files, ==, 2);
  g_assert_false (g_file_test (junk, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (original, G_FILE_TEST_EXISTS));

  g_autoptr (LbWorklistEntry) found = lb_store_lookup_study (f->store, "1.7.2", NULL);
  g_assert_nonnull (found);
  g_assert_cmpstr (lb_study_get_patient_name (lb_worklist_entry_get_study (found)), ==, "Found^Later");
  assert_consistent (f->store);
}

static void
test_outbox_payloads (Fixture *f, gconstpointer data)
{
  StoreTestInstance lost_spec = { .study_uid = "1.7.1", .sop_uid = "1.7.1.500" };
  StoreTestInstance found_spec = { .study_uid = "1.7.1", .sop_uid = "1.7.1.501" };
  g_autoptr (GBytes) lost = store_test_make_instance (&lost_spec);
  g_autoptr (GBytes) found = store_test_make_instance (&found_spec);
  g_autoptr (GError) error = NULL;
  g_auto (LbVerifySummary) summary = { 0 };

  g_autoptr (LbOutboxItem) item = lb_store_queue_payload (f->store, SERVER, NULL, 0, lost, &error);
  g_assert_no_error (error);
  g_autofree char *lost_path = store_test_path (f->store, "outbox/1.7.1.500.dcm");
  g_assert_true (g_file_test (lost_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (lost_path), ==, 0);

  /* A payload and its destination with no row, as a lost index would leave them. */
  g_autofree char *found_path = store_test_path (f->store, "outbox/1.7.1.501.dcm");
  g_autofree char *found_url = store_test_path (f->store, "outbox/1.7.1.501.url");
  g_assert_true (g_file_set_contents (found_path, g_bytes_get_data (found, NULL),
                                      (gssize) g_bytes_get_size (found), NULL));
  g_assert_true (g_file_set_contents (found_url, SERVER, -1, NULL));

  verify (f->store, &summary);
  g_assert_cmpuint (summary.missing_payloads, ==, 1);
  g_assert_cmpuint (summary.restored_payloads, ==, 1);
  /* The lost payload's destination file, left alone. */
  g_assert_cmpuint (summary.stray_files, ==, 1);

  g_autoptr (GListModel) items = lb_store_list_outbox (f->store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (LbOutboxItem) row = g_list_model_get_item (items, i);

      if (g_str_equal (lb_outbox_item_get_sop_instance_uid (row), "1.7.1.500"))
        {
          g_assert_cmpint (lb_outbox_item_get_state (row), ==, LB_OUTBOX_STATE_FAILED);
          g_assert_nonnull (strstr (lb_outbox_item_get_last_error (row), "missing"));
        }
      else
        {
          g_assert_cmpint (lb_outbox_item_get_state (row), ==, LB_OUTBOX_STATE_PENDING);
          g_assert_cmpstr (lb_outbox_item_get_destination (row), ==, SERVER);
        }
    }
  assert_consistent (f->store);
}

/* A session folder as a process that died would leave it: its lock free. */
static char *
make_dead_session (LbStore *store, const char *name, const char *journal)
{
  g_autofree char *relative = g_build_filename ("sessions", name, NULL);
  char *session = store_test_path (store, relative);
  g_autofree char *lock = g_build_filename (session, "lock", NULL);
  g_autofree char *journal_path = g_build_filename (session, "journal", NULL);

  g_assert_cmpint (g_mkdir_with_parents (session, 0700), ==, 0);
  g_assert_true (g_file_set_contents (lock, "", 0, NULL));
  g_assert_true (g_file_set_contents (journal_path, journal, -1, NULL));
  return session;
}

static void
test_dead_sessions (Fixture *f, gconstpointer data)
{
  StoreTestInstance spec = { .study_uid = "1.7.3", .series_uid = "1.7.3.1", .sop_uid = "1.7.3.1.1" };
  g_autoptr (GBytes) bytes = store_test_make_instance (&spec);
  g_autofree char *folder = store_test_path (f->store, "blobs/1.7.3");
  g_autofree char *renamed = g_build_filename (folder, "1.7.3.1.1.dcm", NULL);
  g_autoptr (GError) error = NULL;
  LbEvictSummary evicted;

  /* Died after renaming a file, before indexing it. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (renamed, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  g_autofree char *first = make_dead_session (f->store, "host-1-dead",
                                              "A blobs/1.7.3/1.7.3.1.1.dcm\t1\nA blobs/1.7.3/cut");
  g_autofree char *temp = g_build_filename (first, "tmp-123456", NULL);
  g_assert_true (g_file_set_contents (temp, "half an instance", -1, NULL));

  /* Died after evicting a study's rows, before deleting its files. */
  g_autofree char *kept = instance_path (f->store, "1.7.1", 0);
  g_autofree char *kept_relative = g_strdup (kept + strlen (lb_store_get_dir (f->store)) + 1);
  g_autofree char *contents = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (kept, &contents, &length, NULL));
  g_assert_true (lb_store_evict (f->store, 0, &evicted, &error));
  g_assert_cmpuint (evicted.studies, ==, 1);
  g_autofree char *kept_folder = g_path_get_dirname (kept);
  g_assert_cmpint (g_mkdir_with_parents (kept_folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (kept, contents, (gssize) length, NULL));
  g_autofree char *evict_journal = g_strdup_printf ("E %s\t0\n", kept_relative);
  g_autofree char *second = make_dead_session (f->store, "host-2-dead", evict_journal);

  g_auto (LbVerifySummary) summary = { 0 };
  verify (f->store, &summary);
  /* Finishing a dead process's work is housekeeping, not a fault. */
  g_assert_true (lb_verify_summary_is_consistent (&summary));
  g_assert_cmpuint (summary.interrupted_writes, ==, 3);
  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_instances (f->store, "1.7.3"), ==, 1);
  /* The journal's origin names the archive the file came from. */
  g_autoptr (LbWorklistEntry) adopted = lb_store_lookup_study (f->store, "1.7.3", NULL);
  g_assert_false (lb_worklist_entry_get_local (adopted));
  assert_consistent (f->store);
}

static void
test_live_session_left_alone (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  /* Another live process (its own session) has a renamed file it has not indexed yet. */
  g_autoptr (LbStore) other = lb_store_open (f->dir, &error);
  StoreTestInstance spec = { .study_uid = "1.7.4", .series_uid = "1.7.4.1", .sop_uid = "1.7.4.1.1" };
  g_autoptr (GBytes) bytes = store_test_make_instance (&spec);
  g_autofree char *folder = store_test_path (f->store, "blobs/1.7.4");
  g_autofree char *renamed = g_build_filename (folder, "1.7.4.1.1.dcm", NULL);
  g_autoptr (GDir) sessions = NULL;
  g_autofree char *sessions_path = store_test_path (f->store, "sessions");
  const char *name;
  guint live = 0;

  g_assert_no_error (error);
  sessions = g_dir_open (sessions_path, 0, NULL);
  while ((name = g_dir_read_name (sessions)) != NULL)
    {
      g_autofree char *journal = g_build_filename (sessions_path, name, "journal", NULL);
      g_assert_true (g_file_set_contents (journal, "A blobs/1.7.4/1.7.4.1.1.dcm\t0\n", -1, NULL));
      live++;
    }
  g_assert_cmpuint (live, ==, 2);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (renamed, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));

  g_auto (LbVerifySummary) summary = { 0 };
  verify (f->store, &summary);
  g_assert_true (lb_verify_summary_is_consistent (&summary));
  g_assert_true (g_file_test (renamed, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_instances (f->store, "1.7.4"), ==, 0);
}

static void
overwrite (const char *path, goffset offset, gsize length)
{
  int fd = g_open (path, O_WRONLY, 0);
  g_autofree guint8 *garbage = g_malloc (length);

  memset (garbage, 0xa5, length);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, length, offset), ==, (gssize) length);
  close (fd);
}

static gboolean
has_damaged_copy (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "index-damaged-") && g_str_has_suffix (name, ".sqlite"))
      return TRUE;
  return FALSE;
}

static void
prepare_damage (Fixture *f)
{
  StoreTestInstance spec = { .study_uid = "1.7.1", .sop_uid = "1.7.1.600" };
  g_autoptr (GBytes) payload = store_test_make_instance (&spec);
  g_autoptr (GError) error = NULL;

  g_autoptr (LbReport) report = lb_store_save_report (f->store, "1.7.1", LB_REPORT_STATE_FINAL,
                                                      "dr", "Normal study.", &error);
  g_autoptr (LbOutboxItem) item = lb_store_queue_payload (f->store, SERVER, "report",
                                                          lb_report_get_id (report), payload,
                                                          &error);
  g_assert_no_error (error);
  /* Closing checkpoints the WAL: everything is in the database file. */
  g_clear_object (&f->store);
}

static void
assert_rebuilt (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  f->store = lb_store_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (lb_store_get_recovered (f->store));
  g_assert_true (has_damaged_copy (f->dir));
  g_assert_cmpuint (count_instances (f->store, "1.7.1"), ==, 3);
  g_autoptr (GListModel) items = lb_store_list_outbox (f->store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);

  g_auto (LbVerifySummary) summary = { 0 };
  verify (f->store, &summary);
  g_assert_true (summary.index_rebuilt);
  g_clear_object (&f->store);
  f->store = lb_store_open (f->dir, &error);
  g_assert_false (lb_store_get_recovered (f->store));
  assert_consistent (f->store);
}

static void
test_index_not_a_database (Fixture *f, gconstpointer data)
{
  g_autofree char *index = g_build_filename (f->dir, "index.sqlite", NULL);
  GStatBuf st;

  prepare_damage (f);
  g_assert_cmpint (g_stat (index, &st), ==, 0);
  overwrite (index, 0, (gsize) st.st_size);
  assert_rebuilt (f);
}

static void
test_index_pages_damaged (Fixture *f, gconstpointer data)
{
  g_autofree char *index = g_build_filename (f->dir, "index.sqlite", NULL);
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  g_autofree char *page = NULL;
  g_autoptr (GError) error = NULL;
  guint64 number;

  if (sqlite3 == NULL)
    {
      g_test_skip ("the sqlite3 program (Debian package sqlite3) finds the page to damage");
      return;
    }
  prepare_damage (f);

  /* Damage one page of one index: its tables, reports included, stay readable. */
  const char *argv[] = {
    sqlite3, index, "SELECT rootpage FROM sqlite_master WHERE name = 'instances_by_study'",
    NULL,
  };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &page,
                               NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_ascii_string_to_unsigned (g_strstrip (page), 10, 2, 100000, &number, NULL));
  overwrite (index, (goffset) (number - 1) * 4096, 4096);

  assert_rebuilt (f);
  /* What the damaged index still held is kept: the report, with its state. */
  g_autoptr (GListModel) reports = lb_store_list_reports (f->store, "1.7.1", &error);
  g_assert_cmpuint (g_list_model_get_n_items (reports), ==, 1);
  g_autoptr (LbReport) report = g_list_model_get_item (reports, 0);
  g_assert_cmpstr (lb_report_get_text (report), ==, "Normal study.");
  g_assert_cmpint (lb_report_get_state (report), ==, LB_REPORT_STATE_FINAL);
  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.7.1", NULL);
  g_assert_false (lb_worklist_entry_get_local (entry));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/verify/consistent", test_consistent);
  ADD ("/store/verify/missing-and-damaged-files", test_missing_and_damaged_files);
  ADD ("/store/verify/unindexed-and-stray-files", test_unindexed_and_stray_files);
  ADD ("/store/verify/outbox-payloads", test_outbox_payloads);
  ADD ("/store/verify/dead-sessions", test_dead_sessions);
  ADD ("/store/verify/live-session-left-alone", test_live_session_left_alone);
  ADD ("/store/verify/index-not-a-database", test_index_not_a_database);
  ADD ("/store/verify/index-pages-damaged", test_index_pages_damaged);
#undef ADD
  return g_test_run ();
}
