/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-dicom-error.h"

G_DEFINE_QUARK (lb-dicom-error-quark, lb_dicom_error)
