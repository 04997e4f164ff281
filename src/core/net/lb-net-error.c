/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-net-error.h"

G_DEFINE_QUARK (lb-net-error-quark, lb_net_error)
