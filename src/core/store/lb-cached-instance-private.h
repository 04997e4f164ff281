/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-cached-instance.h"

G_BEGIN_DECLS

typedef struct
{
  const char *sop_instance_uid;
  const char *series_instance_uid;
  const char *study_instance_uid;
  const char *sop_class_uid;
  const char *transfer_syntax_uid;
  const char *modality;
  int series_number;
  int instance_number;
  const char *path;
  guint64 size;
} LbCachedInstanceFields;

LbCachedInstance *_lb_cached_instance_new (const LbCachedInstanceFields *fields);

G_END_DECLS
