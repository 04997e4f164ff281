/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-http.h"

#include <string.h>

#include "lb-http-private.h"
#include "lb-http-request-private.h"
#include "lb-http-response-private.h"
#include "lb-net-error.h"

/* First retry after about this long, doubling each time. */
#define RETRY_BASE_MS 250
/* A Retry-After longer than this would look like a hang: wait this long instead. */
#define RETRY_AFTER_MAX_S 10
/* Fewer, larger writes into the multipart parser; curl's default is 16 KiB. */
#define RECEIVE_BUFFER_SIZE (256 * 1024)
#define MAX_IDLE_HANDLES 8

typedef struct _Worker Worker;

/* One request on its way through the network thread, which alone touches it once it is
 * submitted. */
typedef struct
{
  LbHttpRequest *request;
  GTask *task;
  GCancellable *cancellable;
  gulong cancelled_id;

  CURL *easy;
  struct curl_slist *headers;
  char error_buffer[CURL_ERROR_SIZE];
  guint attempt;
  gint64 not_before;

  LbHttpResponse *response;
  gboolean started;
  GByteArray *body;
  GError *error;

  guint upload_chunk;
  gsize upload_offset;
} Transfer;

/* Shared by the LbHttp object and its thread; whichever lets go last frees it, so the
 * object may be finalized on the network thread itself. */
struct _Worker
{
  gatomicrefcount ref_count;
  CURLM *multi;
  GThread *thread;

  GMutex lock;
  GQueue submitted;
  gboolean stopping;
  guint max_parallel;

  /* Network thread only. */
  GQueue waiting;
  GPtrArray *running;
  GPtrArray *idle;
};

struct _LbHttp
{
  GObject parent_instance;

  Worker *worker;
};

G_DEFINE_FINAL_TYPE (LbHttp, lb_http, G_TYPE_OBJECT)

static Worker *
worker_ref (Worker *worker)
{
  g_atomic_ref_count_inc (&worker->ref_count);
  return worker;
}

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_ref_count_dec (&worker->ref_count))
    return;
  g_ptr_array_unref (worker->idle);
  g_ptr_array_unref (worker->running);
  curl_multi_cleanup (worker->multi);
  g_mutex_clear (&worker->lock);
  g_free (worker);
}

static void
transfer_free (Transfer *t)
{
  g_warn_if_fail (t->easy == NULL);
  g_clear_object (&t->task);
  g_clear_object (&t->request);
  g_clear_object (&t->cancellable);
  g_clear_object (&t->response);
  g_clear_pointer (&t->body, g_byte_array_unref);
  g_clear_error (&t->error);
  g_free (t);
}

/* Credentials are not strings to keep: curl copies what it needs, and the handle is
 * reset before it is reused. */
static void
release_handle (Worker *worker, Transfer *t)
{
  g_clear_pointer (&t->headers, curl_slist_free_all);
  if (t->easy == NULL)
    return;
  curl_easy_reset (t->easy);
  if (worker->idle->len < MAX_IDLE_HANDLES)
    g_ptr_array_add (worker->idle, t->easy);
  else
    curl_easy_cleanup (t->easy);
  t->easy = NULL;
}

static void
complete (Worker *worker, Transfer *t, GError *error)
{
  release_handle (worker, t);
  if (t->cancelled_id != 0)
    g_cancellable_disconnect (t->cancellable, t->cancelled_id);
  t->cancelled_id = 0;
  if (error != NULL)
    g_task_return_error (t->task, error);
  else
    g_task_return_pointer (t->task, g_object_ref (t->response), g_object_unref);
  transfer_free (t);
}

static void
complete_cancelled (Worker *worker, Transfer *t)
{
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (t->cancellable, &error);
  complete (worker, t, error);
}

static gboolean
is_cancelled (Transfer *t)
{
  return t->cancellable != NULL && g_cancellable_is_cancelled (t->cancellable);
}

static void
ensure_response (Transfer *t)
{
  if (t->response != NULL)
    return;

  long status = 0;
  const char *content_type = NULL;

  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo (t->easy, CURLINFO_CONTENT_TYPE, &content_type);
  t->response = _lb_http_response_new (t->request->origin, (guint) status, content_type,
                                       t->request->auth != LB_HTTP_AUTH_NONE);
}

static void
set_too_large (Transfer *t)
{
  g_autofree char *limit = g_format_size (t->request->max_body_size);

  g_set_error (&t->error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
               "The answer from the archive at %s is larger than the limit of %s.",
               t->request->origin, limit);
}

static size_t
on_write (char *data, size_t size, size_t count, void *user_data)
{
  Transfer *t = user_data;
  LbHttpRequest *request = t->request;
  gsize length = size * count;

  if (is_cancelled (t))
    return 0;

  if (!t->started)
    {
      long status = 0;

      curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &status);
      /* Error answers are kept whole, whatever the request asked: they are small and the
       * caller reads them (STOW-RS failures come as JSON with a 4xx status). */
      if (request->start != NULL && status >= 200 && status < 300)
        {
          ensure_response (t);
          t->started = TRUE;
          if (!request->start (t->response, request->stream_data, &t->error))
            return 0;
        }
    }
  if (t->started)
    return request->data ((const guint8 *) data, length, request->stream_data, &t->error)
             ? length
             : 0;

  if (t->body == NULL)
    t->body = g_byte_array_new ();
  if (length > request->max_body_size - t->body->len)
    {
      set_too_large (t);
      return 0;
    }
  g_byte_array_append (t->body, (const guint8 *) data, (guint) length);
  return length;
}

static size_t
on_read (char *buffer, size_t size, size_t count, void *user_data)
{
  Transfer *t = user_data;
  GPtrArray *chunks = t->request->body;
  gsize room = size * count;
  gsize written = 0;

  if (is_cancelled (t))
    return CURL_READFUNC_ABORT;
  while (written < room && t->upload_chunk < chunks->len)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (chunks, t->upload_chunk), &length);
      gsize n = MIN (length - t->upload_offset, room - written);

      memcpy (buffer + written, data + t->upload_offset, n);
      written += n;
      t->upload_offset += n;
      if (t->upload_offset == length)
        {
          t->upload_chunk++;
          t->upload_offset = 0;
        }
    }
  return written;
}

/* curl rewinds the body when it resends it (a reused connection that closed, an
 * authentication round). */
static int
on_seek (void *user_data, curl_off_t offset, int origin)
{
  Transfer *t = user_data;
  GPtrArray *chunks = t->request->body;

  if (origin != SEEK_SET || offset < 0)
    return CURL_SEEKFUNC_CANTSEEK;
  t->upload_chunk = 0;
  t->upload_offset = 0;
  while (t->upload_chunk < chunks->len)
    {
      gsize length = g_bytes_get_size (g_ptr_array_index (chunks, t->upload_chunk));

      if ((guint64) offset < length)
        break;
      offset -= length;
      t->upload_chunk++;
    }
  if (t->upload_chunk == chunks->len && offset > 0)
    return CURL_SEEKFUNC_FAIL;
  t->upload_offset = (gsize) offset;
  return CURL_SEEKFUNC_OK;
}

static int
on_progress (void *user_data, curl_off_t receive_total, curl_off_t received,
             curl_off_t send_total, curl_off_t sent)
{
  Transfer *t = user_data;
  LbHttpRequest *request = t->request;

  if (is_cancelled (t))
    return 1;
  if (request->progress != NULL)
    request->progress ((guint64) received, (guint64) receive_total, (guint64) sent,
                       (guint64) send_total, request->progress_data);
  return 0;
}

static gboolean
start_transfer (Worker *worker, Transfer *t)
{
  LbHttpRequest *request = t->request;
  CURL *easy = worker->idle->len > 0 ? g_ptr_array_steal_index_fast (worker->idle,
                                                                       worker->idle->len - 1)
                                     : curl_easy_init ();

  if (easy == NULL)
    return FALSE;
  t->easy = easy;
  t->started = FALSE;
  t->upload_chunk = 0;
  t->upload_offset = 0;
  t->error_buffer[0] = '\0';
  g_clear_object (&t->response);
  g_clear_pointer (&t->body, g_byte_array_unref);

  curl_easy_setopt (easy, CURLOPT_PRIVATE, t);
  curl_easy_setopt (easy, CURLOPT_URL, request->url);
  curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt (easy, CURLOPT_USERAGENT, "Lightbox/" PACKAGE_VERSION);
  curl_easy_setopt (easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt (easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (easy, CURLOPT_BUFFERSIZE, (long) RECEIVE_BUFFER_SIZE);
  curl_easy_setopt (easy, CURLOPT_CONNECTTIMEOUT, (long) request->connect_timeout);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (easy, CURLOPT_LOW_SPEED_TIME, (long) request->low_speed_timeout);
  curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt (easy, CURLOPT_WRITEDATA, t);
  curl_easy_setopt (easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (easy, CURLOPT_XFERINFODATA, t);

  if (request->ca_file != NULL)
    curl_easy_setopt (easy, CURLOPT_CAINFO, request->ca_file);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYPEER, request->insecure ? 0L : 1L);
  curl_easy_setopt (easy, CURLOPT_SSL_VERIFYHOST, request->insecure ? 0L : 2L);

  switch (request->auth)
    {
    case LB_HTTP_AUTH_BASIC:
      curl_easy_setopt (easy, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
      curl_easy_setopt (easy, CURLOPT_USERNAME, request->user);
      curl_easy_setopt (easy, CURLOPT_PASSWORD, request->secret);
      break;
    case LB_HTTP_AUTH_BEARER:
      curl_easy_setopt (easy, CURLOPT_HTTPAUTH, (long) CURLAUTH_BEARER);
      curl_easy_setopt (easy, CURLOPT_XOAUTH2_BEARER, request->secret);
      break;
    case LB_HTTP_AUTH_NONE:
    default:
      break;
    }

  if (request->compressed)
    curl_easy_setopt (easy, CURLOPT_ACCEPT_ENCODING, "");

  for (guint i = 0; i < request->headers->len; i++)
    t->headers = curl_slist_append (t->headers, g_ptr_array_index (request->headers, i));

  if (request->body != NULL)
    {
      g_autofree char *content_type = g_strdup_printf ("Content-Type: %s", request->content_type);

      t->headers = curl_slist_append (t->headers, content_type);
      /* Servers that never send "100 Continue" would cost a second per upload. */
      t->headers = curl_slist_append (t->headers, "Expect:");
      curl_easy_setopt (easy, CURLOPT_UPLOAD, 0L);
      curl_easy_setopt (easy, CURLOPT_POST, 1L);
      curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) request->body_size);
      curl_easy_setopt (easy, CURLOPT_READFUNCTION, on_read);
      curl_easy_setopt (easy, CURLOPT_READDATA, t);
      curl_easy_setopt (easy, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt (easy, CURLOPT_SEEKDATA, t);
    }
  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "POST"))
    curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, request->method);
  /* Redirects are followed for reads only: curl would turn a redirected POST into a
   * GET, and credentials never follow to another host. */
  if (g_str_equal (request->method, "GET"))
    {
      curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt (easy, CURLOPT_MAXREDIRS, 5L);
      curl_easy_setopt (easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
  curl_easy_setopt (easy, CURLOPT_HTTPHEADER, t->headers);

  if (curl_multi_add_handle (worker->multi, easy) != CURLM_OK)
    {
      release_handle (worker, t);
      return FALSE;
    }
  g_ptr_array_add (worker->running, t);
  return TRUE;
}

static gboolean
is_retryable_code (CURLcode code)
{
  switch (code)
    {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
may_retry (Transfer *t)
{
  return t->request->idempotent && !t->started && t->attempt < LB_HTTP_MAX_RETRIES &&
         !is_cancelled (t);
}

static void
schedule_retry (Worker *worker, Transfer *t, gint64 retry_after_s)
{
  gint64 delay_ms = (gint64) RETRY_BASE_MS << t->attempt;

  /* Jitter keeps parallel transfers from coming back in lockstep. */
  delay_ms += g_random_int_range (0, RETRY_BASE_MS);
  if (retry_after_s > 0)
    delay_ms = MIN (retry_after_s, RETRY_AFTER_MAX_S) * 1000;
  release_handle (worker, t);
  t->attempt++;
  t->not_before = g_get_monotonic_time () + delay_ms * 1000;
  g_debug ("retrying a request to %s in %" G_GINT64_FORMAT " ms", t->request->origin,
           delay_ms);
  g_queue_push_tail (&worker->waiting, t);
}

static GError *
translate_error (Transfer *t, CURLcode code)
{
  LbHttpRequest *request = t->request;
  const char *at = request->origin;
  long status = 0;
  curl_off_t connect_time = 0;

  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo (t->easy, CURLINFO_CONNECT_TIME_T, &connect_time);
  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_CONNECT,
                          "The name of the archive at %s could not be found; check the address "
                          "and the network.", at);
    case CURLE_COULDNT_RESOLVE_PROXY:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_CONNECT,
                          "The proxy for the archive at %s could not be found.", at);
    case CURLE_COULDNT_CONNECT:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_CONNECT,
                          "The archive at %s cannot be reached or refused the connection.", at);
    case CURLE_OPERATION_TIMEDOUT:
      if (connect_time == 0 || status == 0)
        {
          guint seconds = connect_time == 0 ? request->connect_timeout
                                            : request->low_speed_timeout;
          return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TIMEOUT,
                              "The archive at %s did not answer within %u %s.", at, seconds,
                              seconds == 1 ? "second" : "seconds");
        }
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TIMEOUT,
                          "The archive at %s stopped sending data for %u %s.", at,
                          request->low_speed_timeout,
                          request->low_speed_timeout == 1 ? "second" : "seconds");
    case CURLE_PEER_FAILED_VERIFICATION:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TLS,
                          "The certificate of the archive at %s is not trusted (%s).", at,
                          t->error_buffer[0] != '\0' ? t->error_buffer
                                                      : curl_easy_strerror (code));
    case CURLE_SSL_CACERT_BADFILE:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TLS,
                          "The CA file set for the archive at %s cannot be read.", at);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_TLS,
                          "A secure connection to the archive at %s could not be set up (%s).",
                          at, t->error_buffer[0] != '\0' ? t->error_buffer
                                                          : curl_easy_strerror (code));
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_CUT,
                          "The connection to the archive at %s was cut during the transfer.", at);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_INVALID,
                          "The archive address %s is not a valid http or https address.", at);
    case CURLE_TOO_MANY_REDIRECTS:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_SERVER,
                          "The archive at %s sends requests round in a circle of redirects.", at);
    case CURLE_BAD_CONTENT_ENCODING:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                          "The archive at %s sent a compressed answer that cannot be read.", at);
    default:
      return g_error_new (LB_NET_ERROR, LB_NET_ERROR_FAILED,
                          "The transfer with the archive at %s failed (%s).", at,
                          curl_easy_strerror (code));
    }
}

static void
finish_transfer (Worker *worker, Transfer *t, CURLcode code)
{
  long status = 0;

  curl_easy_getinfo (t->easy, CURLINFO_RESPONSE_CODE, &status);
  if (is_cancelled (t))
    {
      complete_cancelled (worker, t);
      return;
    }
  if (t->error != NULL)
    {
      complete (worker, t, g_steal_pointer (&t->error));
      return;
    }
  if (code != CURLE_OK)
    {
      if (is_retryable_code (code) && may_retry (t))
        schedule_retry (worker, t, 0);
      else
        complete (worker, t, translate_error (t, code));
      return;
    }
  if ((status == 502 || status == 503 || status == 504) && may_retry (t))
    {
      curl_off_t retry_after = 0;

      curl_easy_getinfo (t->easy, CURLINFO_RETRY_AFTER, &retry_after);
      schedule_retry (worker, t, (gint64) retry_after);
      return;
    }

  ensure_response (t);
  if (t->body != NULL)
    {
      g_autoptr (GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&t->body));
      _lb_http_response_set_body (t->response, body);
    }
  complete (worker, t, NULL);
}

static void
drop_cancelled (Worker *worker)
{
  for (GList *l = worker->waiting.head; l != NULL;)
    {
      GList *next = l->next;
      Transfer *t = l->data;

      if (is_cancelled (t))
        {
          g_queue_delete_link (&worker->waiting, l);
          complete_cancelled (worker, t);
        }
      l = next;
    }
  for (guint i = worker->running->len; i > 0; i--)
    {
      Transfer *t = g_ptr_array_index (worker->running, i - 1);

      if (is_cancelled (t))
        {
          curl_multi_remove_handle (worker->multi, t->easy);
          g_ptr_array_remove_index_fast (worker->running, i - 1);
          complete_cancelled (worker, t);
        }
    }
}

static void
start_ready (Worker *worker, guint max_parallel, gint64 now)
{
  for (GList *l = worker->waiting.head; l != NULL && worker->running->len < max_parallel;)
    {
      GList *next = l->next;
      Transfer *t = l->data;

      if (t->not_before <= now)
        {
          g_queue_delete_link (&worker->waiting, l);
          if (!start_transfer (worker, t))
            complete (worker, t,
                      g_error_new (LB_NET_ERROR, LB_NET_ERROR_FAILED,
                                   "The transfer with the archive at %s could not be started.",
                                   t->request->origin));
        }
      l = next;
    }
}

static void
collect_finished (Worker *worker)
{
  CURLMsg *message;
  int left;

  while ((message = curl_multi_info_read (worker->multi, &left)) != NULL)
    {
      if (message->msg != CURLMSG_DONE)
        continue;

      CURL *easy = message->easy_handle;
      CURLcode code = message->data.result;
      char *private = NULL;

      curl_easy_getinfo (easy, CURLINFO_PRIVATE, &private);
      Transfer *t = (Transfer *) private;
      curl_multi_remove_handle (worker->multi, easy);
      g_ptr_array_remove_fast (worker->running, t);
      finish_transfer (worker, t, code);
    }
}

/* How long the loop may sleep: until curl's next timeout (curl_multi_poll knows it) or
 * the next retry that is due. */
static int
poll_timeout_ms (Worker *worker, guint max_parallel, gint64 now)
{
  gint64 timeout_ms = 1000;

  if (worker->running->len >= max_parallel)
    return (int) timeout_ms;
  for (GList *l = worker->waiting.head; l != NULL; l = l->next)
    {
      Transfer *t = l->data;
      gint64 wait_ms = (t->not_before - now + 999) / 1000;

      timeout_ms = MIN (timeout_ms, MAX (wait_ms, 0));
    }
  return (int) timeout_ms;
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;

  for (;;)
    {
      g_mutex_lock (&worker->lock);
      gboolean stopping = worker->stopping;
      guint max_parallel = worker->max_parallel;
      while (!g_queue_is_empty (&worker->submitted))
        g_queue_push_tail (&worker->waiting, g_queue_pop_head (&worker->submitted));
      g_mutex_unlock (&worker->lock);
      if (stopping)
        break;

      int running = 0;
      drop_cancelled (worker);
      start_ready (worker, max_parallel, g_get_monotonic_time ());
      curl_multi_perform (worker->multi, &running);
      collect_finished (worker);
      start_ready (worker, max_parallel, g_get_monotonic_time ());
      curl_multi_poll (worker->multi, NULL, 0,
                       poll_timeout_ms (worker, max_parallel, g_get_monotonic_time ()), NULL);
    }

  /* Every transfer holds the LbHttp through its task, so none is left when it stops. */
  g_warn_if_fail (worker->running->len == 0 && g_queue_is_empty (&worker->waiting));
  for (guint i = 0; i < worker->idle->len; i++)
    curl_easy_cleanup (g_ptr_array_index (worker->idle, i));
  g_ptr_array_set_size (worker->idle, 0);
  worker_unref (worker);
  return NULL;
}

static void
lb_http_finalize (GObject *object)
{
  LbHttp *self = LB_HTTP (object);
  Worker *worker = self->worker;
  GThread *thread = worker->thread;

  g_mutex_lock (&worker->lock);
  worker->stopping = TRUE;
  g_mutex_unlock (&worker->lock);
  curl_multi_wakeup (worker->multi);
  /* The last task may drop the last reference from inside the network thread. */
  if (g_thread_self () == thread)
    g_thread_unref (thread);
  else
    g_thread_join (thread);
  worker_unref (worker);

  G_OBJECT_CLASS (lb_http_parent_class)->finalize (object);
}

static void
lb_http_class_init (LbHttpClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_http_finalize;
}

static void
lb_http_init (LbHttp *self)
{
}

LbHttp *
lb_http_new (guint max_parallel)
{
  static gsize curl_ready = 0;

  g_return_val_if_fail (max_parallel > 0, NULL);

  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }

  LbHttp *self = g_object_new (LB_TYPE_HTTP, NULL);
  Worker *worker = g_new0 (Worker, 1);

  g_atomic_ref_count_init (&worker->ref_count);
  g_mutex_init (&worker->lock);
  g_queue_init (&worker->submitted);
  g_queue_init (&worker->waiting);
  worker->running = g_ptr_array_new ();
  worker->idle = g_ptr_array_new ();
  worker->max_parallel = max_parallel;
  worker->multi = curl_multi_init ();
  curl_multi_setopt (worker->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX);
  worker->thread = g_thread_new ("lb-http", worker_main, worker_ref (worker));
  self->worker = worker;
  return self;
}

void
lb_http_set_max_parallel (LbHttp *self, guint max_parallel)
{
  g_return_if_fail (LB_IS_HTTP (self));
  g_return_if_fail (max_parallel > 0);

  g_mutex_lock (&self->worker->lock);
  self->worker->max_parallel = max_parallel;
  g_mutex_unlock (&self->worker->lock);
  curl_multi_wakeup (self->worker->multi);
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Worker *worker = user_data;

  curl_multi_wakeup (worker->multi);
}

void
lb_http_send_async (LbHttp *self, LbHttpRequest *request, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_HTTP (self));
  g_return_if_fail (LB_IS_HTTP_REQUEST (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  Worker *worker = self->worker;
  Transfer *t = g_new0 (Transfer, 1);

  t->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (t->task, lb_http_send_async);
  t->request = g_object_ref (request);
  if (cancellable != NULL)
    {
      t->cancellable = g_object_ref (cancellable);
      t->cancelled_id =
        g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), worker, NULL);
    }

  g_mutex_lock (&worker->lock);
  g_queue_push_tail (&worker->submitted, t);
  g_mutex_unlock (&worker->lock);
  curl_multi_wakeup (worker->multi);
}

LbHttpResponse *
lb_http_send_finish (LbHttp *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LB_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
