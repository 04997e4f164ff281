/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-worklist-entry-private.h"

#include <json-glib/json-glib.h>

struct _LbWorklistEntry
{
  GObject parent_instance;

  char *strings[LB_ENTRY_N_STRINGS];
  char **modalities;
  int series_count;
  int instance_count;

  guint cached_instances;
  int expected_instances;
  guint64 bytes;
  LbReadingState reading_state;
  gboolean pinned;
  gboolean local;
  gboolean offline;
  guint unsent_reports;
  gint64 retrieved_at;
  gint64 last_opened_at;

  /* Made on first request, from any thread: set once with an atomic exchange. */
  LbStudy *study;
};

G_DEFINE_FINAL_TYPE (LbWorklistEntry, lb_worklist_entry, G_TYPE_OBJECT)

/* Property names and DICOM JSON tags of the strings, in LbEntryString order. */
static const struct {
  const char *property;
  const char *tag;
  gboolean person_name;
} string_fields[LB_ENTRY_N_STRINGS] = {
  [LB_ENTRY_STUDY_INSTANCE_UID] = { "study-instance-uid", "0020000D", FALSE },
  [LB_ENTRY_PATIENT_NAME] = { "patient-name", "00100010", TRUE },
  [LB_ENTRY_PATIENT_ID] = { "patient-id", "00100020", FALSE },
  [LB_ENTRY_PATIENT_BIRTH_DATE] = { "patient-birth-date", "00100030", FALSE },
  [LB_ENTRY_PATIENT_SEX] = { "patient-sex", "00100040", FALSE },
  [LB_ENTRY_STUDY_DATE] = { "study-date", "00080020", FALSE },
  [LB_ENTRY_STUDY_TIME] = { "study-time", "00080030", FALSE },
  [LB_ENTRY_ACCESSION_NUMBER] = { "accession-number", "00080050", FALSE },
  [LB_ENTRY_STUDY_DESCRIPTION] = { "study-description", "00081030", FALSE },
  [LB_ENTRY_REFERRING_PHYSICIAN_NAME] = { "referring-physician-name", "00080090", TRUE },
  [LB_ENTRY_STUDY_ID] = { "study-id", "00200010", FALSE },
};

enum {
  PROP_0,
  PROP_STRINGS_FIRST,
  PROP_STRINGS_LAST = PROP_STRINGS_FIRST + LB_ENTRY_N_STRINGS - 1,
  PROP_MODALITIES,
  PROP_SERIES_COUNT,
  PROP_INSTANCE_COUNT,
  PROP_CACHED_INSTANCES,
  PROP_BYTES,
  PROP_EXPECTED_INSTANCES,
  PROP_COMPLETE,
  PROP_READING_STATE,
  PROP_PINNED,
  PROP_LOCAL,
  PROP_OFFLINE,
  PROP_UNSENT_REPORTS,
  PROP_RETRIEVED_AT,
  PROP_LAST_OPENED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lb_worklist_entry_finalize (GObject *object)
{
  LbWorklistEntry *self = LB_WORKLIST_ENTRY (object);

  for (guint i = 0; i < LB_ENTRY_N_STRINGS; i++)
    g_free (self->strings[i]);
  g_strfreev (self->modalities);
  g_clear_object (&self->study);
  G_OBJECT_CLASS (lb_worklist_entry_parent_class)->finalize (object);
}

static void
lb_worklist_entry_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  LbWorklistEntry *self = LB_WORKLIST_ENTRY (object);

  if (prop_id >= PROP_STRINGS_FIRST && prop_id <= PROP_STRINGS_LAST)
    {
      g_value_set_string (value, self->strings[prop_id - PROP_STRINGS_FIRST]);
      return;
    }
  switch (prop_id)
    {
    case PROP_MODALITIES:
      g_value_set_boxed (value, self->modalities);
      break;
    case PROP_SERIES_COUNT:
      g_value_set_int (value, self->series_count);
      break;
    case PROP_INSTANCE_COUNT:
      g_value_set_int (value, self->instance_count);
      break;
    case PROP_CACHED_INSTANCES:
      g_value_set_uint (value, self->cached_instances);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case PROP_EXPECTED_INSTANCES:
      g_value_set_int (value, self->expected_instances);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, lb_worklist_entry_get_complete (self));
      break;
    case PROP_READING_STATE:
      g_value_set_enum (value, self->reading_state);
      break;
    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;
    case PROP_LOCAL:
      g_value_set_boolean (value, self->local);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_UNSENT_REPORTS:
      g_value_set_uint (value, self->unsent_reports);
      break;
    case PROP_RETRIEVED_AT:
      g_value_set_int64 (value, self->retrieved_at);
      break;
    case PROP_LAST_OPENED_AT:
      g_value_set_int64 (value, self->last_opened_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_worklist_entry_class_init (LbWorklistEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_worklist_entry_finalize;
  object_class->get_property = lb_worklist_entry_get_property;

  for (guint i = 0; i < LB_ENTRY_N_STRINGS; i++)
    properties[PROP_STRINGS_FIRST + i] =
      g_param_spec_string (string_fields[i].property, NULL, NULL, NULL, flags);
  properties[PROP_MODALITIES] =
    g_param_spec_boxed ("modalities", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SERIES_COUNT] =
    g_param_spec_int ("series-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_INSTANCE_COUNT] =
    g_param_spec_int ("instance-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CACHED_INSTANCES] =
    g_param_spec_uint ("cached-instances", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_BYTES] = g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_EXPECTED_INSTANCES] =
    g_param_spec_int ("expected-instances", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);
  properties[PROP_READING_STATE] =
    g_param_spec_enum ("reading-state", NULL, NULL, LB_TYPE_READING_STATE,
                       LB_READING_STATE_UNREAD, flags);
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, FALSE, flags);
  properties[PROP_LOCAL] = g_param_spec_boolean ("local", NULL, NULL, FALSE, flags);
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, flags);
  properties[PROP_UNSENT_REPORTS] =
    g_param_spec_uint ("unsent-reports", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_RETRIEVED_AT] =
    g_param_spec_int64 ("retrieved-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_OPENED_AT] =
    g_param_spec_int64 ("last-opened-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_worklist_entry_init (LbWorklistEntry *self)
{
}

LbWorklistEntry *
_lb_worklist_entry_new (const LbEntryFields *fields, LbStudy *study)
{
  g_return_val_if_fail (fields->strings[LB_ENTRY_STUDY_INSTANCE_UID] != NULL, NULL);

  LbWorklistEntry *self = g_object_new (LB_TYPE_WORKLIST_ENTRY, NULL);
  static const char *const none[] = { NULL };

  for (guint i = 0; i < LB_ENTRY_N_STRINGS; i++)
    self->strings[i] = g_strdup (fields->strings[i]);
  self->modalities = g_strdupv ((char **) (fields->modalities != NULL ? fields->modalities : none));
  self->series_count = fields->series_count;
  self->instance_count = fields->instance_count;
  self->cached_instances = fields->cached_instances;
  self->expected_instances = fields->expected_instances;
  self->bytes = fields->bytes;
  self->reading_state = fields->reading_state;
  self->pinned = fields->pinned;
  self->local = fields->local;
  self->offline = fields->offline;
  self->unsent_reports = fields->unsent_reports;
  self->retrieved_at = fields->retrieved_at;
  self->last_opened_at = fields->last_opened_at;
  self->study = study != NULL ? g_object_ref (study) : NULL;
  return self;
}

LbWorklistEntry *
_lb_worklist_entry_copy_offline (LbWorklistEntry *self)
{
  LbEntryFields fields = {
    .modalities = (const char *const *) self->modalities,
    .series_count = self->series_count,
    .instance_count = self->instance_count,
    .cached_instances = self->cached_instances,
    .expected_instances = self->expected_instances,
    .bytes = self->bytes,
    .reading_state = self->reading_state,
    .pinned = self->pinned,
    .local = self->local,
    .offline = TRUE,
    .unsent_reports = self->unsent_reports,
    .retrieved_at = self->retrieved_at,
    .last_opened_at = self->last_opened_at,
  };

  for (guint i = 0; i < LB_ENTRY_N_STRINGS; i++)
    fields.strings[i] = self->strings[i];
  return _lb_worklist_entry_new (&fields, g_atomic_pointer_get (&self->study));
}

void
_lb_entry_fields_set_study (LbEntryFields *fields, LbStudy *study)
{
  fields->strings[LB_ENTRY_STUDY_INSTANCE_UID] = lb_study_get_study_instance_uid (study);
  fields->strings[LB_ENTRY_PATIENT_NAME] = lb_study_get_patient_name (study);
  fields->strings[LB_ENTRY_PATIENT_ID] = lb_study_get_patient_id (study);
  fields->strings[LB_ENTRY_PATIENT_BIRTH_DATE] = lb_study_get_patient_birth_date (study);
  fields->strings[LB_ENTRY_PATIENT_SEX] = lb_study_get_patient_sex (study);
  fields->strings[LB_ENTRY_STUDY_DATE] = lb_study_get_study_date (study);
  fields->strings[LB_ENTRY_STUDY_TIME] = lb_study_get_study_time (study);
  fields->strings[LB_ENTRY_ACCESSION_NUMBER] = lb_study_get_accession_number (study);
  fields->strings[LB_ENTRY_STUDY_DESCRIPTION] = lb_study_get_study_description (study);
  fields->strings[LB_ENTRY_REFERRING_PHYSICIAN_NAME] =
    lb_study_get_referring_physician_name (study);
  fields->strings[LB_ENTRY_STUDY_ID] = lb_study_get_study_id (study);
  fields->modalities = lb_study_get_modalities (study);
  fields->series_count = lb_study_get_series_count (study);
  fields->instance_count = lb_study_get_instance_count (study);
}

static JsonObject *
attribute (const char *vr)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "vr", vr);
  return object;
}

/* LbStudy is made from DICOM JSON only: the entry writes its fields as an archive would. */
static LbStudy *
make_study (LbWorklistEntry *self)
{
  g_autoptr (JsonObject) dataset = json_object_new ();

  for (guint i = 0; i < LB_ENTRY_N_STRINGS; i++)
    {
      if (self->strings[i] == NULL)
        continue;

      JsonObject *value = attribute (string_fields[i].person_name ? "PN" : "LO");
      JsonArray *values = json_array_new ();
      if (string_fields[i].person_name)
        {
          JsonObject *name = json_object_new ();
          json_object_set_string_member (name, "Alphabetic", self->strings[i]);
          json_array_add_object_element (values, name);
        }
      else
        json_array_add_string_element (values, self->strings[i]);
      json_object_set_array_member (value, "Value", values);
      json_object_set_object_member (dataset, string_fields[i].tag, value);
    }
  if (self->modalities[0] != NULL)
    {
      JsonObject *value = attribute ("CS");
      JsonArray *values = json_array_new ();
      for (guint i = 0; self->modalities[i] != NULL; i++)
        json_array_add_string_element (values, self->modalities[i]);
      json_object_set_array_member (value, "Value", values);
      json_object_set_object_member (dataset, "00080061", value);
    }

  const struct { const char *tag; int count; } counts[] = {
    { "00201206", self->series_count },
    { "00201208", self->instance_count },
  };
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      if (counts[i].count < 0)
        continue;
      JsonObject *value = attribute ("IS");
      JsonArray *values = json_array_new ();
      json_array_add_int_element (values, counts[i].count);
      json_object_set_array_member (value, "Value", values);
      json_object_set_object_member (dataset, counts[i].tag, value);
    }
  return lb_study_new_from_json (dataset);
}

LbStudy *
lb_worklist_entry_get_study (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), NULL);

  LbStudy *study = g_atomic_pointer_get (&self->study);
  if (study != NULL)
    return study;

  study = make_study (self);
  if (!g_atomic_pointer_compare_and_exchange (&self->study, NULL, study))
    g_object_unref (study);
  return g_atomic_pointer_get (&self->study);
}

#define STRING_GETTER(name, index)                                                       \
  const char *lb_worklist_entry_get_##name (LbWorklistEntry *self)                       \
  {                                                                                      \
    g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), NULL);                            \
    return self->strings[index];                                                         \
  }

STRING_GETTER (study_instance_uid, LB_ENTRY_STUDY_INSTANCE_UID)
STRING_GETTER (patient_name, LB_ENTRY_PATIENT_NAME)
STRING_GETTER (patient_id, LB_ENTRY_PATIENT_ID)
STRING_GETTER (patient_birth_date, LB_ENTRY_PATIENT_BIRTH_DATE)
STRING_GETTER (patient_sex, LB_ENTRY_PATIENT_SEX)
STRING_GETTER (study_date, LB_ENTRY_STUDY_DATE)
STRING_GETTER (study_time, LB_ENTRY_STUDY_TIME)
STRING_GETTER (accession_number, LB_ENTRY_ACCESSION_NUMBER)
STRING_GETTER (study_description, LB_ENTRY_STUDY_DESCRIPTION)
STRING_GETTER (referring_physician_name, LB_ENTRY_REFERRING_PHYSICIAN_NAME)
STRING_GETTER (study_id, LB_ENTRY_STUDY_ID)

const char *const *
lb_worklist_entry_get_modalities (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), NULL);
  return (const char *const *) self->modalities;
}

int
lb_worklist_entry_get_series_count (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), -1);
  return self->series_count;
}

int
lb_worklist_entry_get_instance_count (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), -1);
  return self->instance_count;
}

guint
lb_worklist_entry_get_cached_instances (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->cached_instances;
}

guint64
lb_worklist_entry_get_bytes (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->bytes;
}

int
lb_worklist_entry_get_expected_instances (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), -1);
  return self->expected_instances;
}

gboolean
lb_worklist_entry_get_complete (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  if (self->cached_instances == 0)
    return FALSE;
  if (self->local)
    return TRUE;
  return self->expected_instances >= 0 &&
         self->cached_instances >= (guint) self->expected_instances;
}

LbReadingState
lb_worklist_entry_get_reading_state (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), LB_READING_STATE_UNREAD);
  return self->reading_state;
}

gboolean
lb_worklist_entry_get_pinned (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  return self->pinned;
}

gboolean
lb_worklist_entry_get_local (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  return self->local;
}

gboolean
lb_worklist_entry_get_offline (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  return self->offline;
}

guint
lb_worklist_entry_get_unsent_reports (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->unsent_reports;
}

gint64
lb_worklist_entry_get_retrieved_at (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->retrieved_at;
}

gint64
lb_worklist_entry_get_last_opened_at (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->last_opened_at;
}
