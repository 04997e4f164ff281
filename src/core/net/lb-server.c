/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-server-private.h"

#include <string.h>

#include "lb-net-error.h"

struct _LbServer
{
  GObject parent_instance;

  char *base_url;
  char *origin;
  LbHttpAuth auth;
  char *user;
  char *secret;
  char *ca_file;
  gboolean insecure;
  guint connect_timeout;
  guint low_speed_timeout;
  guint max_parallel;
  guint64 max_part_size;
};

G_DEFINE_FINAL_TYPE (LbServer, lb_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_ORIGIN,
  PROP_USER,
  PROP_CA_FILE,
  PROP_INSECURE,
  PROP_CONNECT_TIMEOUT,
  PROP_LOW_SPEED_TIMEOUT,
  PROP_MAX_PARALLEL,
  PROP_MAX_PART_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_string (char **s)
{
  if (*s == NULL)
    return;
  explicit_bzero (*s, strlen (*s));
  g_clear_pointer (s, g_free);
}

static void
lb_server_finalize (GObject *object)
{
  LbServer *self = LB_SERVER (object);

  wipe_string (&self->secret);
  g_free (self->user);
  g_free (self->base_url);
  g_free (self->origin);
  g_free (self->ca_file);

  G_OBJECT_CLASS (lb_server_parent_class)->finalize (object);
}

static void
lb_server_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbServer *self = LB_SERVER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_ORIGIN:
      g_value_set_string (value, self->origin);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_INSECURE:
      g_value_set_boolean (value, self->insecure);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_LOW_SPEED_TIMEOUT:
      g_value_set_uint (value, self->low_speed_timeout);
      break;
    case PROP_MAX_PARALLEL:
      g_value_set_uint (value, self->max_parallel);
      break;
    case PROP_MAX_PART_SIZE:
      g_value_set_uint64 (value, self->max_part_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_server_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LbServer *self = LB_SERVER (object);

  switch (prop_id)
    {
    case PROP_CA_FILE:
      lb_server_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_INSECURE:
      lb_server_set_insecure (self, g_value_get_boolean (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      lb_server_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_LOW_SPEED_TIMEOUT:
      lb_server_set_low_speed_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_PARALLEL:
      lb_server_set_max_parallel (self, g_value_get_uint (value));
      break;
    case PROP_MAX_PART_SIZE:
      lb_server_set_max_part_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_server_class_init (LbServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags read_write = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_server_finalize;
  object_class->get_property = lb_server_get_property;
  object_class->set_property = lb_server_set_property;

  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, read_only);
  properties[PROP_ORIGIN] = g_param_spec_string ("origin", NULL, NULL, NULL, read_only);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, read_only);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, read_write);
  properties[PROP_INSECURE] = g_param_spec_boolean ("insecure", NULL, NULL, FALSE, read_write);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 1, 3600, LB_SERVER_DEFAULT_TIMEOUT,
                       read_write);
  properties[PROP_LOW_SPEED_TIMEOUT] =
    g_param_spec_uint ("low-speed-timeout", NULL, NULL, 1, 3600, LB_SERVER_DEFAULT_TIMEOUT,
                       read_write);
  properties[PROP_MAX_PARALLEL] =
    g_param_spec_uint ("max-parallel", NULL, NULL, 1, 64, LB_SERVER_DEFAULT_MAX_PARALLEL,
                       read_write);
  properties[PROP_MAX_PART_SIZE] =
    g_param_spec_uint64 ("max-part-size", NULL, NULL, 1, G_MAXUINT,
                         LB_SERVER_DEFAULT_MAX_PART_SIZE, read_write);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_server_init (LbServer *self)
{
  self->connect_timeout = LB_SERVER_DEFAULT_TIMEOUT;
  self->low_speed_timeout = LB_SERVER_DEFAULT_TIMEOUT;
  self->max_parallel = LB_SERVER_DEFAULT_MAX_PARALLEL;
  self->max_part_size = LB_SERVER_DEFAULT_MAX_PART_SIZE;
}

LbServer *
lb_server_new (const char *base_url, GError **error)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  g_autoptr (GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID,
                   "The archive address must start with http:// or https:// and name a host.");
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID,
                   "The archive address must not contain a user name or password; give them "
                   "separately.");
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID,
                   "The archive address must be the DICOMweb root, without '?' or '#'.");
      return NULL;
    }

  LbServer *self = g_object_new (LB_TYPE_SERVER, NULL);
  int port = g_uri_get_port (uri);
  gsize length = strlen (base_url);

  while (length > 0 && base_url[length - 1] == '/')
    length--;
  self->base_url = g_strndup (base_url, length);
  if (port > 0)
    self->origin = g_strdup_printf ("%s://%s:%d", scheme, g_uri_get_host (uri), port);
  else
    self->origin = g_strdup_printf ("%s://%s", scheme, g_uri_get_host (uri));
  return self;
}

const char *
lb_server_get_base_url (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), NULL);
  return self->base_url;
}

const char *
lb_server_get_origin (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), NULL);
  return self->origin;
}

void
lb_server_set_basic_auth (LbServer *self, const char *user, const char *password)
{
  g_return_if_fail (LB_IS_SERVER (self));
  g_return_if_fail (user != NULL && password != NULL);

  lb_server_clear_auth (self);
  self->auth = LB_HTTP_AUTH_BASIC;
  self->user = g_strdup (user);
  self->secret = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

void
lb_server_set_bearer_token (LbServer *self, const char *token)
{
  g_return_if_fail (LB_IS_SERVER (self));
  g_return_if_fail (token != NULL);

  lb_server_clear_auth (self);
  self->auth = LB_HTTP_AUTH_BEARER;
  self->secret = g_strdup (token);
}

void
lb_server_clear_auth (LbServer *self)
{
  g_return_if_fail (LB_IS_SERVER (self));

  wipe_string (&self->secret);
  self->auth = LB_HTTP_AUTH_NONE;
  if (self->user != NULL)
    {
      g_clear_pointer (&self->user, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
}

LbHttpAuth
lb_server_get_auth (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), LB_HTTP_AUTH_NONE);
  return self->auth;
}

const char *
lb_server_get_user (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), NULL);
  return self->user;
}

void
lb_server_set_ca_file (LbServer *self, const char *ca_file)
{
  g_return_if_fail (LB_IS_SERVER (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

const char *
lb_server_get_ca_file (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), NULL);
  return self->ca_file;
}

void
lb_server_set_insecure (LbServer *self, gboolean insecure)
{
  g_return_if_fail (LB_IS_SERVER (self));

  insecure = !!insecure;
  if (self->insecure == insecure)
    return;
  self->insecure = insecure;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSECURE]);
}

gboolean
lb_server_get_insecure (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), FALSE);
  return self->insecure;
}

void
lb_server_set_connect_timeout (LbServer *self, guint seconds)
{
  g_return_if_fail (LB_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  if (self->connect_timeout == seconds)
    return;
  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

guint
lb_server_get_connect_timeout (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), 0);
  return self->connect_timeout;
}

void
lb_server_set_low_speed_timeout (LbServer *self, guint seconds)
{
  g_return_if_fail (LB_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  if (self->low_speed_timeout == seconds)
    return;
  self->low_speed_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOW_SPEED_TIMEOUT]);
}

guint
lb_server_get_low_speed_timeout (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), 0);
  return self->low_speed_timeout;
}

void
lb_server_set_max_parallel (LbServer *self, guint max_parallel)
{
  g_return_if_fail (LB_IS_SERVER (self));
  g_return_if_fail (max_parallel > 0);

  if (self->max_parallel == max_parallel)
    return;
  self->max_parallel = max_parallel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PARALLEL]);
}

guint
lb_server_get_max_parallel (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), 0);
  return self->max_parallel;
}

void
lb_server_set_max_part_size (LbServer *self, guint64 max_part_size)
{
  g_return_if_fail (LB_IS_SERVER (self));
  g_return_if_fail (max_part_size > 0);

  max_part_size = MIN (max_part_size, G_MAXUINT);
  if (self->max_part_size == max_part_size)
    return;
  self->max_part_size = max_part_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PART_SIZE]);
}

guint64
lb_server_get_max_part_size (LbServer *self)
{
  g_return_val_if_fail (LB_IS_SERVER (self), 0);
  return self->max_part_size;
}

LbHttpRequest *
_lb_server_new_request (LbServer *self, const char *method, const char *path_and_query)
{
  g_return_val_if_fail (LB_IS_SERVER (self), NULL);
  g_return_val_if_fail (path_and_query != NULL && path_and_query[0] == '/', NULL);

  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  LbHttpRequest *request = lb_http_request_new (method, url);

  if (self->auth == LB_HTTP_AUTH_BASIC)
    lb_http_request_set_basic_auth (request, self->user, self->secret);
  else if (self->auth == LB_HTTP_AUTH_BEARER)
    lb_http_request_set_bearer_token (request, self->secret);
  lb_http_request_set_tls (request, self->ca_file, self->insecure);
  lb_http_request_set_timeouts (request, self->connect_timeout, self->low_speed_timeout);
  return request;
}
