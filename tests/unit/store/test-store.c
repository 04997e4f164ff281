/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LbStore: the index, its queries, reading state, reports, outbox rows and the async
 * forms, on a temporary cache folder.
 */
#define G_LOG_DOMAIN "test-store"
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

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
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  store_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
reopen (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&f->store);
  f->store = lb_store_open (f->dir, &error);
  g_assert_no_error (error);
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_private_folder (Fixture *f, gconstpointer data)
{
  g_autofree char *index = g_build_filename (f->dir, "index.sqlite", NULL);
  g_autofree char *blobs = g_build_filename (f->dir, "blobs", NULL);

  store_test_put_study (f->store, SERVER, "1.2.3.1", "A^B", 1, 8);
  g_assert_cmpuint (mode_of (f->dir), ==, 0700);
  g_assert_cmpuint (mode_of (blobs), ==, 0700);
  g_assert_cmpuint (mode_of (index), ==, 0600);

  g_autoptr (GListModel) instances = lb_store_list_instances (f->store, "1.2.3.1", NULL);
  g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, 0);
  g_assert_cmpuint (mode_of (lb_cached_instance_get_path (instance)), ==, 0600);
  g_autofree char *study_folder = g_path_get_dirname (lb_cached_instance_get_path (instance));
  g_assert_cmpuint (mode_of (study_folder), ==, 0700);
}

static void
test_schema_too_new (Fixture *f, gconstpointer data)
{
  g_autofree char *index = g_build_filename (f->dir, "index.sqlite", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;

  g_clear_object (&f->store);
  /* PRAGMA user_version is the big-endian number at byte 60 of the database header. */
  g_assert_true (g_file_get_contents (index, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 100);
  g_assert_cmpint (contents[63], >=, 1);
  g_assert_cmpint (contents[63], <, 99);
  contents[63] = 99;
  g_assert_true (g_file_set_contents (index, contents, (gssize) length, NULL));

  f->store = lb_store_open (f->dir, &error);
  g_assert_error (error, LB_STORE_ERROR, LB_STORE_ERROR_TOO_NEW);
  g_assert_null (f->store);
  g_assert_nonnull (strstr (error->message, "newer version of Lightbox"));

  /* Left as it was: no rebuild of an index this build does not understand. */
  g_autofree char *after = NULL;
  g_assert_true (g_file_get_contents (index, &after, NULL, NULL));
  g_assert_cmpint (after[63], ==, 99);
}

/* A cache written by the first release (schema 1, without priorities) opens in this one:
 * its studies stay, and priorities are kept from then on. */
static void
test_schema_upgrade (Fixture *f, gconstpointer data)
{
  g_autofree char *index = g_build_filename (f->dir, "index.sqlite", NULL);
  const StoreTestInstance before = {
    .study_uid = "1.2.3.8", .series_uid = "1.2.3.8.1", .sop_uid = "1.2.3.8.1.1",
    .patient_name = "Old^Cache", .priority = "STAT", .side = 8,
  };
  const StoreTestInstance after = {
    .study_uid = "1.2.3.9", .series_uid = "1.2.3.9.1", .sop_uid = "1.2.3.9.1.1",
    .priority = "STAT", .side = 8,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) old_bytes = store_test_make_instance (&before);
  g_autoptr (GBytes) new_bytes = store_test_make_instance (&after);
  sqlite3 *db = NULL;

  g_assert_true (lb_store_put_instance (f->store, SERVER, old_bytes, NULL, &error));
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (index, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE studies DROP COLUMN priority;"
                                     "PRAGMA user_version = 1;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  reopen (f);
  g_autoptr (LbWorklistEntry) old = lb_store_lookup_study (f->store, "1.2.3.8", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lb_study_get_patient_name (lb_worklist_entry_get_study (old)), ==,
                   "Old^Cache");
  g_assert_null (lb_study_get_priority (lb_worklist_entry_get_study (old)));

  g_assert_true (lb_store_put_instance (f->store, SERVER, new_bytes, NULL, &error));
  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.2.3.9", &error);
  g_assert_cmpstr (lb_study_get_priority (lb_worklist_entry_get_study (entry)), ==, "STAT");
}

static void
test_put_and_list (Fixture *f, gconstpointer data)
{
  const StoreTestInstance specs[] = {
    { .study_uid = "1.2.3.5", .series_uid = "1.2.3.5.2", .sop_uid = "1.2.3.5.2.1",
      .modality = "MR", .series_number = 2, .instance_number = 1, .side = 16 },
    { .study_uid = "1.2.3.5", .series_uid = "1.2.3.5.1", .sop_uid = "1.2.3.5.1.2",
      .modality = "CT", .series_number = 1, .instance_number = 2, .side = 16,
      .patient_name = "Doe^Jane", .accession = "ACC5", .description = "Chest",
      .priority = "STAT" },
    { .study_uid = "1.2.3.5", .series_uid = "1.2.3.5.1", .sop_uid = "1.2.3.5.1.1",
      .modality = "CT", .series_number = 1, .instance_number = 1, .side = 16 },
  };
  guint64 total = 0;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (GBytes) bytes = store_test_make_instance (&specs[i]);
      g_autofree char *uid = NULL;

      total += g_bytes_get_size (bytes);
      g_assert_true (lb_store_put_instance (f->store, SERVER, bytes, &uid, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (uid, ==, specs[i].sop_uid);
      /* Storing it again changes nothing. */
      g_assert_true (lb_store_put_instance (f->store, SERVER, bytes, NULL, &error));
    }

  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.2.3.5", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_worklist_entry_get_cached_instances (entry), ==, 3);
  g_assert_cmpint (lb_study_get_series_count (lb_worklist_entry_get_study (entry)), ==, 2);
  g_assert_cmpuint (lb_worklist_entry_get_bytes (entry), ==, total);
  g_assert_cmpstr (lb_study_get_patient_name (lb_worklist_entry_get_study (entry)), ==, "TEST^PATIENT");
  g_assert_cmpstr (lb_study_get_accession_number (lb_worklist_entry_get_study (entry)), ==, "ACC5");
  g_assert_cmpstr (lb_study_get_study_description (lb_worklist_entry_get_study (entry)), ==, "Chest");
  /* The first file had no priority: a later one fills it in. */
  g_assert_cmpstr (lb_study_get_priority (lb_worklist_entry_get_study (entry)), ==, "STAT");
  const char *const *modalities = lb_study_get_modalities (lb_worklist_entry_get_study (entry));
  g_assert_cmpuint (g_strv_length ((char **) modalities), ==, 2);
  g_assert_cmpstr (modalities[0], ==, "CT");
  g_assert_cmpstr (modalities[1], ==, "MR");
  /* No archive listing yet: not known to be complete. */
  g_assert_cmpint (lb_worklist_entry_get_expected_instances (entry), ==, -1);
  g_assert_false (lb_worklist_entry_get_complete (entry));
  g_assert_false (lb_worklist_entry_get_local (entry));

  guint64 bytes;
  guint studies;
  g_assert_true (lb_store_get_usage (f->store, &bytes, &studies, &error));
  g_assert_cmpuint (bytes, ==, total);
  g_assert_cmpuint (studies, ==, 1);

  /* Series by number, then instances by number. */
  g_autoptr (GListModel) instances = lb_store_list_instances (f->store, "1.2.3.5", &error);
  const char *order[] = { "1.2.3.5.1.1", "1.2.3.5.1.2", "1.2.3.5.2.1" };
  g_assert_cmpuint (g_list_model_get_n_items (instances), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, i);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_cmpstr (lb_cached_instance_get_sop_instance_uid (instance), ==, order[i]);
      g_assert_cmpstr (lb_cached_instance_get_transfer_syntax_uid (instance), ==,
                       "1.2.840.10008.1.2.1");
      g_assert_true (g_file_get_contents (lb_cached_instance_get_path (instance), &contents,
                                          &length, NULL));
      g_assert_cmpuint (length, ==, lb_cached_instance_get_size (instance));
    }

  reopen (f);
  g_autoptr (GListModel) again = lb_store_list_studies (f->store, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (again), ==, 1);
}

static void
test_not_an_instance (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr (GError) error = NULL;

  g_assert_false (lb_store_put_instance (f->store, SERVER, text, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.2.3.404", &error);
  g_assert_null (entry);
  g_assert_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND);
}

static guint
count_matches (LbStore *store, LbQidoQuery *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) found = lb_store_list_studies (store, query, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (found);
}

static void
put_one (LbStore *store, const char *study_uid, const char *name, const char *date,
         const char *modality, const char *accession, const char *description)
{
  g_autofree char *sop = g_strdup_printf ("%s.1", study_uid);
  StoreTestInstance spec = {
    .study_uid = study_uid, .sop_uid = sop, .patient_name = name, .study_date = date,
    .modality = modality, .accession = accession, .description = description,
  };
  g_autofree char *series = g_strdup_printf ("%s.9", study_uid);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  spec.series_uid = series;
  bytes = store_test_make_instance (&spec);
  g_assert_true (lb_store_put_instance (store, SERVER, bytes, NULL, &error));
}

static void
test_queries (Fixture *f, gconstpointer data)
{
  put_one (f->store, "1.9.1", "Doe^John", "20240103", "CT", "A1", "Chest [low dose]");
  put_one (f->store, "1.9.2", "DOE^JANE", "20240102", "MR", "A2", "Head");
  put_one (f->store, "1.9.3", "Roe^Rita", "20231231", "CR", "A3", "Hand 100%");

  g_autoptr (GListModel) all = lb_store_list_studies (f->store, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 3);
  /* Newest first. */
  g_autoptr (LbWorklistEntry) first = g_list_model_get_item (all, 0);
  g_assert_cmpstr (lb_worklist_entry_get_study_instance_uid (first), ==, "1.9.1");

  const struct {
    const char *key;
    const char *value;
    guint expected;
  } cases[] = {
    { "PatientName", "doe^*", 2 },       /* names match whatever their case */
    { "PatientName", "D?E^J*", 2 },
    { "PatientName", "Doe^John", 1 },
    { "PatientName", "%", 0 },           /* LIKE's own wildcards are plain characters */
    { "00100010", "roe*", 1 },           /* a tag works like its keyword */
    { "StudyDate", "20240102", 1 },
    { "StudyDate", "20240101-20240131", 2 },
    { "StudyDate", "-20240102", 2 },
    { "StudyDate", "20240103-", 1 },
    { "ModalitiesInStudy", "MR", 1 },
    { "ModalitiesInStudy", "MR\\CR", 2 },
    { "ModalitiesInStudy", "M", 0 },     /* whole modalities only */
    { "AccessionNumber", "A2", 1 },
    { "AccessionNumber", "a2", 0 },      /* other strings match case and all */
    { "StudyDescription", "Chest [low*", 1 },
    { "StudyDescription", "Hand 100%", 1 },
    { "StudyInstanceUID", "1.9.1,1.9.3", 2 },
    { "StudyInstanceUID", "1.9", 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (LbQidoQuery) query = lb_qido_query_new ();

      lb_qido_query_set (query, cases[i].key, cases[i].value);
      g_test_message ("%s=%s", cases[i].key, cases[i].value);
      g_assert_cmpuint (count_matches (f->store, query), ==, cases[i].expected);
    }

  g_autoptr (LbQidoQuery) paged = lb_qido_query_new ();
  lb_qido_query_set_limit (paged, 2);
  g_assert_cmpuint (count_matches (f->store, paged), ==, 2);
  lb_qido_query_set_offset (paged, 2);
  g_assert_cmpuint (count_matches (f->store, paged), ==, 1);
  lb_qido_query_set_limit (paged, 0);
  lb_qido_query_set_offset (paged, 1);
  g_assert_cmpuint (count_matches (f->store, paged), ==, 2);
}

static void
test_entry_as_study (Fixture *f, gconstpointer data)
{
  put_one (f->store, "1.9.7", "Doe^John", "20240103", "CT", "A7", "Chest");

  g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.9.7", NULL);
  LbStudy *study = lb_worklist_entry_get_study (entry);

  g_assert_true (LB_IS_STUDY (study));
  g_assert_true (study == lb_worklist_entry_get_study (entry));
  g_assert_cmpstr (lb_study_get_study_instance_uid (study), ==, "1.9.7");
  g_assert_cmpstr (lb_study_get_patient_name (study), ==, "Doe^John");
  g_assert_cmpstr (lb_study_get_patient_id (study), ==, "ID-1");
  g_assert_cmpstr (lb_study_get_study_date (study), ==, "20240103");
  g_assert_cmpstr (lb_study_get_study_time (study), ==, "120000");
  g_assert_cmpstr (lb_study_get_accession_number (study), ==, "A7");
  g_assert_cmpstr (lb_study_get_study_description (study), ==, "Chest");
  g_assert_cmpstr (lb_study_get_modalities (study)[0], ==, "CT");
  g_assert_cmpint (lb_study_get_series_count (study), ==, 1);
  g_assert_cmpint (lb_study_get_instance_count (study), ==, 1);

  /* The same values as properties, for binding. */
  g_autoptr (LbStudy) bound = NULL;
  g_autofree char *name = NULL;
  guint state;
  g_object_get (entry, "study", &bound, "reading-state", &state, NULL);
  g_assert_true (bound == study);
  g_object_get (bound, "patient-name", &name, NULL);
  g_assert_cmpstr (name, ==, "Doe^John");
  g_assert_cmpuint (state, ==, LB_READING_STATE_UNREAD);
}

static void
test_reading_state_and_reports (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  store_test_put_study (f->store, SERVER, "1.2.3.6", "A^B", 2, 8);

  g_autoptr (GListModel) opened = lb_store_open_study (f->store, "1.2.3.6", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (opened), ==, 2);
  g_autoptr (LbWorklistEntry) after_open = lb_store_lookup_study (f->store, "1.2.3.6", NULL);
  g_assert_cmpint (lb_worklist_entry_get_reading_state (after_open), ==, LB_READING_STATE_OPENED);
  g_assert_cmpint (lb_worklist_entry_get_last_opened_at (after_open), >, 0);
  lb_store_close_study (f->store, "1.2.3.6");

  /* Autosave: a draft changes in place. */
  g_autoptr (LbReport) first = lb_store_save_report (f->store, "1.2.3.6", LB_REPORT_STATE_DRAFT,
                                                     "dr", "No", &error);
  g_assert_no_error (error);
  g_autoptr (LbReport) second = lb_store_save_report (f->store, "1.2.3.6",
                                                      LB_REPORT_STATE_DRAFT, "dr",
                                                      "No acute findings.", &error);
  g_assert_cmpint (lb_report_get_id (second), ==, lb_report_get_id (first));
  g_assert_cmpuint (lb_report_get_version (second), ==, 1);
  g_assert_cmpstr (lb_report_get_text (second), ==, "No acute findings.");
  g_autoptr (LbWorklistEntry) drafting = lb_store_lookup_study (f->store, "1.2.3.6", NULL);
  g_assert_cmpint (lb_worklist_entry_get_reading_state (drafting), ==,
                   LB_READING_STATE_IN_PROGRESS);
  g_assert_cmpuint (lb_worklist_entry_get_unsent_reports (drafting), ==, 1);

  /* Signing freezes the version; the next change starts another. */
  g_autoptr (LbReport) signed_report =
    lb_store_save_report (f->store, "1.2.3.6", LB_REPORT_STATE_PRELIMINARY, "dr",
                          "No acute findings.", &error);
  g_assert_cmpuint (lb_report_get_version (signed_report), ==, 1);
  g_assert_cmpint (lb_report_get_state (signed_report), ==, LB_REPORT_STATE_PRELIMINARY);
  g_autoptr (LbReport) addendum = lb_store_save_report (f->store, "1.2.3.6",
                                                        LB_REPORT_STATE_FINAL, "dr2",
                                                        "Final: no acute findings.", &error);
  g_assert_cmpuint (lb_report_get_version (addendum), ==, 2);
  g_assert_cmpstr (lb_report_get_author (addendum), ==, "dr2");
  g_assert_cmpint (lb_report_get_sent_at (addendum), ==, 0);

  reopen (f);
  g_autoptr (GListModel) reports = lb_store_list_reports (f->store, "1.2.3.6", &error);
  g_assert_cmpuint (g_list_model_get_n_items (reports), ==, 2);
  g_autoptr (LbReport) v1 = g_list_model_get_item (reports, 0);
  g_assert_cmpint (lb_report_get_state (v1), ==, LB_REPORT_STATE_PRELIMINARY);

  /* Opening again never moves a reported study back. */
  g_autoptr (GListModel) reopened = lb_store_open_study (f->store, "1.2.3.6", &error);
  lb_store_close_study (f->store, "1.2.3.6");
  g_autoptr (LbWorklistEntry) final = lb_store_lookup_study (f->store, "1.2.3.6", NULL);
  g_assert_cmpint (lb_worklist_entry_get_reading_state (final), ==, LB_READING_STATE_FINAL);
  g_assert_cmpuint (lb_worklist_entry_get_unsent_reports (final), ==, 2);

  g_assert_true (lb_store_set_reading_state (f->store, "1.2.3.6", LB_READING_STATE_UNREAD,
                                             &error));
  g_assert_true (lb_store_set_pinned (f->store, "1.2.3.6", TRUE, &error));
  g_autoptr (LbWorklistEntry) reset = lb_store_lookup_study (f->store, "1.2.3.6", NULL);
  g_assert_cmpint (lb_worklist_entry_get_reading_state (reset), ==, LB_READING_STATE_UNREAD);
  g_assert_true (lb_worklist_entry_get_pinned (reset));

  g_autoptr (GListModel) none = lb_store_open_study (f->store, "1.2.3.404", &error);
  g_assert_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND);
  g_assert_null (none);
}

static void
test_outbox_rows (Fixture *f, gconstpointer data)
{
  StoreTestInstance spec = { .study_uid = "1.2.3.7", .sop_uid = "1.2.3.7.100" };
  g_autoptr (GBytes) payload = store_test_make_instance (&spec);
  g_autoptr (GError) error = NULL;

  g_autoptr (LbOutboxItem) item =
    lb_store_queue_payload (f->store, SERVER, NULL, 0, payload, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lb_outbox_item_get_sop_instance_uid (item), ==, "1.2.3.7.100");
  g_assert_cmpstr (lb_outbox_item_get_study_instance_uid (item), ==, "1.2.3.7");
  g_assert_cmpstr (lb_outbox_item_get_kind (item), ==, "instance");
  g_assert_cmpint (lb_outbox_item_get_state (item), ==, LB_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (lb_outbox_item_get_attempts (item), ==, 0);
  g_assert_cmpuint (lb_outbox_item_get_size (item), ==, g_bytes_get_size (payload));

  /* Queued again: still one item. */
  g_autoptr (LbOutboxItem) again =
    lb_store_queue_payload (f->store, SERVER, "report", 0, payload, &error);
  g_assert_cmpint (lb_outbox_item_get_id (again), ==, lb_outbox_item_get_id (item));
  g_assert_cmpstr (lb_outbox_item_get_kind (again), ==, "report");

  reopen (f);
  g_autoptr (GListModel) items = lb_store_list_outbox (f->store, FALSE, &error);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  guint due = 0;
  g_assert_true (lb_store_retry_outbox (f->store, &due, &error));
  g_assert_cmpuint (due, ==, 1);

  g_autoptr (GBytes) not_dicom = g_bytes_new_static ("nothing", 7);
  g_autoptr (LbOutboxItem) refused =
    lb_store_queue_payload (f->store, SERVER, NULL, 0, not_dicom, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
}

static void
on_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
count_signal (LbStore *store, guint *count)
{
  (*count)++;
}

static void
test_async_and_signals (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint changes = 0;

  g_signal_connect (f->store, "studies-changed", G_CALLBACK (count_signal), &changes);
  store_test_put_study (f->store, SERVER, "1.2.3.8", "A^B", 3, 8);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Coalesced: at least one, and not one per call necessarily. */
  g_assert_cmpuint (changes, >=, 1);

  {
    g_autoptr (GAsyncResult) result = NULL;
    lb_store_list_studies_async (f->store, NULL, NULL, on_result, &result);
    g_autoptr (GListModel) studies =
      lb_store_list_studies_finish (f->store, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (studies), ==, 1);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    lb_store_open_study_async (f->store, "1.2.3.8", NULL, on_result, &result);
    g_autoptr (GListModel) instances =
      lb_store_open_study_finish (f->store, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (instances), ==, 3);
    lb_store_close_study (f->store, "1.2.3.8");
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    lb_store_save_report_async (f->store, "1.2.3.8", LB_REPORT_STATE_DRAFT, "dr", "text", NULL,
                                on_result, &result);
    g_autoptr (LbReport) report =
      lb_store_save_report_finish (f->store, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (lb_report_get_text (report), ==, "text");
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    lb_store_set_pinned_async (f->store, "1.2.3.8", TRUE, NULL, on_result, &result);
    g_assert_true (lb_store_set_pinned_finish (f->store, wait_for (&result), &error));
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    lb_store_set_reading_state_async (f->store, "1.2.3.8", LB_READING_STATE_FINAL, NULL,
                                      on_result, &result);
    g_assert_true (lb_store_set_reading_state_finish (f->store, wait_for (&result), &error));
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_auto (LbVerifySummary) summary = { 0 };
    lb_store_verify_async (f->store, NULL, on_result, &result);
    g_assert_true (lb_store_verify_finish (f->store, wait_for (&result), &summary, &error));
    g_assert_true (lb_verify_summary_is_consistent (&summary));
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GListStore) studies = g_list_store_new (LB_TYPE_STUDY);
    g_autoptr (LbWorklistEntry) entry = lb_store_lookup_study (f->store, "1.2.3.8", NULL);
    g_list_store_append (studies, lb_worklist_entry_get_study (entry));
    lb_store_annotate_studies_async (f->store, G_LIST_MODEL (studies), NULL, on_result, &result);
    g_autoptr (GListModel) annotated =
      lb_store_annotate_studies_finish (f->store, wait_for (&result), &error);
    g_autoptr (LbWorklistEntry) row = g_list_model_get_item (annotated, 0);
    g_assert_cmpuint (lb_worklist_entry_get_cached_instances (row), ==, 3);
    g_assert_true (lb_worklist_entry_get_pinned (row));
    g_assert_cmpint (lb_worklist_entry_get_reading_state (row), ==, LB_READING_STATE_FINAL);
    g_assert_cmpuint (lb_worklist_entry_get_unsent_reports (row), ==, 1);
  }
  {
    StoreTestInstance spec = { .study_uid = "1.2.3.8", .sop_uid = "1.2.3.8.900" };
    g_autoptr (GBytes) payload = store_test_make_instance (&spec);
    g_autoptr (GAsyncResult) queued = NULL;
    g_autoptr (GAsyncResult) listed = NULL;

    lb_store_queue_payload_async (f->store, "http://archive.invalid/dicom-web", "report", 0,
                                  payload, NULL, on_result, &queued);
    g_autoptr (LbOutboxItem) item =
      lb_store_queue_payload_finish (f->store, wait_for (&queued), &error);
    g_assert_no_error (error);
    lb_store_list_outbox_async (f->store, TRUE, NULL, on_result, &listed);
    g_autoptr (GListModel) items = lb_store_list_outbox_finish (f->store, wait_for (&listed), &error);
    g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autofree char *empty = g_dir_make_tmp ("lb-store-empty-XXXXXX", NULL);
    g_auto (LbImportSummary) summary = { 0 };
    lb_store_import_async (f->store, empty, NULL, on_result, &result);
    g_assert_true (lb_store_import_finish (f->store, wait_for (&result), &summary, &error));
    g_assert_cmpuint (summary.imported + summary.broken + summary.not_dicom, ==, 0);
    g_rmdir (empty);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    LbEvictSummary summary;
    g_assert_true (lb_store_set_pinned (f->store, "1.2.3.8", FALSE, &error));
    lb_store_evict_async (f->store, 0, NULL, on_result, &result);
    g_assert_true (lb_store_evict_finish (f->store, wait_for (&result), &summary, &error));
    /* Its draft report keeps it. */
    g_assert_cmpuint (summary.studies, ==, 0);
    g_assert_cmpuint (summary.kept_unsent, ==, 1);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    lb_store_open_async (f->dir, NULL, on_result, &result);
    g_autoptr (LbStore) second = lb_store_open_finish (wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_true (LB_IS_STORE (second));
  }
}

static void
test_enums (Fixture *f, gconstpointer data)
{
  LbReadingState reading;
  LbReportState report;
  g_autoptr (GError) error = NULL;

  for (int i = LB_READING_STATE_UNREAD; i <= LB_READING_STATE_FINAL; i++)
    {
      g_assert_true (lb_reading_state_from_string (lb_reading_state_to_string (i), &reading));
      g_assert_cmpint (reading, ==, i);
    }
  for (int i = LB_REPORT_STATE_DRAFT; i <= LB_REPORT_STATE_FINAL; i++)
    {
      g_assert_true (lb_report_state_from_string (lb_report_state_to_string (i), &report));
      g_assert_cmpint (report, ==, i);
    }
  g_assert_cmpstr (lb_reading_state_to_string (LB_READING_STATE_IN_PROGRESS), ==, "in-progress");
  g_assert_cmpstr (lb_outbox_state_to_string (LB_OUTBOX_STATE_FAILED), ==, "failed");
  g_assert_false (lb_reading_state_from_string ("read", &reading));
  g_assert_false (lb_report_state_from_string (NULL, &report));
  /* The audit log takes events from the GUI too. */
  g_assert_true (lb_store_add_audit_event (f->store, "1.2.3", "report-printed", NULL, &error));
  g_assert_no_error (error);
}

static void
test_default_dir (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LB_CACHE_DIR"));

  g_setenv ("LB_CACHE_DIR", "/some/where", TRUE);
  g_autofree char *chosen = lb_store_get_default_dir ();
  g_assert_cmpstr (chosen, ==, "/some/where");

  g_unsetenv ("LB_CACHE_DIR");
  g_autofree char *fallback = lb_store_get_default_dir ();
  g_autofree char *expected = g_build_filename (g_get_user_cache_dir (), "lightbox", NULL);
  g_assert_cmpstr (fallback, ==, expected);
  if (saved != NULL)
    g_setenv ("LB_CACHE_DIR", saved, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  lb_dicom_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/private-folder", test_private_folder);
  ADD ("/store/schema-too-new", test_schema_too_new);
  ADD ("/store/schema-upgrade", test_schema_upgrade);
  ADD ("/store/put-and-list", test_put_and_list);
  ADD ("/store/not-an-instance", test_not_an_instance);
  ADD ("/store/queries", test_queries);
  ADD ("/store/entry-as-study", test_entry_as_study);
  ADD ("/store/reading-state-and-reports", test_reading_state_and_reports);
  ADD ("/store/outbox-rows", test_outbox_rows);
  ADD ("/store/async-and-signals", test_async_and_signals);
  ADD ("/store/enums-and-audit", test_enums);
#undef ADD
  g_test_add_func ("/store/default-dir", test_default_dir);
  return g_test_run ();
}
