/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The states the store keeps: a study's reading, a report version's signature, an outbox
 * item's delivery.  Their numbers are stored in the index: never renumber them.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  LB_READING_STATE_UNREAD = 0,
  LB_READING_STATE_OPENED = 1,
  LB_READING_STATE_IN_PROGRESS = 2,
  LB_READING_STATE_PRELIMINARY = 3,
  LB_READING_STATE_FINAL = 4,
} LbReadingState;

typedef enum {
  LB_REPORT_STATE_DRAFT = 0,
  LB_REPORT_STATE_PRELIMINARY = 1,
  LB_REPORT_STATE_FINAL = 2,
} LbReportState;

typedef enum {
  /* Waiting for its first attempt, or for the next after a failure (see last error). */
  LB_OUTBOX_STATE_PENDING = 0,
  /* An attempt is under way (or was, when its process died: then it counts as pending). */
  LB_OUTBOX_STATE_SENDING = 1,
  /* The archive confirmed it holds the instance. */
  LB_OUTBOX_STATE_SENT = 2,
  /* The last attempt failed; it is tried again at its next try time. */
  LB_OUTBOX_STATE_FAILED = 3,
} LbOutboxState;

#define LB_TYPE_READING_STATE (lb_reading_state_get_type ())
#define LB_TYPE_REPORT_STATE (lb_report_state_get_type ())
#define LB_TYPE_OUTBOX_STATE (lb_outbox_state_get_type ())

GType lb_reading_state_get_type (void);
GType lb_report_state_get_type (void);
GType lb_outbox_state_get_type (void);

/* The nick: "unread", "in-progress", "preliminary", "sent"... as --json prints them. */
const char *lb_reading_state_to_string (LbReadingState state);
const char *lb_report_state_to_string (LbReportState state);
const char *lb_outbox_state_to_string (LbOutboxState state);
/* FALSE when @text names no state. */
gboolean lb_reading_state_from_string (const char *text, LbReadingState *state);
gboolean lb_report_state_from_string (const char *text, LbReportState *state);

G_END_DECLS
