/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One payload in the outbox: a DICOM instance (a report, later dictation audio) waiting
 * to be stored on an archive by STOW-RS, with its delivery state.  Immutable snapshot.
 */
#pragma once

#include <glib-object.h>

#include "lb-store-enums.h"

G_BEGIN_DECLS

#define LB_TYPE_OUTBOX_ITEM (lb_outbox_item_get_type ())

G_DECLARE_FINAL_TYPE (LbOutboxItem, lb_outbox_item, LB, OUTBOX_ITEM, GObject)

gint64 lb_outbox_item_get_id (LbOutboxItem *self);
const char *lb_outbox_item_get_sop_instance_uid (LbOutboxItem *self);
const char *lb_outbox_item_get_study_instance_uid (LbOutboxItem *self);
/* The DICOMweb root it goes to. */
const char *lb_outbox_item_get_destination (LbOutboxItem *self);
/* "report", "audio" or "instance". */
const char *lb_outbox_item_get_kind (LbOutboxItem *self);
/* The report version it carries; 0 for none. */
gint64 lb_outbox_item_get_report_id (LbOutboxItem *self);
LbOutboxState lb_outbox_item_get_state (LbOutboxItem *self);
guint lb_outbox_item_get_attempts (LbOutboxItem *self);
/* Why the last attempt failed, one sentence; NULL when it did not. */
const char *lb_outbox_item_get_last_error (LbOutboxItem *self);
guint64 lb_outbox_item_get_size (LbOutboxItem *self);
/* Microseconds since 1970; sent-at is 0 until the archive confirmed it. */
gint64 lb_outbox_item_get_created_at (LbOutboxItem *self);
gint64 lb_outbox_item_get_next_try_at (LbOutboxItem *self);
gint64 lb_outbox_item_get_sent_at (LbOutboxItem *self);

G_END_DECLS
