/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-loaded-study-private.h"

#include "lb-study-format.h"

typedef enum {
  FIELD_STUDY_UID,
  FIELD_PATIENT_NAME,
  FIELD_PATIENT_ID,
  FIELD_PATIENT_SEX,
  FIELD_PATIENT_BIRTH_DATE,
  FIELD_PATIENT_AGE,
  FIELD_STUDY_DATE,
  FIELD_STUDY_TIME,
  FIELD_STUDY_DESCRIPTION,
  FIELD_ACCESSION_NUMBER,
  FIELD_INSTITUTION_NAME,
  N_FIELDS
} Field;

static const guint32 field_tags[N_FIELDS] = {
  [FIELD_STUDY_UID] = LB_TAG_STUDY_INSTANCE_UID,
  [FIELD_PATIENT_NAME] = LB_TAG_PATIENT_NAME,
  [FIELD_PATIENT_ID] = LB_TAG_PATIENT_ID,
  [FIELD_PATIENT_SEX] = LB_TAG_PATIENT_SEX,
  [FIELD_PATIENT_BIRTH_DATE] = LB_TAG_PATIENT_BIRTH_DATE,
  [FIELD_PATIENT_AGE] = LB_TAG_PATIENT_AGE,
  [FIELD_STUDY_DATE] = LB_TAG_STUDY_DATE,
  [FIELD_STUDY_TIME] = LB_TAG_STUDY_TIME,
  [FIELD_STUDY_DESCRIPTION] = LB_TAG_STUDY_DESCRIPTION,
  [FIELD_ACCESSION_NUMBER] = LB_TAG_ACCESSION_NUMBER,
  [FIELD_INSTITUTION_NAME] = LB_TAG_INSTITUTION_NAME,
};

struct _LbLoadedStudy
{
  GObject parent_instance;

  char *fields[N_FIELDS];
  gboolean from_instance;

  GPtrArray *series;        /* LbStudySeries, by series number */
  GHashTable *by_uid;       /* uid -> LbStudySeries (borrowed from @series) */

  guint n_instances;
  guint n_failed;
  guint n_skipped;
  char *first_error;
  guint expected;
  guint loads;
  gboolean held;
  LbFrameCache *cache;
};

enum {
  PROP_0,
  PROP_PATIENT_NAME,
  PROP_N_INSTANCES,
  PROP_N_FAILED,
  PROP_EXPECTED,
  PROP_LOADING,
  PROP_HELD,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
lb_loaded_study_get_item_type (GListModel *model)
{
  return LB_TYPE_STUDY_SERIES;
}

static guint
lb_loaded_study_get_n_items (GListModel *model)
{
  return LB_LOADED_STUDY (model)->series->len;
}

static gpointer
lb_loaded_study_get_item (GListModel *model, guint position)
{
  LbLoadedStudy *self = LB_LOADED_STUDY (model);

  if (position >= self->series->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->series, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = lb_loaded_study_get_item_type;
  iface->get_n_items = lb_loaded_study_get_n_items;
  iface->get_item = lb_loaded_study_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (LbLoadedStudy, lb_loaded_study, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
lb_loaded_study_finalize (GObject *object)
{
  LbLoadedStudy *self = LB_LOADED_STUDY (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_free (self->fields[i]);
  g_hash_table_unref (self->by_uid);
  g_ptr_array_unref (self->series);
  g_free (self->first_error);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (lb_loaded_study_parent_class)->finalize (object);
}

static void
lb_loaded_study_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbLoadedStudy *self = LB_LOADED_STUDY (object);

  switch (prop_id)
    {
    case PROP_PATIENT_NAME:
      g_value_set_string (value, self->fields[FIELD_PATIENT_NAME]);
      break;
    case PROP_N_INSTANCES:
      g_value_set_uint (value, self->n_instances);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_EXPECTED:
      g_value_set_uint (value, self->expected);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loads > 0);
      break;
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_loaded_study_class_init (LbLoadedStudyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_loaded_study_finalize;
  object_class->get_property = lb_loaded_study_get_property;

  /* Notified whenever the study and patient attributes change. */
  props[PROP_PATIENT_NAME] = g_param_spec_string ("patient-name", NULL, NULL, NULL, flags);
  props[PROP_N_INSTANCES] = g_param_spec_uint ("n-instances", NULL, NULL, 0, G_MAXUINT, 0,
                                               flags);
  props[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_EXPECTED] = g_param_spec_uint ("expected", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  props[PROP_HELD] = g_param_spec_boolean ("held", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_loaded_study_init (LbLoadedStudy *self)
{
  self->series = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_uid = g_hash_table_new (g_str_hash, g_str_equal);
}

LbLoadedStudy *
lb_loaded_study_new (void)
{
  return g_object_new (LB_TYPE_LOADED_STUDY, NULL);
}

static void
set_field (LbLoadedStudy *self, Field field, const char *value)
{
  g_free (self->fields[field]);
  self->fields[field] = g_strdup (value);
}

void
lb_loaded_study_set_study (LbLoadedStudy *self, LbStudy *study)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));
  g_return_if_fail (LB_IS_STUDY (study));

  if (self->from_instance)
    return;
  set_field (self, FIELD_STUDY_UID, lb_study_get_study_instance_uid (study));
  set_field (self, FIELD_PATIENT_NAME, lb_study_get_patient_name (study));
  set_field (self, FIELD_PATIENT_ID, lb_study_get_patient_id (study));
  set_field (self, FIELD_PATIENT_SEX, lb_study_get_patient_sex (study));
  set_field (self, FIELD_PATIENT_BIRTH_DATE, lb_study_get_patient_birth_date (study));
  set_field (self, FIELD_STUDY_DATE, lb_study_get_study_date (study));
  set_field (self, FIELD_STUDY_TIME, lb_study_get_study_time (study));
  set_field (self, FIELD_STUDY_DESCRIPTION, lb_study_get_study_description (study));
  set_field (self, FIELD_ACCESSION_NUMBER, lb_study_get_accession_number (study));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PATIENT_NAME]);
}

static void
take_fields_from (LbLoadedStudy *self, LbDicomFile *file)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *value = lb_dicom_file_dup_string (file, NULL, field_tags[i]);

      /* An archive's description is kept where the instance says nothing. */
      if (value != NULL)
        set_field (self, i, value);
    }
  self->from_instance = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PATIENT_NAME]);
}

#define GETTER(name, field)                                   \
  const char *                                                \
  lb_loaded_study_get_##name (LbLoadedStudy *self)            \
  {                                                           \
    g_return_val_if_fail (LB_IS_LOADED_STUDY (self), NULL);   \
    return self->fields[field];                               \
  }

GETTER (study_instance_uid, FIELD_STUDY_UID)
GETTER (patient_name, FIELD_PATIENT_NAME)
GETTER (patient_id, FIELD_PATIENT_ID)
GETTER (patient_sex, FIELD_PATIENT_SEX)
GETTER (patient_birth_date, FIELD_PATIENT_BIRTH_DATE)
GETTER (patient_age, FIELD_PATIENT_AGE)
GETTER (study_date, FIELD_STUDY_DATE)
GETTER (study_time, FIELD_STUDY_TIME)
GETTER (study_description, FIELD_STUDY_DESCRIPTION)
GETTER (accession_number, FIELD_ACCESSION_NUMBER)
GETTER (institution_name, FIELD_INSTITUTION_NAME)

#undef GETTER

static int
compare_series (LbStudySeries *a, LbStudySeries *b)
{
  int na = lb_study_series_get_number (a);
  int nb = lb_study_series_get_number (b);

  if (na != nb)
    {
      if (na < 0)
        return 1;
      if (nb < 0)
        return -1;
      return na < nb ? -1 : 1;
    }
  return g_strcmp0 (lb_study_series_get_series_instance_uid (a),
                    lb_study_series_get_series_instance_uid (b));
}

/* Series numbers may arrive after the series (from its first instance): keep the list in
 * order by moving the one that changed. */
static void
reposition (LbLoadedStudy *self, LbStudySeries *series)
{
  guint from;

  if (!g_ptr_array_find (self->series, series, &from))
    return;
  g_ptr_array_steal_index (self->series, from);
  guint to = 0;
  while (to < self->series->len && compare_series (g_ptr_array_index (self->series, to), series) <= 0)
    to++;
  g_ptr_array_insert (self->series, to, series);
  if (from == to)
    return;
  guint lo = MIN (from, to);
  guint n = MAX (from, to) - lo + 1;
  g_list_model_items_changed (G_LIST_MODEL (self), lo, n, n);
}

static void
on_series_number (LbStudySeries *series, GParamSpec *pspec, LbLoadedStudy *self)
{
  reposition (self, series);
}

LbStudySeries *
lb_loaded_study_lookup_series (LbLoadedStudy *self, const char *uid)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  return g_hash_table_lookup (self->by_uid, uid);
}

LbStudySeries *
lb_loaded_study_ensure_series (LbLoadedStudy *self, const char *uid)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  LbStudySeries *series = g_hash_table_lookup (self->by_uid, uid);
  if (series != NULL)
    return series;

  series = lb_study_series_new (uid);
  guint at = 0;
  while (at < self->series->len && compare_series (g_ptr_array_index (self->series, at), series) <= 0)
    at++;
  g_ptr_array_insert (self->series, at, series);
  g_hash_table_insert (self->by_uid, (gpointer) lb_study_series_get_series_instance_uid (series),
                       series);
  g_signal_connect_object (series, "notify::number", G_CALLBACK (on_series_number), self, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), at, 0, 1);
  return series;
}

LbStudySeries *
lb_loaded_study_add_instance (LbLoadedStudy *self, LbDicomFile *file, GPtrArray *slices)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), NULL);
  g_return_val_if_fail (LB_IS_DICOM_FILE (file), NULL);
  g_return_val_if_fail (slices != NULL, NULL);

  if (!self->from_instance)
    take_fields_from (self, file);

  g_autofree char *uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_SERIES_INSTANCE_UID);
  g_autofree char *modality = lb_dicom_file_dup_string (file, NULL, LB_TAG_MODALITY);
  if (uid == NULL)
    uid = g_strdup_printf ("unnamed-%s", modality != NULL ? modality : "OT");

  LbStudySeries *series = lb_loaded_study_ensure_series (self, uid);
  if (lb_study_series_get_n_instances (series) == 0)
    {
      g_autofree char *description = lb_dicom_file_dup_string (file, NULL,
                                                                LB_TAG_SERIES_DESCRIPTION);
      gint64 number = -1;

      if (!lb_dicom_file_get_int (file, NULL, LB_TAG_SERIES_NUMBER, 0, &number) ||
          number < 0 || number > G_MAXINT)
        number = -1;
      lb_study_series_set_info (series, modality, description, (int) number);
    }
  lb_study_series_add_slices (series, (LbSlice *const *) slices->pdata, slices->len);

  self->n_instances++;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_INSTANCES]);
  return series;
}

void
lb_loaded_study_add_failed (LbLoadedStudy *self, const char *series_uid, const GError *error)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));

  if (series_uid != NULL)
    {
      LbStudySeries *series = lb_loaded_study_lookup_series (self, series_uid);
      if (series != NULL)
        lb_study_series_add_failed (series);
    }
  if (self->first_error == NULL && error != NULL)
    self->first_error = g_strdup (error->message);
  self->n_failed++;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_FAILED]);
}

void
lb_loaded_study_add_skipped (LbLoadedStudy *self)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));
  self->n_skipped++;
}

guint
lb_loaded_study_get_n_instances (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), 0);
  return self->n_instances;
}

guint
lb_loaded_study_get_n_failed (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), 0);
  return self->n_failed;
}

guint
lb_loaded_study_get_n_skipped (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), 0);
  return self->n_skipped;
}

const char *
lb_loaded_study_get_first_error (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), NULL);
  return self->first_error;
}

guint
lb_loaded_study_get_expected (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), 0);
  return self->expected;
}

void
lb_loaded_study_set_expected (LbLoadedStudy *self, guint expected)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));

  if (self->expected == expected)
    return;
  self->expected = expected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXPECTED]);
}

void
lb_loaded_study_set_frame_cache (LbLoadedStudy *self, LbFrameCache *cache)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));
  g_return_if_fail (cache == NULL || LB_IS_FRAME_CACHE (cache));

  g_set_object (&self->cache, cache);
}

LbFrameCache *
lb_loaded_study_get_frame_cache (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), NULL);
  return self->cache;
}

gboolean
lb_loaded_study_get_loading (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), FALSE);
  return self->loads > 0;
}

void
lb_loaded_study_hold (LbLoadedStudy *self)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));
  g_return_if_fail (self->loads == 0);

  if (self->held)
    return;
  self->held = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HELD]);
}

void
lb_loaded_study_resume (LbLoadedStudy *self)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));

  if (!self->held)
    return;
  self->held = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HELD]);
}

gboolean
lb_loaded_study_get_held (LbLoadedStudy *self)
{
  g_return_val_if_fail (LB_IS_LOADED_STUDY (self), FALSE);
  return self->held;
}

void
_lb_loaded_study_begin_load (LbLoadedStudy *self)
{
  if (self->loads++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADING]);
}

void
_lb_loaded_study_end_load (LbLoadedStudy *self)
{
  g_return_if_fail (self->loads > 0);

  if (--self->loads == 0)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADING]);
}

void
_lb_loaded_study_mark_complete (LbLoadedStudy *self)
{
  for (guint i = 0; i < self->series->len; i++)
    lb_study_series_set_complete (g_ptr_array_index (self->series, i), TRUE);
}
