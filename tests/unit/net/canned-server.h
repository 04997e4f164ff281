/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A loopback HTTP/1.1 server for the net tests: each request goes to a handler that
 * writes whatever bytes the test wants, including broken or stalled answers.  Not an
 * HTTP implementation: it reads a request head and a Content-Length body, nothing more.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CannedServer CannedServer;

/* Writes the answer to request number @index (from 0, over the server's life).  Returns
 * FALSE to close the connection afterwards. */
typedef gboolean (*CannedHandler) (CannedServer *server, guint index, const char *head,
                                   GBytes *body, GOutputStream *out, gpointer user_data);

CannedServer *canned_server_new (CannedHandler handler, gpointer user_data);
void canned_server_free (CannedServer *server);

/* "http://127.0.0.1:PORT" */
const char *canned_server_get_url (CannedServer *server);
guint canned_server_get_request_count (CannedServer *server);
guint canned_server_get_connection_count (CannedServer *server);
/* The head of request @index (request line and headers), or NULL. */
char *canned_server_dup_request_head (CannedServer *server, guint index);
/* Blocks a handler until canned_server_release() or the server is freed. */
void canned_server_wait_for_release (CannedServer *server);
void canned_server_release (CannedServer *server);

/* Writes all of @text. */
void canned_write (GOutputStream *out, const char *text);
void canned_write_bytes (GOutputStream *out, const void *data, gsize length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CannedServer, canned_server_free)

G_END_DECLS
