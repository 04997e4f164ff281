/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-worklist-item.h"

#include <glib/gi18n-lib.h>

#include "lb-study-format.h"

struct _LbWorklistItem
{
  GObject parent_instance;

  LbStudy *study;
  char *patient_name;
  char *age_sex;
  char *modalities;
  char *date_time;
  char *search_text;
  guint day;
  gint64 when;
  LbPriority priority;

  LbWorklistStatus status;
  LbCacheState cache_state;
  double cache_progress;
  char *cache_label;
};

enum {
  PROP_0,
  PROP_STUDY_INSTANCE_UID,
  PROP_PATIENT_NAME,
  PROP_PATIENT_ID,
  PROP_AGE_SEX,
  PROP_MODALITIES,
  PROP_DESCRIPTION,
  PROP_DATE_TIME,
  PROP_WHEN,
  PROP_ACCESSION,
  PROP_IMAGES,
  PROP_IMAGES_LABEL,
  PROP_PRIORITY,
  PROP_PRIORITY_LABEL,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_CACHE_STATE,
  PROP_CACHE_PROGRESS,
  PROP_CACHE_LABEL,
  PROP_CACHE_INCOMPLETE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (LbWorklistItem, lb_worklist_item, G_TYPE_OBJECT)

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static void
lb_worklist_item_finalize (GObject *object)
{
  LbWorklistItem *self = LB_WORKLIST_ITEM (object);

  g_clear_object (&self->study);
  g_free (self->patient_name);
  g_free (self->age_sex);
  g_free (self->modalities);
  g_free (self->date_time);
  g_free (self->search_text);
  g_free (self->cache_label);

  G_OBJECT_CLASS (lb_worklist_item_parent_class)->finalize (object);
}

static void
lb_worklist_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbWorklistItem *self = LB_WORKLIST_ITEM (object);

  switch (prop_id)
    {
    case PROP_STUDY_INSTANCE_UID:
      g_value_set_string (value, lb_worklist_item_get_study_instance_uid (self));
      break;
    case PROP_PATIENT_NAME:
      g_value_set_string (value, self->patient_name);
      break;
    case PROP_PATIENT_ID:
      g_value_set_string (value, lb_worklist_item_get_patient_id (self));
      break;
    case PROP_AGE_SEX:
      g_value_set_string (value, self->age_sex);
      break;
    case PROP_MODALITIES:
      g_value_set_string (value, self->modalities);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, lb_worklist_item_get_description (self));
      break;
    case PROP_DATE_TIME:
      g_value_set_string (value, self->date_time);
      break;
    case PROP_WHEN:
      g_value_set_int64 (value, self->when);
      break;
    case PROP_ACCESSION:
      g_value_set_string (value, lb_worklist_item_get_accession (self));
      break;
    case PROP_IMAGES:
      g_value_set_int (value, lb_worklist_item_get_images (self));
      break;
    case PROP_IMAGES_LABEL:
      {
        int images = lb_worklist_item_get_images (self);
        g_value_take_string (value, images >= 0 ? g_strdup_printf ("%d", images) : g_strdup (""));
        break;
      }
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    case PROP_PRIORITY_LABEL:
      g_value_set_string (value, lb_priority_get_label (self->priority));
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, lb_worklist_status_get_label (self->status));
      break;
    case PROP_CACHE_STATE:
      g_value_set_int (value, self->cache_state);
      break;
    case PROP_CACHE_PROGRESS:
      g_value_set_double (value, self->cache_progress);
      break;
    case PROP_CACHE_LABEL:
      g_value_set_string (value, self->cache_label);
      break;
    case PROP_CACHE_INCOMPLETE:
      g_value_set_boolean (value, self->cache_state == LB_CACHE_STATE_FETCHING ||
                                  self->cache_state == LB_CACHE_STATE_PARTIAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_worklist_item_class_init (LbWorklistItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_worklist_item_finalize;
  object_class->get_property = lb_worklist_item_get_property;

  props[PROP_STUDY_INSTANCE_UID] = g_param_spec_string ("study-instance-uid", NULL, NULL, NULL,
                                                        flags);
  props[PROP_PATIENT_NAME] = g_param_spec_string ("patient-name", NULL, NULL, NULL, flags);
  props[PROP_PATIENT_ID] = g_param_spec_string ("patient-id", NULL, NULL, NULL, flags);
  props[PROP_AGE_SEX] = g_param_spec_string ("age-sex", NULL, NULL, NULL, flags);
  props[PROP_MODALITIES] = g_param_spec_string ("modalities", NULL, NULL, NULL, flags);
  props[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  props[PROP_DATE_TIME] = g_param_spec_string ("date-time", NULL, NULL, NULL, flags);
  props[PROP_WHEN] = g_param_spec_int64 ("when", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_ACCESSION] = g_param_spec_string ("accession", NULL, NULL, NULL, flags);
  props[PROP_IMAGES] = g_param_spec_int ("images", NULL, NULL, -1, G_MAXINT, -1, flags);
  props[PROP_IMAGES_LABEL] = g_param_spec_string ("images-label", NULL, NULL, NULL, flags);
  props[PROP_PRIORITY] = g_param_spec_int ("priority", NULL, NULL, 0, LB_PRIORITY_STAT,
                                           LB_PRIORITY_ROUTINE, flags);
  props[PROP_PRIORITY_LABEL] = g_param_spec_string ("priority-label", NULL, NULL, NULL, flags);
  props[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, 0, LB_WORKLIST_STATUS_FINAL, 0,
                                         flags);
  props[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  props[PROP_CACHE_STATE] = g_param_spec_int ("cache-state", NULL, NULL, 0,
                                              LB_CACHE_STATE_CACHED, 0, flags);
  props[PROP_CACHE_PROGRESS] = g_param_spec_double ("cache-progress", NULL, NULL, 0, 1, 0, flags);
  props[PROP_CACHE_LABEL] = g_param_spec_string ("cache-label", NULL, NULL, NULL, flags);
  /* Part of it is cached or being fetched: a bar shows how much. */
  props[PROP_CACHE_INCOMPLETE] = g_param_spec_boolean ("cache-incomplete", NULL, NULL, FALSE,
                                                       flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_worklist_item_init (LbWorklistItem *self)
{
  self->cache_label = g_strdup ("");
}

/* YYYYMMDD and HHMMSS as one number that sorts in time order. */
static gint64
when_of (const char *date, const char *time)
{
  if (lb_date_to_day (date) == 0)
    return 0;

  gint64 when = g_ascii_strtoll (date, NULL, 10) * 1000000;
  if (time != NULL)
    {
      char digits[7] = "000000";
      for (guint i = 0; i < 6 && g_ascii_isdigit (time[i]); i++)
        digits[i] = time[i];
      when += g_ascii_strtoll (digits, NULL, 10);
    }
  return when;
}

/* DICOM's defined terms for (0040,1003); HL7's "S"/"A" and "MED" are seen too. */
static LbPriority
priority_of (const char *value)
{
  static const struct { const char *term; LbPriority priority; } terms[] = {
    { "STAT", LB_PRIORITY_STAT }, { "S", LB_PRIORITY_STAT },
    { "HIGH", LB_PRIORITY_HIGH }, { "A", LB_PRIORITY_HIGH }, { "ASAP", LB_PRIORITY_HIGH },
    { "MEDIUM", LB_PRIORITY_MEDIUM }, { "MED", LB_PRIORITY_MEDIUM },
    { "LOW", LB_PRIORITY_LOW },
  };

  if (value == NULL)
    return LB_PRIORITY_ROUTINE;

  g_autofree char *term = g_ascii_strup (value, -1);
  g_strstrip (term);
  for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
    if (g_str_equal (term, terms[i].term))
      return terms[i].priority;
  return LB_PRIORITY_ROUTINE;
}

static void
append_folded (GString *text, const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  g_autofree char *folded = g_utf8_casefold (value, -1);
  g_string_append (text, folded);
  g_string_append_c (text, '\n');
}

LbWorklistItem *
lb_worklist_item_new (LbStudy *study)
{
  g_return_val_if_fail (LB_IS_STUDY (study), NULL);

  LbWorklistItem *self = g_object_new (LB_TYPE_WORKLIST_ITEM, NULL);
  self->study = g_object_ref (study);
  self->patient_name = lb_format_person_name (lb_study_get_patient_name (study));

  g_autofree char *age = lb_format_age (NULL, lb_study_get_patient_birth_date (study),
                                        lb_study_get_study_date (study));
  self->age_sex = g_strstrip (g_strdup_printf ("%s %s", age,
                                               or_empty (lb_study_get_patient_sex (study))));
  self->modalities = g_strjoinv ("/", (char **) lb_study_get_modalities (study));

  g_autofree char *date = lb_format_date (lb_study_get_study_date (study));
  g_autofree char *time = lb_format_time (lb_study_get_study_time (study), FALSE);
  self->date_time = g_strstrip (g_strdup_printf ("%s %s", date, time));
  self->day = lb_date_to_day (lb_study_get_study_date (study));
  self->when = when_of (lb_study_get_study_date (study), lb_study_get_study_time (study));
  self->priority = priority_of (lb_study_get_priority (study));

  /* The raw name too, so "doe^j" finds DOE^JOHN as typed from a requisition. */
  GString *search = g_string_new (NULL);
  append_folded (search, self->patient_name);
  append_folded (search, lb_study_get_patient_name (study));
  append_folded (search, lb_study_get_patient_id (study));
  append_folded (search, lb_study_get_accession_number (study));
  append_folded (search, lb_study_get_study_description (study));
  self->search_text = g_string_free (search, FALSE);
  return self;
}

LbStudy *
lb_worklist_item_get_study (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), NULL);
  return self->study;
}

const char *
lb_worklist_item_get_study_instance_uid (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), NULL);
  return lb_study_get_study_instance_uid (self->study);
}

const char *
lb_worklist_item_get_patient_name (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return self->patient_name;
}

const char *
lb_worklist_item_get_patient_id (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return or_empty (lb_study_get_patient_id (self->study));
}

const char *
lb_worklist_item_get_age_sex (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return self->age_sex;
}

const char *
lb_worklist_item_get_modalities (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return self->modalities;
}

const char *
lb_worklist_item_get_description (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return or_empty (lb_study_get_study_description (self->study));
}

const char *
lb_worklist_item_get_date_time (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return self->date_time;
}

const char *
lb_worklist_item_get_accession (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return or_empty (lb_study_get_accession_number (self->study));
}

const char *
lb_worklist_item_get_search_text (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), "");
  return self->search_text;
}

guint
lb_worklist_item_get_day (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), 0);
  return self->day;
}

gint64
lb_worklist_item_get_when (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), 0);
  return self->when;
}

int
lb_worklist_item_get_images (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), -1);
  return lb_study_get_instance_count (self->study);
}

gboolean
lb_worklist_item_has_modality (LbWorklistItem *self, const char *modality)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), FALSE);
  return g_strv_contains (lb_study_get_modalities (self->study), modality);
}

LbPriority
lb_worklist_item_get_priority (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), LB_PRIORITY_ROUTINE);
  return self->priority;
}

const char *
lb_priority_get_label (LbPriority priority)
{
  switch (priority)
    {
    case LB_PRIORITY_STAT:
      return C_("priority", "STAT");
    case LB_PRIORITY_HIGH:
      return C_("priority", "High");
    case LB_PRIORITY_MEDIUM:
      return C_("priority", "Medium");
    case LB_PRIORITY_LOW:
      return C_("priority", "Low");
    case LB_PRIORITY_ROUTINE:
    default:
      return "";
    }
}

LbWorklistStatus
lb_worklist_item_get_status (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), LB_WORKLIST_STATUS_UNREAD);
  return self->status;
}

void
lb_worklist_item_set_status (LbWorklistItem *self, LbWorklistStatus status)
{
  g_return_if_fail (LB_IS_WORKLIST_ITEM (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS_LABEL]);
}

const char *
lb_worklist_status_get_label (LbWorklistStatus status)
{
  switch (status)
    {
    case LB_WORKLIST_STATUS_OPENED:
      return C_("reading status", "Opened");
    case LB_WORKLIST_STATUS_IN_PROGRESS:
      return C_("reading status", "In progress");
    case LB_WORKLIST_STATUS_PRELIMINARY:
      return C_("reading status", "Preliminary");
    case LB_WORKLIST_STATUS_FINAL:
      return C_("reading status", "Final");
    case LB_WORKLIST_STATUS_UNREAD:
    default:
      return C_("reading status", "Unread");
    }
}

LbCacheState
lb_worklist_item_get_cache_state (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), LB_CACHE_STATE_NONE);
  return self->cache_state;
}

double
lb_worklist_item_get_cache_progress (LbWorklistItem *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (self), 0);
  return self->cache_progress;
}

void
lb_worklist_item_set_cache (LbWorklistItem *self, LbCacheState state, double progress)
{
  g_return_if_fail (LB_IS_WORKLIST_ITEM (self));

  progress = CLAMP (progress, 0, 1);
  if (self->cache_state == state && self->cache_progress == progress)
    return;
  self->cache_state = state;
  self->cache_progress = progress;
  g_free (self->cache_label);
  switch (state)
    {
    case LB_CACHE_STATE_CACHED:
      self->cache_label = g_strdup (C_("cache state", "Cached"));
      break;
    case LB_CACHE_STATE_FETCHING:
      /* Translators: a study being fetched into the cache, with how far it has come */
      self->cache_label = g_strdup_printf (C_("cache state", "Fetching %.0f%%"), progress * 100);
      break;
    case LB_CACHE_STATE_PARTIAL:
      /* Translators: part of a study is in the cache */
      self->cache_label = g_strdup_printf (C_("cache state", "%.0f%% cached"), progress * 100);
      break;
    case LB_CACHE_STATE_NONE:
    default:
      self->cache_label = g_strdup ("");
      break;
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CACHE_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CACHE_PROGRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CACHE_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CACHE_INCOMPLETE]);
}
