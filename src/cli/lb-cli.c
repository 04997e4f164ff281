/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-cli"
#include "config.h"

#include "lb-cli.h"
#include "lb-memory.h"

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where our own messages go: the real stderr. */
static FILE *messages;

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "info", lb_cli_info, "Describe DICOM files (--json for scripts)" },
  { "render", lb_cli_render, "Render one frame to PNG through the viewer's pipeline" },
  { "worklist", lb_cli_worklist, "List studies on a DICOMweb archive" },
  { "fetch", lb_cli_fetch, "Retrieve a study from a DICOMweb archive" },
  { "push", lb_cli_push, "Store DICOM files on a DICOMweb archive (STOW-RS)" },
  { "cache", lb_cli_cache, "The local cache: ls, show, open, fetch, evict, verify, quota, pin" },
  { "outbox", lb_cli_outbox, "Reports and payloads waiting for an archive: ls, retry, add" },
  { "import", lb_cli_import, "Import a folder or DICOMDIR into the local store" },
};

gboolean
lb_cli_parse (const char *command, const char *parameter_string, GOptionEntry *entries,
              int *argc, char ***argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new (parameter_string);
  g_autofree char *prgname = g_strdup_printf ("lightbox-cli %s", command);

  g_set_prgname (prgname);
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      lb_cli_usage (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
lb_cli_fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (messages, "lightbox-cli: %s\n", message);
  return LB_CLI_EXIT_FAILURE;
}

int
lb_cli_fail_error (const GError *error)
{
  return lb_cli_fail ("%s", error->message);
}

int
lb_cli_usage (const char *command, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (messages, "lightbox-cli %s: %s\nTry 'lightbox-cli %s --help'.\n", command, message,
           command);
  return LB_CLI_EXIT_USAGE;
}

void
lb_cli_server_clear (LbCliServer *server)
{
  g_free (server->url);
  g_free (server->user);
  g_free (server->password_file);
  g_free (server->token_file);
  g_free (server->ca_file);
}

/* A secret file holds the secret and perhaps a final line break. */
static char *
read_secret (const char *path, const char *what, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) local_error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Cannot read the %s file (%s).",
                   what, local_error->message);
      return NULL;
    }
  while (length > 0 && (contents[length - 1] == '\n' || contents[length - 1] == '\r'))
    contents[--length] = '\0';
  if (length == 0 || strlen (contents) != length)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "The %s file %s is empty or not text.",
                   what, path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

int
lb_cli_make_client (const char *command, LbCliServer *o, const char *url,
                    LbDicomwebClient **client)
{
  g_autoptr (GError) error = NULL;

  if (url == NULL)
    url = o->url;
  if (url == NULL)
    return lb_cli_usage (command, "--server URL is required.");
  if ((o->user == NULL) != (o->password_file == NULL))
    return lb_cli_usage (command, "--user and --password-file go together.");
  if (o->token_file != NULL && o->user != NULL)
    return lb_cli_usage (command, "use either --user or --token-file, not both.");
  if (o->timeout != -1 && (o->timeout < 1 || o->timeout > 3600))
    return lb_cli_usage (command, "--timeout must be between 1 and 3600 seconds.");
  if (o->parallel != -1 && (o->parallel < 1 || o->parallel > 64))
    return lb_cli_usage (command, "--parallel must be between 1 and 64.");

  g_autoptr (LbServer) server = lb_server_new (url, &error);
  if (server == NULL)
    return lb_cli_fail_error (error);
  if (o->user != NULL)
    {
      g_autofree char *password = read_secret (o->password_file, "password", &error);
      if (password == NULL)
        return lb_cli_fail_error (error);
      lb_server_set_basic_auth (server, o->user, password);
      explicit_bzero (password, strlen (password));
    }
  if (o->token_file != NULL)
    {
      g_autofree char *token = read_secret (o->token_file, "token", &error);
      if (token == NULL)
        return lb_cli_fail_error (error);
      lb_server_set_bearer_token (server, token);
      explicit_bzero (token, strlen (token));
    }
  lb_server_set_ca_file (server, o->ca_file);
  lb_server_set_insecure (server, o->insecure);
  if (o->timeout > 0)
    {
      lb_server_set_connect_timeout (server, (guint) o->timeout);
      lb_server_set_low_speed_timeout (server, (guint) o->timeout);
    }
  if (o->parallel > 0)
    lb_server_set_max_parallel (server, (guint) o->parallel);
  *client = lb_dicomweb_client_new (server);
  return LB_CLI_EXIT_OK;
}

void
lb_cli_done (GObject *source, GAsyncResult *result, gpointer slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

GAsyncResult *
lb_cli_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

void
lb_cli_json_add_string (JsonBuilder *builder, const char *key, const char *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
lb_cli_json_add_count (JsonBuilder *builder, const char *key, int value)
{
  json_builder_set_member_name (builder, key);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
lb_cli_json_add_study (JsonBuilder *b, LbStudy *study)
{
  const char *const *modalities = lb_study_get_modalities (study);

  lb_cli_json_add_string (b, "study_instance_uid", lb_study_get_study_instance_uid (study));
  lb_cli_json_add_string (b, "patient_name", lb_study_get_patient_name (study));
  lb_cli_json_add_string (b, "patient_id", lb_study_get_patient_id (study));
  lb_cli_json_add_string (b, "study_date", lb_study_get_study_date (study));
  lb_cli_json_add_string (b, "study_time", lb_study_get_study_time (study));
  lb_cli_json_add_string (b, "accession_number", lb_study_get_accession_number (study));
  json_builder_set_member_name (b, "modalities");
  json_builder_begin_array (b);
  for (guint m = 0; modalities[m] != NULL; m++)
    json_builder_add_string_value (b, modalities[m]);
  json_builder_end_array (b);
  lb_cli_json_add_string (b, "study_description", lb_study_get_study_description (study));
  lb_cli_json_add_string (b, "priority", lb_study_get_priority (study));
  lb_cli_json_add_count (b, "series_count", lb_study_get_series_count (study));
}

int
lb_cli_open_store (const char *dir, LbStore **store)
{
  g_autofree char *chosen = dir != NULL ? g_strdup (dir) : lb_store_get_default_dir ();
  g_autoptr (GError) error = NULL;

  *store = lb_store_open (chosen, &error);
  if (*store == NULL)
    return lb_cli_fail_error (error);
  /* A note, not a failure: the command goes on with the rebuilt index. */
  if (lb_store_get_recovered (*store))
    lb_cli_fail ("The cache index was damaged; it was set aside and rebuilt from the files.");
  return LB_CLI_EXIT_OK;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: lightbox-cli COMMAND [OPTIONS...]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\n'lightbox-cli COMMAND --help' describes a command's options.\n");
}

static GLogWriterOutput
write_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;
  g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);

  fprintf (messages, "%s\n", line);
  return G_LOG_WRITER_HANDLED;
}

FILE *
lb_cli_messages (void)
{
  return messages;
}

/* Codec libraries print diagnostics straight to stderr (libjpeg says "Unsupported JPEG
 * data precision 12" each time GDCM tries 8-bit before 12-bit).  The contract is one
 * sentence per error, so file descriptor 2 goes to /dev/null and our messages and GLib's
 * log go to a copy of the real stderr.  LB_DEBUG=1 keeps the libraries' output. */
static void
quiet_libraries (void)
{
  int saved = dup (STDERR_FILENO);
  int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);

  messages = stderr;
  if (g_getenv ("LB_DEBUG") || saved < 0 || null < 0)
    {
      if (saved >= 0)
        close (saved);
      if (null >= 0)
        close (null);
      return;
    }
  fcntl (saved, F_SETFD, FD_CLOEXEC);
  messages = fdopen (saved, "w");
  if (messages == NULL)
    {
      messages = stderr;
      close (saved);
      close (null);
      return;
    }
  setvbuf (messages, NULL, _IOLBF, 0);
  dup2 (null, STDERR_FILENO);
  close (null);
  g_log_set_writer_func (write_log, NULL, NULL);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  lb_memory_tune_for_imaging ();
  quiet_libraries ();

  if (argc < 2)
    {
      print_usage (messages);
      return LB_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return LB_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("lightbox-cli %s\n", PACKAGE_VERSION);
      return LB_CLI_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (messages, "lightbox-cli: unknown command '%s'.\n", argv[1]);
  print_usage (messages);
  return LB_CLI_EXIT_USAGE;
}
