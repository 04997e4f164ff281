/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-report-private.h"

struct _LbReport
{
  GObject parent_instance;

  gint64 id;
  char *study_instance_uid;
  guint version;
  LbReportState state;
  char *author;
  char *text;
  gint64 created_at;
  gint64 updated_at;
  gint64 sent_at;
};

G_DEFINE_FINAL_TYPE (LbReport, lb_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VERSION,
  PROP_STATE,
  PROP_AUTHOR,
  PROP_TEXT,
  PROP_UPDATED_AT,
  PROP_SENT_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lb_report_finalize (GObject *object)
{
  LbReport *self = LB_REPORT (object);

  g_free (self->study_instance_uid);
  g_free (self->author);
  g_free (self->text);
  G_OBJECT_CLASS (lb_report_parent_class)->finalize (object);
}

static void
lb_report_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbReport *self = LB_REPORT (object);

  switch (prop_id)
    {
    case PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_SENT_AT:
      g_value_set_int64 (value, self->sent_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_report_class_init (LbReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_report_finalize;
  object_class->get_property = lb_report_get_property;

  properties[PROP_VERSION] = g_param_spec_uint ("version", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LB_TYPE_REPORT_STATE,
                                              LB_REPORT_STATE_DRAFT, flags);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SENT_AT] = g_param_spec_int64 ("sent-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_report_init (LbReport *self)
{
}

LbReport *
_lb_report_new (const LbReportFields *fields)
{
  LbReport *self = g_object_new (LB_TYPE_REPORT, NULL);

  self->id = fields->id;
  self->study_instance_uid = g_strdup (fields->study_instance_uid);
  self->version = fields->version;
  self->state = fields->state;
  self->author = g_strdup (fields->author);
  self->text = g_strdup (fields->text);
  self->created_at = fields->created_at;
  self->updated_at = fields->updated_at;
  self->sent_at = fields->sent_at;
  return self;
}

gint64
lb_report_get_id (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), 0);
  return self->id;
}

const char *
lb_report_get_study_instance_uid (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), NULL);
  return self->study_instance_uid;
}

guint
lb_report_get_version (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), 0);
  return self->version;
}

LbReportState
lb_report_get_state (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), LB_REPORT_STATE_DRAFT);
  return self->state;
}

const char *
lb_report_get_author (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), NULL);
  return self->author;
}

const char *
lb_report_get_text (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), NULL);
  return self->text;
}

gint64
lb_report_get_created_at (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), 0);
  return self->created_at;
}

gint64
lb_report_get_updated_at (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), 0);
  return self->updated_at;
}

gint64
lb_report_get_sent_at (LbReport *self)
{
  g_return_val_if_fail (LB_IS_REPORT (self), 0);
  return self->sent_at;
}
