/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lightbox-cli: one function per command, each in the file for its area.  A command
 * returns the process exit status: 0 success, 1 failure (one sentence on stderr), 2 bad
 * usage.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include <json-glib/json-glib.h>

#include "lb-dicomweb-client.h"
#include "lb-store.h"

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
/* Where messages for the user go: the real stderr (file descriptor 2 itself is the
 * codec libraries' and goes nowhere). */
FILE *lb_cli_messages (void);
/* Prints a usage error; returns LB_CLI_EXIT_USAGE. */
int lb_cli_usage (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* How to reach an archive: the options every server command takes.  -1 means not
 * given (the server's default applies). */
typedef struct
{
  char *url;
  char *user;
  char *password_file;
  char *token_file;
  char *ca_file;
  gboolean insecure;
  int timeout;
  int parallel;
} LbCliServer;

#define LB_CLI_SERVER_INIT { .timeout = -1, .parallel = -1 }

#define LB_CLI_SERVER_ENTRIES(s, url_help)                                                    \
  { "server", 0, 0, G_OPTION_ARG_STRING, &(s).url, url_help, "URL" },                         \
  { "user", 0, 0, G_OPTION_ARG_STRING, &(s).user, "User name for HTTP basic auth", "NAME" },  \
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &(s).password_file,                         \
    "Read the password from FILE", "FILE" },                                                  \
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &(s).token_file,                               \
    "Read a bearer token from FILE", "FILE" },                                                \
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &(s).ca_file,                                     \
    "Trust the CA certificates in FILE for this archive", "FILE" },                           \
  { "insecure", 0, 0, G_OPTION_ARG_NONE, &(s).insecure,                                       \
    "Do not check the archive's TLS certificate", NULL },                                     \
  { "timeout", 0, 0, G_OPTION_ARG_INT, &(s).timeout,                                          \
    "Seconds to wait for a connection or for data (default 30)", "SECONDS" },                 \
  { "parallel", 0, 0, G_OPTION_ARG_INT, &(s).parallel,                                        \
    "Transfers at once (default 4)", "N" }

void lb_cli_server_clear (LbCliServer *server);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LbCliServer, lb_cli_server_clear)

/* A client for @url (NULL: the options' own --server); returns an exit status, and sets
 * @client when it is LB_CLI_EXIT_OK. */
int lb_cli_make_client (const char *command, LbCliServer *server, const char *url,
                        LbDicomwebClient **client);

/* The CLI has nothing else to do while a call runs: pass lb_cli_done and a slot as the
 * callback and its data, then lb_cli_wait (&slot) runs the main context until the call
 * has finished and returns its result. */
void lb_cli_done (GObject *source, GAsyncResult *result, gpointer slot);
GAsyncResult *lb_cli_wait (GAsyncResult **slot);

/* The cache: --cache-dir, else $LB_CACHE_DIR, else $XDG_CACHE_HOME/lightbox. */
#define LB_CLI_CACHE_DIR_ENTRY(dir)                                                         \
  { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &(dir),                                       \
    "The cache folder (default $LB_CACHE_DIR, else $XDG_CACHE_HOME/lightbox)", "DIR" }

int lb_cli_open_store (const char *dir, LbStore **store);
/* Stores a study from the archive into the cache, fetching only what it lacks, and
 * prints what it did (--json: an object). */
int lb_cli_cache_study (const char *command, LbCliServer *server, const char *dir,
                        const char *study_uid, gboolean json);

/* JSON members: a string, or null for NULL. */
void lb_cli_json_add_string (JsonBuilder *builder, const char *key, const char *value);
/* A count, or null when unknown (negative). */
void lb_cli_json_add_count (JsonBuilder *builder, const char *key, int value);
/* The members every study listing has, online or cached: study_instance_uid,
 * patient_name, patient_id, study_date, study_time, accession_number, modalities,
 * study_description, priority and series_count.  The caller says what instance_count
 * counts. */
void lb_cli_json_add_study (JsonBuilder *builder, LbStudy *study);

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
