/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One instance as a QIDO-RS search or WADO-RS metadata describes it.  Immutable; the
 * whole JSON data set stays available for attributes without a property of their own.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define LB_TYPE_INSTANCE (lb_instance_get_type ())

G_DECLARE_FINAL_TYPE (LbInstance, lb_instance, LB, INSTANCE, GObject)

/* NULL when @object has no SOP Instance UID.  Keeps a reference on @object. */
LbInstance *lb_instance_new_from_json (JsonObject *object);

/* Strings are NULL when the archive did not give them. */
const char *lb_instance_get_sop_instance_uid (LbInstance *self);
const char *lb_instance_get_sop_class_uid (LbInstance *self);
const char *lb_instance_get_series_instance_uid (LbInstance *self);
const char *lb_instance_get_study_instance_uid (LbInstance *self);
/* The stored transfer syntax (metadata) or the one offered (QIDO). */
const char *lb_instance_get_transfer_syntax_uid (LbInstance *self);
/* -1 when unknown. */
int lb_instance_get_instance_number (LbInstance *self);
int lb_instance_get_rows (LbInstance *self);
int lb_instance_get_columns (LbInstance *self);
int lb_instance_get_number_of_frames (LbInstance *self);
/* The instance's DICOM JSON data set. */
JsonObject *lb_instance_get_attributes (LbInstance *self);

G_END_DECLS
