/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "canned-server.h"
#include "lb-dicomweb-client.h"
#include "lb-net-error.h"
#include "lb-stow-result.h"
#include "lb-study.h"

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **slot = user_data;
  *slot = g_object_ref (result);
}

static LbDicomwebClient *
new_client (CannedServer *server)
{
  g_autofree char *base = g_strconcat (canned_server_get_url (server), "/dicom-web/", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbServer) config = lb_server_new (base, &error);

  g_assert_no_error (error);
  g_assert_false (g_str_has_suffix (lb_server_get_base_url (config), "/"));
  return lb_dicomweb_client_new (config);
}

static void
write_json (GOutputStream *out, const char *status, const char *json)
{
  g_autofree char *answer =
    g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/dicom+json\r\n"
                     "Content-Length: %zu\r\n\r\n%s", status, strlen (json), json);
  canned_write (out, answer);
}

static gboolean
answer_studies (CannedServer *server, guint index, const char *head, GBytes *body,
                GOutputStream *out, gpointer user_data)
{
  write_json (out, "200 OK",
              "[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
              "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"DOE^JOHN\"}]}}]");
  return TRUE;
}

static void
test_search (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_studies, NULL);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  lb_qido_query_set (query, "PatientName", "DOE^J*");
  lb_qido_query_set (query, "PatientID", "ID 7");
  lb_qido_query_add_include_field (query, "StudyDescription");
  lb_qido_query_set_limit (query, 10);
  lb_dicomweb_client_search_studies_async (client, query, NULL, on_done, &result);
  g_autoptr (GListModel) studies =
    lb_dicomweb_client_search_studies_finish (client, wait_for (&result), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (studies), ==, 1);
  g_autoptr (LbStudy) study = g_list_model_get_item (studies, 0);
  g_assert_cmpstr (lb_study_get_patient_name (study), ==, "DOE^JOHN");

  /* The DICOMweb root keeps no doubled slash; '^' and '*' go out as typed. */
  g_autofree char *head = canned_server_dup_request_head (server, 0);
  g_assert_true (g_str_has_prefix (head, "GET /dicom-web/studies?PatientName=DOE^J*&PatientID=ID%207"
                                         "&includefield=StudyDescription&limit=10 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (head, "\r\nAccept: application/dicom+json\r\n"));
}

static gboolean
answer_not_found (CannedServer *server, guint index, const char *head, GBytes *body,
                  GOutputStream *out, gpointer user_data)
{
  canned_write (out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  return TRUE;
}

static void
test_not_found_and_invalid_uid (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_not_found, NULL);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) invalid = NULL;
  g_autoptr (GError) error = NULL;

  lb_dicomweb_client_get_metadata_async (client, "1.2.3", NULL, NULL, on_done, &result);
  g_autoptr (GListModel) none =
    lb_dicomweb_client_get_metadata_finish (client, wait_for (&result), &error);
  g_assert_null (none);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "has no such study (HTTP 404)."));
  g_clear_error (&error);

  /* A UID that would change the path is refused before anything is sent. */
  lb_dicomweb_client_get_metadata_async (client, "1.2.3", "../../instances", NULL, on_done,
                                         &invalid);
  g_autoptr (GListModel) neither =
    lb_dicomweb_client_get_metadata_finish (client, wait_for (&invalid), &error);
  g_assert_null (neither);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID);
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 1);

  g_assert_true (lb_dicomweb_is_valid_uid ("1.2.840.10008.1.2.1"));
  g_assert_false (lb_dicomweb_is_valid_uid (""));
  g_assert_false (lb_dicomweb_is_valid_uid ("1.2.3/4"));
  g_assert_false (lb_dicomweb_is_valid_uid (
    "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27.28"));
}

#define MULTIPART_HEAD                                                                  \
  "HTTP/1.1 200 OK\r\n"                                                                 \
  "Content-Type: multipart/related; type=\"application/dicom\"; boundary=XyZ\r\n"

static gboolean
answer_instances (CannedServer *server, guint index, const char *head, GBytes *body,
                  GOutputStream *out, gpointer user_data)
{
  const char *parts = "--XyZ\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n"
                      "--XyZ\r\nContent-Type: application/dicom\r\n\r\nsecond\r\n--XyZ--\r\n";

  /* Like an archive that cannot send the stored bytes as they are. */
  if (strstr (head, "transfer-syntax=*") != NULL)
    {
      canned_write (out, "HTTP/1.1 406 Not Acceptable\r\nContent-Length: 0\r\n\r\n");
      return TRUE;
    }
  g_autofree char *answer =
    g_strdup_printf (MULTIPART_HEAD "Content-Length: %zu\r\n\r\n%s", strlen (parts), parts);
  canned_write (out, answer);
  return TRUE;
}

typedef struct
{
  GMutex lock;
  GPtrArray *bodies;
  GThread *thread;
} Parts;

static gboolean
collect_part (LbMultipartPart *part, gpointer user_data, GError **error)
{
  Parts *parts = user_data;
  GBytes *body = lb_multipart_part_get_body (part);

  g_mutex_lock (&parts->lock);
  g_ptr_array_add (parts->bodies, g_strndup (g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body)));
  parts->thread = g_thread_self ();
  g_mutex_unlock (&parts->lock);
  return TRUE;
}

static void
test_retrieve_with_fallback (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_instances, NULL);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  Parts parts = { .bodies = bodies };

  lb_dicomweb_client_retrieve_async (client, "1.2.3", "1.2.3.4", NULL, collect_part, &parts,
                                     NULL, NULL, on_done, &result);
  g_assert_true (lb_dicomweb_client_retrieve_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (bodies, 0), ==, "first");
  g_assert_cmpstr (g_ptr_array_index (bodies, 1), ==, "second");
  /* Parts come on the network thread, not this one. */
  g_assert_true (parts.thread != g_thread_self ());

  g_autofree char *first = canned_server_dup_request_head (server, 0);
  g_autofree char *second = canned_server_dup_request_head (server, 1);
  g_assert_true (g_str_has_prefix (first, "GET /dicom-web/studies/1.2.3/series/1.2.3.4 "));
  g_assert_nonnull (strstr (first, "\r\nAccept: multipart/related; type=\"application/dicom\"; "
                                   "transfer-syntax=*\r\n"));
  g_assert_nonnull (strstr (second, "\r\nAccept: multipart/related; type=\"application/dicom\""
                                    "\r\n"));
}

static gboolean
answer_cut_multipart (CannedServer *server, guint index, const char *head, GBytes *body,
                      GOutputStream *out, gpointer user_data)
{
  canned_write (out, MULTIPART_HEAD "Content-Length: 10000\r\n\r\n"
                     "--XyZ\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n"
                     "--XyZ\r\nContent-Type: application/dicom\r\n\r\nsec");
  return FALSE;
}

static void
test_retrieve_cut (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_cut_multipart, NULL);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  Parts parts = { .bodies = bodies };

  lb_dicomweb_client_retrieve_async (client, "1.2.3", NULL, NULL, collect_part, &parts, NULL,
                                     NULL, on_done, &result);
  g_assert_false (lb_dicomweb_client_retrieve_finish (client, wait_for (&result), &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_CUT);
  /* What arrived complete was handed over; the transfer was not silently redone. */
  g_assert_cmpuint (bodies->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (bodies, 0), ==, "first");
  g_assert_cmpuint (canned_server_get_request_count (server), ==, 1);
}

static gboolean
answer_frames (CannedServer *server, guint index, const char *head, GBytes *body,
               GOutputStream *out, gpointer user_data)
{
  const char *parts = "--f\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\r\n"
                      "\r\npixels\r\n--f--";

  g_autofree char *answer = g_strdup_printf (
    "HTTP/1.1 200 OK\r\nContent-Type: multipart/related; "
    "type=\"application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\"; boundary=f\r\n"
    "Content-Length: %zu\r\n\r\n%s", strlen (parts), parts);
  canned_write (out, answer);
  return TRUE;
}

static void
test_frames (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_frames, NULL);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  Parts parts = { .bodies = bodies };
  const guint frames[] = { 1, 3 };

  lb_dicomweb_client_retrieve_frames_async (client, "1.2", "1.2.3", "1.2.3.4", frames, 2,
                                            collect_part, &parts, NULL, NULL, on_done, &result);
  g_assert_true (lb_dicomweb_client_retrieve_frames_finish (client, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (bodies, 0), ==, "pixels");

  g_autofree char *head = canned_server_dup_request_head (server, 0);
  g_assert_true (g_str_has_prefix (
    head, "GET /dicom-web/studies/1.2/series/1.2.3/instances/1.2.3.4/frames/1,3 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (head, "\r\nAccept: multipart/related; "
                                  "type=\"application/octet-stream\"; transfer-syntax=*\r\n"));
}

static gboolean
answer_store (CannedServer *server, guint index, const char *head, GBytes *body,
              GOutputStream *out, gpointer user_data)
{
  gboolean *body_ok = user_data;

  *body_ok = memmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\r\n\r\nDICM-one\r\n--",
                     strlen ("\r\n\r\nDICM-one\r\n--")) != NULL;
  /* Orthanc reports refused instances with HTTP 400 and a DICOM JSON body. */
  write_json (out, "400 Bad Request",
              "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{"
              "\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.2\"]},"
              "\"00081197\":{\"vr\":\"US\",\"Value\":[272]}}]},"
              "\"00081199\":{\"vr\":\"SQ\",\"Value\":[{"
              "\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.1\"]}}]}}");
  return TRUE;
}

static void
test_store (void)
{
  gboolean body_ok = FALSE;
  g_autoptr (CannedServer) server = canned_server_new (answer_store, &body_ok);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) instances = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (instances, g_bytes_new_static ("DICM-one", 8));
  g_ptr_array_add (instances, g_bytes_new_static ("DICM-two", 8));
  lb_dicomweb_client_store_async (client, NULL, instances, NULL, on_done, &result);
  g_autoptr (GListModel) results =
    lb_dicomweb_client_store_finish (client, wait_for (&result), &error);

  g_assert_no_error (error);
  g_assert_true (body_ok);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 2);
  g_autoptr (LbStowResult) stored = g_list_model_get_item (results, 0);
  g_autoptr (LbStowResult) failed = g_list_model_get_item (results, 1);
  g_assert_true (lb_stow_result_get_stored (stored));
  g_assert_false (lb_stow_result_get_stored (failed));
  g_assert_cmpuint (lb_stow_result_get_failure_reason (failed), ==, 0x0110);

  g_autofree char *head = canned_server_dup_request_head (server, 0);
  g_assert_true (g_str_has_prefix (head, "POST /dicom-web/studies HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (head, "\r\nContent-Type: multipart/related; "
                                  "type=\"application/dicom\"; boundary="));
}

static gboolean
answer_refuse_store (CannedServer *server, guint index, const char *head, GBytes *body,
                     GOutputStream *out, gpointer user_data)
{
  canned_write (out, "HTTP/1.1 415 Unsupported Media Type\r\nContent-Length: 5\r\n\r\nnope!");
  return TRUE;
}

static void
test_store_refused (void)
{
  g_autoptr (CannedServer) server = canned_server_new (answer_refuse_store, NULL);
  g_autoptr (LbDicomwebClient) client = new_client (server);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) instances = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_ptr_array_add (instances, g_bytes_new_static ("DICM", 4));
  lb_dicomweb_client_store_async (client, "1.2.3", instances, NULL, on_done, &result);
  g_autoptr (GListModel) results =
    lb_dicomweb_client_store_finish (client, wait_for (&result), &error);
  g_assert_null (results);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_NOT_ACCEPTED);
}

static void
test_server_settings (void)
{
  g_autoptr (GError) error = NULL;
  static const char *const bad[] = {
    "ftp://pacs.example.org/dicom-web",
    "pacs.example.org",
    "https://user:secret@pacs.example.org/dicom-web",
    "https://pacs.example.org/dicom-web?x=1",
    "https:///dicom-web",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (LbServer) server = lb_server_new (bad[i], &error);
      g_assert_null (server);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_autoptr (LbServer) server = lb_server_new ("https://pacs.example.org:8443/dicom-web//",
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lb_server_get_base_url (server), ==, "https://pacs.example.org:8443/dicom-web");
  g_assert_cmpstr (lb_server_get_origin (server), ==, "https://pacs.example.org:8443");
  g_assert_cmpuint (lb_server_get_connect_timeout (server), ==, LB_SERVER_DEFAULT_TIMEOUT);
  g_assert_false (lb_server_get_insecure (server));
  lb_server_set_basic_auth (server, "reader", "secret");
  g_assert_cmpint (lb_server_get_auth (server), ==, LB_HTTP_AUTH_BASIC);
  g_assert_cmpstr (lb_server_get_user (server), ==, "reader");
  lb_server_set_bearer_token (server, "token");
  g_assert_cmpint (lb_server_get_auth (server), ==, LB_HTTP_AUTH_BEARER);
  g_assert_null (lb_server_get_user (server));
  g_object_set (server, "max-parallel", 8, "low-speed-timeout", 5, NULL);
  g_assert_cmpuint (lb_server_get_max_parallel (server), ==, 8);
  g_assert_cmpuint (lb_server_get_low_speed_timeout (server), ==, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/dicomweb/search", test_search);
  g_test_add_func ("/net/dicomweb/not-found-and-invalid-uid", test_not_found_and_invalid_uid);
  g_test_add_func ("/net/dicomweb/retrieve-with-fallback", test_retrieve_with_fallback);
  g_test_add_func ("/net/dicomweb/retrieve-cut", test_retrieve_cut);
  g_test_add_func ("/net/dicomweb/frames", test_frames);
  g_test_add_func ("/net/dicomweb/store", test_store);
  g_test_add_func ("/net/dicomweb/store-refused", test_store_refused);
  g_test_add_func ("/net/dicomweb/server-settings", test_server_settings);
  return g_test_run ();
}
