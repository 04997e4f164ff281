/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One body part of a multipart/related answer: its headers and its bytes.  Immutable,
 * so it may be handed from the network thread to any other.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_MULTIPART_PART (lb_multipart_part_get_type ())

G_DECLARE_FINAL_TYPE (LbMultipartPart, lb_multipart_part, LB, MULTIPART_PART, GObject)

/* The value of a header (name compared case-insensitively), or NULL. */
const char *lb_multipart_part_get_header (LbMultipartPart *self, const char *name);
const char *lb_multipart_part_get_content_type (LbMultipartPart *self);
const char *lb_multipart_part_get_content_location (LbMultipartPart *self);
GBytes *lb_multipart_part_get_body (LbMultipartPart *self);
/* 0 for the first part of an answer. */
guint lb_multipart_part_get_index (LbMultipartPart *self);

G_END_DECLS
