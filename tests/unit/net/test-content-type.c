/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lb-content-type.h"
#include "lb-net-error.h"

static void
test_orthanc (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbContentType) type = lb_content_type_parse (
    "multipart/related; type=\"application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\"; "
    "boundary=f61ae49d-3ace-41ee-a703-6552ff79cb6e",
    &error);

  g_assert_no_error (error);
  g_assert_cmpstr (lb_content_type_get_media_type (type), ==, "multipart/related");
  g_assert_true (lb_content_type_is (type, "Multipart/Related"));
  g_assert_cmpstr (lb_content_type_get_param (type, "type"), ==,
                   "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
  g_assert_cmpstr (lb_content_type_get_param (type, "BOUNDARY"), ==,
                   "f61ae49d-3ace-41ee-a703-6552ff79cb6e");
  g_assert_null (lb_content_type_get_param (type, "charset"));
}

static void
test_lenient (void)
{
  g_autoptr (GError) error = NULL;
  /* Upper case, odd spacing, empty parameters, an escaped quote, an unquoted value that
   * is not a token, a repeated parameter (the first wins). */
  g_autoptr (LbContentType) type = lb_content_type_parse (
    "  Application/DICOM+JSON ;; charset = utf-8 ; x=\"a\\\"b\";boundary=----=_Part_1 ;"
    "charset=latin1;",
    &error);

  g_assert_no_error (error);
  g_assert_cmpstr (lb_content_type_get_media_type (type), ==, "application/dicom+json");
  g_assert_cmpstr (lb_content_type_get_param (type, "charset"), ==, "utf-8");
  g_assert_cmpstr (lb_content_type_get_param (type, "x"), ==, "a\"b");
  g_assert_cmpstr (lb_content_type_get_param (type, "boundary"), ==, "----=_Part_1");
}

static void
test_broken (void)
{
  static const char *const broken[] = {
    "",
    "multipart",
    "/related",
    "multipart/",
    "multipart/related boundary=x",
    "multipart/related; =x",
    "multipart/related; boundary",
    "multipart/related; boundary=\"unterminated",
    "multipart/related; boundary=\"ends in backslash\\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbContentType) type = lb_content_type_parse (broken[i], &error);

      g_assert_null (type);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/content-type/orthanc", test_orthanc);
  g_test_add_func ("/net/content-type/lenient", test_lenient);
  g_test_add_func ("/net/content-type/broken", test_broken);
  return g_test_run ();
}
