/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One HTTP request for LbHttp: method, address, headers, body, connection settings and,
 * for answers too large to hold, the functions that receive them as they stream.  Built
 * on one thread, then handed to lb_http_send_async() and not changed again.
 */
#pragma once

#include <glib-object.h>

#include "lb-http-response.h"

G_BEGIN_DECLS

#define LB_TYPE_HTTP_REQUEST (lb_http_request_get_type ())

G_DECLARE_FINAL_TYPE (LbHttpRequest, lb_http_request, LB, HTTP_REQUEST, GObject)

/* Streaming functions run on LbHttp's network thread and must return quickly.
 * @start is called once, before the first bytes of a 2xx answer; a request whose answer
 * has reached these functions is never retried.  Returning FALSE with @error set stops the
 * transfer, which then fails with that error. */
typedef gboolean (*LbHttpStartFunc) (LbHttpResponse *response, gpointer user_data,
                                     GError **error);
typedef gboolean (*LbHttpDataFunc) (const guint8 *data, gsize length, gpointer user_data,
                                    GError **error);
/* Bytes received and sent so far, and the totals when known (else 0); network thread. */
typedef void (*LbHttpProgressFunc) (guint64 received, guint64 receive_total, guint64 sent,
                                    guint64 send_total, gpointer user_data);

typedef enum {
  LB_HTTP_AUTH_NONE,
  LB_HTTP_AUTH_BASIC,
  LB_HTTP_AUTH_BEARER,
} LbHttpAuth;

/* Answers kept in memory are capped; this is the default cap. */
#define LB_HTTP_DEFAULT_MAX_BODY_SIZE (G_GUINT64_CONSTANT (256) << 20)

LbHttpRequest *lb_http_request_new (const char *method, const char *url);

const char *lb_http_request_get_method (LbHttpRequest *self);
const char *lb_http_request_get_url (LbHttpRequest *self);
/* "https://host:port", what error messages name: never the path or query, which may
 * hold patient data. */
const char *lb_http_request_get_origin (LbHttpRequest *self);

void lb_http_request_add_header (LbHttpRequest *self, const char *name, const char *value);
/* The body is sent as the concatenation of @chunks (GBytes), which are not copied. */
void lb_http_request_set_body (LbHttpRequest *self, const char *content_type, GPtrArray *chunks);
/* GET and HEAD are idempotent unless told otherwise; only idempotent requests are
 * retried. */
void lb_http_request_set_idempotent (LbHttpRequest *self, gboolean idempotent);
/* Ask for gzip, brotli or zstd, for answers that compress well (JSON). */
void lb_http_request_set_compressed (LbHttpRequest *self, gboolean compressed);
/* At most G_MAXUINT. */
void lb_http_request_set_max_body_size (LbHttpRequest *self, guint64 max_body_size);
void lb_http_request_set_stream (LbHttpRequest *self, LbHttpStartFunc start, LbHttpDataFunc data,
                                 gpointer user_data, GDestroyNotify destroy);
void lb_http_request_set_progress (LbHttpRequest *self, LbHttpProgressFunc progress,
                                   gpointer user_data, GDestroyNotify destroy);

/* Credentials are copied, sent only to the request's own host, wiped when the request is
 * freed and never logged. */
void lb_http_request_set_basic_auth (LbHttpRequest *self, const char *user, const char *password);
void lb_http_request_set_bearer_token (LbHttpRequest *self, const char *token);
/* TLS peers are verified against the system store, or @ca_file when set; @insecure turns
 * verification off. */
void lb_http_request_set_tls (LbHttpRequest *self, const char *ca_file, gboolean insecure);
/* Seconds to connect, and seconds without a byte before the request fails. */
void lb_http_request_set_timeouts (LbHttpRequest *self, guint connect_timeout,
                                   guint low_speed_timeout);

G_END_DECLS
