/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LB_IMAGING_ERROR (lb_imaging_error_quark ())

typedef enum {
  LB_IMAGING_ERROR_INVALID_WINDOW, /* a window centre/width the VOI function cannot use */
  LB_IMAGING_ERROR_BAD_LUT,        /* a lookup table or palette that is damaged or absurd */
  LB_IMAGING_ERROR_UNSUPPORTED,    /* pixels this module cannot turn into a picture */
  LB_IMAGING_ERROR_MISMATCH,       /* pixels that do not belong to the display description */
  LB_IMAGING_ERROR_TOO_LARGE,      /* an output larger than the caps allow */
  LB_IMAGING_ERROR_NO_SUCH_FRAME,
} LbImagingError;

GQuark lb_imaging_error_quark (void);

G_END_DECLS
