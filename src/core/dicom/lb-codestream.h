/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A compressed frame's own description of itself, checked against the DICOM header
 * before GDCM decodes it.  GDCM trusts the header: a JPEG 2000 codestream that says
 * 16896 x 512 in a file that says 512 x 512 makes it write past its buffer (found by
 * fuzzing).  The codestream headers are read with the codecs' own libraries (OpenJPEG,
 * CharLS).
 */
#pragma once

#include <glib.h>

#include "lb-image-info.h"

G_BEGIN_DECLS

/* FALSE with LB_DICOM_ERROR_DECODE when the frame's codestream describes another image
 * than @info (size, components, precision).  Transfer syntaxes without a check pass. */
gboolean lb_codestream_check (const char *transfer_syntax, const guint8 *data, gsize length,
                              const LbImageInfo *info, GError **error);

G_END_DECLS
