/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A parsed Content-Type value (RFC 9110 media type): "type/subtype" and its parameters.
 * Parameter values may be quoted strings that contain ';' (Orthanc sends
 * type="application/octet-stream; transfer-syntax=..."), so splitting at ';' is wrong.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LbContentType LbContentType;

/* NULL with LB_NET_ERROR_PROTOCOL when @value is not a media type. */
LbContentType *lb_content_type_parse (const char *value, GError **error);
void lb_content_type_free (LbContentType *self);

/* "type/subtype", lower case. */
const char *lb_content_type_get_media_type (const LbContentType *self);
/* Case-insensitive comparison with "type/subtype". */
gboolean lb_content_type_is (const LbContentType *self, const char *media_type);
/* The unquoted value of a parameter (name compared case-insensitively), or NULL. */
const char *lb_content_type_get_param (const LbContentType *self, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbContentType, lb_content_type_free)

G_END_DECLS
