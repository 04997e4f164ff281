/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "canned-server.h"

#include <string.h>

struct _CannedServer
{
  CannedHandler handler;
  gpointer user_data;
  GSocketListener *listener;
  GCancellable *cancellable;
  GThread *accept_thread;
  char *url;

  GMutex lock;
  GCond cond;
  gboolean released;
  GPtrArray *heads;
  GPtrArray *connection_threads;
  guint connections;
};

typedef struct
{
  CannedServer *server;
  GSocketConnection *connection;
} Connection;

void
canned_write_bytes (GOutputStream *out, const void *data, gsize length)
{
  g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
}

void
canned_write (GOutputStream *out, const char *text)
{
  canned_write_bytes (out, text, strlen (text));
}

static gsize
content_length (const char *head)
{
  g_autofree char *lower = g_ascii_strdown (head, -1);
  const char *field = strstr (lower, "\r\ncontent-length:");

  return field != NULL ? (gsize) g_ascii_strtoull (field + strlen ("\r\ncontent-length:"), NULL, 10)
                       : 0;
}

/* FALSE when the peer closed or the server stops. */
static gboolean
read_request (CannedServer *server, GInputStream *in, char **head_out, GBytes **body_out)
{
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  guint8 byte;

  while (buffer->len < 4 || memcmp (buffer->data + buffer->len - 4, "\r\n\r\n", 4) != 0)
    {
      if (g_input_stream_read (in, &byte, 1, server->cancellable, NULL) != 1)
        return FALSE;
      g_byte_array_append (buffer, &byte, 1);
    }
  g_autofree char *head = g_strndup ((const char *) buffer->data, buffer->len);
  gsize length = content_length (head);
  g_autofree guint8 *body = g_malloc (length + 1);
  gsize got = 0;

  if (length > 0 &&
      !g_input_stream_read_all (in, body, length, &got, server->cancellable, NULL))
    return FALSE;
  *head_out = g_steal_pointer (&head);
  *body_out = g_bytes_new_take (g_steal_pointer (&body), got);
  return TRUE;
}

static gpointer
serve_connection (gpointer data)
{
  Connection *connection = data;
  CannedServer *server = connection->server;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection->connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection->connection));
  char *head;
  GBytes *body;

  while (read_request (server, in, &head, &body))
    {
      g_mutex_lock (&server->lock);
      guint index = server->heads->len;
      g_ptr_array_add (server->heads, g_strdup (head));
      g_mutex_unlock (&server->lock);

      gboolean keep = server->handler (server, index, head, body, out, server->user_data);
      g_free (head);
      g_bytes_unref (body);
      if (!keep)
        break;
    }
  g_io_stream_close (G_IO_STREAM (connection->connection), NULL, NULL);
  g_object_unref (connection->connection);
  g_free (connection);
  return NULL;
}

static gpointer
accept_loop (gpointer data)
{
  CannedServer *server = data;

  for (;;)
    {
      GSocketConnection *accepted =
        g_socket_listener_accept (server->listener, NULL, server->cancellable, NULL);

      if (accepted == NULL)
        break;

      Connection *connection = g_new0 (Connection, 1);
      connection->server = server;
      connection->connection = accepted;
      g_mutex_lock (&server->lock);
      server->connections++;
      g_ptr_array_add (server->connection_threads,
                       g_thread_new ("canned-connection", serve_connection, connection));
      g_mutex_unlock (&server->lock);
    }
  return NULL;
}

CannedServer *
canned_server_new (CannedHandler handler, gpointer user_data)
{
  CannedServer *server = g_new0 (CannedServer, 1);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  server->handler = handler;
  server->user_data = user_data;
  server->listener = g_socket_listener_new ();
  server->cancellable = g_cancellable_new ();
  server->heads = g_ptr_array_new_with_free_func (g_free);
  server->connection_threads = g_ptr_array_new ();
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  g_socket_listener_add_address (server->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  server->url = g_strdup_printf (
    "http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  server->accept_thread = g_thread_new ("canned-accept", accept_loop, server);
  return server;
}

void
canned_server_free (CannedServer *server)
{
  canned_server_release (server);
  g_cancellable_cancel (server->cancellable);
  g_socket_listener_close (server->listener);
  g_thread_join (server->accept_thread);
  for (guint i = 0; i < server->connection_threads->len; i++)
    g_thread_join (g_ptr_array_index (server->connection_threads, i));
  g_ptr_array_unref (server->connection_threads);
  g_ptr_array_unref (server->heads);
  g_object_unref (server->listener);
  g_object_unref (server->cancellable);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server->url);
  g_free (server);
}

const char *
canned_server_get_url (CannedServer *server)
{
  return server->url;
}

guint
canned_server_get_request_count (CannedServer *server)
{
  g_mutex_lock (&server->lock);
  guint count = server->heads->len;
  g_mutex_unlock (&server->lock);
  return count;
}

guint
canned_server_get_connection_count (CannedServer *server)
{
  g_mutex_lock (&server->lock);
  guint count = server->connections;
  g_mutex_unlock (&server->lock);
  return count;
}

char *
canned_server_dup_request_head (CannedServer *server, guint index)
{
  g_mutex_lock (&server->lock);
  char *head = index < server->heads->len ? g_strdup (g_ptr_array_index (server->heads, index))
                                          : NULL;
  g_mutex_unlock (&server->lock);
  return head;
}

void
canned_server_wait_for_release (CannedServer *server)
{
  g_mutex_lock (&server->lock);
  while (!server->released)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
}

void
canned_server_release (CannedServer *server)
{
  g_mutex_lock (&server->lock);
  server->released = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
}
