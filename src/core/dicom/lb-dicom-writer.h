/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a DICOM instance and writes it, through GDCM, in any transfer syntax GDCM can
 * encode.  Used by the phantom generator and the report writer.
 */
#pragma once

#include <glib-object.h>

#include "lb-dicom-error.h"
#include "lb-tags.h"

G_BEGIN_DECLS

#define LB_TYPE_DICOM_WRITER (lb_dicom_writer_get_type ())

G_DECLARE_FINAL_TYPE (LbDicomWriter, lb_dicom_writer, LB, DICOM_WRITER, GObject)

/* A data set under construction: the writer's root, or a free item for a sequence. */
typedef struct _LbDicomItem LbDicomItem;

typedef struct {
  guint columns;
  guint rows;
  guint frames;
  guint samples_per_pixel;
  guint bits_allocated;
  guint bits_stored;
  gboolean is_signed;
  const char *photometric;
} LbDicomPixelFormat;

LbDicomWriter *lb_dicom_writer_new (void);
LbDicomItem *lb_dicom_writer_get_root (LbDicomWriter *self);

LbDicomItem *lb_dicom_item_new (void);
void lb_dicom_item_free (LbDicomItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbDicomItem, lb_dicom_item_free)

/* Numbers for binary VRs (US, SS, UL, SL, FL, FD) are given as text, several separated
 * by backslashes.  FALSE when the value does not fit the VR. */
gboolean lb_dicom_item_set (LbDicomItem *item, guint32 tag, const char *vr, const char *value);
gboolean lb_dicom_item_set_printf (LbDicomItem *item, guint32 tag, const char *vr,
                                   const char *format, ...) G_GNUC_PRINTF (4, 5);
gboolean lb_dicom_item_set_bytes (LbDicomItem *item, guint32 tag, const char *vr,
                                  gconstpointer data, gsize length);
/* Copies @child into the sequence @tag of @parent, creating the sequence if needed. */
gboolean lb_dicom_item_append (LbDicomItem *parent, guint32 tag, const LbDicomItem *child);

/* Native pixels in host order, all frames, interleaved colour.  The Image Pixel module
 * is written from @format. */
gboolean lb_dicom_writer_set_pixels (LbDicomWriter *self, const LbDicomPixelFormat *format,
                                     gconstpointer data, gsize length, GError **error);

gboolean lb_dicom_writer_write_file (LbDicomWriter *self, const char *path,
                                     const char *transfer_syntax, GError **error);
GBytes *lb_dicom_writer_write_bytes (LbDicomWriter *self, const char *transfer_syntax,
                                     GError **error);

/* A new globally unique UID. */
char *lb_dicom_generate_uid (void);

G_END_DECLS
