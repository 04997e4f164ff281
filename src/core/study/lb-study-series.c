/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-study-series.h"

#include <math.h>
#include <string.h>

/* Orientations written by one scanner for one series agree to far better than this;
 * a larger difference is a tilted or reformatted image that belongs to another stack. */
#define ORIENTATION_TOLERANCE 1e-3

typedef struct
{
  LbSlice *slice;
  double location;
} Entry;

struct _LbStudySeries
{
  GObject parent_instance;

  char *uid;
  char *modality;
  char *description;
  int number;

  GArray *entries;      /* Entry, in reading order */
  GHashTable *present;  /* "SOP UID/frame" */

  gboolean stack;
  double orientation[6];
  double normal[3];
  gboolean ascending;

  guint n_instances;
  guint expected;
  guint failed;
  gboolean complete;
};

enum {
  PROP_0,
  PROP_SERIES_INSTANCE_UID,
  PROP_MODALITY,
  PROP_DESCRIPTION,
  PROP_NUMBER,
  PROP_N_SLICES,
  PROP_N_INSTANCES,
  PROP_EXPECTED,
  PROP_N_FAILED,
  PROP_PROGRESS,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
lb_study_series_get_item_type (GListModel *model)
{
  return LB_TYPE_SLICE;
}

static guint
lb_study_series_get_n_items (GListModel *model)
{
  return LB_STUDY_SERIES (model)->entries->len;
}

static gpointer
lb_study_series_get_item (GListModel *model, guint position)
{
  LbStudySeries *self = LB_STUDY_SERIES (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_array_index (self->entries, Entry, position).slice);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = lb_study_series_get_item_type;
  iface->get_n_items = lb_study_series_get_n_items;
  iface->get_item = lb_study_series_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (LbStudySeries, lb_study_series, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
clear_entry (gpointer data)
{
  g_clear_object (&((Entry *) data)->slice);
}

static void
lb_study_series_finalize (GObject *object)
{
  LbStudySeries *self = LB_STUDY_SERIES (object);

  g_free (self->uid);
  g_free (self->modality);
  g_free (self->description);
  g_array_unref (self->entries);
  g_hash_table_unref (self->present);

  G_OBJECT_CLASS (lb_study_series_parent_class)->finalize (object);
}

static void
lb_study_series_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbStudySeries *self = LB_STUDY_SERIES (object);

  switch (prop_id)
    {
    case PROP_SERIES_INSTANCE_UID:
      g_value_set_string (value, self->uid);
      break;
    case PROP_MODALITY:
      g_value_set_string (value, self->modality);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_NUMBER:
      g_value_set_int (value, self->number);
      break;
    case PROP_N_SLICES:
      g_value_set_uint (value, self->entries->len);
      break;
    case PROP_N_INSTANCES:
      g_value_set_uint (value, self->n_instances);
      break;
    case PROP_EXPECTED:
      g_value_set_uint (value, self->expected);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->failed);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, lb_study_series_get_progress (self));
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_study_series_class_init (LbStudySeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lb_study_series_finalize;
  object_class->get_property = lb_study_series_get_property;

  props[PROP_SERIES_INSTANCE_UID] = g_param_spec_string ("series-instance-uid", NULL, NULL,
                                                         NULL, flags);
  props[PROP_MODALITY] = g_param_spec_string ("modality", NULL, NULL, NULL, flags);
  props[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  props[PROP_NUMBER] = g_param_spec_int ("number", NULL, NULL, -1, G_MAXINT, -1, flags);
  props[PROP_N_SLICES] = g_param_spec_uint ("n-slices", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_N_INSTANCES] = g_param_spec_uint ("n-instances", NULL, NULL, 0, G_MAXUINT, 0,
                                               flags);
  props[PROP_EXPECTED] = g_param_spec_uint ("expected", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  props[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_study_series_init (LbStudySeries *self)
{
  self->number = -1;
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, clear_entry);
  self->present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

LbStudySeries *
lb_study_series_new (const char *series_instance_uid)
{
  g_return_val_if_fail (series_instance_uid != NULL, NULL);

  LbStudySeries *self = g_object_new (LB_TYPE_STUDY_SERIES, NULL);
  self->uid = g_strdup (series_instance_uid);
  return self;
}

const char *
lb_study_series_get_series_instance_uid (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), NULL);
  return self->uid;
}

const char *
lb_study_series_get_modality (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), NULL);
  return self->modality;
}

const char *
lb_study_series_get_description (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), NULL);
  return self->description;
}

int
lb_study_series_get_number (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), -1);
  return self->number;
}

static void
set_string (LbStudySeries *self, char **field, const char *value, guint prop)
{
  if (value == NULL || g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

void
lb_study_series_set_info (LbStudySeries *self, const char *modality, const char *description,
                          int number)
{
  g_return_if_fail (LB_IS_STUDY_SERIES (self));

  set_string (self, &self->modality, modality, PROP_MODALITY);
  set_string (self, &self->description, description, PROP_DESCRIPTION);
  if (number >= 0 && number != self->number)
    {
      self->number = number;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NUMBER]);
    }
}

static int
compare_numbers (LbSlice *a, LbSlice *b)
{
  int na = lb_slice_get_instance_number (a);
  int nb = lb_slice_get_instance_number (b);

  /* Unnumbered instances go last. */
  if (na != nb)
    {
      if (na < 0)
        return 1;
      if (nb < 0)
        return -1;
      return na < nb ? -1 : 1;
    }
  guint fa = lb_slice_get_frame (a);
  guint fb = lb_slice_get_frame (b);
  if (fa != fb)
    return fa < fb ? -1 : 1;
  return g_strcmp0 (lb_slice_get_sop_instance_uid (a), lb_slice_get_sop_instance_uid (b));
}

static int
compare_entries (LbStudySeries *self, const Entry *a, const Entry *b)
{
  if (self->stack && a->location != b->location)
    return (a->location < b->location) == self->ascending ? -1 : 1;
  return compare_numbers (a->slice, b->slice);
}

static int
compare_entries_cb (gconstpointer a, gconstpointer b, gpointer self)
{
  return compare_entries (self, a, b);
}

static gboolean
same_orientation (const double a[6], const double b[6])
{
  for (guint i = 0; i < 6; i++)
    if (fabs (a[i] - b[i]) > ORIENTATION_TOLERANCE)
      return FALSE;
  return TRUE;
}

/* Whether @slice can join the stack, and where along its normal it lies. */
static gboolean
stack_location (LbStudySeries *self, LbSlice *slice, double *location)
{
  double position[3];
  double orientation[6];

  if (!lb_slice_get_position (slice, position) || !lb_slice_get_orientation (slice, orientation))
    return FALSE;
  if (self->entries->len == 0)
    {
      memcpy (self->orientation, orientation, sizeof self->orientation);
      lb_slice_get_normal (slice, self->normal);
    }
  else if (!same_orientation (self->orientation, orientation))
    return FALSE;
  *location = position[0] * self->normal[0] + position[1] * self->normal[1] +
              position[2] * self->normal[2];
  return TRUE;
}

/* The direction along the normal that makes instance numbers grow, judged from the two
 * ends of the stack. */
static gboolean
wants_flip (LbStudySeries *self)
{
  if (!self->stack || self->entries->len < 2)
    return FALSE;

  const Entry *first = &g_array_index (self->entries, Entry, 0);
  const Entry *last = &g_array_index (self->entries, Entry, self->entries->len - 1);
  if (first->location == last->location ||
      lb_slice_get_instance_number (first->slice) < 0 ||
      lb_slice_get_instance_number (last->slice) < 0)
    return FALSE;
  return compare_numbers (first->slice, last->slice) > 0;
}

static void
resort (LbStudySeries *self)
{
  g_array_sort_with_data (self->entries, compare_entries_cb, self);
}

/* Binary search for where @entry goes. */
static guint
insertion_point (LbStudySeries *self, const Entry *entry)
{
  guint lo = 0;
  guint hi = self->entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (compare_entries (self, &g_array_index (self->entries, Entry, mid), entry) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint
lb_study_series_add_slices (LbStudySeries *self, LbSlice *const *slices, guint n_slices)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), 0);
  g_return_val_if_fail (slices != NULL || n_slices == 0, 0);

  guint old_len = self->entries->len;
  guint added = 0;
  gboolean reordered = FALSE;
  guint first_inserted = G_MAXUINT;

  for (guint i = 0; i < n_slices; i++)
    {
      LbSlice *slice = slices[i];
      char *key = g_strdup_printf ("%s/%u", lb_slice_get_sop_instance_uid (slice),
                                   lb_slice_get_frame (slice));

      if (g_hash_table_contains (self->present, key))
        {
          g_free (key);
          continue;
        }
      g_hash_table_add (self->present, key);

      Entry entry = { g_object_ref (slice), 0 };
      if (self->entries->len == 0)
        self->stack = TRUE;
      if (self->stack && !stack_location (self, slice, &entry.location))
        {
          /* One image off the plane (a scout, a tilted slice) turns the whole series
           * into a list by instance number. */
          self->stack = FALSE;
          reordered = TRUE;
        }

      if (reordered)
        g_array_append_val (self->entries, entry);
      else
        {
          guint at = insertion_point (self, &entry);
          g_array_insert_val (self->entries, at, entry);
          /* Several insertions in one call are announced as one range. */
          if (added > 0)
            reordered = TRUE;
          first_inserted = at;
        }
      added++;
    }

  if (added == 0)
    return 0;

  if (wants_flip (self))
    {
      self->ascending = !self->ascending;
      reordered = TRUE;
    }
  if (reordered)
    {
      resort (self);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), first_inserted, 0, 1);

  self->n_instances++;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_SLICES]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_INSTANCES]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROGRESS]);
  return added;
}

int
lb_study_series_find (LbStudySeries *self, LbSlice *slice)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), -1);

  if (slice == NULL)
    return -1;
  /* The order is known: search by it first, then everywhere (equal keys). */
  Entry probe = { slice, 0 };
  if (self->stack && stack_location (self, slice, &probe.location))
    {
      guint at = insertion_point (self, &probe);
      for (guint i = at; i-- > 0;)
        {
          const Entry *e = &g_array_index (self->entries, Entry, i);
          if (e->slice == slice)
            return (int) i;
          if (compare_entries (self, e, &probe) != 0)
            break;
        }
    }
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, Entry, i).slice == slice)
      return (int) i;
  return -1;
}

gboolean
lb_study_series_get_is_stack (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), FALSE);
  return self->stack && self->entries->len > 0;
}

gboolean
lb_study_series_get_location (LbStudySeries *self, guint index, double *location)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), FALSE);

  if (!self->stack || index >= self->entries->len)
    return FALSE;
  *location = g_array_index (self->entries, Entry, index).location;
  return TRUE;
}

guint
lb_study_series_get_n_instances (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), 0);
  return self->n_instances;
}

guint
lb_study_series_get_expected (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), 0);
  return self->expected;
}

void
lb_study_series_set_expected (LbStudySeries *self, guint expected)
{
  g_return_if_fail (LB_IS_STUDY_SERIES (self));

  if (self->expected == expected)
    return;
  self->expected = expected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EXPECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROGRESS]);
}

void
lb_study_series_add_failed (LbStudySeries *self)
{
  g_return_if_fail (LB_IS_STUDY_SERIES (self));

  self->failed++;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_FAILED]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROGRESS]);
}

guint
lb_study_series_get_n_failed (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), 0);
  return self->failed;
}

double
lb_study_series_get_progress (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), 0);

  if (self->complete)
    return 1;
  if (self->expected == 0)
    return 0;
  return MIN (1.0, (double) (self->n_instances + self->failed) / self->expected);
}

gboolean
lb_study_series_get_complete (LbStudySeries *self)
{
  g_return_val_if_fail (LB_IS_STUDY_SERIES (self), FALSE);
  return self->complete;
}

void
lb_study_series_set_complete (LbStudySeries *self, gboolean complete)
{
  g_return_if_fail (LB_IS_STUDY_SERIES (self));

  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COMPLETE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROGRESS]);
}
