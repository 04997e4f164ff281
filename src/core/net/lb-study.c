/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-study.h"

#include "lb-dicom-json-private.h"

/* Properties: the strings first, in LbStudyString order. */
enum {
  PROP_0,
  PROP_STRINGS_FIRST,
  PROP_STRINGS_LAST = PROP_STRINGS_FIRST + LB_STUDY_N_STRINGS - 1,
  PROP_MODALITIES,
  PROP_SERIES_COUNT,
  PROP_INSTANCE_COUNT,
  N_PROPS
};

/* Where each string comes from. */
static const struct {
  const char *name;
  const char *tag;
  gboolean person_name;
} string_fields[LB_STUDY_N_STRINGS] = {
  [LB_STUDY_STUDY_INSTANCE_UID] = { "study-instance-uid", "0020000D", FALSE },
  [LB_STUDY_PATIENT_NAME] = { "patient-name", "00100010", TRUE },
  [LB_STUDY_PATIENT_ID] = { "patient-id", "00100020", FALSE },
  [LB_STUDY_PATIENT_BIRTH_DATE] = { "patient-birth-date", "00100030", FALSE },
  [LB_STUDY_PATIENT_SEX] = { "patient-sex", "00100040", FALSE },
  [LB_STUDY_STUDY_DATE] = { "study-date", "00080020", FALSE },
  [LB_STUDY_STUDY_TIME] = { "study-time", "00080030", FALSE },
  [LB_STUDY_ACCESSION_NUMBER] = { "accession-number", "00080050", FALSE },
  [LB_STUDY_STUDY_DESCRIPTION] = { "study-description", "00081030", FALSE },
  [LB_STUDY_REFERRING_PHYSICIAN_NAME] = { "referring-physician-name", "00080090", TRUE },
  [LB_STUDY_STUDY_ID] = { "study-id", "00200010", FALSE },
  [LB_STUDY_PRIORITY] = { "priority", "00401003", FALSE },
};

#define TAG_MODALITIES_IN_STUDY "00080061"
#define TAG_NUMBER_OF_STUDY_RELATED_SERIES "00201206"
#define TAG_NUMBER_OF_STUDY_RELATED_INSTANCES "00201208"

struct _LbStudy
{
  GObject parent_instance;

  char *strings[LB_STUDY_N_STRINGS];
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

  for (guint i = 0; i < LB_STUDY_N_STRINGS; i++)
    g_free (self->strings[i]);
  g_strfreev (self->modalities);

  G_OBJECT_CLASS (lb_study_parent_class)->finalize (object);
}

static void
lb_study_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbStudy *self = LB_STUDY (object);

  if (prop_id >= PROP_STRINGS_FIRST && prop_id <= PROP_STRINGS_LAST)
    g_value_set_string (value, self->strings[prop_id - PROP_STRINGS_FIRST]);
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

  for (guint i = 0; i < LB_STUDY_N_STRINGS; i++)
    properties[PROP_STRINGS_FIRST + i] =
      g_param_spec_string (string_fields[i].name, NULL, NULL, NULL, flags);
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

void
lb_study_add_include_fields (LbQidoQuery *query)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (query));

  for (guint i = 0; i < LB_STUDY_N_STRINGS; i++)
    lb_qido_query_add_include_field (query, string_fields[i].tag);
  lb_qido_query_add_include_field (query, TAG_MODALITIES_IN_STUDY);
  lb_qido_query_add_include_field (query, TAG_NUMBER_OF_STUDY_RELATED_SERIES);
  lb_qido_query_add_include_field (query, TAG_NUMBER_OF_STUDY_RELATED_INSTANCES);
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

  g_autofree char *uid =
    _lb_dicom_json_dup_string (object, string_fields[LB_STUDY_STUDY_INSTANCE_UID].tag);
  if (uid == NULL)
    return NULL;

  LbStudy *self = g_object_new (LB_TYPE_STUDY, NULL);
  self->strings[LB_STUDY_STUDY_INSTANCE_UID] = g_steal_pointer (&uid);
  for (guint i = LB_STUDY_STUDY_INSTANCE_UID + 1; i < LB_STUDY_N_STRINGS; i++)
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

LbStudy *
lb_study_new (const char *const strings[LB_STUDY_N_STRINGS], const char *const *modalities,
              int series_count, int instance_count)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (strings != NULL && strings[LB_STUDY_STUDY_INSTANCE_UID] != NULL, NULL);

  LbStudy *self = g_object_new (LB_TYPE_STUDY, NULL);
  for (guint i = 0; i < LB_STUDY_N_STRINGS; i++)
    self->strings[i] = g_strdup (strings[i]);
  self->modalities = g_strdupv ((char **) (modalities != NULL ? modalities : none));
  self->series_count = MAX (series_count, -1);
  self->instance_count = MAX (instance_count, -1);
  return self;
}

const char *
lb_study_get_string (LbStudy *self, LbStudyString which)
{
  g_return_val_if_fail (LB_IS_STUDY (self), NULL);
  g_return_val_if_fail (which < LB_STUDY_N_STRINGS, NULL);
  return self->strings[which];
}

#define STRING_GETTER(function, which)                  \
  const char *function (LbStudy *self)                  \
  {                                                     \
    g_return_val_if_fail (LB_IS_STUDY (self), NULL);    \
    return self->strings[which];                        \
  }

STRING_GETTER (lb_study_get_study_instance_uid, LB_STUDY_STUDY_INSTANCE_UID)
STRING_GETTER (lb_study_get_patient_name, LB_STUDY_PATIENT_NAME)
STRING_GETTER (lb_study_get_patient_id, LB_STUDY_PATIENT_ID)
STRING_GETTER (lb_study_get_patient_birth_date, LB_STUDY_PATIENT_BIRTH_DATE)
STRING_GETTER (lb_study_get_patient_sex, LB_STUDY_PATIENT_SEX)
STRING_GETTER (lb_study_get_study_date, LB_STUDY_STUDY_DATE)
STRING_GETTER (lb_study_get_study_time, LB_STUDY_STUDY_TIME)
STRING_GETTER (lb_study_get_accession_number, LB_STUDY_ACCESSION_NUMBER)
STRING_GETTER (lb_study_get_study_description, LB_STUDY_STUDY_DESCRIPTION)
STRING_GETTER (lb_study_get_referring_physician_name, LB_STUDY_REFERRING_PHYSICIAN_NAME)
STRING_GETTER (lb_study_get_study_id, LB_STUDY_STUDY_ID)
STRING_GETTER (lb_study_get_priority, LB_STUDY_PRIORITY)

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
