/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the store's integration tests need beyond lightbox-cli, on the public API:
 *
 *   store-tool crash-writer CACHE SEED   store instances, save and queue reports, evict,
 *                                        forever; print "report UID VERSION TEXT" once
 *                                        each report is saved (the parent kills it)
 *   store-tool check-reports CACHE FILE  every "report" line of FILE is in the store
 *   store-tool save-report CACHE UID STATE TEXT   STATE: draft, preliminary or final
 *   store-tool save-reports CACHE UID    the same for each "STATE TEXT" line on stdin, with
 *                                        the store kept open, as the workstation does;
 *                                        prints "report ..." or "error: MESSAGE" for each
 *   store-tool make-sr CACHE UID TEXT OUT  a Basic Text SR for a cached study, with the
 *                                        study's patient and study attributes copied
 *   store-tool session CACHE URL         an LbSync session driven by lines on stdin
 *                                        (refresh, retry, open UID, report UID TEXT,
 *                                        prefetch N, worklist UID..., order UID...,
 *                                        prioritize UID,
 *                                        pause, resume, status, quit), reporting events
 *                                        as JSON lines on stdout
 */
#define G_LOG_DOMAIN "store-tool"
#include "config.h"

#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "lb-dicom-file.h"
#include "lb-dicom-writer.h"
#include "lb-store.h"
#include "lb-sync.h"

#define TAG_COMPLETION_FLAG LB_TAG (0x0040, 0xa491)
#define TAG_VERIFICATION_FLAG LB_TAG (0x0040, 0xa493)
#define TAG_VALUE_TYPE LB_TAG (0x0040, 0xa040)
#define TAG_CONCEPT_NAME_CODE_SEQUENCE LB_TAG (0x0040, 0xa043)
#define TAG_CONTINUITY_OF_CONTENT LB_TAG (0x0040, 0xa050)
#define TAG_CONTENT_SEQUENCE LB_TAG (0x0040, 0xa730)
#define TAG_RELATIONSHIP_TYPE LB_TAG (0x0040, 0xa010)
#define TAG_TEXT_VALUE LB_TAG (0x0040, 0xa160)
#define TAG_CODE_VALUE LB_TAG (0x0008, 0x0100)
#define TAG_CODING_SCHEME_DESIGNATOR LB_TAG (0x0008, 0x0102)
#define TAG_CODE_MEANING LB_TAG (0x0008, 0x0104)
#define BASIC_TEXT_SR "1.2.840.10008.5.1.4.1.1.88.11"
#define EXPLICIT_LITTLE_ENDIAN "1.2.840.10008.1.2.1"

static LbStore *
open_store (const char *dir)
{
  g_autoptr (GError) error = NULL;
  LbStore *store = lb_store_open (dir, &error);

  if (store == NULL)
    g_error ("cannot open the store: %s", error->message);
  return store;
}

/* ---- a Basic Text SR for a cached study ---------------------------------------- */

static LbDicomItem *
code_item (const char *value, const char *scheme, const char *meaning)
{
  LbDicomItem *item = lb_dicom_item_new ();

  lb_dicom_item_set (item, TAG_CODE_VALUE, "SH", value);
  lb_dicom_item_set (item, TAG_CODING_SCHEME_DESIGNATOR, "SH", scheme);
  lb_dicom_item_set (item, TAG_CODE_MEANING, "LO", meaning);
  return item;
}

static GBytes *
make_sr (LbStore *store, const char *study_uid, const char *text, GError **error)
{
  g_autoptr (GListModel) instances = lb_store_list_instances (store, study_uid, error);
  if (instances == NULL || g_list_model_get_n_items (instances) == 0)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND, "study %s is not cached",
                   study_uid);
      return NULL;
    }
  g_autoptr (LbCachedInstance) first = g_list_model_get_item (instances, 0);
  g_autoptr (LbDicomFile) source = lb_dicom_file_new_for_path (lb_cached_instance_get_path (first),
                                                               error);
  if (source == NULL)
    return NULL;

  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  /* Copied exactly: a different PatientID would make Orthanc file a second study. */
  static const struct { guint32 tag; const char *vr; } copied[] = {
    { LB_TAG_PATIENT_NAME, "PN" }, { LB_TAG_PATIENT_ID, "LO" },
    { LB_TAG_PATIENT_BIRTH_DATE, "DA" }, { LB_TAG_PATIENT_SEX, "CS" },
    { LB_TAG_STUDY_INSTANCE_UID, "UI" }, { LB_TAG_STUDY_DATE, "DA" },
    { LB_TAG_STUDY_TIME, "TM" }, { LB_TAG_STUDY_ID, "SH" },
    { LB_TAG_ACCESSION_NUMBER, "SH" }, { LB_TAG_REFERRING_PHYSICIAN_NAME, "PN" },
    { LB_TAG_STUDY_DESCRIPTION, "LO" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
    {
      g_autofree char *value = lb_dicom_file_dup_string (source, NULL, copied[i].tag);
      lb_dicom_item_set (root, copied[i].tag, copied[i].vr, value != NULL ? value : "");
    }

  g_autofree char *sop_uid = lb_dicom_generate_uid ();
  g_autofree char *series_uid = lb_dicom_generate_uid ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y%m%d");
  g_autofree char *time = g_date_time_format (now, "%H%M%S");

  lb_dicom_item_set (root, LB_TAG_SOP_CLASS_UID, "UI", BASIC_TEXT_SR);
  lb_dicom_item_set (root, LB_TAG_SOP_INSTANCE_UID, "UI", sop_uid);
  lb_dicom_item_set (root, LB_TAG_SERIES_INSTANCE_UID, "UI", series_uid);
  lb_dicom_item_set (root, LB_TAG_MODALITY, "CS", "SR");
  lb_dicom_item_set (root, LB_TAG_SERIES_NUMBER, "IS", "999");
  lb_dicom_item_set (root, LB_TAG_INSTANCE_NUMBER, "IS", "1");
  lb_dicom_item_set (root, LB_TAG_CONTENT_DATE, "DA", date);
  lb_dicom_item_set (root, LB_TAG_CONTENT_TIME, "TM", time);
  lb_dicom_item_set (root, TAG_VALUE_TYPE, "CS", "CONTAINER");
  lb_dicom_item_set (root, TAG_CONTINUITY_OF_CONTENT, "CS", "SEPARATE");
  lb_dicom_item_set (root, TAG_COMPLETION_FLAG, "CS", "COMPLETE");
  lb_dicom_item_set (root, TAG_VERIFICATION_FLAG, "CS", "UNVERIFIED");

  g_autoptr (LbDicomItem) title = code_item ("18748-4", "LN", "Diagnostic Imaging Report");
  lb_dicom_item_append (root, TAG_CONCEPT_NAME_CODE_SEQUENCE, title);
  g_autoptr (LbDicomItem) finding = lb_dicom_item_new ();
  g_autoptr (LbDicomItem) finding_name = code_item ("121071", "DCM", "Finding");
  lb_dicom_item_set (finding, TAG_RELATIONSHIP_TYPE, "CS", "CONTAINS");
  lb_dicom_item_set (finding, TAG_VALUE_TYPE, "CS", "TEXT");
  lb_dicom_item_append (finding, TAG_CONCEPT_NAME_CODE_SEQUENCE, finding_name);
  lb_dicom_item_set (finding, TAG_TEXT_VALUE, "UT", text);
  lb_dicom_item_append (root, TAG_CONTENT_SEQUENCE, finding);

  return lb_dicom_writer_write_bytes (writer, EXPLICIT_LITTLE_ENDIAN, error);
}

static int
run_make_sr (int argc, char **argv)
{
  g_autoptr (LbStore) store = open_store (argv[2]);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) sr = make_sr (store, argv[3], argv[4], &error);

  if (sr == NULL || !g_file_set_contents (argv[5], g_bytes_get_data (sr, NULL),
                                          (gssize) g_bytes_get_size (sr), &error))
    {
      fprintf (stderr, "store-tool: %s\n", error->message);
      return 1;
    }
  return 0;
}

static int
run_save_report (int argc, char **argv)
{
  LbReportState state;

  if (!lb_report_state_from_string (argv[4], &state))
    {
      fprintf (stderr, "store-tool: %s is not a report state\n", argv[4]);
      return 2;
    }

  g_autoptr (LbStore) store = open_store (argv[2]);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbReport) report = lb_store_save_report (store, argv[3], state, "store-tool",
                                                      argv[5], &error);
  if (report == NULL)
    {
      fprintf (stderr, "store-tool: %s\n", error->message);
      return 1;
    }
  printf ("report %s %u %s\n", argv[3], lb_report_get_version (report), argv[5]);
  return 0;
}

static int
run_save_reports (int argc, char **argv)
{
  g_autoptr (LbStore) store = open_store (argv[2]);
  g_autofree char *line = NULL;
  size_t size = 0;

  setvbuf (stdout, NULL, _IOLBF, 0);
  printf ("ready\n");
  while (getline (&line, &size, stdin) > 0)
    {
      g_auto (GStrv) words = g_strsplit (g_strchomp (line), " ", 2);
      g_autoptr (GError) error = NULL;
      g_autoptr (LbReport) report = NULL;
      LbReportState state;

      if (words[0] == NULL || words[1] == NULL || !lb_report_state_from_string (words[0], &state))
        {
          printf ("error: give STATE TEXT\n");
          continue;
        }
      report = lb_store_save_report (store, argv[3], state, "store-tool", words[1], &error);
      if (report == NULL)
        printf ("error: %s\n", error->message);
      else
        printf ("report %s %u %s\n", argv[3], lb_report_get_version (report), words[1]);
    }
  return 0;
}

/* ---- crashes --------------------------------------------------------------------- */

static GBytes *
make_instance (const char *study_uid, const char *sop_uid, guint number)
{
  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  LbDicomPixelFormat format = { 64, 64, 1, 1, 16, 12, FALSE, "MONOCHROME2" };
  g_autofree guint16 *pixels = g_new0 (guint16, 64 * 64);
  g_autofree char *series_uid = g_strdup_printf ("%s.1", study_uid);

  for (guint i = 0; i < 64 * 64; i++)
    pixels[i] = (guint16) ((i * number) % 4096);
  lb_dicom_item_set (root, LB_TAG_SOP_CLASS_UID, "UI", "1.2.840.10008.5.1.4.1.1.2");
  lb_dicom_item_set (root, LB_TAG_SOP_INSTANCE_UID, "UI", sop_uid);
  lb_dicom_item_set (root, LB_TAG_STUDY_INSTANCE_UID, "UI", study_uid);
  lb_dicom_item_set (root, LB_TAG_SERIES_INSTANCE_UID, "UI", series_uid);
  lb_dicom_item_set (root, LB_TAG_MODALITY, "CS", "CT");
  lb_dicom_item_set (root, LB_TAG_PATIENT_NAME, "PN", "CRASH^TEST");
  lb_dicom_item_set (root, LB_TAG_PATIENT_ID, "LO", "CRASH-1");
  lb_dicom_item_set_printf (root, LB_TAG_INSTANCE_NUMBER, "IS", "%u", number);
  lb_dicom_writer_set_pixels (writer, &format, pixels, 64 * 64 * 2, NULL);
  return lb_dicom_writer_write_bytes (writer, EXPLICIT_LITTLE_ENDIAN, NULL);
}

/* Never returns: the parent ends it with SIGKILL at a moment of its choosing. */
static int
run_crash_writer (int argc, char **argv)
{
  g_autoptr (LbStore) store = open_store (argv[2]);
  guint64 seed = g_ascii_strtoull (argv[3], NULL, 10);
  /* Never freed: the process ends by SIGKILL. */
  GRand *rand = g_rand_new_with_seed ((guint32) seed);
  const char *server = "http://archive.invalid/dicom-web";

  /* Small enough that eviction runs while it writes. */
  lb_store_set_quota (store, 3 * 1024 * 1024, NULL);
  setvbuf (stdout, NULL, _IOLBF, 0);
  for (guint round = 0;; round++)
    {
      g_autofree char *study_uid = g_strdup_printf ("2.25.%" G_GUINT64_FORMAT ".%u", seed, round);
      g_autoptr (GError) error = NULL;

      for (guint i = 1; i <= 8; i++)
        {
          g_autofree char *sop_uid = g_strdup_printf ("%s.%u", study_uid, i);
          g_autoptr (GBytes) bytes = make_instance (study_uid, sop_uid, i);

          if (!lb_store_put_instance (store, server, bytes, NULL, &error))
            g_error ("storing an instance failed: %s", error->message);
        }

      /* Every other study gets a report; the rest are fair game for eviction. */
      if (g_rand_boolean (rand))
        continue;
      /* Reported while open, as in the viewer: another writer's eviction may have taken
       * the study before that, never while. */
      g_autoptr (GListModel) opened = lb_store_open_study (store, study_uid, &error);
      if (opened == NULL && g_error_matches (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND))
        continue;
      if (opened == NULL)
        g_error ("opening a study failed: %s", error->message);

      g_autofree char *draft = g_strdup_printf ("draft %u of run %" G_GUINT64_FORMAT, round, seed);
      g_autoptr (LbReport) report = lb_store_save_report (store, study_uid, LB_REPORT_STATE_DRAFT,
                                                          "crash", draft, &error);
      if (report == NULL)
        g_error ("saving a report failed: %s", error->message);
      printf ("report %s %u %s\n", study_uid, lb_report_get_version (report), draft);

      g_autofree char *final = g_strdup_printf ("final %u of run %" G_GUINT64_FORMAT, round, seed);
      g_autoptr (LbReport) signed_report =
        lb_store_save_report (store, study_uid, LB_REPORT_STATE_FINAL, "crash", final, &error);
      if (signed_report == NULL)
        g_error ("signing a report failed: %s", error->message);
      printf ("report %s %u %s\n", study_uid, lb_report_get_version (signed_report), final);

      g_autoptr (GBytes) sr = make_sr (store, study_uid, final, &error);
      g_autoptr (LbOutboxItem) item =
        sr != NULL ? lb_store_queue_payload (store, server, "report",
                                             lb_report_get_id (signed_report), sr, &error)
                   : NULL;
      if (item == NULL)
        g_error ("queuing a report failed: %s", error->message);
      printf ("queued %s\n", lb_outbox_item_get_sop_instance_uid (item));
      lb_store_close_study (store, study_uid);
    }
  g_assert_not_reached ();
}

static int
run_check_reports (int argc, char **argv)
{
  g_autoptr (LbStore) store = open_store (argv[2]);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  guint checked = 0;
  guint lost = 0;

  if (!g_file_get_contents (argv[3], &contents, NULL, &error))
    g_error ("%s", error->message);

  g_autoptr (GListModel) reports = lb_store_list_reports (store, NULL, &error);
  g_autoptr (GListModel) outbox = lb_store_list_outbox (store, TRUE, &error);
  g_autoptr (GHashTable) saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (reports); i++)
    {
      g_autoptr (LbReport) report = g_list_model_get_item (reports, i);
      g_hash_table_add (saved, g_strdup_printf ("%s %u %s", lb_report_get_study_instance_uid (report),
                                                lb_report_get_version (report),
                                                lb_report_get_text (report)));
    }
  for (guint i = 0; i < g_list_model_get_n_items (outbox); i++)
    {
      g_autoptr (LbOutboxItem) item = g_list_model_get_item (outbox, i);
      g_hash_table_add (queued, g_strdup (lb_outbox_item_get_sop_instance_uid (item)));
    }

  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  /* A draft is saved, then replaced by its signed text in the same version: a draft
   * line counts when either text is there. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "report "))
        {
          const char *key = lines[i] + strlen ("report ");
          g_autofree char *signed_key = NULL;
          char *draft = strstr (key, " draft ");

          if (draft != NULL)
            {
              g_autoptr (GString) text = g_string_new (key);
              g_string_replace (text, " draft ", " final ", 1);
              signed_key = g_string_free (g_steal_pointer (&text), FALSE);
            }
          checked++;
          if (!g_hash_table_contains (saved, key) &&
              (signed_key == NULL || !g_hash_table_contains (saved, signed_key)))
            {
              printf ("lost: %s\n", key);
              lost++;
            }
        }
      else if (g_str_has_prefix (lines[i], "queued "))
        {
          checked++;
          if (!g_hash_table_contains (queued, lines[i] + strlen ("queued ")))
            {
              printf ("lost from the outbox: %s\n", lines[i]);
              lost++;
            }
        }
    }
  printf ("checked %u, lost %u\n", checked, lost);
  return lost == 0 ? 0 : 1;
}

/* ---- a session, online and offline ----------------------------------------------- */

typedef struct
{
  LbStore *store;
  LbSync *sync;
  GDataInputStream *input;
  GMainLoop *loop;
  char *destination;
} Session;

static void
emit (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  fflush (stdout);
}

static JsonBuilder *
event (const char *name)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, name);
  return b;
}

static void
on_state (LbSync *sync, GParamSpec *pspec, Session *session)
{
  g_autoptr (JsonBuilder) b = event ("state");
  g_autoptr (GEnumClass) klass = g_type_class_ref (LB_TYPE_SYNC_STATE);

  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, g_enum_get_value (klass, lb_sync_get_state (sync))->value_nick);
  json_builder_end_object (b);
  emit (b);
}

static void
on_worklist (GListModel *model, guint position, guint removed, guint added, Session *session)
{
  g_autoptr (JsonBuilder) b = event ("worklist");

  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (model, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "study_instance_uid");
      json_builder_add_string_value (b, lb_worklist_entry_get_study_instance_uid (entry));
      json_builder_set_member_name (b, "offline");
      json_builder_add_boolean_value (b, lb_worklist_entry_get_offline (entry));
      json_builder_set_member_name (b, "cached_instances");
      json_builder_add_int_value (b, lb_worklist_entry_get_cached_instances (entry));
      json_builder_set_member_name (b, "unsent_reports");
      json_builder_add_int_value (b, lb_worklist_entry_get_unsent_reports (entry));
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, lb_worklist_entry_get_complete (entry));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  emit (b);
}

static void
on_synced (LbSync *sync, guint sent, Session *session)
{
  g_autoptr (JsonBuilder) b = event ("synced");

  json_builder_set_member_name (b, "sent");
  json_builder_add_int_value (b, sent);
  json_builder_end_object (b);
  emit (b);
}

static void
reply (const char *name, const char *key, const char *value, const GError *error)
{
  g_autoptr (JsonBuilder) b = event (name);

  if (key != NULL)
    {
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, value);
    }
  json_builder_set_member_name (b, "error");
  if (error != NULL)
    json_builder_add_string_value (b, error->message);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  emit (b);
}

/* Opening as the viewer does: the index, then the first image decoded. */
static void
open_study (Session *session, const char *study_uid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) instances = lb_store_open_study (session->store, study_uid, &error);

  for (guint i = 0; instances != NULL && i < g_list_model_get_n_items (instances); i++)
    {
      g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, i);
      g_autoptr (LbDicomFile) file =
        lb_dicom_file_new_for_path (lb_cached_instance_get_path (instance), &error);
      g_autoptr (LbPixels) pixels = NULL;

      if (file == NULL)
        break;
      if (!lb_dicom_file_is_image (file))
        continue;
      pixels = lb_dicom_file_decode_frame (file, 0, &error);
      break;
    }
  if (instances != NULL)
    lb_store_close_study (session->store, study_uid);
  reply ("opened", "study_instance_uid", study_uid, error);
}

static void
report_study (Session *session, const char *study_uid, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbReport) report = lb_store_save_report (session->store, study_uid,
                                                      LB_REPORT_STATE_FINAL, "session", text,
                                                      &error);
  g_autoptr (GBytes) sr = report != NULL ? make_sr (session->store, study_uid, text, &error) : NULL;
  g_autoptr (LbOutboxItem) item =
    sr != NULL ? lb_store_queue_payload (session->store, session->destination, "report",
                                         lb_report_get_id (report), sr, &error)
               : NULL;

  reply ("queued", "sop_instance_uid",
         item != NULL ? lb_outbox_item_get_sop_instance_uid (item) : NULL, error);
  if (item != NULL)
    lb_sync_send_now (session->sync);
}

static void
on_prefetch_started (LbPrefetcher *prefetcher, const char *study_uid, Session *session)
{
  reply ("prefetch-started", "study_instance_uid", study_uid, NULL);
}

static void
on_prefetch_done (LbPrefetcher *prefetcher, const char *study_uid, const GError *error,
                  Session *session)
{
  reply ("prefetch-done", "study_instance_uid", study_uid, error);
}

/* The prefetcher's worklist: these studies of the session's worklist, in this order. */
static void
prefetch_worklist (Session *session, const char *uids)
{
  g_auto (GStrv) wanted = g_strsplit (uids, " ", -1);
  GListModel *worklist = lb_sync_get_worklist (session->sync);
  g_autoptr (GListStore) chosen = g_list_store_new (LB_TYPE_WORKLIST_ENTRY);

  for (guint w = 0; wanted[w] != NULL; w++)
    for (guint i = 0; i < g_list_model_get_n_items (worklist); i++)
      {
        g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (worklist, i);
        if (g_str_equal (lb_worklist_entry_get_study_instance_uid (entry), wanted[w]))
          g_list_store_append (chosen, entry);
      }
  lb_prefetcher_set_worklist (lb_sync_get_prefetcher (session->sync), G_LIST_MODEL (chosen));
}

/* The reader's order of the worklist, as the workstation would say it. */
static void
prefetch_order (Session *session, const char *uids)
{
  g_auto (GStrv) order = g_strsplit (uids, " ", -1);

  lb_prefetcher_set_order (lb_sync_get_prefetcher (session->sync), (const char *const *) order);
}

static void
prefetch_status (Session *session)
{
  LbPrefetcher *prefetcher = lb_sync_get_prefetcher (session->sync);
  g_autoptr (JsonBuilder) b = event ("prefetch-status");

  json_builder_set_member_name (b, "paused");
  json_builder_add_boolean_value (b, lb_prefetcher_get_paused (prefetcher));
  json_builder_set_member_name (b, "current");
  if (lb_prefetcher_get_current (prefetcher) != NULL)
    json_builder_add_string_value (b, lb_prefetcher_get_current (prefetcher));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, lb_prefetcher_get_pending (prefetcher));
  json_builder_end_object (b);
  emit (b);
}

static void read_command (Session *session);

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Session *session = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source),
                                                                result, NULL, NULL);
  g_auto (GStrv) words = line != NULL ? g_strsplit (line, " ", 3) : NULL;
  LbPrefetcher *prefetcher = lb_sync_get_prefetcher (session->sync);

  if (words == NULL || words[0] == NULL || g_str_equal (words[0], "quit"))
    {
      g_main_loop_quit (session->loop);
      return;
    }
  if (g_str_equal (words[0], "refresh"))
    lb_sync_refresh (session->sync);
  else if (g_str_equal (words[0], "retry"))
    lb_sync_retry_now (session->sync);
  else if (g_str_equal (words[0], "open") && words[1] != NULL)
    open_study (session, words[1]);
  else if (g_str_equal (words[0], "report") && words[1] != NULL && words[2] != NULL)
    report_study (session, words[1], words[2]);
  else if (g_str_equal (words[0], "prefetch") && words[1] != NULL)
    lb_prefetcher_set_count (prefetcher, (guint) g_ascii_strtoull (words[1], NULL, 10));
  else if (g_str_equal (words[0], "worklist") && words[1] != NULL)
    prefetch_worklist (session, line + strlen ("worklist "));
  else if (g_str_equal (words[0], "order") && words[1] != NULL)
    prefetch_order (session, line + strlen ("order "));
  else if (g_str_equal (words[0], "prioritize") && words[1] != NULL)
    lb_prefetcher_prioritize (prefetcher, words[1]);
  else if (g_str_equal (words[0], "pause"))
    lb_prefetcher_pause (prefetcher);
  else if (g_str_equal (words[0], "resume"))
    lb_prefetcher_resume (prefetcher);
  else if (g_str_equal (words[0], "status"))
    prefetch_status (session);
  else
    reply ("unknown", "command", line, NULL);
  read_command (session);
}

static void
read_command (Session *session)
{
  g_data_input_stream_read_line_async (session->input, G_PRIORITY_DEFAULT, NULL, on_line,
                                       session);
}

static int
run_session (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbServer) server = lb_server_new (argv[3], &error);
  Session session = { 0 };

  if (server == NULL)
    g_error ("%s", error->message);
  /* Short waits: the test restarts the archive within seconds. */
  lb_server_set_connect_timeout (server, 5);
  lb_server_set_low_speed_timeout (server, 5);
  g_autoptr (LbDicomwebClient) client = lb_dicomweb_client_new (server);
  g_autoptr (LbStore) store = open_store (argv[2]);
  g_autoptr (LbSync) sync = lb_sync_new (store, client);
  g_autoptr (GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);
  g_autoptr (GDataInputStream) input = g_data_input_stream_new (stdin_stream);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  session.store = store;
  session.sync = sync;
  session.input = input;
  session.loop = loop;
  session.destination = g_strdup (lb_server_get_base_url (server));
  lb_sync_set_retry_delays (sync, 300, 1000);
  g_signal_connect (sync, "notify::state", G_CALLBACK (on_state), &session);
  g_signal_connect (sync, "synced", G_CALLBACK (on_synced), &session);
  g_signal_connect (lb_sync_get_worklist (sync), "items-changed", G_CALLBACK (on_worklist),
                    &session);
  g_signal_connect (lb_sync_get_prefetcher (sync), "study-started",
                    G_CALLBACK (on_prefetch_started), &session);
  g_signal_connect (lb_sync_get_prefetcher (sync), "study-done", G_CALLBACK (on_prefetch_done),
                    &session);
  /* Nothing is prefetched until a test asks ("prefetch N"): it would race with what the
   * other tests check. */
  lb_prefetcher_set_count (lb_sync_get_prefetcher (sync), 0);

  read_command (&session);
  g_main_loop_run (loop);
  g_signal_handlers_disconnect_by_data (sync, &session);
  g_signal_handlers_disconnect_by_data (lb_sync_get_worklist (sync), &session);
  g_signal_handlers_disconnect_by_data (lb_sync_get_prefetcher (sync), &session);
  g_free (session.destination);
  return 0;
}

int
main (int argc, char **argv)
{
  static const struct {
    const char *name;
    int args;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "crash-writer", 4, run_crash_writer },
    { "check-reports", 4, run_check_reports },
    { "save-report", 6, run_save_report },
    { "save-reports", 4, run_save_reports },
    { "make-sr", 6, run_make_sr },
    { "session", 4, run_session },
  };

  lb_dicom_init ();
  for (guint i = 0; argc > 1 && i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name) && argc == commands[i].args)
      return commands[i].run (argc, argv);
  fprintf (stderr, "usage: store-tool crash-writer|check-reports|save-report|save-reports|"
                   "make-sr|session ARGS (see the source)\n");
  return 2;
}
