/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QIDO-RS and WADO-RS metadata answers (DICOM JSON arrays) as lists of LbStudy,
 * LbSeries or LbInstance.  Entries without their own UID are left out: nothing could be
 * done with them.  An empty body (HTTP 204) is an empty list.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GListModel *lb_qido_parse_studies (GBytes *json, GError **error);
GListModel *lb_qido_parse_series (GBytes *json, GError **error);
GListModel *lb_qido_parse_instances (GBytes *json, GError **error);
/* WADO-RS metadata: LbInstance items carrying every attribute. */
GListModel *lb_qido_parse_metadata (GBytes *json, GError **error);

G_END_DECLS
