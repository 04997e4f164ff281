/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-http-request-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (LbHttpRequest, lb_http_request, G_TYPE_OBJECT)

#define DEFAULT_CONNECT_TIMEOUT 30
#define DEFAULT_LOW_SPEED_TIMEOUT 30

/* Secrets should not linger in freed heap memory. */
static void
wipe_string (char **s)
{
  if (*s == NULL)
    return;
  explicit_bzero (*s, strlen (*s));
  g_clear_pointer (s, g_free);
}

static void
lb_http_request_finalize (GObject *object)
{
  LbHttpRequest *self = LB_HTTP_REQUEST (object);

  if (self->stream_destroy != NULL)
    self->stream_destroy (self->stream_data);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  wipe_string (&self->user);
  wipe_string (&self->secret);
  g_free (self->method);
  g_free (self->url);
  g_free (self->origin);
  g_ptr_array_unref (self->headers);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_ptr_array_unref);
  g_free (self->ca_file);

  G_OBJECT_CLASS (lb_http_request_parent_class)->finalize (object);
}

static void
lb_http_request_class_init (LbHttpRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_http_request_finalize;
}

static void
lb_http_request_init (LbHttpRequest *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->max_body_size = LB_HTTP_DEFAULT_MAX_BODY_SIZE;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->low_speed_timeout = DEFAULT_LOW_SPEED_TIMEOUT;
}

static char *
origin_of (const char *url)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  int port = -1;

  if (!g_uri_split_network (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED, &scheme,
                            &host, &port, NULL) ||
      host == NULL || *host == '\0')
    return g_strdup ("(an invalid address)");
  if (port > 0)
    return g_strdup_printf ("%s://%s:%d", scheme, host, port);
  return g_strdup_printf ("%s://%s", scheme, host);
}

LbHttpRequest *
lb_http_request_new (const char *method, const char *url)
{
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  LbHttpRequest *self = g_object_new (LB_TYPE_HTTP_REQUEST, NULL);
  self->method = g_ascii_strup (method, -1);
  self->url = g_strdup (url);
  self->origin = origin_of (url);
  self->idempotent = g_str_equal (self->method, "GET") || g_str_equal (self->method, "HEAD");
  return self;
}

const char *
lb_http_request_get_method (LbHttpRequest *self)
{
  g_return_val_if_fail (LB_IS_HTTP_REQUEST (self), NULL);
  return self->method;
}

const char *
lb_http_request_get_url (LbHttpRequest *self)
{
  g_return_val_if_fail (LB_IS_HTTP_REQUEST (self), NULL);
  return self->url;
}

const char *
lb_http_request_get_origin (LbHttpRequest *self)
{
  g_return_val_if_fail (LB_IS_HTTP_REQUEST (self), NULL);
  return self->origin;
}

void
lb_http_request_add_header (LbHttpRequest *self, const char *name, const char *value)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);
  g_return_if_fail (strpbrk (name, "\r\n:") == NULL && strpbrk (value, "\r\n") == NULL);

  g_ptr_array_add (self->headers, g_strdup_printf ("%s: %s", name, value));
}

void
lb_http_request_set_body (LbHttpRequest *self, const char *content_type, GPtrArray *chunks)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (chunks != NULL);

  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  g_clear_pointer (&self->body, g_ptr_array_unref);
  self->body = g_ptr_array_ref (chunks);
  self->body_size = 0;
  for (guint i = 0; i < chunks->len; i++)
    self->body_size += g_bytes_get_size (g_ptr_array_index (chunks, i));
}

void
lb_http_request_set_idempotent (LbHttpRequest *self, gboolean idempotent)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  self->idempotent = idempotent;
}

void
lb_http_request_set_compressed (LbHttpRequest *self, gboolean compressed)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  self->compressed = compressed;
}

void
lb_http_request_set_max_body_size (LbHttpRequest *self, guint64 max_body_size)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  self->max_body_size = MIN (max_body_size, G_MAXUINT);
}

void
lb_http_request_set_stream (LbHttpRequest *self, LbHttpStartFunc start, LbHttpDataFunc data,
                            gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (start != NULL && data != NULL);
  g_return_if_fail (self->start == NULL);

  self->start = start;
  self->data = data;
  self->stream_data = user_data;
  self->stream_destroy = destroy;
}

void
lb_http_request_set_progress (LbHttpRequest *self, LbHttpProgressFunc progress,
                              gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (progress != NULL);
  g_return_if_fail (self->progress == NULL);

  self->progress = progress;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

void
lb_http_request_set_basic_auth (LbHttpRequest *self, const char *user, const char *password)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (user != NULL && password != NULL);

  wipe_string (&self->user);
  wipe_string (&self->secret);
  self->auth = LB_HTTP_AUTH_BASIC;
  self->user = g_strdup (user);
  self->secret = g_strdup (password);
}

void
lb_http_request_set_bearer_token (LbHttpRequest *self, const char *token)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (token != NULL);

  wipe_string (&self->user);
  wipe_string (&self->secret);
  self->auth = LB_HTTP_AUTH_BEARER;
  self->secret = g_strdup (token);
}

void
lb_http_request_set_tls (LbHttpRequest *self, const char *ca_file, gboolean insecure)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  self->insecure = insecure;
}

void
lb_http_request_set_timeouts (LbHttpRequest *self, guint connect_timeout, guint low_speed_timeout)
{
  g_return_if_fail (LB_IS_HTTP_REQUEST (self));
  g_return_if_fail (connect_timeout > 0 && low_speed_timeout > 0);

  self->connect_timeout = connect_timeout;
  self->low_speed_timeout = low_speed_timeout;
}
