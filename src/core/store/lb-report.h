/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One saved version of a study's report, as the store holds it.  Immutable.  The report
 * model (templates, SR writing) lives elsewhere; the store keeps its text and state so
 * that nothing typed is lost.
 */
#pragma once

#include <glib-object.h>

#include "lb-store-enums.h"

G_BEGIN_DECLS

#define LB_TYPE_REPORT (lb_report_get_type ())

G_DECLARE_FINAL_TYPE (LbReport, lb_report, LB, REPORT, GObject)

gint64 lb_report_get_id (LbReport *self);
const char *lb_report_get_study_instance_uid (LbReport *self);
/* 1 for the first version. */
guint lb_report_get_version (LbReport *self);
LbReportState lb_report_get_state (LbReport *self);
const char *lb_report_get_author (LbReport *self);
const char *lb_report_get_text (LbReport *self);
/* Microseconds since 1970; sent-at is 0 until the archive confirmed this version. */
gint64 lb_report_get_created_at (LbReport *self);
gint64 lb_report_get_updated_at (LbReport *self);
gint64 lb_report_get_sent_at (LbReport *self);

G_END_DECLS
