/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-dicomweb-client.h"

#include <string.h>

#include "lb-http.h"
#include "lb-net-error.h"
#include "lb-qido.h"
#include "lb-server-private.h"
#include "lb-stow.h"

#define DICOM_JSON "application/dicom+json"

/* Without transfer-syntax=* an archive may transcode (Orthanc turns everything into
 * explicit little endian): ask for the stored bytes first. */
#define ACCEPT_INSTANCES "multipart/related; type=\"application/dicom\"; transfer-syntax=*"
#define ACCEPT_INSTANCES_FALLBACK "multipart/related; type=\"application/dicom\""
#define ACCEPT_FRAMES "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"
#define ACCEPT_FRAMES_FALLBACK "multipart/related; type=\"application/octet-stream\""

#define MAX_UID_LENGTH 64

struct _LbDicomwebClient
{
  GObject parent_instance;

  LbServer *server;
  LbHttp *http;
};

G_DEFINE_FINAL_TYPE (LbDicomwebClient, lb_dicomweb_client, G_TYPE_OBJECT)

static void
lb_dicomweb_client_dispose (GObject *object)
{
  LbDicomwebClient *self = LB_DICOMWEB_CLIENT (object);

  if (self->server != NULL)
    g_signal_handlers_disconnect_by_data (self->server, self);
  g_clear_object (&self->server);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (lb_dicomweb_client_parent_class)->dispose (object);
}

static void
lb_dicomweb_client_class_init (LbDicomwebClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lb_dicomweb_client_dispose;
}

static void
lb_dicomweb_client_init (LbDicomwebClient *self)
{
}

static void
on_max_parallel_changed (LbServer *server, GParamSpec *pspec, LbDicomwebClient *self)
{
  lb_http_set_max_parallel (self->http, lb_server_get_max_parallel (server));
}

LbDicomwebClient *
lb_dicomweb_client_new (LbServer *server)
{
  g_return_val_if_fail (LB_IS_SERVER (server), NULL);

  LbDicomwebClient *self = g_object_new (LB_TYPE_DICOMWEB_CLIENT, NULL);
  self->server = g_object_ref (server);
  self->http = lb_http_new (lb_server_get_max_parallel (server));
  g_signal_connect (server, "notify::max-parallel", G_CALLBACK (on_max_parallel_changed), self);
  return self;
}

LbServer *
lb_dicomweb_client_get_server (LbDicomwebClient *self)
{
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (self), NULL);
  return self->server;
}

gboolean
lb_dicomweb_is_valid_uid (const char *uid)
{
  gsize length = uid != NULL ? strlen (uid) : 0;

  return length > 0 && length <= MAX_UID_LENGTH && strspn (uid, "0123456789.") == length;
}

/* UIDs become path segments: anything else could point the request elsewhere.  The
 * list ends at the first NULL, as optional UIDs come last. */
static gboolean
check_uids (GError **error, const char *first, ...)
{
  va_list args;
  gboolean ok = TRUE;

  va_start (args, first);
  for (const char *uid = first; uid != NULL; uid = va_arg (args, const char *))
    if (!lb_dicomweb_is_valid_uid (uid))
      {
        g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID,
                     "“%.64s” is not a valid DICOM UID (digits and dots, at most 64).", uid);
        ok = FALSE;
        break;
      }
  va_end (args);
  return ok;
}

/* "/studies/1.2/series/3.4" from the UIDs that are set, in order. */
static char *
build_path (const char *study_uid, const char *series_uid, const char *instance_uid)
{
  GString *path = g_string_new ("/studies");

  if (study_uid != NULL)
    g_string_append_printf (path, "/%s", study_uid);
  if (series_uid != NULL)
    g_string_append_printf (path, "/series/%s", series_uid);
  if (instance_uid != NULL)
    g_string_append_printf (path, "/instances/%s", instance_uid);
  return g_string_free (path, FALSE);
}

/* A 404 names what is missing rather than "nothing at this address". */
static gboolean
check_status (LbHttpResponse *response, const char *missing, GError **error)
{
  if (lb_http_response_get_status (response) == 404 && missing != NULL)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND,
                   "The archive at %s has no such %s (HTTP 404).",
                   lb_http_response_get_origin (response), missing);
      return FALSE;
    }
  return lb_http_response_check_status (response, error);
}

/* JSON answers: QIDO-RS and metadata. */

typedef GListModel *(*ParseFunc) (GBytes *json, GError **error);

typedef struct
{
  ParseFunc parse;
  const char *missing;
  GBytes *body;
} JsonCall;

static void
json_call_free (JsonCall *call)
{
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call);
}

static void
parse_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  JsonCall *call = task_data;
  GError *error = NULL;
  GListModel *model = call->parse (call->body, &error);

  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, g_object_unref);
}

static void
on_json_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  JsonCall *call = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (LbHttpResponse) response = lb_http_send_finish (LB_HTTP (source), result, &error);

  if (response == NULL || !check_status (response, call->missing, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* A worklist of thousands of studies takes a while to parse: not on the caller's
   * (often the UI) thread. */
  call->body = g_bytes_ref (lb_http_response_get_body (response));
  g_task_run_in_thread (task, parse_in_thread);
}

static void
get_json_async (LbDicomwebClient *self, char *path_and_query, ParseFunc parse,
                const char *missing, gpointer source_tag, GCancellable *cancellable,
                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *owned_path = path_and_query;
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  JsonCall *call = g_new0 (JsonCall, 1);

  call->parse = parse;
  call->missing = missing;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) json_call_free);

  g_autoptr (LbHttpRequest) request = _lb_server_new_request (self->server, "GET", owned_path);
  lb_http_request_add_header (request, "Accept", DICOM_JSON);
  lb_http_request_set_compressed (request, TRUE);
  lb_http_send_async (self->http, request, cancellable, on_json_answer, g_steal_pointer (&task));
}

static char *
with_query (char *path, LbQidoQuery *query)
{
  g_autofree char *owned_path = path;
  g_autofree char *query_string = query != NULL ? lb_qido_query_to_string (query) : NULL;

  if (query_string == NULL || *query_string == '\0')
    return g_steal_pointer (&owned_path);
  return g_strconcat (owned_path, "?", query_string, NULL);
}

static void
report_error_later (gpointer self, gpointer source_tag, GError *error,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_error (task, error);
}

static GListModel *
finish_model (LbDicomwebClient *self, GAsyncResult *result, gpointer source_tag,
              GError **error)
{
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lb_dicomweb_client_search_studies_async (LbDicomwebClient *self, LbQidoQuery *query,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (query == NULL || LB_IS_QIDO_QUERY (query));

  get_json_async (self, with_query (g_strdup ("/studies"), query), lb_qido_parse_studies, NULL,
                  lb_dicomweb_client_search_studies_async, cancellable, callback, user_data);
}

GListModel *
lb_dicomweb_client_search_studies_finish (LbDicomwebClient *self, GAsyncResult *result,
                                          GError **error)
{
  return finish_model (self, result, lb_dicomweb_client_search_studies_async, error);
}

void
lb_dicomweb_client_search_series_async (LbDicomwebClient *self, const char *study_uid,
                                        LbQidoQuery *query, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (query == NULL || LB_IS_QIDO_QUERY (query));

  GError *error = NULL;
  if (study_uid != NULL && !check_uids (&error, study_uid, NULL))
    {
      report_error_later (self, lb_dicomweb_client_search_series_async, error, callback,
                          user_data);
      return;
    }

  char *path = study_uid != NULL ? g_strdup_printf ("/studies/%s/series", study_uid)
                                 : g_strdup ("/series");
  get_json_async (self, with_query (path, query), lb_qido_parse_series, "study",
                  lb_dicomweb_client_search_series_async, cancellable, callback, user_data);
}

GListModel *
lb_dicomweb_client_search_series_finish (LbDicomwebClient *self, GAsyncResult *result,
                                         GError **error)
{
  return finish_model (self, result, lb_dicomweb_client_search_series_async, error);
}

void
lb_dicomweb_client_search_instances_async (LbDicomwebClient *self, const char *study_uid,
                                           const char *series_uid, LbQidoQuery *query,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (series_uid == NULL || study_uid != NULL);
  g_return_if_fail (query == NULL || LB_IS_QIDO_QUERY (query));

  GError *error = NULL;
  if ((study_uid != NULL && !check_uids (&error, study_uid, NULL)) ||
      (series_uid != NULL && !check_uids (&error, series_uid, NULL)))
    {
      report_error_later (self, lb_dicomweb_client_search_instances_async, error, callback,
                          user_data);
      return;
    }

  g_autofree char *scope = study_uid != NULL ? build_path (study_uid, series_uid, NULL)
                                             : g_strdup ("");
  char *path = g_strconcat (scope, "/instances", NULL);
  get_json_async (self, with_query (path, query), lb_qido_parse_instances,
                  series_uid != NULL ? "series" : "study",
                  lb_dicomweb_client_search_instances_async, cancellable, callback, user_data);
}

GListModel *
lb_dicomweb_client_search_instances_finish (LbDicomwebClient *self, GAsyncResult *result,
                                            GError **error)
{
  return finish_model (self, result, lb_dicomweb_client_search_instances_async, error);
}

void
lb_dicomweb_client_get_metadata_async (LbDicomwebClient *self, const char *study_uid,
                                       const char *series_uid, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL);

  GError *error = NULL;
  if (!check_uids (&error, study_uid, series_uid, NULL))
    {
      report_error_later (self, lb_dicomweb_client_get_metadata_async, error, callback,
                          user_data);
      return;
    }

  g_autofree char *scope = build_path (study_uid, series_uid, NULL);
  get_json_async (self, g_strconcat (scope, "/metadata", NULL), lb_qido_parse_metadata,
                  series_uid != NULL ? "series" : "study", lb_dicomweb_client_get_metadata_async,
                  cancellable, callback, user_data);
}

GListModel *
lb_dicomweb_client_get_metadata_finish (LbDicomwebClient *self, GAsyncResult *result,
                                        GError **error)
{
  return finish_model (self, result, lb_dicomweb_client_get_metadata_async, error);
}

/* WADO-RS multipart retrieval. */

typedef struct
{
  char *path;
  const char *accept_fallback;
  const char *missing;
  guint64 max_part_size;
  LbMultipartPartFunc part_func;
  gpointer part_data;
  GDestroyNotify part_data_free;
  /* Made and fed on the network thread; finished in the caller's context once the
   * transfer has ended. */
  LbMultipartParser *parser;
} Retrieval;

static void
retrieval_free (Retrieval *retrieval)
{
  if (retrieval->part_data_free != NULL)
    retrieval->part_data_free (retrieval->part_data);
  g_clear_pointer (&retrieval->parser, lb_multipart_parser_free);
  g_free (retrieval->path);
  g_free (retrieval);
}

static gboolean
on_retrieval_start (LbHttpResponse *response, gpointer user_data, GError **error)
{
  Retrieval *retrieval = user_data;
  const char *content_type = lb_http_response_get_content_type (response);

  if (content_type == NULL)
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                   "The archive at %s answered without saying what it sent.",
                   lb_http_response_get_origin (response));
      return FALSE;
    }
  g_clear_pointer (&retrieval->parser, lb_multipart_parser_free);
  retrieval->parser =
    lb_multipart_parser_new_for_content_type (content_type, retrieval->max_part_size,
                                              retrieval->part_func, retrieval->part_data, error);
  return retrieval->parser != NULL;
}

static gboolean
on_retrieval_data (const guint8 *data, gsize length, gpointer user_data, GError **error)
{
  Retrieval *retrieval = user_data;

  return lb_multipart_parser_feed (retrieval->parser, data, length, error);
}

static void send_retrieval (LbDicomwebClient *self, GTask *task, const char *accept);

static void
on_retrieval_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LbDicomwebClient *self = g_task_get_source_object (task);
  Retrieval *retrieval = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (LbHttpResponse) response = lb_http_send_finish (LB_HTTP (source), result, &error);

  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  guint status = lb_http_response_get_status (response);
  if ((status == 400 || status == 406 || status == 415) && retrieval->accept_fallback != NULL)
    {
      const char *accept = retrieval->accept_fallback;

      g_debug ("the archive refused transfer-syntax=* (HTTP %u); asking without it", status);
      retrieval->accept_fallback = NULL;
      send_retrieval (self, g_steal_pointer (&task), accept);
      return;
    }
  if (!check_status (response, retrieval->missing, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (retrieval->parser == NULL)
    {
      g_task_return_new_error (task, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                               "The archive at %s sent an empty answer.",
                               lb_http_response_get_origin (response));
      return;
    }
  if (!lb_multipart_parser_finish (retrieval->parser, &error))
    {
      /* An answer without Content-Length ends when the connection closes (Orthanc sends
       * large ones that way), so a cut connection shows up only here, as a missing close
       * delimiter: say what happened. */
      if (g_error_matches (error, LB_NET_ERROR, LB_NET_ERROR_CUT))
        {
          g_clear_error (&error);
          g_set_error (&error, LB_NET_ERROR, LB_NET_ERROR_CUT,
                       "The connection to the archive at %s was cut during the transfer.",
                       lb_http_response_get_origin (response));
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
send_retrieval (LbDicomwebClient *self, GTask *task, const char *accept)
{
  Retrieval *retrieval = g_task_get_task_data (task);
  g_autoptr (LbHttpRequest) request =
    _lb_server_new_request (self->server, "GET", retrieval->path);

  lb_http_request_add_header (request, "Accept", accept);
  lb_http_request_set_stream (request, on_retrieval_start, on_retrieval_data, retrieval, NULL);
  lb_http_send_async (self->http, request, g_task_get_cancellable (task), on_retrieval_answer,
                      task);
}

static void
retrieve_async (LbDicomwebClient *self, char *path, const char *missing, const char *accept,
                const char *accept_fallback, LbMultipartPartFunc part_func, gpointer part_data,
                GDestroyNotify part_data_free, gpointer source_tag, GCancellable *cancellable,
                GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Retrieval *retrieval = g_new0 (Retrieval, 1);

  retrieval->path = path;
  retrieval->missing = missing;
  retrieval->accept_fallback = accept_fallback;
  retrieval->max_part_size = lb_server_get_max_part_size (self->server);
  retrieval->part_func = part_func;
  retrieval->part_data = part_data;
  retrieval->part_data_free = part_data_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, retrieval, (GDestroyNotify) retrieval_free);
  send_retrieval (self, task, accept);
}

static gboolean
finish_boolean (LbDicomwebClient *self, GAsyncResult *result, gpointer source_tag,
                GError **error)
{
  g_return_val_if_fail (LB_IS_DICOMWEB_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lb_dicomweb_client_retrieve_async (LbDicomwebClient *self, const char *study_uid,
                                   const char *series_uid, const char *instance_uid,
                                   LbMultipartPartFunc part_func, gpointer part_data,
                                   GDestroyNotify part_data_free, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL);
  g_return_if_fail (instance_uid == NULL || series_uid != NULL);
  g_return_if_fail (part_func != NULL);

  GError *error = NULL;
  if (!check_uids (&error, study_uid, series_uid, instance_uid, NULL))
    {
      if (part_data_free != NULL)
        part_data_free (part_data);
      report_error_later (self, lb_dicomweb_client_retrieve_async, error, callback, user_data);
      return;
    }

  const char *missing = instance_uid != NULL ? "instance" : series_uid != NULL ? "series"
                                                                              : "study";
  retrieve_async (self, build_path (study_uid, series_uid, instance_uid), missing,
                  ACCEPT_INSTANCES, ACCEPT_INSTANCES_FALLBACK, part_func, part_data,
                  part_data_free, lb_dicomweb_client_retrieve_async, cancellable, callback,
                  user_data);
}

gboolean
lb_dicomweb_client_retrieve_finish (LbDicomwebClient *self, GAsyncResult *result,
                                    GError **error)
{
  return finish_boolean (self, result, lb_dicomweb_client_retrieve_async, error);
}

void
lb_dicomweb_client_retrieve_frames_async (LbDicomwebClient *self, const char *study_uid,
                                          const char *series_uid, const char *instance_uid,
                                          const guint *frames, guint n_frames,
                                          LbMultipartPartFunc part_func, gpointer part_data,
                                          GDestroyNotify part_data_free,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (study_uid != NULL && series_uid != NULL && instance_uid != NULL);
  g_return_if_fail (frames != NULL && n_frames > 0);
  g_return_if_fail (part_func != NULL);
  for (guint i = 0; i < n_frames; i++)
    g_return_if_fail (frames[i] > 0);

  GError *error = NULL;
  if (!check_uids (&error, study_uid, series_uid, instance_uid, NULL))
    {
      if (part_data_free != NULL)
        part_data_free (part_data);
      report_error_later (self, lb_dicomweb_client_retrieve_frames_async, error, callback,
                          user_data);
      return;
    }

  g_autofree char *scope = build_path (study_uid, series_uid, instance_uid);
  GString *path = g_string_new (scope);
  for (guint i = 0; i < n_frames; i++)
    g_string_append_printf (path, "%s%u", i == 0 ? "/frames/" : ",", frames[i]);
  retrieve_async (self, g_string_free (path, FALSE), "instance or frame", ACCEPT_FRAMES,
                  ACCEPT_FRAMES_FALLBACK, part_func, part_data, part_data_free,
                  lb_dicomweb_client_retrieve_frames_async, cancellable, callback, user_data);
}

gboolean
lb_dicomweb_client_retrieve_frames_finish (LbDicomwebClient *self, GAsyncResult *result,
                                           GError **error)
{
  return finish_boolean (self, result, lb_dicomweb_client_retrieve_frames_async, error);
}

/* STOW-RS. */

static void
on_store_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  g_autoptr (LbHttpResponse) response = lb_http_send_finish (LB_HTTP (source), result, &error);

  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Archives report refused instances in the body with 200, 202, 400 or 409 alike. */
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GListModel) results =
    lb_stow_parse_response (lb_http_response_get_body (response), &parse_error);
  if (results != NULL &&
      (lb_http_response_is_success (response) || g_list_model_get_n_items (results) > 0))
    {
      g_task_return_pointer (task, g_steal_pointer (&results), g_object_unref);
      return;
    }
  if (!check_status (response, "study", &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_error (task, g_steal_pointer (&parse_error));
}

void
lb_dicomweb_client_store_async (LbDicomwebClient *self, const char *study_uid,
                                GPtrArray *instances, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (self));
  g_return_if_fail (instances != NULL && instances->len > 0);

  GError *error = NULL;
  if (study_uid != NULL && !check_uids (&error, study_uid, NULL))
    {
      report_error_later (self, lb_dicomweb_client_store_async, error, callback, user_data);
      return;
    }

  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_dicomweb_client_store_async);

  g_autofree char *path = build_path (study_uid, NULL, NULL);
  g_autofree char *content_type = NULL;
  g_autoptr (GPtrArray) body = lb_stow_build_body (instances, &content_type);
  g_autoptr (LbHttpRequest) request = _lb_server_new_request (self->server, "POST", path);

  lb_http_request_add_header (request, "Accept", DICOM_JSON);
  lb_http_request_set_body (request, content_type, body);
  /* Storing an instance twice stores it once: archives key instances by their UID. */
  lb_http_request_set_idempotent (request, TRUE);
  lb_http_send_async (self->http, request, cancellable, on_store_answer, task);
}

GListModel *
lb_dicomweb_client_store_finish (LbDicomwebClient *self, GAsyncResult *result, GError **error)
{
  return finish_model (self, result, lb_dicomweb_client_store_async, error);
}
