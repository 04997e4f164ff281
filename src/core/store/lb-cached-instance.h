/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One instance in the cache: where its file is, and what the index says about it.
 * Immutable.  The file stays readable while it is open even if the cache evicts it, and a
 * study that is open (lb_store_open_study) is not evicted at all.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_CACHED_INSTANCE (lb_cached_instance_get_type ())

G_DECLARE_FINAL_TYPE (LbCachedInstance, lb_cached_instance, LB, CACHED_INSTANCE, GObject)

const char *lb_cached_instance_get_sop_instance_uid (LbCachedInstance *self);
const char *lb_cached_instance_get_series_instance_uid (LbCachedInstance *self);
const char *lb_cached_instance_get_study_instance_uid (LbCachedInstance *self);
/* NULL when the file did not say. */
const char *lb_cached_instance_get_sop_class_uid (LbCachedInstance *self);
const char *lb_cached_instance_get_transfer_syntax_uid (LbCachedInstance *self);
const char *lb_cached_instance_get_modality (LbCachedInstance *self);
/* -1 when unknown. */
int lb_cached_instance_get_series_number (LbCachedInstance *self);
int lb_cached_instance_get_instance_number (LbCachedInstance *self);
/* The absolute path of the DICOM file. */
const char *lb_cached_instance_get_path (LbCachedInstance *self);
guint64 lb_cached_instance_get_size (LbCachedInstance *self);

G_END_DECLS
