/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-outbox-item-private.h"

struct _LbOutboxItem
{
  GObject parent_instance;

  gint64 id;
  char *sop_instance_uid;
  char *study_instance_uid;
  char *destination;
  char *kind;
  gint64 report_id;
  char *payload_path;
  LbOutboxState state;
  guint attempts;
  char *last_error;
  guint64 size;
  gint64 created_at;
  gint64 next_try_at;
  gint64 sent_at;
};

G_DEFINE_FINAL_TYPE (LbOutboxItem, lb_outbox_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOP_INSTANCE_UID,
  PROP_KIND,
  PROP_STATE,
  PROP_ATTEMPTS,
  PROP_LAST_ERROR,
  PROP_NEXT_TRY_AT,
  PROP_SENT_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lb_outbox_item_finalize (GObject *object)
{
  LbOutboxItem *self = LB_OUTBOX_ITEM (object);

  g_free (self->sop_instance_uid);
  g_free (self->study_instance_uid);
  g_free (self->destination);
  g_free (self->kind);
  g_free (self->payload_path);
  g_free (self->last_error);
  G_OBJECT_CLASS (lb_outbox_item_parent_class)->finalize (object);
}

static void
lb_outbox_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbOutboxItem *self = LB_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_SOP_INSTANCE_UID:
      g_value_set_string (value, self->sop_instance_uid);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_NEXT_TRY_AT:
      g_value_set_int64 (value, self->next_try_at);
      break;
    case PROP_SENT_AT:
      g_value_set_int64 (value, self->sent_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_outbox_item_class_init (LbOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_outbox_item_finalize;
  object_class->get_property = lb_outbox_item_get_property;

  properties[PROP_SOP_INSTANCE_UID] =
    g_param_spec_string ("sop-instance-uid", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LB_TYPE_OUTBOX_STATE,
                                              LB_OUTBOX_STATE_PENDING, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  properties[PROP_NEXT_TRY_AT] =
    g_param_spec_int64 ("next-try-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SENT_AT] = g_param_spec_int64 ("sent-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_outbox_item_init (LbOutboxItem *self)
{
}

LbOutboxItem *
_lb_outbox_item_new (const LbOutboxItemFields *fields)
{
  LbOutboxItem *self = g_object_new (LB_TYPE_OUTBOX_ITEM, NULL);

  self->id = fields->id;
  self->sop_instance_uid = g_strdup (fields->sop_instance_uid);
  self->study_instance_uid = g_strdup (fields->study_instance_uid);
  self->destination = g_strdup (fields->destination);
  self->kind = g_strdup (fields->kind);
  self->report_id = fields->report_id;
  self->payload_path = g_strdup (fields->payload_path);
  self->state = fields->state;
  self->attempts = fields->attempts;
  self->last_error = g_strdup (fields->last_error);
  self->size = fields->size;
  self->created_at = fields->created_at;
  self->next_try_at = fields->next_try_at;
  self->sent_at = fields->sent_at;
  return self;
}

const char *
_lb_outbox_item_get_payload_path (LbOutboxItem *self)
{
  return self->payload_path;
}

gint64
lb_outbox_item_get_id (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->id;
}

const char *
lb_outbox_item_get_sop_instance_uid (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), NULL);
  return self->sop_instance_uid;
}

const char *
lb_outbox_item_get_study_instance_uid (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), NULL);
  return self->study_instance_uid;
}

const char *
lb_outbox_item_get_destination (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), NULL);
  return self->destination;
}

const char *
lb_outbox_item_get_kind (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), NULL);
  return self->kind;
}

gint64
lb_outbox_item_get_report_id (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->report_id;
}

LbOutboxState
lb_outbox_item_get_state (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), LB_OUTBOX_STATE_PENDING);
  return self->state;
}

guint
lb_outbox_item_get_attempts (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->attempts;
}

const char *
lb_outbox_item_get_last_error (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), NULL);
  return self->last_error;
}

guint64
lb_outbox_item_get_size (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->size;
}

gint64
lb_outbox_item_get_created_at (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->created_at;
}

gint64
lb_outbox_item_get_next_try_at (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->next_try_at;
}

gint64
lb_outbox_item_get_sent_at (LbOutboxItem *self)
{
  g_return_val_if_fail (LB_IS_OUTBOX_ITEM (self), 0);
  return self->sent_at;
}
