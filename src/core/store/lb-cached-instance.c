/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-cached-instance-private.h"

struct _LbCachedInstance
{
  GObject parent_instance;

  char *sop_instance_uid;
  char *series_instance_uid;
  char *study_instance_uid;
  char *sop_class_uid;
  char *transfer_syntax_uid;
  char *modality;
  int series_number;
  int instance_number;
  char *path;
  guint64 size;
};

G_DEFINE_FINAL_TYPE (LbCachedInstance, lb_cached_instance, G_TYPE_OBJECT)

static void
lb_cached_instance_finalize (GObject *object)
{
  LbCachedInstance *self = LB_CACHED_INSTANCE (object);

  g_free (self->sop_instance_uid);
  g_free (self->series_instance_uid);
  g_free (self->study_instance_uid);
  g_free (self->sop_class_uid);
  g_free (self->transfer_syntax_uid);
  g_free (self->modality);
  g_free (self->path);
  G_OBJECT_CLASS (lb_cached_instance_parent_class)->finalize (object);
}

static void
lb_cached_instance_class_init (LbCachedInstanceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_cached_instance_finalize;
}

static void
lb_cached_instance_init (LbCachedInstance *self)
{
}

LbCachedInstance *
_lb_cached_instance_new (const LbCachedInstanceFields *fields)
{
  LbCachedInstance *self = g_object_new (LB_TYPE_CACHED_INSTANCE, NULL);

  self->sop_instance_uid = g_strdup (fields->sop_instance_uid);
  self->series_instance_uid = g_strdup (fields->series_instance_uid);
  self->study_instance_uid = g_strdup (fields->study_instance_uid);
  self->sop_class_uid = g_strdup (fields->sop_class_uid);
  self->transfer_syntax_uid = g_strdup (fields->transfer_syntax_uid);
  self->modality = g_strdup (fields->modality);
  self->series_number = fields->series_number;
  self->instance_number = fields->instance_number;
  self->path = g_strdup (fields->path);
  self->size = fields->size;
  return self;
}

const char *
lb_cached_instance_get_sop_instance_uid (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->sop_instance_uid;
}

const char *
lb_cached_instance_get_series_instance_uid (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->series_instance_uid;
}

const char *
lb_cached_instance_get_study_instance_uid (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->study_instance_uid;
}

const char *
lb_cached_instance_get_sop_class_uid (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->sop_class_uid;
}

const char *
lb_cached_instance_get_transfer_syntax_uid (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->transfer_syntax_uid;
}

const char *
lb_cached_instance_get_modality (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->modality;
}

int
lb_cached_instance_get_series_number (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), -1);
  return self->series_number;
}

int
lb_cached_instance_get_instance_number (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), -1);
  return self->instance_number;
}

const char *
lb_cached_instance_get_path (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), NULL);
  return self->path;
}

guint64
lb_cached_instance_get_size (LbCachedInstance *self)
{
  g_return_val_if_fail (LB_IS_CACHED_INSTANCE (self), 0);
  return self->size;
}
