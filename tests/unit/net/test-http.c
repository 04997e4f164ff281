/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "canned-server.h"
#include "lb-http.h"
#include "lb-net-error.h"

/* Runs the main context until an async call has finished. */
typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiter *waiter = user_data;
  waiter->result = g_object_ref (result);
}

static LbHttpResponse *
send_and_wait (LbHttp *http, LbHttpRequest *request, GCancellable *cancellable, GError **error)
{
  Waiter waiter = { NULL };

  lb_http_send_async (http, request, cancellable, on_done, &waiter);
  while (waiter.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  LbHttpResponse *response = lb_http_send_finish (http, waiter.result, error);
  g_object_unref (waiter.result);
  return response;
}

static LbHttpRequest *
new_request (CannedServer *server, const char *method, const char *path)
{
  g_autofree char *url = g_strconcat (canned_server_get_url (server), path, NULL);
  return lb_http_request_new (method, url);
}

static gboolean
answer_hello (CannedServer *server, guint index, const char *head, GBytes *body,
              GOutputStream *out, gpointer user_data)
{
  canned_write (out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     "Content-Length: 5\r\n\r\nhello");
  return TRUE;
}

static void
test_get (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_hello, NULL);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (LbHttpRequest) request = new_request (server, "get", "/dicom-web/studies?x=1");
      lb_http_request_add_header (request, "Accept", "application/dicom+json");
      g_autoptr (LbHttpResponse) response = send_and_wait (http, request, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (lb_http_response_get_status (response), ==, 200);
      g_assert_true (lb_http_response_check_status (response, NULL));
      g_assert_cmpstr (lb_http_response_get_content_type (response), ==,
                       "text/plain; charset=utf-8");
      g_assert_cmpmem (g_bytes_get_data (lb_http_response_get_body (response), NULL),
                       g_bytes_get_size (lb_http_response_get_body (response)), "hello", 5);
    }

  g_autofree char *head = canned_server_dup_request_head (server, 0);
  g_assert_true (g_str_has_prefix (head, "GET /dicom-web/studies?x=1 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (head, "\r\nAccept: application/dicom+json\r\n"));
  g_assert_nonnull (strstr (head, "\r\nUser-Agent: Lightbox/"));
  /* Sequential requests share one connection. */
  g_assert_cmpuint (canned_server_get_connection_count (server), ==, 1);
}

static gboolean
answer_after_release (CannedServer *server, guint index, const char *head, GBytes *body,
                      GOutputStream *out, gpointer user_data)
{
  canned_server_wait_for_release (server);
  return answer_hello (server, index, head, body, out, user_data);
}

static void
on_counted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *done = user_data;
  g_autoptr (LbHttpResponse) response = lb_http_send_finish (LB_HTTP (source), result, NULL);

  g_assert_nonnull (response);
  (*done)++;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_parallel_bound (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_after_release, NULL);
  g_autoptr (LbHttp) http = lb_http_new (2);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint done = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (LbHttpRequest) request = new_request (server, "GET", "/");
      lb_http_send_async (http, request, NULL, on_counted, &done);
    }
  while (canned_server_get_request_count (server) < 2)
    g_main_context_iteration (NULL, FALSE);
  /* Give a third transfer every chance to start, were the bound broken. */
  g_timeout_add (300, quit_loop, loop);
  g_main_loop_run (loop);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 2);
  g_assert_cmpuint (done, ==, 0);

  canned_server_release (server);
  while (done < 5)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 5);
}

typedef struct
{
  guint failures;
  const char *status_line;
  const char *extra_headers;
} Flaky;

static gboolean
answer_flaky (CannedServer *server, guint index, const char *head, GBytes *body,
              GOutputStream *out, gpointer user_data)
{
  Flaky *flaky = user_data;

  if (index < flaky->failures)
    {
      g_autofree char *answer =
        g_strdup_printf ("HTTP/1.1 %s\r\n%sContent-Length: 4\r\n\r\nbusy", flaky->status_line,
                         flaky->extra_headers != NULL ? flaky->extra_headers : "");
      canned_write (out, answer);
      return TRUE;
    }
  return answer_hello (server, index, head, body, out, user_data);
}

static void
test_retry_then_success (void)
{
  Flaky flaky = { 2, "503 Service Unavailable", "Retry-After: 0\r\n" };
  g_autoptr (CannedServer) server = canned_server_new (answer_flaky, &flaky);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (LbHttpRequest) request = new_request (server, "GET", "/");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbHttpResponse) response = send_and_wait (http, request, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lb_http_response_get_status (response), ==, 200);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 3);
}

static void
test_retry_exhausted (void)
{
  Flaky flaky = { 100, "503 Service Unavailable", NULL };
  g_autoptr (CannedServer) server = canned_server_new (answer_flaky, &flaky);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (LbHttpRequest) request = new_request (server, "GET", "/");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbHttpResponse) response = send_and_wait (http, request, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lb_http_response_get_status (response), ==, 503);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 1 + LB_HTTP_MAX_RETRIES);
  g_assert_false (lb_http_response_check_status (response, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_SERVER);
  g_autofree char *expected = g_strdup_printf (
    "The archive at %s is unavailable at the moment (HTTP 503).", canned_server_get_url (server));
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_no_retry (void)
{
  /* 500 is not retried; nor is a request that is not idempotent. */
  Flaky flaky = { 100, "500 Internal Server Error", NULL };
  g_autoptr (CannedServer) server = canned_server_new (answer_flaky, &flaky);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (LbHttpRequest) get = new_request (server, "GET", "/");
  g_autoptr (GError) error = NULL;
  g_autoptr (LbHttpResponse) response = send_and_wait (http, get, NULL, &error);

  g_assert_cmpuint (lb_http_response_get_status (response), ==, 500);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 1);

  Flaky busy = { 100, "503 Service Unavailable", NULL };
  g_autoptr (CannedServer) busy_server = canned_server_new (answer_flaky, &busy);
  g_autoptr (LbHttpRequest) post = new_request (busy_server, "POST", "/");
  g_autoptr (GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (chunks, g_bytes_new_static ("x", 1));
  lb_http_request_set_body (post, "text/plain", chunks);
  g_autoptr (LbHttpResponse) post_response = send_and_wait (http, post, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_http_response_get_status (post_response), ==, 503);
  g_assert_cmpuint (canned_server_get_request_count (busy_server), ==, 1);
}

static gboolean
answer_auth (CannedServer *server, guint index, const char *head, GBytes *body,
             GOutputStream *out, gpointer user_data)
{
  if (strstr (head, "\r\nAuthorization: Basic dXNlcjpwYXNz\r\n") != NULL ||
      strstr (head, "\r\nAuthorization: Bearer t0ken\r\n") != NULL)
    return answer_hello (server, index, head, body, out, user_data);
  canned_write (out, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
                     "Content-Length: 0\r\n\r\n");
  return TRUE;
}

static void
test_auth (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_auth, NULL);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (GError) error = NULL;

  g_autoptr (LbHttpRequest) basic = new_request (server, "GET", "/");
  lb_http_request_set_basic_auth (basic, "user", "pass");
  g_autoptr (LbHttpResponse) ok = send_and_wait (http, basic, NULL, &error);
  g_assert_cmpuint (lb_http_response_get_status (ok), ==, 200);

  g_autoptr (LbHttpRequest) bearer = new_request (server, "GET", "/");
  lb_http_request_set_bearer_token (bearer, "t0ken");
  g_autoptr (LbHttpResponse) ok_too = send_and_wait (http, bearer, NULL, &error);
  g_assert_cmpuint (lb_http_response_get_status (ok_too), ==, 200);

  g_autoptr (LbHttpRequest) wrong = new_request (server, "GET", "/");
  lb_http_request_set_basic_auth (wrong, "user", "wrong");
  g_autoptr (LbHttpResponse) refused = send_and_wait (http, wrong, NULL, &error);
  g_assert_false (lb_http_response_check_status (refused, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "refused the user name or password (HTTP 401)."));
  g_clear_error (&error);

  g_autoptr (LbHttpRequest) none = new_request (server, "GET", "/");
  g_autoptr (LbHttpResponse) asked = send_and_wait (http, none, NULL, &error);
  g_assert_false (lb_http_response_check_status (asked, &error));
  g_assert_nonnull (strstr (error->message, "asks for a user name and password (HTTP 401)."));
}

static gboolean
answer_nothing (CannedServer *server, guint index, const char *head, GBytes *body,
                GOutputStream *out, gpointer user_data)
{
  canned_server_wait_for_release (server);
  return FALSE;
}

static gboolean
answer_then_stall (CannedServer *server, guint index, const char *head, GBytes *body,
                   GOutputStream *out, gpointer user_data)
{
  canned_write (out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome");
  canned_server_wait_for_release (server);
  return FALSE;
}

static void
test_timeout (void)
{
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (GError) error = NULL;

  g_autoptr (CannedServer) silent = canned_server_new (answer_nothing, NULL);
  g_autoptr (LbHttpRequest) request = new_request (silent, "GET", "/");
  lb_http_request_set_timeouts (request, 1, 1);
  g_autoptr (LbHttpResponse) none = send_and_wait (http, request, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TIMEOUT);
  g_autofree char *expected = g_strdup_printf ("The archive at %s did not answer within 1 second.",
                                               canned_server_get_url (silent));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_autoptr (CannedServer) stalling = canned_server_new (answer_then_stall, NULL);
  g_autoptr (LbHttpRequest) stalled = new_request (stalling, "GET", "/");
  lb_http_request_set_timeouts (stalled, 1, 1);
  g_autoptr (LbHttpResponse) partial = send_and_wait (http, stalled, NULL, &error);
  g_assert_null (partial);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "stopped sending data for 1 second."));
  /* A timeout is not retried: the wait would multiply. */
  g_assert_cmpuint (canned_server_get_request_count (stalling), ==, 1);
}

static gboolean
answer_cut (CannedServer *server, guint index, const char *head, GBytes *body,
            GOutputStream *out, gpointer user_data)
{
  canned_write (out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this");
  return FALSE;
}

typedef struct
{
  guint starts;
  gsize bytes;
} Stream;

static gboolean
on_stream_start (LbHttpResponse *response, gpointer user_data, GError **error)
{
  Stream *stream = user_data;

  g_assert_cmpuint (lb_http_response_get_status (response), ==, 200);
  stream->starts++;
  return TRUE;
}

static gboolean
on_stream_data (const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  Stream *stream = user_data;

  stream->bytes += length;
  return TRUE;
}

static void
test_cut (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_cut, NULL);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (GError) error = NULL;

  /* Nothing reached the caller, so the request is tried again, then given up. */
  g_autoptr (LbHttpRequest) buffered = new_request (server, "GET", "/");
  g_autoptr (LbHttpResponse) none = send_and_wait (http, buffered, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_CUT);
  g_autofree char *expected =
    g_strdup_printf ("The connection to the archive at %s was cut during the transfer.",
                     canned_server_get_url (server));
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 1 + LB_HTTP_MAX_RETRIES);
  g_clear_error (&error);

  /* Bytes reached the caller: no retry. */
  Stream stream = { 0, 0 };
  g_autoptr (LbHttpRequest) streamed = new_request (server, "GET", "/");
  lb_http_request_set_stream (streamed, on_stream_start, on_stream_data, &stream, NULL);
  g_autoptr (LbHttpResponse) cut = send_and_wait (http, streamed, NULL, &error);
  g_assert_null (cut);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_CUT);
  g_assert_cmpuint (stream.starts, ==, 1);
  g_assert_cmpuint (stream.bytes, ==, strlen ("only this"));
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 2 + LB_HTTP_MAX_RETRIES);
}

static gboolean
on_stream_refuse (const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
  return FALSE;
}

static gboolean
answer_big (CannedServer *server, guint index, const char *head, GBytes *body,
            GOutputStream *out, gpointer user_data)
{
  g_autofree char *payload = g_strnfill (100000, 'x');
  g_autofree char *answer =
    g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n%s", payload);
  canned_write (out, answer);
  return TRUE;
}

static void
test_limits_and_stream_errors (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_big, NULL);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (GError) error = NULL;

  g_autoptr (LbHttpRequest) capped = new_request (server, "GET", "/");
  lb_http_request_set_max_body_size (capped, 1000);
  g_autoptr (LbHttpResponse) none = send_and_wait (http, capped, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE);
  g_clear_error (&error);

  Stream stream = { 0, 0 };
  g_autoptr (LbHttpRequest) refused = new_request (server, "GET", "/");
  lb_http_request_set_stream (refused, on_stream_start, on_stream_refuse, &stream, NULL);
  g_autoptr (LbHttpResponse) stopped = send_and_wait (http, refused, NULL, &error);
  g_assert_null (stopped);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);

  g_autoptr (LbHttpRequest) fine = new_request (server, "GET", "/");
  g_autoptr (LbHttpResponse) whole = send_and_wait (http, fine, NULL, &error);
  g_assert_cmpuint (g_bytes_get_size (lb_http_response_get_body (whole)), ==, 100000);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_nothing, NULL);
  g_autoptr (LbHttp) http = lb_http_new (1);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  /* The default timeouts are 30 s: only the cancellation can end this quickly. */
  g_autoptr (LbHttpRequest) request = new_request (server, "GET", "/");
  g_timeout_add (50, cancel_later, cancellable);
  g_autoptr (LbHttpResponse) none = send_and_wait (http, request, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Already cancelled: nothing is sent. */
  g_autoptr (LbHttpRequest) again = new_request (server, "GET", "/");
  g_autoptr (LbHttpResponse) neither = send_and_wait (http, again, cancellable, &error);
  g_assert_null (neither);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 1);
}

static void
test_refused (void)
{
  g_autoptr (GSocket) socket =
    g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GError) error = NULL;

  /* A port that was free a moment ago, with nothing listening. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  g_autoptr (GSocketAddress) bound = g_socket_get_local_address (socket, NULL);
  guint port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  g_autoptr (LbHttp) http = lb_http_new (1);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/dicom-web", port);
  g_autoptr (LbHttpRequest) request = lb_http_request_new ("GET", url);
  g_autoptr (LbHttpResponse) none = send_and_wait (http, request, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_CONNECT);
  g_autofree char *expected = g_strdup_printf (
    "The archive at http://127.0.0.1:%u cannot be reached or refused the connection.", port);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_autoptr (LbHttpRequest) nonsense = lb_http_request_new ("GET", "ftp://example.org/x");
  g_autoptr (LbHttpResponse) nothing = send_and_wait (http, nonsense, NULL, &error);
  g_assert_null (nothing);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID);
}

static gboolean
answer_echo (CannedServer *server, guint index, const char *head, GBytes *body,
             GOutputStream *out, gpointer user_data)
{
  g_autofree char *answer =
    g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", g_bytes_get_size (body));
  canned_write (out, answer);
  canned_write_bytes (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return TRUE;
}

static void
on_progress (guint64 received, guint64 receive_total, guint64 sent, guint64 send_total,
             gpointer user_data)
{
  guint64 *last = user_data;

  last[0] = received;
  last[1] = sent;
  last[2] = send_total;
}

static void
test_upload (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_echo, NULL);
  g_autoptr (LbHttp) http = lb_http_new (4);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GByteArray) expected = g_byte_array_new ();
  guint64 progress[3] = { 0, 0, 0 };

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *chunk = g_strnfill (1000 * i, (char) ('a' + i % 26));
      g_byte_array_append (expected, (const guint8 *) chunk, (guint) strlen (chunk));
      g_ptr_array_add (chunks, g_bytes_new (chunk, strlen (chunk)));
    }

  g_autoptr (LbHttpRequest) request = new_request (server, "POST", "/studies");
  lb_http_request_set_body (request, "application/octet-stream", chunks);
  lb_http_request_set_progress (request, on_progress, progress, NULL);
  g_autoptr (LbHttpResponse) response = send_and_wait (http, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (lb_http_response_get_body (response), NULL),
                   g_bytes_get_size (lb_http_response_get_body (response)), expected->data,
                   expected->len);

  g_autofree char *head = canned_server_dup_request_head (server, 0);
  g_assert_true (g_str_has_prefix (head, "POST /studies HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (head, "\r\nContent-Type: application/octet-stream\r\n"));
  g_assert_null (strstr (head, "Expect:"));
  g_assert_cmpuint (progress[1], ==, expected->len);
  g_assert_cmpuint (progress[2], ==, expected->len);
  g_assert_cmpuint (progress[0], ==, expected->len);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/http/get", test_get);
  g_test_add_func ("/net/http/parallel-bound", test_parallel_bound);
  g_test_add_func ("/net/http/retry-then-success", test_retry_then_success);
  g_test_add_func ("/net/http/retry-exhausted", test_retry_exhausted);
  g_test_add_func ("/net/http/no-retry", test_no_retry);
  g_test_add_func ("/net/http/auth", test_auth);
  g_test_add_func ("/net/http/timeout", test_timeout);
  g_test_add_func ("/net/http/cut", test_cut);
  g_test_add_func ("/net/http/limits-and-stream-errors", test_limits_and_stream_errors);
  g_test_add_func ("/net/http/cancel", test_cancel);
  g_test_add_func ("/net/http/refused", test_refused);
  g_test_add_func ("/net/http/upload", test_upload);
  return g_test_run ();
}
