/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lightbox-cli: one function per command, each in the file for its area.  A command
 * returns the process exit status: 0 success, 1 failure (one sentence on stderr), 2 bad
 * usage.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LB_CLI_EXIT_OK 0
#define LB_CLI_EXIT_FAILURE 1
#define LB_CLI_EXIT_USAGE 2

/* Parses @entries from argv (argv[0] is the command name); on a usage error prints it
 * and returns FALSE. */
gboolean lb_cli_parse (const char *command, const char *parameter_string, GOptionEntry *entries,
                       int *argc, char ***argv);
/* Prints "lightbox-cli: " and the message on stderr; returns LB_CLI_EXIT_FAILURE. */
int lb_cli_fail (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Same for a GError. */
int lb_cli_fail_error (const GError *error);
/* Prints a usage error; returns LB_CLI_EXIT_USAGE. */
int lb_cli_usage (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* lb-cli-image.c */
int lb_cli_info (int argc, char **argv);
int lb_cli_render (int argc, char **argv);

/* lb-cli-archive.c */
int lb_cli_worklist (int argc, char **argv);
int lb_cli_fetch (int argc, char **argv);
int lb_cli_push (int argc, char **argv);

/* lb-cli-store.c */
int lb_cli_cache (int argc, char **argv);
int lb_cli_outbox (int argc, char **argv);
int lb_cli_import (int argc, char **argv);

G_END_DECLS
