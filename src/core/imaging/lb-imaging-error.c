/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-imaging-error.h"

G_DEFINE_QUARK (lb-imaging-error-quark, lb_imaging_error)
