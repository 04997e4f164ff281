/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LB_NET_ERROR (lb_net_error_quark ())

typedef enum {
  LB_NET_ERROR_FAILED,        /* anything not listed below */
  LB_NET_ERROR_INVALID,       /* a bad server address or setting */
  LB_NET_ERROR_CONNECT,       /* the name did not resolve or nothing answered */
  LB_NET_ERROR_TIMEOUT,       /* no answer, or no data, within the timeout */
  LB_NET_ERROR_TLS,           /* certificate or TLS handshake problem */
  LB_NET_ERROR_CUT,           /* the connection ended before the answer was complete */
  LB_NET_ERROR_AUTH,          /* HTTP 401 */
  LB_NET_ERROR_FORBIDDEN,     /* HTTP 403 */
  LB_NET_ERROR_NOT_FOUND,     /* HTTP 404 */
  LB_NET_ERROR_NOT_ACCEPTED,  /* HTTP 400, 406 or 415: the server refused the request's form */
  LB_NET_ERROR_SERVER,        /* HTTP 5xx or another unexpected status */
  LB_NET_ERROR_PROTOCOL,      /* the answer is not what DICOMweb promises (JSON, multipart) */
  LB_NET_ERROR_TOO_LARGE,     /* an answer or part over its size limit */
  LB_NET_ERROR_STORE,         /* STOW-RS: the archive refused some instances */
} LbNetError;

GQuark lb_net_error_quark (void);

/* The archive refused this user (HTTP 401 or 403).  Asking again with the same
 * credentials will not help, and each try may count towards locking the account (a
 * hospital directory's lockout policy): callers retry such errors only when asked to. */
gboolean lb_net_error_is_refusal (const GError *error);

G_END_DECLS
