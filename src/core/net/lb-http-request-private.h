/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What LbHttp reads from a request.  Only lb-http.c and lb-http-request.c use this.
 */
#pragma once

#include "lb-http-request.h"

G_BEGIN_DECLS

struct _LbHttpRequest
{
  GObject parent_instance;

  char *method;
  char *url;
  char *origin;
  GPtrArray *headers;
  char *content_type;
  GPtrArray *body;
  guint64 body_size;
  gboolean idempotent;
  gboolean compressed;
  guint64 max_body_size;

  LbHttpStartFunc start;
  LbHttpDataFunc data;
  gpointer stream_data;
  GDestroyNotify stream_destroy;

  LbHttpProgressFunc progress;
  gpointer progress_data;
  GDestroyNotify progress_destroy;

  LbHttpAuth auth;
  char *user;
  char *secret;
  char *ca_file;
  gboolean insecure;
  guint connect_timeout;
  guint low_speed_timeout;
};

G_END_DECLS
