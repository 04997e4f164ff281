/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DICOM RLE Lossless (PS3.5 Annex G), decoded here rather than by GDCM: GDCM's decoder
 * is 12-14 times slower (bench/README.md), runs once more inside every read to set its
 * lossy flag, and scrambles 16- and 32-bit colour.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decodes one frame (one fragment) into @out: width x height pixels of @samples
 * interleaved samples of @bytes_per_sample bytes each, in host byte order.  Every read
 * of @data is bounds-checked; a malformed frame gives LB_DICOM_ERROR_DECODE. */
gboolean lb_rle_decode_frame (const guint8 *data, gsize length, guint width, guint height,
                              guint samples, guint bytes_per_sample, guint8 *out,
                              GError **error);

G_END_DECLS
