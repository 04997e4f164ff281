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
