/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STOW-RS (PS3.18 10.5): the multipart/related request body and the answer, which lists
 * stored instances in the Referenced SOP Sequence (0008,1199) and refused ones in the
 * Failed SOP Sequence (0008,1198) with a Failure Reason (0008,1197).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The body for @instances (GBytes, one DICOM file each) as chunks for
 * lb_http_request_set_body(): the instances themselves are not copied.  @content_type
 * receives the matching Content-Type, boundary included. */
GPtrArray *lb_stow_build_body (GPtrArray *instances, char **content_type);

/* LbStowResult items.  An empty body or one that is not DICOM JSON is an error. */
GListModel *lb_stow_parse_response (GBytes *json, GError **error);

G_END_DECLS
