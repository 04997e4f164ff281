/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-multipart-part.h"

G_BEGIN_DECLS

/* Takes @headers (lower-case names to values) and a reference on @body. */
LbMultipartPart *_lb_multipart_part_new (guint index, GHashTable *headers, GBytes *body);

G_END_DECLS
