/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lb-multipart-parser.h"
#include "lb-net-error.h"
#include "lb-stow-result.h"
#include "lb-stow.h"

static gboolean
collect (LbMultipartPart *part, gpointer user_data, GError **error)
{
  g_ptr_array_add (user_data, g_object_ref (part));
  return TRUE;
}

static void
test_body_round_trip (void)
{
  g_autoptr (GPtrArray) instances = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *content_type = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (instances, g_bytes_new_static ("DICM first", 10));
  g_ptr_array_add (instances, g_bytes_new_static ("\r\n--\r\n\r\n", 8));
  g_ptr_array_add (instances, g_bytes_new_static ("", 0));

  g_autoptr (GPtrArray) chunks = lb_stow_build_body (instances, &content_type);
  g_assert_true (g_str_has_prefix (content_type,
                                   "multipart/related; type=\"application/dicom\"; boundary="));

  /* The instances are sent as they are, not copied. */
  g_assert_true (g_ptr_array_find (chunks, g_ptr_array_index (instances, 0), NULL));

  g_autoptr (LbMultipartParser) parser =
    lb_multipart_parser_new_for_content_type (content_type, 1024, collect, parts, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < chunks->len; i++)
    {
      gsize length;
      const void *data = g_bytes_get_data (g_ptr_array_index (chunks, i), &length);
      g_assert_true (lb_multipart_parser_feed (parser, data, length, &error));
    }
  g_assert_true (lb_multipart_parser_finish (parser, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (parts->len, ==, instances->len);
  for (guint i = 0; i < parts->len; i++)
    {
      LbMultipartPart *part = g_ptr_array_index (parts, i);
      g_assert_cmpstr (lb_multipart_part_get_content_type (part), ==, "application/dicom");
      g_assert_true (g_bytes_equal (lb_multipart_part_get_body (part),
                                    g_ptr_array_index (instances, i)));
    }
}

static GListModel *
parse (const char *json, GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (json, strlen (json));
  return lb_stow_parse_response (bytes, error);
}

static void
test_response (void)
{
  g_autoptr (GError) error = NULL;
  /* Orthanc's answer to a partly failed upload, with HTTP 400. */
  g_autoptr (GListModel) results = parse (
    "{\"00080005\":{\"Value\":[\"ISO_IR 100\"],\"vr\":\"CS\"},"
    "\"00081190\":{\"Value\":[\"http://127.0.0.1/dicom-web/studies/1.2\"],\"vr\":\"UR\"},"
    "\"00081198\":{\"Value\":[{"
    "  \"00081150\":{\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"],\"vr\":\"UI\"},"
    "  \"00081155\":{\"Value\":[\"1.2.3.2\"],\"vr\":\"UI\"},"
    "  \"00081197\":{\"Value\":[272],\"vr\":\"US\"}},"
    "  {\"00081155\":{\"Value\":[\"1.2.3.3\"],\"vr\":\"UI\"},"
    "   \"00081197\":{\"Value\":[\"43264\"],\"vr\":\"US\"}},"
    "  {\"00081197\":{\"Value\":[272],\"vr\":\"US\"}},"
    "  \"not an item\"],\"vr\":\"SQ\"},"
    "\"00081199\":{\"Value\":[{"
    "  \"00081150\":{\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"],\"vr\":\"UI\"},"
    "  \"00081155\":{\"Value\":[\"1.2.3.1\"],\"vr\":\"UI\"},"
    "  \"00081196\":{\"Value\":[45056],\"vr\":\"US\"}}],\"vr\":\"SQ\"}}",
    &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 3);

  g_autoptr (LbStowResult) stored = g_list_model_get_item (results, 0);
  g_assert_cmpstr (lb_stow_result_get_sop_instance_uid (stored), ==, "1.2.3.1");
  g_assert_cmpstr (lb_stow_result_get_sop_class_uid (stored), ==, "1.2.840.10008.5.1.4.1.1.2");
  g_assert_true (lb_stow_result_get_stored (stored));
  g_assert_cmpuint (lb_stow_result_get_failure_reason (stored), ==, 0);
  g_assert_cmpuint (lb_stow_result_get_warning_reason (stored), ==, 0xB000);

  g_autoptr (LbStowResult) failed = g_list_model_get_item (results, 1);
  g_assert_cmpstr (lb_stow_result_get_sop_instance_uid (failed), ==, "1.2.3.2");
  g_assert_false (lb_stow_result_get_stored (failed));
  g_assert_cmpuint (lb_stow_result_get_failure_reason (failed), ==, 0x0110);
  g_assert_cmpstr (lb_stow_reason_describe (0x0110), ==,
                   "the archive failed while processing it");

  g_autoptr (LbStowResult) refused = g_list_model_get_item (results, 2);
  g_assert_null (lb_stow_result_get_sop_class_uid (refused));
  g_assert_cmpuint (lb_stow_result_get_failure_reason (refused), ==, 0xA900);
  g_assert_cmpstr (lb_stow_reason_describe (0xA701), ==, "the archive ran out of resources");
  g_assert_cmpstr (lb_stow_reason_describe (0xC123), ==, "the archive could not understand it");
  g_assert_cmpstr (lb_stow_reason_describe (0x1234), ==, "the archive gave no known reason");
}

static void
test_response_empty_sequences (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) results =
    parse ("{\"00081198\":{\"vr\":\"SQ\"},\"00081199\":{\"vr\":\"SQ\",\"Value\":[]}}", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
}

static void
test_response_broken (void)
{
  static const char *const broken[] = { "", "[]", "{", "<html></html>", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GListModel) results = parse (broken[i], &error);

      g_assert_null (results);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/stow/body-round-trip", test_body_round_trip);
  g_test_add_func ("/net/stow/response", test_response);
  g_test_add_func ("/net/stow/response-empty-sequences", test_response_empty_sequences);
  g_test_add_func ("/net/stow/response-broken", test_response_broken);
  return g_test_run ();
}
