/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DICOMweb client for one archive: QIDO-RS searches, WADO-RS metadata and retrieval,
 * STOW-RS storage.  It moves bytes and reads DICOM JSON; parsing the DICOM instances it
 * hands over is the caller's business.  Every call is asynchronous and cancellable and
 * completes in the caller's thread-default main context.
 */
#pragma once

#include <gio/gio.h>

#include "lb-multipart-parser.h"
#include "lb-qido-query.h"
#include "lb-server.h"

G_BEGIN_DECLS

#define LB_TYPE_DICOMWEB_CLIENT (lb_dicomweb_client_get_type ())

G_DECLARE_FINAL_TYPE (LbDicomwebClient, lb_dicomweb_client, LB, DICOMWEB_CLIENT, GObject)

LbDicomwebClient *lb_dicomweb_client_new (LbServer *server);
LbServer *lb_dicomweb_client_get_server (LbDicomwebClient *self);

/* QIDO-RS.  @query may be NULL.  Each finishes with a GListModel of LbStudy, LbSeries or
 * LbInstance; @study_uid NULL searches all series (or instances) of the archive. */
void lb_dicomweb_client_search_studies_async (LbDicomwebClient *self, LbQidoQuery *query,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_dicomweb_client_search_studies_finish (LbDicomwebClient *self,
                                                      GAsyncResult *result, GError **error);
void lb_dicomweb_client_search_series_async (LbDicomwebClient *self, const char *study_uid,
                                             LbQidoQuery *query, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_dicomweb_client_search_series_finish (LbDicomwebClient *self,
                                                     GAsyncResult *result, GError **error);
void lb_dicomweb_client_search_instances_async (LbDicomwebClient *self, const char *study_uid,
                                                const char *series_uid, LbQidoQuery *query,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
GListModel *lb_dicomweb_client_search_instances_finish (LbDicomwebClient *self,
                                                        GAsyncResult *result, GError **error);

/* WADO-RS metadata of a study, or of one of its series: a GListModel of LbInstance. */
void lb_dicomweb_client_get_metadata_async (LbDicomwebClient *self, const char *study_uid,
                                            const char *series_uid, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_dicomweb_client_get_metadata_finish (LbDicomwebClient *self,
                                                    GAsyncResult *result, GError **error);

/* WADO-RS retrieval of a study, a series (@series_uid) or one instance (@series_uid and
 * @instance_uid), as stored (transfer-syntax=*; without it when the archive refuses).
 * @part_func receives each instance (an application/dicom part) on the network thread,
 * as soon as it has arrived: it must be thread-safe and quick.  It is never called after
 * the operation has finished.  On failure, the parts already handed over are all that
 * arrived. */
void lb_dicomweb_client_retrieve_async (LbDicomwebClient *self, const char *study_uid,
                                        const char *series_uid, const char *instance_uid,
                                        LbMultipartPartFunc part_func, gpointer part_data,
                                        GDestroyNotify part_data_free, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_dicomweb_client_retrieve_finish (LbDicomwebClient *self, GAsyncResult *result,
                                             GError **error);

/* WADO-RS frames (1-based numbers) of one instance, as stored: each part is one frame's
 * pixel data, its Content-Type naming the transfer syntax. */
void lb_dicomweb_client_retrieve_frames_async (LbDicomwebClient *self, const char *study_uid,
                                               const char *series_uid, const char *instance_uid,
                                               const guint *frames, guint n_frames,
                                               LbMultipartPartFunc part_func, gpointer part_data,
                                               GDestroyNotify part_data_free,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_dicomweb_client_retrieve_frames_finish (LbDicomwebClient *self,
                                                    GAsyncResult *result, GError **error);

/* STOW-RS of @instances (GBytes, one DICOM file each) to the archive, or into the study
 * @study_uid.  Finishes with a GListModel of LbStowResult: what the archive said about
 * each instance, read from the body whatever the HTTP status.  Instances the archive
 * does not mention were not stored.  An error means nothing could be learnt. */
void lb_dicomweb_client_store_async (LbDicomwebClient *self, const char *study_uid,
                                     GPtrArray *instances, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
GListModel *lb_dicomweb_client_store_finish (LbDicomwebClient *self, GAsyncResult *result,
                                             GError **error);

/* TRUE for a DICOM UID: 1 to 64 digits and dots. */
gboolean lb_dicomweb_is_valid_uid (const char *uid);

G_END_DECLS
