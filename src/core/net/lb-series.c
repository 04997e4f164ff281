/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-series.h"

#include "lb-dicom-json-private.h"

enum {
  PROP_0,
  PROP_SERIES_INSTANCE_UID,
  PROP_STUDY_INSTANCE_UID,
  PROP_MODALITY,
  PROP_SERIES_DESCRIPTION,
  PROP_BODY_PART_EXAMINED,
  PROP_SERIES_DATE,
  PROP_SERIES_TIME,
  N_STRING_PROPS,
  PROP_SERIES_NUMBER = N_STRING_PROPS,
  PROP_INSTANCE_COUNT,
  N_PROPS
};

static const struct {
  const char *name;
  const char *tag;
} string_fields[N_STRING_PROPS] = {
  [PROP_SERIES_INSTANCE_UID] = { "series-instance-uid", "0020000E" },
  [PROP_STUDY_INSTANCE_UID] = { "study-instance-uid", "0020000D" },
  [PROP_MODALITY] = { "modality", "00080060" },
  [PROP_SERIES_DESCRIPTION] = { "series-description", "0008103E" },
  [PROP_BODY_PART_EXAMINED] = { "body-part-examined", "00180015" },
  [PROP_SERIES_DATE] = { "series-date", "00080021" },
  [PROP_SERIES_TIME] = { "series-time", "00080031" },
};

#define TAG_SERIES_NUMBER "00200011"
#define TAG_NUMBER_OF_SERIES_RELATED_INSTANCES "00201209"

struct _LbSeries
{
  GObject parent_instance;

  char *strings[N_STRING_PROPS];
  int series_number;
  int instance_count;
};

G_DEFINE_FINAL_TYPE (LbSeries, lb_series, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
lb_series_finalize (GObject *object)
{
  LbSeries *self = LB_SERIES (object);

  for (guint i = 0; i < N_STRING_PROPS; i++)
    g_free (self->strings[i]);

  G_OBJECT_CLASS (lb_series_parent_class)->finalize (object);
}

static void
lb_series_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbSeries *self = LB_SERIES (object);

  if (prop_id > PROP_0 && prop_id < N_STRING_PROPS)
    g_value_set_string (value, self->strings[prop_id]);
  else if (prop_id == PROP_SERIES_NUMBER)
    g_value_set_int (value, self->series_number);
  else if (prop_id == PROP_INSTANCE_COUNT)
    g_value_set_int (value, self->instance_count);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
lb_series_class_init (LbSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_series_finalize;
  object_class->get_property = lb_series_get_property;

  for (guint i = PROP_0 + 1; i < N_STRING_PROPS; i++)
    properties[i] = g_param_spec_string (string_fields[i].name, NULL, NULL, NULL, flags);
  properties[PROP_SERIES_NUMBER] =
    g_param_spec_int ("series-number", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_INSTANCE_COUNT] =
    g_param_spec_int ("instance-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_series_init (LbSeries *self)
{
  self->series_number = -1;
  self->instance_count = -1;
}

static int
get_number (JsonObject *object, const char *tag)
{
  gint64 value;

  if (!_lb_dicom_json_get_int (object, tag, &value) || value < 0 || value > G_MAXINT)
    return -1;
  return (int) value;
}

LbSeries *
lb_series_new_from_json (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);

  g_autofree char *uid =
    _lb_dicom_json_dup_string (object, string_fields[PROP_SERIES_INSTANCE_UID].tag);
  if (uid == NULL)
    return NULL;

  LbSeries *self = g_object_new (LB_TYPE_SERIES, NULL);
  self->strings[PROP_SERIES_INSTANCE_UID] = g_steal_pointer (&uid);
  for (guint i = PROP_SERIES_INSTANCE_UID + 1; i < N_STRING_PROPS; i++)
    self->strings[i] = _lb_dicom_json_dup_string (object, string_fields[i].tag);
  self->series_number = get_number (object, TAG_SERIES_NUMBER);
  self->instance_count = get_number (object, TAG_NUMBER_OF_SERIES_RELATED_INSTANCES);
  return self;
}

#define STRING_GETTER(function, prop)                   \
  const char *function (LbSeries *self)                 \
  {                                                     \
    g_return_val_if_fail (LB_IS_SERIES (self), NULL);   \
    return self->strings[prop];                         \
  }

STRING_GETTER (lb_series_get_series_instance_uid, PROP_SERIES_INSTANCE_UID)
STRING_GETTER (lb_series_get_study_instance_uid, PROP_STUDY_INSTANCE_UID)
STRING_GETTER (lb_series_get_modality, PROP_MODALITY)
STRING_GETTER (lb_series_get_series_description, PROP_SERIES_DESCRIPTION)
STRING_GETTER (lb_series_get_body_part_examined, PROP_BODY_PART_EXAMINED)
STRING_GETTER (lb_series_get_series_date, PROP_SERIES_DATE)
STRING_GETTER (lb_series_get_series_time, PROP_SERIES_TIME)

int
lb_series_get_series_number (LbSeries *self)
{
  g_return_val_if_fail (LB_IS_SERIES (self), -1);
  return self->series_number;
}

int
lb_series_get_instance_count (LbSeries *self)
{
  g_return_val_if_fail (LB_IS_SERIES (self), -1);
  return self->instance_count;
}
