/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-study.h"

#include "lb-dicom-json-private.h"

enum {
  PROP_0,
  PROP_STUDY_INSTANCE_UID,
  PROP_PATIENT_NAME,
  PROP_PATIENT_ID,
  PROP_PATIENT_BIRTH_DATE,
  PROP_PATIENT_SEX,
  PROP_STUDY_DATE,
  PROP_STUDY_TIME,
  PROP_ACCESSION_NUMBER,
  PROP_STUDY_DESCRIPTION,
  PROP_REFERRING_PHYSICIAN_NAME,
  PROP_STUDY_ID,
  N_STRING_PROPS,
  PROP_MODALITIES = N_STRING_PROPS,
  PROP_SERIES_COUNT,
  PROP_INSTANCE_COUNT,
  N_PROPS
};

/* Where each string property comes from. */
static const struct {
  const char *name;
  const char *tag;
  gboolean person_name;
} string_fields[N_STRING_PROPS] = {
  [PROP_STUDY_INSTANCE_UID] = { "study-instance-uid", "0020000D", FALSE },
  [PROP_PATIENT_NAME] = { "patient-name", "00100010", TRUE },
  [PROP_PATIENT_ID] = { "patient-id", "00100020", FALSE },
  [PROP_PATIENT_BIRTH_DATE] = { "patient-birth-date", "00100030", FALSE },
  [PROP_PATIENT_SEX] = { "patient-sex", "00100040", FALSE },
  [PROP_STUDY_DATE] = { "study-date", "00080020", FALSE },
  [PROP_STUDY_TIME] = { "study-time", "00080030", FALSE },
  [PROP_ACCESSION_NUMBER] = { "accession-number", "00080050", FALSE },
  [PROP_STUDY_DESCRIPTION] = { "study-description", "00081030", FALSE },
  [PROP_REFERRING_PHYSICIAN_NAME] = { "referring-physician-name", "00080090", TRUE },
  [PROP_STUDY_ID] = { "study-id", "00200010", FALSE },
};

#define TAG_MODALITIES_IN_STUDY "00080061"
#define TAG_NUMBER_OF_STUDY_RELATED_SERIES "00201206"
#define TAG_NUMBER_OF_STUDY_RELATED_INSTANCES "00201208"

struct _LbStudy
{
  GObject parent_instance;

  char *strings[N_STRING_PROPS];
  char **modalities;
  int series_count;
  int instance_count;
};

G_DEFINE_FINAL_TYPE (LbStudy, lb_study, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
lb_study_finalize (GObject *object)
{
  LbStudy *self = LB_STUDY (object);

  for (guint i = 0; i < N_STRING_PROPS; i++)
    g_free (self->strings[i]);
  g_strfreev (self->modalities);

  G_OBJECT_CLASS (lb_study_parent_class)->finalize (object);
}

static void
lb_study_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbStudy *self = LB_STUDY (object);

  if (prop_id > PROP_0 && prop_id < N_STRING_PROPS)
    g_value_set_string (value, self->strings[prop_id]);
  else if (prop_id == PROP_MODALITIES)
    g_value_set_boxed (value, self->modalities);
  else if (prop_id == PROP_SERIES_COUNT)
    g_value_set_int (value, self->series_count);
  else if (prop_id == PROP_INSTANCE_COUNT)
    g_value_set_int (value, self->instance_count);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
lb_study_class_init (LbStudyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_study_finalize;
  object_class->get_property = lb_study_get_property;

  for (guint i = PROP_0 + 1; i < N_STRING_PROPS; i++)
    properties[i] = g_param_spec_string (string_fields[i].name, NULL, NULL, NULL, flags);
  properties[PROP_MODALITIES] =
    g_param_spec_boxed ("modalities", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SERIES_COUNT] =
    g_param_spec_int ("series-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_INSTANCE_COUNT] =
    g_param_spec_int ("instance-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_study_init (LbStudy *self)
{
  self->series_count = -1;
  self->instance_count = -1;
}

static int
get_count (JsonObject *object, const char *tag)
{
  gint64 value;

  if (!_lb_dicom_json_get_int (object, tag, &value) || value < 0 || value > G_MAXINT)
    return -1;
  return (int) value;
}

LbStudy *
lb_study_new_from_json (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);

  g_autofree char *uid = _lb_dicom_json_dup_string (object, string_fields[PROP_STUDY_INSTANCE_UID].tag);
  if (uid == NULL)
    return NULL;

  LbStudy *self = g_object_new (LB_TYPE_STUDY, NULL);
  self->strings[PROP_STUDY_INSTANCE_UID] = g_steal_pointer (&uid);
  for (guint i = PROP_STUDY_INSTANCE_UID + 1; i < N_STRING_PROPS; i++)
    self->strings[i] = string_fields[i].person_name
                         ? _lb_dicom_json_dup_person_name (object, string_fields[i].tag)
                         : _lb_dicom_json_dup_string (object, string_fields[i].tag);
  self->modalities = _lb_dicom_json_dup_strings (object, TAG_MODALITIES_IN_STUDY);
  if (self->modalities == NULL)
    self->modalities = g_new0 (char *, 1);
  self->series_count = get_count (object, TAG_NUMBER_OF_STUDY_RELATED_SERIES);
  self->instance_count = get_count (object, TAG_NUMBER_OF_STUDY_RELATED_INSTANCES);
  return self;
}

#define STRING_GETTER(function, prop)                   \
  const char *function (LbStudy *self)                  \
  {                                                     \
    g_return_val_if_fail (LB_IS_STUDY (self), NULL);    \
    return self->strings[prop];                         \
  }

STRING_GETTER (lb_study_get_study_instance_uid, PROP_STUDY_INSTANCE_UID)
STRING_GETTER (lb_study_get_patient_name, PROP_PATIENT_NAME)
STRING_GETTER (lb_study_get_patient_id, PROP_PATIENT_ID)
STRING_GETTER (lb_study_get_patient_birth_date, PROP_PATIENT_BIRTH_DATE)
STRING_GETTER (lb_study_get_patient_sex, PROP_PATIENT_SEX)
STRING_GETTER (lb_study_get_study_date, PROP_STUDY_DATE)
STRING_GETTER (lb_study_get_study_time, PROP_STUDY_TIME)
STRING_GETTER (lb_study_get_accession_number, PROP_ACCESSION_NUMBER)
STRING_GETTER (lb_study_get_study_description, PROP_STUDY_DESCRIPTION)
STRING_GETTER (lb_study_get_referring_physician_name, PROP_REFERRING_PHYSICIAN_NAME)
STRING_GETTER (lb_study_get_study_id, PROP_STUDY_ID)

const char *const *
lb_study_get_modalities (LbStudy *self)
{
  g_return_val_if_fail (LB_IS_STUDY (self), NULL);
  return (const char *const *) self->modalities;
}

int
lb_study_get_series_count (LbStudy *self)
{
  g_return_val_if_fail (LB_IS_STUDY (self), -1);
  return self->series_count;
}

int
lb_study_get_instance_count (LbStudy *self)
{
  g_return_val_if_fail (LB_IS_STUDY (self), -1);
  return self->instance_count;
}
