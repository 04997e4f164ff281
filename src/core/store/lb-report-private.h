/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-report.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  const char *study_instance_uid;
  guint version;
  LbReportState state;
  const char *author;
  const char *text;
  gint64 created_at;
  gint64 updated_at;
  gint64 sent_at;
} LbReportFields;

LbReport *_lb_report_new (const LbReportFields *fields);

G_END_DECLS
