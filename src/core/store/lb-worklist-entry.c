/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-worklist-entry-private.h"

struct _LbWorklistEntry
{
  GObject parent_instance;

  LbStudy *study;
  LbEntryFields fields;
};

G_DEFINE_FINAL_TYPE (LbWorklistEntry, lb_worklist_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STUDY,
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

  g_clear_object (&self->study);
  G_OBJECT_CLASS (lb_worklist_entry_parent_class)->finalize (object);
}

static void
lb_worklist_entry_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  LbWorklistEntry *self = LB_WORKLIST_ENTRY (object);

  switch (prop_id)
    {
    case PROP_STUDY:
      g_value_set_object (value, self->study);
      break;
    case PROP_CACHED_INSTANCES:
      g_value_set_uint (value, self->fields.cached_instances);
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->fields.bytes);
      break;
    case PROP_EXPECTED_INSTANCES:
      g_value_set_int (value, self->fields.expected_instances);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, lb_worklist_entry_get_complete (self));
      break;
    case PROP_READING_STATE:
      g_value_set_enum (value, self->fields.reading_state);
      break;
    case PROP_PINNED:
      g_value_set_boolean (value, self->fields.pinned);
      break;
    case PROP_LOCAL:
      g_value_set_boolean (value, self->fields.local);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->fields.offline);
      break;
    case PROP_UNSENT_REPORTS:
      g_value_set_uint (value, self->fields.unsent_reports);
      break;
    case PROP_RETRIEVED_AT:
      g_value_set_int64 (value, self->fields.retrieved_at);
      break;
    case PROP_LAST_OPENED_AT:
      g_value_set_int64 (value, self->fields.last_opened_at);
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

  properties[PROP_STUDY] = g_param_spec_object ("study", NULL, NULL, LB_TYPE_STUDY, flags);
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
_lb_worklist_entry_new (LbStudy *study, const LbEntryFields *fields)
{
  g_return_val_if_fail (LB_IS_STUDY (study), NULL);

  LbWorklistEntry *self = g_object_new (LB_TYPE_WORKLIST_ENTRY, NULL);
  self->study = g_object_ref (study);
  self->fields = *fields;
  return self;
}

LbWorklistEntry *
_lb_worklist_entry_copy_offline (LbWorklistEntry *self)
{
  LbEntryFields fields = self->fields;

  fields.offline = TRUE;
  return _lb_worklist_entry_new (self->study, &fields);
}

LbStudy *
lb_worklist_entry_get_study (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), NULL);
  return self->study;
}

const char *
lb_worklist_entry_get_study_instance_uid (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), NULL);
  return lb_study_get_study_instance_uid (self->study);
}

guint
lb_worklist_entry_get_cached_instances (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->fields.cached_instances;
}

guint64
lb_worklist_entry_get_bytes (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->fields.bytes;
}

int
lb_worklist_entry_get_expected_instances (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), -1);
  return self->fields.expected_instances;
}

gboolean
lb_worklist_entry_get_complete (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  if (self->fields.cached_instances == 0)
    return FALSE;
  if (self->fields.local)
    return TRUE;
  return self->fields.expected_instances >= 0 &&
         self->fields.cached_instances >= (guint) self->fields.expected_instances;
}

LbReadingState
lb_worklist_entry_get_reading_state (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), LB_READING_STATE_UNREAD);
  return self->fields.reading_state;
}

gboolean
lb_worklist_entry_get_pinned (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  return self->fields.pinned;
}

gboolean
lb_worklist_entry_get_local (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  return self->fields.local;
}

gboolean
lb_worklist_entry_get_offline (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), FALSE);
  return self->fields.offline;
}

guint
lb_worklist_entry_get_unsent_reports (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->fields.unsent_reports;
}

gint64
lb_worklist_entry_get_retrieved_at (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->fields.retrieved_at;
}

gint64
lb_worklist_entry_get_last_opened_at (LbWorklistEntry *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_ENTRY (self), 0);
  return self->fields.last_opened_at;
}
