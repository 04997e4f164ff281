/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-http-response.h"

G_BEGIN_DECLS

/* @authenticated: credentials were sent, which changes what a 401 means. */
LbHttpResponse *_lb_http_response_new (const char *origin, guint status,
                                       const char *content_type, gboolean authenticated);
void _lb_http_response_set_body (LbHttpResponse *self, GBytes *body);

G_END_DECLS
