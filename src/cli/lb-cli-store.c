/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lightbox-cli cache, outbox and import: the local store from the command line, on the
 * same core the workstation uses.  Every command takes --cache-dir DIR; without it the
 * cache is $LB_CACHE_DIR, else $XDG_CACHE_HOME/lightbox.
 *
 * cache ls --json prints an array of objects with the online worklist's members
 * (study_instance_uid, patient_name, patient_id, study_date, study_time,
 * accession_number, modalities, study_description, series_count, instance_count; the
 * counts are those of the cache) and the cache's: bytes, complete, expected_instances
 * (null when unknown), reading_state ("unread", "opened", "in-progress", "preliminary",
 * "final"), pinned, local (imported), unsent_reports, last_opened_at (ISO 8601 or null).
 * Studies come newest first.
 *
 * outbox ls --json prints an array of objects: id, sop_instance_uid,
 * study_instance_uid, destination, kind, state ("pending", "sending", "sent", "failed"),
 * attempts, last_error, bytes, created_at, next_try_at, sent_at (ISO 8601 or null).
 */
#define G_LOG_DOMAIN "lb-cli"
#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lb-cli.h"
#include "lb-dicom-file.h"
#include "lb-net-error.h"
#include "lb-store.h"

/* ---- shared ---------------------------------------------------------------------- */

/* "20 GiB", "500M", "1048576": bytes.  Suffixes are powers of 1024. */
static gboolean
parse_size (const char *text, guint64 *bytes)
{
  static const struct { const char *suffix; guint shift; } units[] = {
    { "", 0 }, { "K", 10 }, { "KIB", 10 }, { "KB", 10 }, { "M", 20 }, { "MIB", 20 },
    { "MB", 20 }, { "G", 30 }, { "GIB", 30 }, { "GB", 30 }, { "T", 40 }, { "TIB", 40 },
    { "TB", 40 },
  };
  char *end = NULL;
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0)
    return FALSE;
  while (*end == ' ')
    end++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (end, units[i].suffix) == 0)
      {
        if (value > (G_MAXUINT64 >> units[i].shift))
          return FALSE;
        *bytes = value << units[i].shift;
        return TRUE;
      }
  return FALSE;
}

static void
add_int (JsonBuilder *b, const char *key, gint64 value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *key, gboolean value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_boolean_value (b, value);
}

/* Microseconds since 1970 as ISO 8601 in UTC; null for 0. */
static void
add_time (JsonBuilder *b, const char *key, gint64 usec)
{
  g_autoptr (GDateTime) time = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC)
                                        : NULL;
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  lb_cli_json_add_string (b, key, text);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* Text from files and archives is untrusted: no control characters reach the terminal. */
static char *
printable (const char *text)
{
  char *out = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (char *p = out; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return out;
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/* ---- cache ls / show ------------------------------------------------------------- */

static void
print_studies_json (GListModel *entries)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr (LbWorklistEntry) e = g_list_model_get_item (entries, i);

      json_builder_begin_object (b);
      lb_cli_json_add_study (b, lb_worklist_entry_get_study (e));
      add_int (b, "instance_count", lb_worklist_entry_get_cached_instances (e));
      add_int (b, "bytes", (gint64) lb_worklist_entry_get_bytes (e));
      add_bool (b, "complete", lb_worklist_entry_get_complete (e));
      lb_cli_json_add_count (b, "expected_instances", lb_worklist_entry_get_expected_instances (e));
      lb_cli_json_add_string (b, "reading_state",
                  lb_reading_state_to_string (lb_worklist_entry_get_reading_state (e)));
      add_bool (b, "pinned", lb_worklist_entry_get_pinned (e));
      add_bool (b, "local", lb_worklist_entry_get_local (e));
      add_int (b, "unsent_reports", lb_worklist_entry_get_unsent_reports (e));
      add_time (b, "last_opened_at", lb_worklist_entry_get_last_opened_at (e));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  print_json (b);
}

static void
print_studies_table (GListModel *entries)
{
  printf ("%-10s  %-24s  %-12s  %-8s  %7s  %10s  %-11s  %-16s  %s\n", "DATE", "PATIENT",
          "PATIENT ID", "MODALITY", "IMAGES", "SIZE", "STATE", "FLAGS", "STUDY UID");
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr (LbWorklistEntry) e = g_list_model_get_item (entries, i);
      g_autofree char *name = printable (lb_study_get_patient_name (lb_worklist_entry_get_study (e)));
      g_autofree char *id = printable (lb_study_get_patient_id (lb_worklist_entry_get_study (e)));
      g_autofree char *date = printable (lb_study_get_study_date (lb_worklist_entry_get_study (e)));
      g_autofree char *modalities =
        g_strjoinv (",", (char **) lb_study_get_modalities (lb_worklist_entry_get_study (e)));
      g_autofree char *size = format_size (lb_worklist_entry_get_bytes (e));
      g_autofree char *images = NULL;
      g_autoptr (GString) flags = g_string_new (NULL);

      if (lb_worklist_entry_get_expected_instances (e) >= 0 && !lb_worklist_entry_get_local (e))
        images = g_strdup_printf ("%u/%d", lb_worklist_entry_get_cached_instances (e),
                                  lb_worklist_entry_get_expected_instances (e));
      else
        images = g_strdup_printf ("%u", lb_worklist_entry_get_cached_instances (e));
      if (!lb_worklist_entry_get_complete (e))
        g_string_append (flags, "partial ");
      if (lb_worklist_entry_get_pinned (e))
        g_string_append (flags, "pinned ");
      if (lb_worklist_entry_get_local (e))
        g_string_append (flags, "local ");
      if (lb_worklist_entry_get_unsent_reports (e) > 0)
        g_string_append (flags, "unsent ");
      printf ("%-10s  %-24s  %-12s  %-8s  %7s  %10s  %-11s  %-16s  %s\n", date, name, id,
              modalities, images, size,
              lb_reading_state_to_string (lb_worklist_entry_get_reading_state (e)), flags->str,
              lb_worklist_entry_get_study_instance_uid (e));
    }
}

static int
cache_ls (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("cache ls", "", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 1)
    return lb_cli_usage ("cache ls", "unexpected argument '%s'.", argv[1]);

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) studies = lb_store_list_studies (store, NULL, &error);
  if (studies == NULL)
    return lb_cli_fail_error (error);
  if (json)
    print_studies_json (studies);
  else if (g_list_model_get_n_items (studies) == 0)
    printf ("The cache holds no study.\n");
  else
    print_studies_table (studies);
  return LB_CLI_EXIT_OK;
}

static int
cache_show (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("cache show", "STUDY_UID", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc != 2)
    return lb_cli_usage ("cache show", "give exactly one study UID.");

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) instances = lb_store_list_instances (store, argv[1], &error);
  if (instances == NULL)
    return lb_cli_fail_error (error);
  if (g_list_model_get_n_items (instances) == 0)
    return lb_cli_fail ("The study %s is not in the cache.", argv[1]);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (instances); i++)
    {
      g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, i);

      if (!json)
        {
          printf ("%s  %s  %s\n", lb_cached_instance_get_series_instance_uid (instance),
                  lb_cached_instance_get_sop_instance_uid (instance),
                  lb_cached_instance_get_path (instance));
          continue;
        }
      json_builder_begin_object (b);
      lb_cli_json_add_string (b, "series_instance_uid", lb_cached_instance_get_series_instance_uid (instance));
      lb_cli_json_add_string (b, "sop_instance_uid", lb_cached_instance_get_sop_instance_uid (instance));
      lb_cli_json_add_string (b, "sop_class_uid", lb_cached_instance_get_sop_class_uid (instance));
      lb_cli_json_add_string (b, "transfer_syntax_uid", lb_cached_instance_get_transfer_syntax_uid (instance));
      lb_cli_json_add_string (b, "modality", lb_cached_instance_get_modality (instance));
      add_int (b, "series_number", lb_cached_instance_get_series_number (instance));
      add_int (b, "instance_number", lb_cached_instance_get_instance_number (instance));
      lb_cli_json_add_string (b, "path", lb_cached_instance_get_path (instance));
      add_int (b, "bytes", (gint64) lb_cached_instance_get_size (instance));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    print_json (b);
  return LB_CLI_EXIT_OK;
}

/* Opens a study as the viewer does (marked opened, in the audit log) and decodes its first
 * image: what a radiologist can read, whether or not the archive answers. */
static int
cache_open (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { NULL },
  };

  if (!lb_cli_parse ("cache open", "STUDY_UID", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc != 2)
    return lb_cli_usage ("cache open", "give exactly one study UID.");

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) instances = lb_store_open_study (store, argv[1], &error);
  if (instances == NULL)
    return lb_cli_fail_error (error);

  guint n = g_list_model_get_n_items (instances);
  int exit_status = -1;
  for (guint i = 0; i < n && exit_status < 0; i++)
    {
      g_autoptr (LbCachedInstance) instance = g_list_model_get_item (instances, i);
      g_autoptr (LbDicomFile) file =
        lb_dicom_file_new_for_path (lb_cached_instance_get_path (instance), &error);

      if (file == NULL)
        {
          exit_status = lb_cli_fail_error (error);
          break;
        }
      if (!lb_dicom_file_is_image (file))
        continue;

      g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, 0, &error);
      if (pixels == NULL)
        {
          exit_status = lb_cli_fail_error (error);
          break;
        }
      const LbImageInfo *info = lb_dicom_file_get_image_info (file, NULL);
      printf ("Opened %u instances; first image %ux%u from %s\n", n, info->columns, info->rows,
              lb_cached_instance_get_path (instance));
      exit_status = LB_CLI_EXIT_OK;
    }
  lb_store_close_study (store, argv[1]);
  if (exit_status < 0)
    return lb_cli_fail ("The study %s has no image to show.", argv[1]);
  return exit_status;
}

/* ---- cache evict / verify / quota / pin ------------------------------------------ */

static int
cache_evict (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *to = NULL;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      "Evict until the cache holds at most SIZE (default: its quota; 0 evicts all it can)",
      "SIZE" },
    { NULL },
  };
  guint64 target = 0;

  if (!lb_cli_parse ("cache evict", "", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 1)
    return lb_cli_usage ("cache evict", "unexpected argument '%s'.", argv[1]);
  if (to != NULL && !parse_size (to, &target))
    return lb_cli_usage ("cache evict", "--to wants a size such as 500M, 20G or 1048576.");

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;
  if (to == NULL)
    target = lb_store_get_quota (store);

  LbEvictSummary summary;
  g_autoptr (GError) error = NULL;
  if (!lb_store_evict (store, target, &summary, &error))
    return lb_cli_fail_error (error);

  g_autofree char *freed = format_size (summary.freed);
  g_autofree char *remaining = format_size (summary.remaining);
  g_autofree char *wanted = format_size (target);
  printf ("Evicted %u studies, %s; the cache holds %s.\n", summary.studies, freed, remaining);
  if (summary.kept_pinned + summary.kept_in_use + summary.kept_unsent + summary.kept_local > 0)
    printf ("Kept: %u pinned, %u in use, %u with reports not yet sent, %u imported.\n",
            summary.kept_pinned, summary.kept_in_use, summary.kept_unsent, summary.kept_local);
  if (summary.remaining > target)
    printf ("The cache stays above %s: nothing more may be evicted.\n", wanted);
  return LB_CLI_EXIT_OK;
}

static int
cache_verify (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { NULL },
  };

  if (!lb_cli_parse ("cache verify", "", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 1)
    return lb_cli_usage ("cache verify", "unexpected argument '%s'.", argv[1]);

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_auto (LbVerifySummary) summary = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean checked = lb_store_verify (store, &summary, &error);

  for (guint i = 0; summary.findings != NULL && i < summary.findings->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (summary.findings, i));
  if (!checked)
    return lb_cli_fail_error (error);
  if (summary.interrupted_writes > 0)
    printf ("Finished %u writes that a stopped process had left.\n", summary.interrupted_writes);

  guint64 bytes = 0;
  guint studies = 0;
  if (!lb_store_get_usage (store, &bytes, &studies, &error))
    return lb_cli_fail_error (error);
  g_autofree char *size = format_size (bytes);
  if (!lb_verify_summary_is_consistent (&summary))
    {
      printf ("Repaired; the cache now holds %u studies, %s.\n", studies, size);
      return LB_CLI_EXIT_FAILURE;
    }
  printf ("The cache is consistent: %u studies, %s.\n", studies, size);
  return LB_CLI_EXIT_OK;
}

static int
cache_quota (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { NULL },
  };
  guint64 quota = 0;

  if (!lb_cli_parse ("cache quota", "[SIZE]", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 2)
    return lb_cli_usage ("cache quota", "give at most one size.");
  if (argc == 2 && (!parse_size (argv[1], &quota) || quota == 0))
    return lb_cli_usage ("cache quota", "the quota is a size such as 500M or 20G.");

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_autoptr (GError) error = NULL;
  if (argc == 2 && !lb_store_set_quota (store, quota, &error))
    return lb_cli_fail_error (error);
  printf ("%" G_GUINT64_FORMAT "\n", lb_store_get_quota (store));
  return LB_CLI_EXIT_OK;
}

static int
cache_pin (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  gboolean off = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "off", 0, 0, G_OPTION_ARG_NONE, &off, "Unpin: let eviction take it again", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("cache pin", "STUDY_UID...", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc < 2)
    return lb_cli_usage ("cache pin", "give at least one study UID.");

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      if (!lb_store_set_pinned (store, argv[i], !off, &error))
        return lb_cli_fail_error (error);
    }
  return LB_CLI_EXIT_OK;
}

/* ---- cache fetch ----------------------------------------------------------------- */

int
lb_cli_cache_study (const char *command, LbCliServer *archive, const char *dir,
                    const char *study_uid, gboolean json)
{
  g_autoptr (LbDicomwebClient) client = NULL;
  int status = lb_cli_make_client (command, archive, NULL, &client);
  if (status != LB_CLI_EXIT_OK)
    return status;
  g_autoptr (LbStore) store = NULL;
  status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  gint64 start = g_get_monotonic_time ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  LbFetchProgress progress = { 0 };

  lb_store_cache_study_async (store, client, study_uid, NULL, NULL, NULL, NULL, lb_cli_done,
                              &result);
  gboolean ok = lb_store_cache_study_finish (store, lb_cli_wait (&result), &progress, &error);
  double seconds = (g_get_monotonic_time () - start) / 1e6;

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_int (b, "expected", progress.expected);
      add_int (b, "already_cached", progress.already_cached);
      add_int (b, "fetched", progress.fetched);
      add_int (b, "failed", progress.failed);
      add_int (b, "bytes", (gint64) progress.bytes);
      add_int (b, "requests", progress.requests);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    {
      g_autofree char *size = format_size (progress.bytes);
      printf ("%u of %u instances were cached already; fetched %u (%s) in %u requests, "
              "%.2f s, %.1f MB/s.\n", progress.already_cached, progress.expected,
              progress.fetched, size, progress.requests, seconds,
              progress.bytes / 1e6 / MAX (seconds, 1e-6));
    }
  if (!ok)
    {
      if (g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND))
        return lb_cli_fail ("The archive has no study with this UID.");
      return lb_cli_fail_error (error);
    }
  return LB_CLI_EXIT_OK;
}

static int
cache_fetch (int argc, char **argv)
{
  g_auto (LbCliServer) archive = LB_CLI_SERVER_INIT;
  g_autofree char *dir = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_SERVER_ENTRIES (archive, "DICOMweb root of the archive"),
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the counts as a JSON object", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("cache fetch", "STUDY_UID", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc != 2)
    return lb_cli_usage ("cache fetch", "give exactly one study UID.");
  if (!lb_dicomweb_is_valid_uid (argv[1]))
    return lb_cli_usage ("cache fetch", "a UID is digits and dots, at most 64 characters.");
  return lb_cli_cache_study ("cache fetch", &archive, dir, argv[1], json);
}

int
lb_cli_cache (int argc, char **argv)
{
  static const struct {
    const char *name;
    int (*run) (int argc, char **argv);
    const char *summary;
  } subcommands[] = {
    { "ls", cache_ls, "List the cached studies (--json for scripts)" },
    { "show", cache_show, "List a cached study's instances and their files" },
    { "open", cache_open, "Open a cached study as the viewer does and decode its first image" },
    { "fetch", cache_fetch, "Store a study from an archive, fetching only what is missing" },
    { "evict", cache_evict, "Evict least recently used studies down to the quota or --to SIZE" },
    { "verify", cache_verify, "Check the index against the files and repair both ways" },
    { "quota", cache_quota, "Show or set the cache's size limit" },
    { "pin", cache_pin, "Keep studies from eviction (--off to let them go)" },
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (strcmp (argv[1], subcommands[i].name) == 0)
        return subcommands[i].run (argc - 1, argv + 1);
  if (argc < 2 || (strcmp (argv[1], "--help") != 0 && strcmp (argv[1], "-h") != 0))
    return lb_cli_usage ("cache", "give a command: ls, show, open, fetch, evict, verify, quota "
                                  "or pin.");

  printf ("Usage: lightbox-cli cache COMMAND [OPTIONS...]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    printf ("  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
  return LB_CLI_EXIT_OK;
}

/* ---- outbox ---------------------------------------------------------------------- */

static void
print_outbox_json (GListModel *items)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (LbOutboxItem) item = g_list_model_get_item (items, i);

      json_builder_begin_object (b);
      add_int (b, "id", lb_outbox_item_get_id (item));
      lb_cli_json_add_string (b, "sop_instance_uid", lb_outbox_item_get_sop_instance_uid (item));
      lb_cli_json_add_string (b, "study_instance_uid", lb_outbox_item_get_study_instance_uid (item));
      lb_cli_json_add_string (b, "destination", lb_outbox_item_get_destination (item));
      lb_cli_json_add_string (b, "kind", lb_outbox_item_get_kind (item));
      lb_cli_json_add_string (b, "state", lb_outbox_state_to_string (lb_outbox_item_get_state (item)));
      add_int (b, "attempts", lb_outbox_item_get_attempts (item));
      lb_cli_json_add_string (b, "last_error", lb_outbox_item_get_last_error (item));
      add_int (b, "bytes", (gint64) lb_outbox_item_get_size (item));
      add_time (b, "created_at", lb_outbox_item_get_created_at (item));
      add_time (b, "next_try_at", lb_outbox_item_get_next_try_at (item));
      add_time (b, "sent_at", lb_outbox_item_get_sent_at (item));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  print_json (b);
}

static void
print_outbox_table (GListModel *items)
{
  printf ("%5s  %-8s  %8s  %-8s  %-20s  %-40s  %s\n", "ID", "STATE", "ATTEMPTS", "KIND",
          "NEXT TRY", "SOP INSTANCE UID", "LAST ERROR");
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (LbOutboxItem) item = g_list_model_get_item (items, i);
      gint64 next = lb_outbox_item_get_next_try_at (item);
      g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (next / G_USEC_PER_SEC);
      g_autofree char *when = lb_outbox_item_get_state (item) == LB_OUTBOX_STATE_SENT
                                ? g_strdup ("-") : g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
      g_autofree char *last_error = printable (lb_outbox_item_get_last_error (item));

      printf ("%5" G_GINT64_FORMAT "  %-8s  %8u  %-8s  %-20s  %-40s  %s\n",
              lb_outbox_item_get_id (item),
              lb_outbox_state_to_string (lb_outbox_item_get_state (item)),
              lb_outbox_item_get_attempts (item), lb_outbox_item_get_kind (item), when,
              lb_outbox_item_get_sop_instance_uid (item), last_error);
    }
}

static int
outbox_ls (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  gboolean json = FALSE;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Include the items already sent", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("outbox ls", "", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 1)
    return lb_cli_usage ("outbox ls", "unexpected argument '%s'.", argv[1]);

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) items = lb_store_list_outbox (store, all, &error);
  if (items == NULL)
    return lb_cli_fail_error (error);
  if (json)
    print_outbox_json (items);
  else if (g_list_model_get_n_items (items) == 0)
    printf ("The outbox is empty.\n");
  else
    print_outbox_table (items);
  return LB_CLI_EXIT_OK;
}

/* Sends every unsent item now, to each item's own destination; @only limits it to one. */
static int
send_all (LbStore *store, LbCliServer *archive, const char *only)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) items = lb_store_list_outbox (store, FALSE, &error);
  g_autoptr (GHashTable) destinations = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  guint sent = 0;
  guint failed = 0;
  int exit_status = LB_CLI_EXIT_OK;

  if (items == NULL || !lb_store_retry_outbox (store, NULL, &error))
    return lb_cli_fail_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (LbOutboxItem) item = g_list_model_get_item (items, i);
      const char *destination = lb_outbox_item_get_destination (item);

      if ((only == NULL || strcmp (only, destination) == 0) &&
          g_hash_table_add (destinations, (gpointer) destination))
        g_ptr_array_add (order, (gpointer) destination);
    }

  for (guint i = 0; i < order->len; i++)
    {
      g_autoptr (LbDicomwebClient) client = NULL;
      g_autoptr (GAsyncResult) result = NULL;
      g_autoptr (GError) send_error = NULL;
      guint n_sent = 0;
      guint n_failed = 0;
      int status = lb_cli_make_client ("outbox retry", archive, g_ptr_array_index (order, i), &client);

      if (status != LB_CLI_EXIT_OK)
        return status;
      lb_store_send_outbox_async (store, client, FALSE, NULL, lb_cli_done, &result);
      if (!lb_store_send_outbox_finish (store, lb_cli_wait (&result), &n_sent, &n_failed,
                                        &send_error))
        exit_status = lb_cli_fail_error (send_error);
      sent += n_sent;
      failed += n_failed;
    }
  printf ("Sent %u, failed %u.\n", sent, failed);
  return failed > 0 ? LB_CLI_EXIT_FAILURE : exit_status;
}

static int
outbox_retry (int argc, char **argv)
{
  g_auto (LbCliServer) archive = LB_CLI_SERVER_INIT;
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    LB_CLI_SERVER_ENTRIES (archive, "Only the items for this DICOMweb root (default: every item, "
                              "each to its own)"),
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { NULL },
  };

  if (!lb_cli_parse ("outbox retry", "", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc > 1)
    return lb_cli_usage ("outbox retry", "unexpected argument '%s'.", argv[1]);

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;
  return send_all (store, &archive, archive.url);
}

static int
outbox_add (int argc, char **argv)
{
  g_auto (LbCliServer) archive = LB_CLI_SERVER_INIT;
  g_autofree char *dir = NULL;
  gboolean queue_only = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_SERVER_ENTRIES (archive, "DICOMweb root to store the files on"),
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "queue-only", 0, 0, G_OPTION_ARG_NONE, &queue_only,
      "Queue without trying to send now", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("outbox add", "FILE...", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc < 2)
    return lb_cli_usage ("outbox add", "give at least one DICOM file.");

  /* The address is checked before anything is queued for it. */
  g_autoptr (LbDicomwebClient) client = NULL;
  int status = lb_cli_make_client ("outbox add", &archive, archive.url, &client);
  if (status != LB_CLI_EXIT_OK)
    return status;
  g_autoptr (LbStore) store = NULL;
  status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  const char *destination = lb_server_get_base_url (lb_dicomweb_client_get_server (client));
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GMappedFile) mapped = g_mapped_file_new (argv[i], FALSE, &error);
      g_autoptr (GBytes) bytes = mapped != NULL ? g_mapped_file_get_bytes (mapped) : NULL;
      g_autoptr (LbOutboxItem) item =
        bytes != NULL ? lb_store_queue_payload (store, destination, NULL, 0, bytes, &error) : NULL;

      if (item == NULL)
        return lb_cli_fail ("%s: %s", argv[i], error->message);
      printf ("queued  %s  %s\n", lb_outbox_item_get_sop_instance_uid (item), argv[i]);
    }
  if (queue_only)
    return LB_CLI_EXIT_OK;
  return send_all (store, &archive, destination);
}

int
lb_cli_outbox (int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "ls") == 0)
    return outbox_ls (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "retry") == 0)
    return outbox_retry (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "add") == 0)
    return outbox_add (argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      printf ("Usage: lightbox-cli outbox COMMAND [OPTIONS...]\n\nCommands:\n"
              "  ls       List what waits to be sent (--all: and what was sent)\n"
              "  retry    Send every waiting item now\n"
              "  add      Queue DICOM files for an archive (STOW-RS) and send them\n");
      return LB_CLI_EXIT_OK;
    }
  return lb_cli_usage ("outbox", "give a command: ls, retry or add.");
}

/* ---- import ---------------------------------------------------------------------- */

/* On a terminal, a line that counts the files as they are read, at most ten times a
 * second, and once more at the end. */
typedef struct
{
  gint64 last;
} ImportProgress;

static void
print_import_progress (const LbImportSummary *summary)
{
  guint files = summary->imported + summary->already_cached + summary->not_dicom +
                summary->directories + summary->broken + summary->missing;
  g_autofree char *size = format_size (summary->bytes);

  fprintf (lb_cli_messages (), "\rImporting: %u files read, %u instances imported (%s)\033[K",
           files, summary->imported, size);
  fflush (lb_cli_messages ());
}

static void
on_import_progress (const LbImportSummary *summary, gpointer data)
{
  ImportProgress *progress = data;
  gint64 now = g_get_monotonic_time ();

  if (now - progress->last < G_USEC_PER_SEC / 10)
    return;
  progress->last = now;
  print_import_progress (summary);
}

int
lb_cli_import (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    LB_CLI_CACHE_DIR_ENTRY (dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the counts as a JSON object", NULL },
    { NULL },
  };

  if (!lb_cli_parse ("import", "PATH", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc != 2)
    return lb_cli_usage ("import", "give one folder or DICOMDIR.");

  g_autoptr (LbStore) store = NULL;
  int status = lb_cli_open_store (dir, &store);
  if (status != LB_CLI_EXIT_OK)
    return status;

  g_auto (LbImportSummary) summary = { 0 };
  g_autoptr (GError) error = NULL;
  ImportProgress progress = { 0 };
  gboolean terminal = isatty (fileno (lb_cli_messages ()));
  gboolean ok = lb_store_import (store, argv[1], terminal ? on_import_progress : NULL, &progress,
                                 &summary, NULL, &error);
  if (terminal)
    {
      print_import_progress (&summary);
      fputc ('\n', lb_cli_messages ());
    }

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_int (b, "imported", summary.imported);
      add_int (b, "already_cached", summary.already_cached);
      add_int (b, "not_dicom", summary.not_dicom);
      add_int (b, "directories", summary.directories);
      add_int (b, "broken", summary.broken);
      add_int (b, "missing", summary.missing);
      add_int (b, "bytes", (gint64) summary.bytes);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; summary.problems != NULL && i < summary.problems->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (summary.problems, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    {
      g_autofree char *size = format_size (summary.bytes);
      printf ("Imported %u instances (%s); %u were in the cache already.\n", summary.imported,
              size, summary.already_cached);
      printf ("Skipped %u files that are not DICOM and %u DICOMDIR files.\n", summary.not_dicom,
              summary.directories);
      for (guint i = 0; summary.problems != NULL && i < summary.problems->len; i++)
        {
          g_autofree char *line = printable (g_ptr_array_index (summary.problems, i));
          printf ("  %s\n", line);
        }
    }
  if (!ok)
    return lb_cli_fail_error (error);
  if (summary.broken + summary.missing > 0)
    return lb_cli_fail ("%u files could not be imported (%u broken, %u missing).",
                        summary.broken + summary.missing, summary.broken, summary.missing);
  return LB_CLI_EXIT_OK;
}
