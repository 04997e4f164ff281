/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LB_DICOM_ERROR (lb_dicom_error_quark ())

typedef enum {
  LB_DICOM_ERROR_IO,          /* the file could not be read */
  LB_DICOM_ERROR_NOT_DICOM,   /* not a DICOM file */
  LB_DICOM_ERROR_CORRUPT,     /* DICOM, but broken or cut short */
  LB_DICOM_ERROR_NOT_IMAGE,   /* a report, key object or other non-image object */
  LB_DICOM_ERROR_UNSUPPORTED, /* an image we cannot decode (transfer syntax, layout) */
  LB_DICOM_ERROR_TOO_LARGE,   /* the header claims more pixels than the caps allow */
  LB_DICOM_ERROR_DECODE,      /* the codec failed on the pixel data */
  LB_DICOM_ERROR_NO_SUCH_FRAME,
} LbDicomError;

GQuark lb_dicom_error_quark (void);

G_END_DECLS
