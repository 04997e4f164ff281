/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-net-error.h"

G_DEFINE_QUARK (lb-net-error-quark, lb_net_error)

gboolean
lb_net_error_is_refusal (const GError *error)
{
  return g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_AUTH) ||
         g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_FORBIDDEN);
}
