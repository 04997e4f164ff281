/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-error.h"

G_DEFINE_QUARK (lb-store-error-quark, lb_store_error)
