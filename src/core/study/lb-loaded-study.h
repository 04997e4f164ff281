/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A study opened for reading: a GListModel of LbStudySeries (by series number) that
 * fills while the study loads, from files and folders or from a DICOMweb archive.  The
 * first image is handed over as soon as it is parsed; the rest stream in behind it,
 * parsed on worker threads and added in the main context in batches.  Use it from the
 * thread that shows it; loading completes in that thread's default main context.
 */
#pragma once

#include <gio/gio.h>

#include "lb-dicom-file.h"
#include "lb-dicomweb-client.h"
#include "lb-frame-cache.h"
#include "lb-study-series.h"
#include "lb-study.h"

G_BEGIN_DECLS

#define LB_TYPE_LOADED_STUDY (lb_loaded_study_get_type ())

G_DECLARE_FINAL_TYPE (LbLoadedStudy, lb_loaded_study, LB, LOADED_STUDY, GObject)

LbLoadedStudy *lb_loaded_study_new (void);

/* Study and patient attributes: from lb_loaded_study_set_study() until the first
 * instance arrives, then from that instance.  NULL when unknown. */
void lb_loaded_study_set_study (LbLoadedStudy *self, LbStudy *study);
const char *lb_loaded_study_get_study_instance_uid (LbLoadedStudy *self);
const char *lb_loaded_study_get_patient_name (LbLoadedStudy *self);
const char *lb_loaded_study_get_patient_id (LbLoadedStudy *self);
const char *lb_loaded_study_get_patient_sex (LbLoadedStudy *self);
const char *lb_loaded_study_get_patient_birth_date (LbLoadedStudy *self);
const char *lb_loaded_study_get_patient_age (LbLoadedStudy *self);
const char *lb_loaded_study_get_study_date (LbLoadedStudy *self);
const char *lb_loaded_study_get_study_time (LbLoadedStudy *self);
const char *lb_loaded_study_get_study_description (LbLoadedStudy *self);
const char *lb_loaded_study_get_accession_number (LbLoadedStudy *self);
const char *lb_loaded_study_get_institution_name (LbLoadedStudy *self);

/* The series @uid, made (empty) when missing.  Borrowed. */
LbStudySeries *lb_loaded_study_ensure_series (LbLoadedStudy *self, const char *uid);
LbStudySeries *lb_loaded_study_lookup_series (LbLoadedStudy *self, const char *uid);

/* Adds one parsed instance and its slices (lb_slice_new_all()); returns the series it
 * joined (borrowed).  Instances without a Series Instance UID join one series of their
 * own kind. */
LbStudySeries *lb_loaded_study_add_instance (LbLoadedStudy *self, LbDicomFile *file,
                                             GPtrArray *slices);
/* Counts an instance that could not be read; @series_uid may be NULL. */
void lb_loaded_study_add_failed (LbLoadedStudy *self, const char *series_uid,
                                 const GError *error);
/* Counts an object that is not an image (a report, a presentation state). */
void lb_loaded_study_add_skipped (LbLoadedStudy *self);

guint lb_loaded_study_get_n_instances (LbLoadedStudy *self);
guint lb_loaded_study_get_n_failed (LbLoadedStudy *self);
guint lb_loaded_study_get_n_skipped (LbLoadedStudy *self);
/* The first failure's message, for the reader; NULL when none. */
const char *lb_loaded_study_get_first_error (LbLoadedStudy *self);
/* Instances the archive announced for the whole study; 0 when unknown. */
guint lb_loaded_study_get_expected (LbLoadedStudy *self);
void lb_loaded_study_set_expected (LbLoadedStudy *self, guint expected);
gboolean lb_loaded_study_get_loading (LbLoadedStudy *self);
/* A study read ahead of the reader (the worklist row the selection rests on): a load of
 * files started while it is held stops once its first image is in, until the study is
 * resumed (then the rest follows the next frame) or the load is cancelled.  Hold before
 * loading; "held" notifies. */
void lb_loaded_study_hold (LbLoadedStudy *self);
void lb_loaded_study_resume (LbLoadedStudy *self);
gboolean lb_loaded_study_get_held (LbLoadedStudy *self);

/* With a cache, loads decode the first image of each series into it on their own
 * thread, before handing it over: a viewport then shows it without waiting for a
 * decode, and the decode overlaps whatever the main thread is doing. */
void lb_loaded_study_set_frame_cache (LbLoadedStudy *self, LbFrameCache *cache);
LbFrameCache *lb_loaded_study_get_frame_cache (LbLoadedStudy *self);

/* Opens DICOM files and every file below folders.  Finishes when all were read; fails
 * only when nothing could be read (the first reason), or when cancelled. */
void lb_loaded_study_load_paths_async (LbLoadedStudy *self, const char *const *paths,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean lb_loaded_study_load_paths_finish (LbLoadedStudy *self, GAsyncResult *result,
                                            GError **error);

/* Called on a worker thread with each instance's bytes as they arrive from the archive,
 * before they are parsed: to keep a copy (a cache). */
typedef void (*LbInstanceBytesFunc) (GBytes *bytes, gpointer user_data);

/* Streams study @study_uid from an archive: its series list first (names, counts), then
 * every instance as it arrives.  Fails with the network's error (what arrived stays). */
void lb_loaded_study_load_dicomweb_async (LbLoadedStudy *self, LbDicomwebClient *client,
                                          const char *study_uid, LbInstanceBytesFunc bytes_func,
                                          gpointer bytes_data, GDestroyNotify bytes_data_free,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_loaded_study_load_dicomweb_finish (LbLoadedStudy *self, GAsyncResult *result,
                                               GError **error);

G_END_DECLS
