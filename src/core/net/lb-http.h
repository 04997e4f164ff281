/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP adapter: the only code that calls libcurl.  One network thread runs a curl
 * multi loop; requests come from any thread and run in parallel up to a bound, on reused
 * connections (HTTP/2 where the server offers it).  Idempotent requests are retried with
 * backoff on connection errors and on 502, 503 and 504.  Every libcurl failure becomes
 * an LB_NET_ERROR here, worded for the person at the workstation.
 */
#pragma once

#include <gio/gio.h>

#include "lb-http-request.h"
#include "lb-http-response.h"

G_BEGIN_DECLS

#define LB_TYPE_HTTP (lb_http_get_type ())

G_DECLARE_FINAL_TYPE (LbHttp, lb_http, LB, HTTP, GObject)

/* Retries after the first attempt, for idempotent requests. */
#define LB_HTTP_MAX_RETRIES 3

LbHttp *lb_http_new (guint max_parallel);
/* Transfers beyond this wait in order; takes effect as transfers finish. */
void lb_http_set_max_parallel (LbHttp *self, guint max_parallel);

/* Completes in the thread-default main context of the caller.  Any HTTP status is a
 * success here (see lb_http_response_check_status()); errors are transport failures,
 * cancellation, a streaming function's error, or an answer over its size cap. */
void lb_http_send_async (LbHttp *self, LbHttpRequest *request, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
LbHttpResponse *lb_http_send_finish (LbHttp *self, GAsyncResult *result, GError **error);

G_END_DECLS
