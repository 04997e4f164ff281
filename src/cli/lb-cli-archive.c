/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lightbox-cli worklist, fetch and push: a DICOMweb archive from the command line, on the
 * same client the workstation uses.
 *
 * worklist --json prints an array of objects with these members, null when the archive
 * did not say (with --offline, the cache's studies, counted as cached): study_instance_uid, patient_name, patient_id, study_date (YYYYMMDD),
 * study_time (HHMMSS[.F]), accession_number, modalities (array of strings),
 * study_description, priority (STAT, HIGH, MEDIUM, ROUTINE, LOW as the archive wrote it),
 * series_count, instance_count (integers).  Studies come newest first.
 */
#define G_LOG_DOMAIN "lb-cli"
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-dicom-file.h"
#include "lb-dicomweb-client.h"
#include "lb-net-error.h"
#include "lb-series.h"
#include "lb-stow-result.h"
#include "lb-study.h"
#include "lb-worklist-entry.h"

/* ---- worklist -------------------------------------------------------------------- */

static gboolean
is_date (const char *s)
{
  guint64 value;

  if (strlen (s) != 8 || !g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT64, &value, NULL))
    return FALSE;
  return g_date_valid_dmy ((GDateDay) (value % 100), (GDateMonth) (value / 100 % 100),
                           (GDateYear) (value / 10000));
}

/* "FROM-TO", "FROM-", "-TO" or "DATE", each YYYYMMDD. */
static gboolean
parse_date_range (const char *text, char **from, char **to)
{
  const char *dash = strchr (text, '-');

  if (dash == NULL)
    {
      *from = g_strdup (text);
      *to = g_strdup (text);
    }
  else
    {
      *from = dash > text ? g_strndup (text, dash - text) : NULL;
      *to = dash[1] != '\0' ? g_strdup (dash + 1) : NULL;
    }
  return (*from != NULL || *to != NULL) && (*from == NULL || is_date (*from)) &&
         (*to == NULL || is_date (*to));
}

static int
compare_studies (gconstpointer a, gconstpointer b, gpointer user_data)
{
  LbStudy *x = *(LbStudy **) a;
  LbStudy *y = *(LbStudy **) b;
  int order = g_strcmp0 (lb_study_get_study_date (y), lb_study_get_study_date (x));

  if (order == 0)
    order = g_strcmp0 (lb_study_get_study_time (y), lb_study_get_study_time (x));
  if (order == 0)
    order = g_strcmp0 (lb_study_get_study_instance_uid (x), lb_study_get_study_instance_uid (y));
  return order;
}

static void
print_json (GPtrArray *studies)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < studies->len; i++)
    {
      LbStudy *study = g_ptr_array_index (studies, i);

      json_builder_begin_object (b);
      lb_cli_json_add_study (b, study);
      lb_cli_json_add_count (b, "instance_count", lb_study_get_instance_count (study));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  g_autofree char *text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* "DOE^JOHN^A" reads "DOE, JOHN A" in a table. */
static char *
format_person_name (const char *name)
{
  if (name == NULL)
    return g_strdup ("");

  g_auto (GStrv) parts = g_strsplit (name, "^", 5);
  g_autoptr (GString) out = g_string_new (parts[0]);
  const char *separator = ", ";

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, parts[i]);
      separator = " ";
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
starts_with_digits (const char *s, gsize count)
{
  return s != NULL && strlen (s) >= count && strspn (s, "0123456789") >= count;
}

/* Other forms (old ACR-NEMA "1997.04.24") are shown as they are. */
static char *
format_date (const char *date)
{
  if (!starts_with_digits (date, 8) || strlen (date) != 8)
    return g_strdup (date != NULL ? date : "");
  return g_strdup_printf ("%.4s-%.2s-%.2s", date, date + 4, date + 6);
}

static char *
format_time (const char *time)
{
  if (!starts_with_digits (time, 4))
    return g_strdup (time != NULL ? time : "");
  return g_strdup_printf ("%.2s:%.2s", time, time + 2);
}

static char *
dup_or_empty (const char *s)
{
  return g_strdup (s != NULL ? s : "");
}

static char *
format_count (int count)
{
  return count >= 0 ? g_strdup_printf ("%d", count) : g_strdup ("");
}

enum {
  COLUMN_DATE,
  COLUMN_TIME,
  COLUMN_PATIENT,
  COLUMN_PATIENT_ID,
  COLUMN_ACCESSION,
  COLUMN_MODALITIES,
  COLUMN_SERIES,
  COLUMN_INSTANCES,
  COLUMN_DESCRIPTION,
  COLUMN_UID,
  N_COLUMNS
};

static void
print_table (GPtrArray *studies)
{
  static const char *const titles[N_COLUMNS] = {
    "DATE", "TIME", "PATIENT", "PATIENT ID", "ACCESSION", "MODALITY", "SERIES", "IMAGES",
    "DESCRIPTION", "STUDY UID",
  };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  glong widths[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    widths[c] = g_utf8_strlen (titles[c], -1);
  g_ptr_array_add (rows, g_strdupv ((char **) titles));
  for (guint i = 0; i < studies->len; i++)
    {
      LbStudy *study = g_ptr_array_index (studies, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COLUMN_DATE] = format_date (lb_study_get_study_date (study));
      row[COLUMN_TIME] = format_time (lb_study_get_study_time (study));
      row[COLUMN_PATIENT] = format_person_name (lb_study_get_patient_name (study));
      row[COLUMN_PATIENT_ID] = dup_or_empty (lb_study_get_patient_id (study));
      row[COLUMN_ACCESSION] = dup_or_empty (lb_study_get_accession_number (study));
      row[COLUMN_MODALITIES] = g_strjoinv (",", (char **) lb_study_get_modalities (study));
      row[COLUMN_SERIES] = format_count (lb_study_get_series_count (study));
      row[COLUMN_INSTANCES] = format_count (lb_study_get_instance_count (study));
      row[COLUMN_DESCRIPTION] = dup_or_empty (lb_study_get_study_description (study));
      row[COLUMN_UID] = g_strdup (lb_study_get_study_instance_uid (study));
      /* Archive text is untrusted: no control characters reach the terminal. */
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          g_strdelimit (row[c], "\t\r\n\x1b", ' ');
          if (!g_utf8_validate (row[c], -1, NULL))
            {
              g_autofree char *valid = g_utf8_make_valid (row[c], -1);
              g_free (row[c]);
              row[c] = g_steal_pointer (&valid);
            }
          widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
        }
      g_ptr_array_add (rows, row);
    }

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      g_autoptr (GString) line = g_string_new (NULL);

      for (guint c = 0; c < N_COLUMNS; c++)
        {
          gboolean numeric = c == COLUMN_SERIES || c == COLUMN_INSTANCES;
          glong pad = widths[c] - g_utf8_strlen (row[c], -1);

          if (c > 0)
            g_string_append (line, "  ");
          if (numeric)
            g_string_append_printf (line, "%*s", (int) pad, "");
          g_string_append (line, row[c]);
          if (!numeric && c + 1 < N_COLUMNS)
            g_string_append_printf (line, "%*s", (int) pad, "");
        }
      printf ("%s\n", line->str);
    }
}

int
lb_cli_worklist (int argc, char **argv)
{
  g_auto (LbCliServer) server = LB_CLI_SERVER_INIT;
  g_autofree char *patient = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *date = NULL;
  g_autofree char *modality = NULL;
  g_autofree char *accession = NULL;
  g_autofree char *description = NULL;
  int limit = 0;
  int offset = 0;
  gboolean fuzzy = FALSE;
  gboolean json = FALSE;
  gboolean offline = FALSE;
  g_autofree char *cache_dir = NULL;
  GOptionEntry entries[] = {
    LB_CLI_SERVER_ENTRIES (server, "DICOMweb root of the archive"),
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient,
      "Patient name; * and ? are wildcards (DOE^J*)", "NAME" },
    { "patient-id", 0, 0, G_OPTION_ARG_STRING, &patient_id, "Patient ID", "ID" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      "Study date or range: YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD", "RANGE" },
    { "modality", 0, 0, G_OPTION_ARG_STRING, &modality, "A modality in the study (CT)", "M" },
    { "accession", 0, 0, G_OPTION_ARG_STRING, &accession, "Accession number", "A" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "Study description", "TEXT" },
    { "fuzzy", 0, 0, G_OPTION_ARG_NONE, &fuzzy, "Ask for fuzzy name matching", NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most N studies", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, "Skip the first N studies", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      "List the cached studies without asking the archive", NULL },
    LB_CLI_CACHE_DIR_ENTRY (cache_dir),
    { NULL },
  };

  if (!lb_cli_parse ("worklist", "", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 1)
    return lb_cli_usage ("worklist", "unexpected argument '%s'.", argv[1]);
  if (limit < 0 || offset < 0)
    return lb_cli_usage ("worklist", "--limit and --offset cannot be negative.");

  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();
  if (date != NULL)
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      if (!parse_date_range (date, &from, &to))
        return lb_cli_usage ("worklist", "--date wants YYYYMMDD, YYYYMMDD-YYYYMMDD, "
                                         "YYYYMMDD- or -YYYYMMDD.");
      lb_qido_query_set_date_range (query, "StudyDate", from, to);
    }

  if (!offline && cache_dir != NULL)
    return lb_cli_usage ("worklist", "--cache-dir goes with --offline.");

  lb_qido_query_set (query, "PatientName", patient);
  lb_qido_query_set (query, "PatientID", patient_id);
  lb_qido_query_set (query, "ModalitiesInStudy", modality);
  lb_qido_query_set (query, "AccessionNumber", accession);
  lb_qido_query_set (query, "StudyDescription", description);
  lb_qido_query_set_fuzzy (query, fuzzy);
  lb_qido_query_set_limit (query, (guint) limit);
  lb_qido_query_set_offset (query, (guint) offset);
  lb_study_add_include_fields (query);

  g_autoptr (GPtrArray) studies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  if (offline)
    {
      g_autoptr (LbStore) store = NULL;
      int status = lb_cli_open_store (cache_dir, &store);
      if (status != LB_CLI_EXIT_OK)
        return status;
      g_autoptr (GListModel) entries_model = lb_store_list_studies (store, query, &error);
      if (entries_model == NULL)
        return lb_cli_fail_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (entries_model); i++)
        {
          g_autoptr (LbWorklistEntry) entry = g_list_model_get_item (entries_model, i);
          g_ptr_array_add (studies, g_object_ref (lb_worklist_entry_get_study (entry)));
        }
    }
  else
    {
      g_autoptr (LbDicomwebClient) client = NULL;
      int status = lb_cli_make_client ("worklist", &server, NULL, &client);
      if (status != LB_CLI_EXIT_OK)
        return status;
      g_autoptr (GAsyncResult) result = NULL;
      lb_dicomweb_client_search_studies_async (client, query, NULL, lb_cli_done, &result);
      g_autoptr (GListModel) model =
        lb_dicomweb_client_search_studies_finish (client, lb_cli_wait (&result), &error);
      if (model == NULL)
        return lb_cli_fail_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (studies, g_list_model_get_item (model, i));
    }
  g_ptr_array_sort_with_data (studies, (GCompareDataFunc) compare_studies, NULL);

  if (json)
    print_json (studies);
  else if (studies->len == 0)
    printf ("No study matches.\n");
  else
    print_table (studies);
  return LB_CLI_EXIT_OK;
}

/* ---- fetch ----------------------------------------------------------------------- */

/* Parsing an instance for its SOP Instance UID costs more than writing it; two writers
 * keep up with a loopback archive. */
#define FETCH_WRITERS 2

/* Parts go from the network thread to writer threads, which parse each instance for its
 * SOP Instance UID and write it: the network thread never waits for the disk. */
typedef struct
{
  const char *out_dir;
  GAsyncQueue *queue;
  GThread *writers[FETCH_WRITERS];
  gint64 start;

  GMutex lock;
  GPtrArray *arrived;
  GPtrArray *problems;
  guint64 bytes;
  gint64 first;
} Fetch;

/* Queued after the last part, once for each writer. */
static char end_of_parts;

static gboolean
queue_part (LbMultipartPart *part, gpointer user_data, GError **error)
{
  Fetch *fetch = user_data;

  g_async_queue_push (fetch->queue, g_object_ref (part));
  return TRUE;
}

static gboolean
write_instance (Fetch *fetch, GBytes *body, char **uid_out, GError **error)
{
  g_autoptr (LbDicomFile) file =
    lb_dicom_file_new_for_bytes (body, "An instance sent by the archive", error);
  if (file == NULL)
    return FALSE;

  const char *uid = lb_dicom_file_get_sop_instance_uid (file);
  /* The UID names a file: anything but digits and dots could climb out of the folder. */
  if (!lb_dicomweb_is_valid_uid (uid))
    {
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                           "The archive sent an instance without a valid SOP Instance UID.");
      return FALSE;
    }

  g_autofree char *name = g_strconcat (uid, ".dcm", NULL);
  g_autofree char *path = g_build_filename (fetch->out_dir, name, NULL);
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  if (!g_file_set_contents_full (path, data != NULL ? data : "", (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  *uid_out = g_strdup (uid);
  return TRUE;
}

static gpointer
write_parts (gpointer user_data)
{
  Fetch *fetch = user_data;
  gpointer item;

  while ((item = g_async_queue_pop (fetch->queue)) != &end_of_parts)
    {
      g_autoptr (LbMultipartPart) part = item;
      GBytes *body = lb_multipart_part_get_body (part);
      g_autoptr (GError) error = NULL;
      g_autofree char *uid = NULL;
      gboolean ok = write_instance (fetch, body, &uid, &error);

      g_mutex_lock (&fetch->lock);
      if (ok)
        {
          if (fetch->arrived->len == 0)
            fetch->first = g_get_monotonic_time ();
          g_ptr_array_add (fetch->arrived, g_steal_pointer (&uid));
          fetch->bytes += g_bytes_get_size (body);
        }
      else
        g_ptr_array_add (fetch->problems, g_strdup (error->message));
      g_mutex_unlock (&fetch->lock);
    }
  return NULL;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
print_arrived (Fetch *fetch, guint expected)
{
  g_ptr_array_sort (fetch->arrived, compare_strings);
  if (expected > 0)
    printf ("%u of %u instances arrived:\n", fetch->arrived->len, expected);
  else
    printf ("%u instances arrived:\n", fetch->arrived->len);
  for (guint i = 0; i < fetch->arrived->len; i++)
    printf ("  %s\n", (const char *) g_ptr_array_index (fetch->arrived, i));
}

int
lb_cli_fetch (int argc, char **argv)
{
  g_auto (LbCliServer) server = LB_CLI_SERVER_INIT;
  g_autofree char *series_uid = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *cache_dir = NULL;
  GOptionEntry entries[] = {
    LB_CLI_SERVER_ENTRIES (server, "DICOMweb root of the archive"),
    { "series", 0, 0, G_OPTION_ARG_STRING, &series_uid, "Only this series", "UID" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Write SOP_INSTANCE_UID.dcm files here instead of into the cache", "DIR" },
    LB_CLI_CACHE_DIR_ENTRY (cache_dir),
    { NULL },
  };

  if (!lb_cli_parse ("fetch", "STUDY_UID", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc != 2)
    return lb_cli_usage ("fetch", "give exactly one study UID.");

  const char *study_uid = argv[1];
  if (!lb_dicomweb_is_valid_uid (study_uid) ||
      (series_uid != NULL && !lb_dicomweb_is_valid_uid (series_uid)))
    return lb_cli_usage ("fetch", "a UID is digits and dots, at most 64 characters.");
  if (out_dir == NULL && series_uid != NULL)
    return lb_cli_usage ("fetch", "the cache holds whole studies: --series needs --out DIR.");
  if (out_dir == NULL)
    return lb_cli_cache_study ("fetch", &server, cache_dir, study_uid, FALSE);
  if (cache_dir != NULL)
    return lb_cli_usage ("fetch", "--out and --cache-dir exclude each other.");

  g_autoptr (LbDicomwebClient) client = NULL;
  int status = lb_cli_make_client ("fetch", &server, NULL, &client);
  if (status != LB_CLI_EXIT_OK)
    return status;
  if (g_mkdir_with_parents (out_dir, 0700) != 0)
    return lb_cli_fail ("Cannot create the folder %s (%s).", out_dir, g_strerror (errno));

  Fetch fetch = {
    .out_dir = out_dir,
    .queue = g_async_queue_new (),
    .arrived = g_ptr_array_new_with_free_func (g_free),
    .problems = g_ptr_array_new_with_free_func (g_free),
    .start = g_get_monotonic_time (),
  };
  g_mutex_init (&fetch.lock);

  /* The series list, asked for alongside the retrieval, says how many instances to
   * expect.  The retrieval itself is one request for the study (or series), the same URL
   * any other DICOMweb client would use. */
  g_autoptr (GAsyncResult) listed = NULL;
  g_autoptr (GAsyncResult) retrieved = NULL;
  g_autoptr (GError) list_error = NULL;
  g_autoptr (GError) failure = NULL;

  for (guint i = 0; i < FETCH_WRITERS; i++)
    fetch.writers[i] = g_thread_new ("lb-cli-writer", write_parts, &fetch);
  lb_dicomweb_client_retrieve_async (client, study_uid, series_uid, NULL, queue_part, &fetch,
                                     NULL, NULL, lb_cli_done, &retrieved);
  lb_dicomweb_client_search_series_async (client, study_uid, NULL, NULL, lb_cli_done, &listed);
  g_autoptr (GListModel) series_list =
    lb_dicomweb_client_search_series_finish (client, lb_cli_wait (&listed), &list_error);
  lb_dicomweb_client_retrieve_finish (client, lb_cli_wait (&retrieved), &failure);
  for (guint i = 0; i < FETCH_WRITERS; i++)
    g_async_queue_push (fetch.queue, &end_of_parts);
  for (guint i = 0; i < FETCH_WRITERS; i++)
    g_thread_join (fetch.writers[i]);

  guint expected = 0;
  for (guint i = 0; series_list != NULL && i < g_list_model_get_n_items (series_list); i++)
    {
      g_autoptr (LbSeries) series = g_list_model_get_item (series_list, i);

      if (series_uid == NULL ||
          g_strcmp0 (lb_series_get_series_instance_uid (series), series_uid) == 0)
        expected += (guint) MAX (lb_series_get_instance_count (series), 0);
    }

  double seconds = (g_get_monotonic_time () - fetch.start) / 1e6;
  int exit_status = LB_CLI_EXIT_OK;

  if (failure != NULL && g_error_matches (failure, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND))
    exit_status = lb_cli_fail (series_uid != NULL ? "The archive has no such series in this study."
                                                  : "The archive has no study with this UID.");
  else if (failure != NULL)
    {
      print_arrived (&fetch, expected);
      exit_status = lb_cli_fail_error (failure);
    }
  else if (fetch.problems->len > 0)
    {
      print_arrived (&fetch, expected);
      exit_status = lb_cli_fail ("%u of the instances sent could not be written: %s",
                                 fetch.problems->len,
                                 (const char *) g_ptr_array_index (fetch.problems, 0));
    }
  else if (expected > 0 && fetch.arrived->len < expected)
    {
      print_arrived (&fetch, expected);
      exit_status = lb_cli_fail ("The archive listed %u instances but sent %u; fetch again.",
                                 expected, fetch.arrived->len);
    }
  else
    printf ("%u instances, %" G_GUINT64_FORMAT " bytes, %.3f s, %.1f MB/s, "
            "first instance after %.1f ms\n",
            fetch.arrived->len, fetch.bytes, seconds, fetch.bytes / 1e6 / MAX (seconds, 1e-6),
            fetch.arrived->len > 0 ? (fetch.first - fetch.start) / 1e3 : 0.0);

  g_async_queue_unref (fetch.queue);
  g_ptr_array_unref (fetch.arrived);
  g_ptr_array_unref (fetch.problems);
  g_mutex_clear (&fetch.lock);
  return exit_status;
}

/* ---- push ------------------------------------------------------------------------ */

/* Requests stay under this many bytes of instances, so memory stays bounded. */
#define PUSH_BATCH_BYTES (64 * 1024 * 1024)

typedef struct
{
  char *path;
  char *uid;
  GBytes *bytes;
} PushFile;

static void
push_file_free (PushFile *file)
{
  g_free (file->path);
  g_free (file->uid);
  g_clear_pointer (&file->bytes, g_bytes_unref);
  g_free (file);
}

static void
collect_paths (const char *path, GPtrArray *paths)
{
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (paths, g_strdup (path));
      return;
    }

  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    collect_paths (g_ptr_array_index (names, i), paths);
}

/* Sends @batch and prints a line per file; returns how many were stored. */
static guint
push_batch (LbDicomwebClient *client, const char *study_uid, GPtrArray *batch, GError **error)
{
  g_autoptr (GPtrArray) instances = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;
  guint stored = 0;

  for (guint i = 0; i < batch->len; i++)
    g_ptr_array_add (instances, ((PushFile *) g_ptr_array_index (batch, i))->bytes);
  lb_dicomweb_client_store_async (client, study_uid, instances, NULL, lb_cli_done, &result);
  g_autoptr (GListModel) results =
    lb_dicomweb_client_store_finish (client, lb_cli_wait (&result), error);
  if (results == NULL)
    return 0;

  for (guint i = 0; i < batch->len; i++)
    {
      PushFile *file = g_ptr_array_index (batch, i);
      g_autoptr (LbStowResult) found = NULL;

      for (guint r = 0; r < g_list_model_get_n_items (results) && found == NULL; r++)
        {
          g_autoptr (LbStowResult) candidate = g_list_model_get_item (results, r);
          if (g_strcmp0 (lb_stow_result_get_sop_instance_uid (candidate), file->uid) == 0)
            found = g_steal_pointer (&candidate);
        }
      if (found == NULL)
        printf ("failed  %s  %s: the archive did not confirm storing it\n", file->uid,
                file->path);
      else if (!lb_stow_result_get_stored (found))
        printf ("failed  %s  %s: %s (0x%04X)\n", file->uid, file->path,
                lb_stow_reason_describe (lb_stow_result_get_failure_reason (found)),
                lb_stow_result_get_failure_reason (found));
      else
        {
          stored++;
          if (lb_stow_result_get_warning_reason (found) != 0)
            printf ("stored  %s  %s (warning: %s)\n", file->uid, file->path,
                    lb_stow_reason_describe (lb_stow_result_get_warning_reason (found)));
          else
            printf ("stored  %s  %s\n", file->uid, file->path);
        }
    }
  return stored;
}

int
lb_cli_push (int argc, char **argv)
{
  g_auto (LbCliServer) server = LB_CLI_SERVER_INIT;
  g_autofree char *study_uid = NULL;
  GOptionEntry entries[] = {
    LB_CLI_SERVER_ENTRIES (server, "DICOMweb root of the archive"),
    { "study", 0, 0, G_OPTION_ARG_STRING, &study_uid,
      "Store into this study only (the archive refuses other instances)", "UID" },
    { NULL },
  };

  if (!lb_cli_parse ("push", "FILE...", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc < 2)
    return lb_cli_usage ("push", "no file given.");
  if (study_uid != NULL && !lb_dicomweb_is_valid_uid (study_uid))
    return lb_cli_usage ("push", "a UID is digits and dots, at most 64 characters.");

  g_autoptr (LbDicomwebClient) client = NULL;
  int status = lb_cli_make_client ("push", &server, NULL, &client);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  for (int i = 1; i < argc; i++)
    collect_paths (argv[i], paths);

  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) push_file_free);
  guint64 batch_bytes = 0;
  guint total = 0;
  guint stored = 0;
  g_autoptr (GError) failure = NULL;

  for (guint i = 0; i <= paths->len && failure == NULL; i++)
    {
      if (i < paths->len)
        {
          const char *path = g_ptr_array_index (paths, i);
          g_autoptr (GError) error = NULL;
          g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
          g_autoptr (GBytes) bytes = mapped != NULL ? g_mapped_file_get_bytes (mapped) : NULL;
          g_autofree char *name = g_path_get_basename (path);
          g_autoptr (LbDicomFile) file =
            bytes != NULL ? lb_dicom_file_new_for_bytes (bytes, name, &error) : NULL;

          total++;
          if (file == NULL || !lb_dicomweb_is_valid_uid (lb_dicom_file_get_sop_instance_uid (file)))
            {
              printf ("failed  -  %s: %s\n", path,
                      error != NULL ? error->message : "it has no valid SOP Instance UID");
              continue;
            }

          PushFile *push = g_new0 (PushFile, 1);
          push->path = g_strdup (path);
          push->uid = g_strdup (lb_dicom_file_get_sop_instance_uid (file));
          push->bytes = g_steal_pointer (&bytes);
          batch_bytes += g_bytes_get_size (push->bytes);
          g_ptr_array_add (batch, push);
        }
      if (batch->len > 0 && (i == paths->len || batch_bytes >= PUSH_BATCH_BYTES))
        {
          stored += push_batch (client, study_uid, batch, &failure);
          g_ptr_array_set_size (batch, 0);
          batch_bytes = 0;
        }
    }

  if (failure != NULL)
    return lb_cli_fail_error (failure);
  if (stored < total)
    return lb_cli_fail ("%u of %u instances were not stored.", total - stored, total);
  printf ("Stored %u %s.\n", stored, stored == 1 ? "instance" : "instances");
  return LB_CLI_EXIT_OK;
}
