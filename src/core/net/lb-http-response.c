/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-http-response-private.h"

#include "lb-net-error.h"

struct _LbHttpResponse
{
  GObject parent_instance;

  char *origin;
  guint status;
  char *content_type;
  gboolean authenticated;
  GBytes *body;
};

G_DEFINE_FINAL_TYPE (LbHttpResponse, lb_http_response, G_TYPE_OBJECT)

static void
lb_http_response_finalize (GObject *object)
{
  LbHttpResponse *self = LB_HTTP_RESPONSE (object);

  g_free (self->origin);
  g_free (self->content_type);
  g_bytes_unref (self->body);

  G_OBJECT_CLASS (lb_http_response_parent_class)->finalize (object);
}

static void
lb_http_response_class_init (LbHttpResponseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_http_response_finalize;
}

static void
lb_http_response_init (LbHttpResponse *self)
{
  self->body = g_bytes_new (NULL, 0);
}

LbHttpResponse *
_lb_http_response_new (const char *origin, guint status, const char *content_type,
                       gboolean authenticated)
{
  g_return_val_if_fail (origin != NULL, NULL);

  LbHttpResponse *self = g_object_new (LB_TYPE_HTTP_RESPONSE, NULL);
  self->origin = g_strdup (origin);
  self->status = status;
  self->content_type = g_strdup (content_type);
  self->authenticated = authenticated;
  return self;
}

void
_lb_http_response_set_body (LbHttpResponse *self, GBytes *body)
{
  g_return_if_fail (LB_IS_HTTP_RESPONSE (self));
  g_return_if_fail (body != NULL);

  g_bytes_unref (self->body);
  self->body = g_bytes_ref (body);
}

guint
lb_http_response_get_status (LbHttpResponse *self)
{
  g_return_val_if_fail (LB_IS_HTTP_RESPONSE (self), 0);
  return self->status;
}

const char *
lb_http_response_get_content_type (LbHttpResponse *self)
{
  g_return_val_if_fail (LB_IS_HTTP_RESPONSE (self), NULL);
  return self->content_type;
}

GBytes *
lb_http_response_get_body (LbHttpResponse *self)
{
  g_return_val_if_fail (LB_IS_HTTP_RESPONSE (self), NULL);
  return self->body;
}

const char *
lb_http_response_get_origin (LbHttpResponse *self)
{
  g_return_val_if_fail (LB_IS_HTTP_RESPONSE (self), NULL);
  return self->origin;
}

gboolean
lb_http_response_is_success (LbHttpResponse *self)
{
  g_return_val_if_fail (LB_IS_HTTP_RESPONSE (self), FALSE);
  return self->status >= 200 && self->status < 300;
}

gboolean
lb_http_response_check_status (LbHttpResponse *self, GError **error)
{
  g_return_val_if_fail (LB_IS_HTTP_RESPONSE (self), FALSE);

  const char *at = self->origin;
  guint status = self->status;

  if (lb_http_response_is_success (self))
    return TRUE;
  switch (status)
    {
    case 401:
      if (self->authenticated)
        g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH,
                     "The archive at %s refused the user name or password (HTTP 401).", at);
      else
        g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_AUTH,
                     "The archive at %s asks for a user name and password (HTTP 401).", at);
      break;
    case 403:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_FORBIDDEN,
                   "The archive at %s does not allow this account to do that (HTTP 403).", at);
      break;
    case 404:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND,
                   "The archive at %s has nothing at this address (HTTP 404).", at);
      break;
    case 400:
    case 406:
    case 415:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_ACCEPTED,
                   "The archive at %s refused the request (HTTP %u).", at, status);
      break;
    case 413:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                   "The archive at %s refused a request this large (HTTP 413).", at);
      break;
    case 500:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_SERVER,
                   "The archive at %s failed with an internal error (HTTP 500).", at);
      break;
    case 502:
    case 504:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_SERVER,
                   "The gateway in front of the archive at %s could not reach it (HTTP %u).",
                   at, status);
      break;
    case 503:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_SERVER,
                   "The archive at %s is unavailable at the moment (HTTP 503).", at);
      break;
    default:
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_SERVER,
                   "The archive at %s gave an unexpected answer (HTTP %u).", at, status);
      break;
    }
  return FALSE;
}
