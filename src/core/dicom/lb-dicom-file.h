/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One DICOM instance, parsed: its attributes and, for images, its frames.  The only
 * caller of the GDCM shim.  Thread-safe: attributes may be read and frames decoded
 * from any thread.
 */
#pragma once

#include <glib-object.h>

#include "lb-dicom-error.h"
#include "lb-image-info.h"
#include "lb-pixels.h"
#include "lb-tags.h"

G_BEGIN_DECLS

#define LB_TYPE_DICOM_FILE (lb_dicom_file_get_type ())

G_DECLARE_FINAL_TYPE (LbDicomFile, lb_dicom_file, LB, DICOM_FILE, GObject)

/* A data set inside a file (the root or a sequence item); valid while the file lives. */
typedef struct _LbDataSet LbDataSet;

/* Everything that multiplies out of a header is capped here before allocation. */
#define LB_DICOM_MAX_IMAGE_BYTES (G_GUINT64_CONSTANT (4) << 30)

void lb_dicom_init (void);

LbDicomFile *lb_dicom_file_new_for_path (const char *path, GError **error);
/* @name names the instance in error messages (a file name or a SOP Instance UID). */
LbDicomFile *lb_dicom_file_new_for_bytes (GBytes *bytes, const char *name, GError **error);

const char *lb_dicom_file_get_name (LbDicomFile *self);
const char *lb_dicom_file_get_transfer_syntax (LbDicomFile *self);
const char *lb_dicom_file_get_sop_class_uid (LbDicomFile *self);
const char *lb_dicom_file_get_sop_instance_uid (LbDicomFile *self);

/* Images have pixel data.  For anything else, a phrase naming what it is ("a structured
 * report"). */
gboolean lb_dicom_file_is_image (LbDicomFile *self);
const char *lb_dicom_file_describe_kind (LbDicomFile *self);

/* The checked Image Pixel module; NULL with an error for non-images and for images whose
 * pixel module is missing or impossible. */
const LbImageInfo *lb_dicom_file_get_image_info (LbDicomFile *self, GError **error);

/* Stored values of one frame (0-based), masked to Bits Stored and sign-extended;
 * colour interleaved, YBR_FULL_422 upsampled. */
LbPixels *lb_dicom_file_decode_frame (LbDicomFile *self, guint frame, GError **error);

/* Attributes.  @ds NULL means the root data set. */
const LbDataSet *lb_dicom_file_get_root (LbDicomFile *self);
gboolean lb_dicom_file_has (LbDicomFile *self, const LbDataSet *ds, guint32 tag);
/* The whole value, trimmed; NULL when absent or empty. */
char *lb_dicom_file_dup_string (LbDicomFile *self, const LbDataSet *ds, guint32 tag);
/* Values split at backslashes, each trimmed; NULL when absent or empty. */
char **lb_dicom_file_dup_strings (LbDicomFile *self, const LbDataSet *ds, guint32 tag);
/* The @index-th value as a number (DS, IS, US, FD, ...); FALSE when absent or not a
 * number. */
gboolean lb_dicom_file_get_double (LbDicomFile *self, const LbDataSet *ds, guint32 tag,
                                   guint index, double *out);
gboolean lb_dicom_file_get_int (LbDicomFile *self, const LbDataSet *ds, guint32 tag,
                                guint index, gint64 *out);
/* All numeric values, up to @max; returns how many were read. */
guint lb_dicom_file_get_doubles (LbDicomFile *self, const LbDataSet *ds, guint32 tag,
                                 double *out, guint max);
/* Raw value bytes (host order for 16/32-bit VRs), borrowed from the file. */
gboolean lb_dicom_file_get_bytes (LbDicomFile *self, const LbDataSet *ds, guint32 tag,
                                  const guint8 **data, gsize *length);
/* The value representation, two letters, or "" when unknown. */
void lb_dicom_file_get_vr (LbDicomFile *self, const LbDataSet *ds, guint32 tag, char vr[3]);
guint lb_dicom_file_get_item_count (LbDicomFile *self, const LbDataSet *ds, guint32 tag);
const LbDataSet *lb_dicom_file_get_item (LbDicomFile *self, const LbDataSet *ds, guint32 tag,
                                         guint index);

/* Where an attribute of one frame lives: in an enhanced multi-frame file, the frame's
 * item of the Per-frame Functional Groups, then the Shared Functional Groups (inside
 * their macro sequences); then the root.  NULL when nowhere. */
const LbDataSet *lb_dicom_file_find_for_frame (LbDicomFile *self, guint frame, guint32 tag);

G_END_DECLS
