/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the archive said about one instance sent with STOW-RS.  Immutable.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_STOW_RESULT (lb_stow_result_get_type ())

G_DECLARE_FINAL_TYPE (LbStowResult, lb_stow_result, LB, STOW_RESULT, GObject)

LbStowResult *lb_stow_result_new (const char *sop_instance_uid, const char *sop_class_uid,
                                  gboolean stored, guint failure_reason, guint warning_reason);

const char *lb_stow_result_get_sop_instance_uid (LbStowResult *self);
/* NULL when the archive did not say. */
const char *lb_stow_result_get_sop_class_uid (LbStowResult *self);
gboolean lb_stow_result_get_stored (LbStowResult *self);
/* Failure Reason (0008,1197) when not stored, Warning Reason (0008,1196) when stored with
 * a warning; 0 otherwise. */
guint lb_stow_result_get_failure_reason (LbStowResult *self);
guint lb_stow_result_get_warning_reason (LbStowResult *self);

/* A phrase for a failure or warning code (PS3.4 C.4.2.1.5, PS3.18 I.2): "the archive
 * ran out of resources". */
const char *lb_stow_reason_describe (guint code);

G_END_DECLS
