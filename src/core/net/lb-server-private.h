/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-server.h"

G_BEGIN_DECLS

/* A request to @path_and_query (starting with '/') under the DICOMweb root, with this
 * server's credentials, TLS settings and timeouts. */
LbHttpRequest *_lb_server_new_request (LbServer *self, const char *method,
                                       const char *path_and_query);

G_END_DECLS
