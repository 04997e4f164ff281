/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-outbox-item.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  const char *sop_instance_uid;
  const char *study_instance_uid;
  const char *destination;
  const char *kind;
  gint64 report_id;
  const char *payload_path;
  LbOutboxState state;
  guint attempts;
  const char *last_error;
  guint64 size;
  gint64 created_at;
  gint64 next_try_at;
  gint64 sent_at;
} LbOutboxItemFields;

LbOutboxItem *_lb_outbox_item_new (const LbOutboxItemFields *fields);
/* Relative to the cache folder. */
const char *_lb_outbox_item_get_payload_path (LbOutboxItem *self);

G_END_DECLS
