/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-stow-result.h"

struct _LbStowResult
{
  GObject parent_instance;

  char *sop_instance_uid;
  char *sop_class_uid;
  gboolean stored;
  guint failure_reason;
  guint warning_reason;
};

G_DEFINE_FINAL_TYPE (LbStowResult, lb_stow_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOP_INSTANCE_UID,
  PROP_SOP_CLASS_UID,
  PROP_STORED,
  PROP_FAILURE_REASON,
  PROP_WARNING_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lb_stow_result_finalize (GObject *object)
{
  LbStowResult *self = LB_STOW_RESULT (object);

  g_free (self->sop_instance_uid);
  g_free (self->sop_class_uid);

  G_OBJECT_CLASS (lb_stow_result_parent_class)->finalize (object);
}

static void
lb_stow_result_get_property (GObject *object, guint prop_id, GValue *value,
                             GParamSpec *pspec)
{
  LbStowResult *self = LB_STOW_RESULT (object);

  switch (prop_id)
    {
    case PROP_SOP_INSTANCE_UID:
      g_value_set_string (value, self->sop_instance_uid);
      break;
    case PROP_SOP_CLASS_UID:
      g_value_set_string (value, self->sop_class_uid);
      break;
    case PROP_STORED:
      g_value_set_boolean (value, self->stored);
      break;
    case PROP_FAILURE_REASON:
      g_value_set_uint (value, self->failure_reason);
      break;
    case PROP_WARNING_REASON:
      g_value_set_uint (value, self->warning_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_stow_result_class_init (LbStowResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_stow_result_finalize;
  object_class->get_property = lb_stow_result_get_property;

  properties[PROP_SOP_INSTANCE_UID] =
    g_param_spec_string ("sop-instance-uid", NULL, NULL, NULL, flags);
  properties[PROP_SOP_CLASS_UID] = g_param_spec_string ("sop-class-uid", NULL, NULL, NULL, flags);
  properties[PROP_STORED] = g_param_spec_boolean ("stored", NULL, NULL, FALSE, flags);
  properties[PROP_FAILURE_REASON] =
    g_param_spec_uint ("failure-reason", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_WARNING_REASON] =
    g_param_spec_uint ("warning-reason", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_stow_result_init (LbStowResult *self)
{
}

LbStowResult *
lb_stow_result_new (const char *sop_instance_uid, const char *sop_class_uid, gboolean stored,
                    guint failure_reason, guint warning_reason)
{
  g_return_val_if_fail (sop_instance_uid != NULL, NULL);

  LbStowResult *self = g_object_new (LB_TYPE_STOW_RESULT, NULL);
  self->sop_instance_uid = g_strdup (sop_instance_uid);
  self->sop_class_uid = g_strdup (sop_class_uid);
  self->stored = stored;
  self->failure_reason = MIN (failure_reason, G_MAXUINT16);
  self->warning_reason = MIN (warning_reason, G_MAXUINT16);
  return self;
}

const char *
lb_stow_result_get_sop_instance_uid (LbStowResult *self)
{
  g_return_val_if_fail (LB_IS_STOW_RESULT (self), NULL);
  return self->sop_instance_uid;
}

const char *
lb_stow_result_get_sop_class_uid (LbStowResult *self)
{
  g_return_val_if_fail (LB_IS_STOW_RESULT (self), NULL);
  return self->sop_class_uid;
}

gboolean
lb_stow_result_get_stored (LbStowResult *self)
{
  g_return_val_if_fail (LB_IS_STOW_RESULT (self), FALSE);
  return self->stored;
}

guint
lb_stow_result_get_failure_reason (LbStowResult *self)
{
  g_return_val_if_fail (LB_IS_STOW_RESULT (self), 0);
  return self->failure_reason;
}

guint
lb_stow_result_get_warning_reason (LbStowResult *self)
{
  g_return_val_if_fail (LB_IS_STOW_RESULT (self), 0);
  return self->warning_reason;
}

const char *
lb_stow_reason_describe (guint code)
{
  switch (code)
    {
    case 0x0110:
      return "the archive failed while processing it";
    case 0x0111:
      return "the archive already holds a different instance with this UID";
    case 0x0117:
      return "the instance has an invalid SOP Instance UID";
    case 0x0119:
      return "its SOP class does not match the instance";
    case 0x0122:
      return "the archive does not accept this kind of object (SOP class)";
    case 0x0124:
      return "this account may not store it";
    case 0xA900:
      return "its contents do not match its SOP class";
    case 0xB000:
      return "the archive changed some of its attributes";
    case 0xB006:
      return "the archive dropped some of its attributes";
    case 0xB007:
      return "its contents do not fully match its SOP class";
    case 0xC122:
      return "the archive does not accept its transfer syntax";
    default:
      break;
    }
  if ((code & 0xFF00) == 0xA700)
    return "the archive ran out of resources";
  if ((code & 0xF000) == 0xC000)
    return "the archive could not understand it";
  return "the archive gave no known reason";
}
