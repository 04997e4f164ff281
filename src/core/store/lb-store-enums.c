/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-enums.h"

G_DEFINE_ENUM_TYPE (LbReadingState, lb_reading_state,
  G_DEFINE_ENUM_VALUE (LB_READING_STATE_UNREAD, "unread"),
  G_DEFINE_ENUM_VALUE (LB_READING_STATE_OPENED, "opened"),
  G_DEFINE_ENUM_VALUE (LB_READING_STATE_IN_PROGRESS, "in-progress"),
  G_DEFINE_ENUM_VALUE (LB_READING_STATE_PRELIMINARY, "preliminary"),
  G_DEFINE_ENUM_VALUE (LB_READING_STATE_FINAL, "final"))

G_DEFINE_ENUM_TYPE (LbReportState, lb_report_state,
  G_DEFINE_ENUM_VALUE (LB_REPORT_STATE_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (LB_REPORT_STATE_PRELIMINARY, "preliminary"),
  G_DEFINE_ENUM_VALUE (LB_REPORT_STATE_FINAL, "final"))

G_DEFINE_ENUM_TYPE (LbOutboxState, lb_outbox_state,
  G_DEFINE_ENUM_VALUE (LB_OUTBOX_STATE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (LB_OUTBOX_STATE_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (LB_OUTBOX_STATE_SENT, "sent"),
  G_DEFINE_ENUM_VALUE (LB_OUTBOX_STATE_FAILED, "failed"))

static const char *
nick_of (GType type, int value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  /* Nicks are static strings of the type, which lives as long as the program. */
  return found != NULL ? found->value_nick : "unknown";
}

static gboolean
value_of (GType type, const char *text, int *value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (found == NULL)
    return FALSE;
  *value = found->value;
  return TRUE;
}

const char *
lb_reading_state_to_string (LbReadingState state)
{
  return nick_of (LB_TYPE_READING_STATE, state);
}

const char *
lb_report_state_to_string (LbReportState state)
{
  return nick_of (LB_TYPE_REPORT_STATE, state);
}

const char *
lb_outbox_state_to_string (LbOutboxState state)
{
  return nick_of (LB_TYPE_OUTBOX_STATE, state);
}

gboolean
lb_reading_state_from_string (const char *text, LbReadingState *state)
{
  int value;

  if (!value_of (LB_TYPE_READING_STATE, text, &value))
    return FALSE;
  *state = (LbReadingState) value;
  return TRUE;
}

gboolean
lb_report_state_from_string (const char *text, LbReportState *state)
{
  int value;

  if (!value_of (LB_TYPE_REPORT_STATE, text, &value))
    return FALSE;
  *state = (LbReportState) value;
  return TRUE;
}
