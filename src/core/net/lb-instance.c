/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-instance.h"

#include "lb-dicom-json-private.h"

enum {
  PROP_0,
  PROP_SOP_INSTANCE_UID,
  PROP_SOP_CLASS_UID,
  PROP_SERIES_INSTANCE_UID,
  PROP_STUDY_INSTANCE_UID,
  PROP_TRANSFER_SYNTAX_UID,
  N_STRING_PROPS,
  PROP_INSTANCE_NUMBER = N_STRING_PROPS,
  PROP_ROWS,
  PROP_COLUMNS,
  PROP_NUMBER_OF_FRAMES,
  N_INT_PROPS,
  PROP_ATTRIBUTES = N_INT_PROPS,
  N_PROPS
};

static const struct {
  const char *name;
  const char *tag;
} fields[N_INT_PROPS] = {
  [PROP_SOP_INSTANCE_UID] = { "sop-instance-uid", "00080018" },
  [PROP_SOP_CLASS_UID] = { "sop-class-uid", "00080016" },
  [PROP_SERIES_INSTANCE_UID] = { "series-instance-uid", "0020000E" },
  [PROP_STUDY_INSTANCE_UID] = { "study-instance-uid", "0020000D" },
  [PROP_TRANSFER_SYNTAX_UID] = { "transfer-syntax-uid", "00020010" },
  [PROP_INSTANCE_NUMBER] = { "instance-number", "00200013" },
  [PROP_ROWS] = { "rows", "00280010" },
  [PROP_COLUMNS] = { "columns", "00280011" },
  [PROP_NUMBER_OF_FRAMES] = { "number-of-frames", "00280008" },
};

/* QIDO-RS names the transfer syntax here rather than in the file meta group. */
#define TAG_AVAILABLE_TRANSFER_SYNTAX_UID "00083002"

struct _LbInstance
{
  GObject parent_instance;

  char *strings[N_STRING_PROPS];
  int numbers[N_INT_PROPS];
  JsonObject *attributes;
};

G_DEFINE_FINAL_TYPE (LbInstance, lb_instance, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
lb_instance_finalize (GObject *object)
{
  LbInstance *self = LB_INSTANCE (object);

  for (guint i = 0; i < N_STRING_PROPS; i++)
    g_free (self->strings[i]);
  g_clear_pointer (&self->attributes, json_object_unref);

  G_OBJECT_CLASS (lb_instance_parent_class)->finalize (object);
}

static void
lb_instance_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbInstance *self = LB_INSTANCE (object);

  if (prop_id > PROP_0 && prop_id < N_STRING_PROPS)
    g_value_set_string (value, self->strings[prop_id]);
  else if (prop_id >= N_STRING_PROPS && prop_id < N_INT_PROPS)
    g_value_set_int (value, self->numbers[prop_id]);
  else if (prop_id == PROP_ATTRIBUTES)
    g_value_set_boxed (value, self->attributes);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
lb_instance_class_init (LbInstanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_instance_finalize;
  object_class->get_property = lb_instance_get_property;

  for (guint i = PROP_0 + 1; i < N_STRING_PROPS; i++)
    properties[i] = g_param_spec_string (fields[i].name, NULL, NULL, NULL, flags);
  for (guint i = N_STRING_PROPS; i < N_INT_PROPS; i++)
    properties[i] = g_param_spec_int (fields[i].name, NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_ATTRIBUTES] =
    g_param_spec_boxed ("attributes", NULL, NULL, JSON_TYPE_OBJECT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_instance_init (LbInstance *self)
{
  for (guint i = 0; i < N_INT_PROPS; i++)
    self->numbers[i] = -1;
}

LbInstance *
lb_instance_new_from_json (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);

  g_autofree char *uid = _lb_dicom_json_dup_string (object, fields[PROP_SOP_INSTANCE_UID].tag);
  if (uid == NULL)
    return NULL;

  LbInstance *self = g_object_new (LB_TYPE_INSTANCE, NULL);
  self->strings[PROP_SOP_INSTANCE_UID] = g_steal_pointer (&uid);
  for (guint i = PROP_SOP_INSTANCE_UID + 1; i < N_STRING_PROPS; i++)
    self->strings[i] = _lb_dicom_json_dup_string (object, fields[i].tag);
  if (self->strings[PROP_TRANSFER_SYNTAX_UID] == NULL)
    self->strings[PROP_TRANSFER_SYNTAX_UID] =
      _lb_dicom_json_dup_string (object, TAG_AVAILABLE_TRANSFER_SYNTAX_UID);
  for (guint i = N_STRING_PROPS; i < N_INT_PROPS; i++)
    {
      gint64 value;

      if (_lb_dicom_json_get_int (object, fields[i].tag, &value) && value >= 0 &&
          value <= G_MAXINT)
        self->numbers[i] = (int) value;
    }
  self->attributes = json_object_ref (object);
  return self;
}

#define STRING_GETTER(function, prop)                    \
  const char *function (LbInstance *self)                \
  {                                                      \
    g_return_val_if_fail (LB_IS_INSTANCE (self), NULL);  \
    return self->strings[prop];                          \
  }

#define INT_GETTER(function, prop)                       \
  int function (LbInstance *self)                        \
  {                                                      \
    g_return_val_if_fail (LB_IS_INSTANCE (self), -1);    \
    return self->numbers[prop];                          \
  }

STRING_GETTER (lb_instance_get_sop_instance_uid, PROP_SOP_INSTANCE_UID)
STRING_GETTER (lb_instance_get_sop_class_uid, PROP_SOP_CLASS_UID)
STRING_GETTER (lb_instance_get_series_instance_uid, PROP_SERIES_INSTANCE_UID)
STRING_GETTER (lb_instance_get_study_instance_uid, PROP_STUDY_INSTANCE_UID)
STRING_GETTER (lb_instance_get_transfer_syntax_uid, PROP_TRANSFER_SYNTAX_UID)
INT_GETTER (lb_instance_get_instance_number, PROP_INSTANCE_NUMBER)
INT_GETTER (lb_instance_get_rows, PROP_ROWS)
INT_GETTER (lb_instance_get_columns, PROP_COLUMNS)
INT_GETTER (lb_instance_get_number_of_frames, PROP_NUMBER_OF_FRAMES)

JsonObject *
lb_instance_get_attributes (LbInstance *self)
{
  g_return_val_if_fail (LB_IS_INSTANCE (self), NULL);
  return self->attributes;
}
