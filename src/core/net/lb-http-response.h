/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer to an LbHttpRequest: status, Content-Type and, unless it was streamed, the
 * body.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_HTTP_RESPONSE (lb_http_response_get_type ())

G_DECLARE_FINAL_TYPE (LbHttpResponse, lb_http_response, LB, HTTP_RESPONSE, GObject)

guint lb_http_response_get_status (LbHttpResponse *self);
/* The Content-Type header as sent, or NULL. */
const char *lb_http_response_get_content_type (LbHttpResponse *self);
/* The body; empty when it was streamed or when there was none. */
GBytes *lb_http_response_get_body (LbHttpResponse *self);
const char *lb_http_response_get_origin (LbHttpResponse *self);

gboolean lb_http_response_is_success (LbHttpResponse *self);
/* TRUE for a 2xx status; otherwise an LB_NET_ERROR that says what the status means. */
gboolean lb_http_response_check_status (LbHttpResponse *self, GError **error);

G_END_DECLS
