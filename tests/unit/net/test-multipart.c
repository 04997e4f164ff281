/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "lb-multipart-parser.h"
#include "lb-net-error.h"

#define BOUNDARY_BUT_LAST "6d055a5a-6018-4beb-8d2a-740e5c021a7"
#define BOUNDARY BOUNDARY_BUT_LAST "7"

typedef struct
{
  GPtrArray *parts;
  guint fail_at;
} Collected;

static gboolean
collect (LbMultipartPart *part, gpointer user_data, GError **error)
{
  Collected *collected = user_data;

  if (collected->fail_at > 0 && collected->parts->len + 1 == collected->fail_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
      return FALSE;
    }
  g_ptr_array_add (collected->parts, g_object_ref (part));
  return TRUE;
}

/* Feeds @body in chunks of the given sizes (the last one repeated), then finishes. */
static gboolean
parse_chunked (const char *boundary, const guint8 *body, gsize length, const gsize *sizes,
               guint n_sizes, guint64 cap, GPtrArray *parts, GError **error)
{
  Collected collected = { parts, 0 };
  g_autoptr (LbMultipartParser) parser =
    lb_multipart_parser_new (boundary, cap, collect, &collected, error);
  gsize offset = 0;

  g_assert_nonnull (parser);
  for (guint i = 0; offset < length; i++)
    {
      gsize n = MIN (sizes[MIN (i, n_sizes - 1)], length - offset);

      if (!lb_multipart_parser_feed (parser, body + offset, n, error))
        return FALSE;
      offset += n;
    }
  if (!lb_multipart_parser_finish (parser, error))
    return FALSE;
  g_assert_cmpuint (lb_multipart_parser_get_part_count (parser), ==, parts->len);
  return TRUE;
}

static gboolean
parse_whole (const char *boundary, const char *body, guint64 cap, GPtrArray *parts,
             GError **error)
{
  gsize size = strlen (body);
  return parse_chunked (boundary, (const guint8 *) body, size, &size, 1, cap, parts, error);
}

static void
assert_part (GPtrArray *parts, guint index, const char *content_type, const void *data,
             gsize length)
{
  g_assert_cmpuint (index, <, parts->len);
  LbMultipartPart *part = g_ptr_array_index (parts, index);
  gsize body_length;
  const void *body = g_bytes_get_data (lb_multipart_part_get_body (part), &body_length);

  g_assert_cmpuint (lb_multipart_part_get_index (part), ==, index);
  g_assert_cmpstr (lb_multipart_part_get_content_type (part), ==, content_type);
  g_assert_cmpmem (body, body_length, data, length);
}

/* A body shaped like Orthanc's: boundary at byte 0, Content-Length given, binary parts
 * that contain CR, LF, dashes and a prefix of the delimiter. */
static GByteArray *
make_sample (gboolean with_length, guint8 **parts_out, gsize *lengths_out)
{
  static const char *const texts[] = {
    "DICM\r\n--6d055a5a\r\n-\r\n\r\r\n--",
    "",
    "\r\n--" BOUNDARY_BUT_LAST "x\r\n--" BOUNDARY_BUT_LAST,
  };
  GByteArray *body = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gsize length = strlen (texts[i]);
      /* The middle part is binary noise with every byte value. */
      g_autofree guint8 *data = g_malloc (i == 1 ? 512 : length);

      if (i == 1)
        {
          length = 512;
          for (guint j = 0; j < length; j++)
            data[j] = (guint8) (j * 7);
        }
      else
        memcpy (data, texts[i], length);

      g_autofree char *length_header =
        with_length ? g_strdup_printf ("Content-Length: %zu\r\n", length) : g_strdup ("");
      g_autofree char *headers = g_strdup_printf (
        "%s--" BOUNDARY "\r\nContent-Type: application/dicom\r\n%sMIME-Version: 1.0\r\n\r\n",
        i == 0 ? "" : "\r\n", length_header);
      g_byte_array_append (body, (const guint8 *) headers, strlen (headers));
      g_byte_array_append (body, data, length);
      parts_out[i] = g_steal_pointer (&data);
      lengths_out[i] = length;
    }
  g_byte_array_append (body, (const guint8 *) "\r\n--" BOUNDARY "--\r\n",
                       strlen ("\r\n--" BOUNDARY "--\r\n"));
  return body;
}

static void
check_sample_parts (GPtrArray *parts, guint8 **expected, gsize *lengths)
{
  g_assert_cmpuint (parts->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_part (parts, i, "application/dicom", expected[i], lengths[i]);
}

/* With a Content-Length the body is counted; without, the delimiter is searched for. */
static void
split_everywhere (gconstpointer with_length)
{
  guint8 *expected[3];
  gsize lengths[3];
  g_autoptr (GByteArray) body = make_sample (GPOINTER_TO_INT (with_length), expected, lengths);

  /* Two chunks, split at every offset. */
  for (gsize split = 0; split <= body->len; split++)
    {
      g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr (GError) error = NULL;
      gsize sizes[] = { split, body->len };

      if (split == 0)
        sizes[0] = body->len;
      g_assert_true (parse_chunked (BOUNDARY, body->data, body->len, sizes, 2, 1 << 20, parts,
                                    &error));
      g_assert_no_error (error);
      check_sample_parts (parts, expected, lengths);
    }

  /* Every chunk size from one byte up. */
  for (gsize size = 1; size <= 80; size++)
    {
      g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr (GError) error = NULL;

      g_assert_true (parse_chunked (BOUNDARY, body->data, body->len, &size, 1, 1 << 20, parts,
                                    &error));
      g_assert_no_error (error);
      check_sample_parts (parts, expected, lengths);
    }

  for (guint i = 0; i < 3; i++)
    g_free (expected[i]);
}

static void
test_parts_arrive_early (void)
{
  guint8 *expected[3];
  gsize lengths[3];
  g_autoptr (GByteArray) body = make_sample (TRUE, expected, lengths);
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  Collected collected = { parts, 0 };
  g_autoptr (LbMultipartParser) parser =
    lb_multipart_parser_new (BOUNDARY, 1 << 20, collect, &collected, NULL);
  const guint8 *second = memmem (body->data + 1, body->len - 1, "\r\n--" BOUNDARY,
                                 strlen ("\r\n--" BOUNDARY));

  /* The first part is handed on once its closing delimiter is in, before the rest. */
  g_assert_nonnull (second);
  gsize upto = (second - body->data) + strlen ("\r\n--" BOUNDARY);
  g_assert_true (lb_multipart_parser_feed (parser, body->data, upto, NULL));
  g_assert_cmpuint (parts->len, ==, 1);
  assert_part (parts, 0, "application/dicom", expected[0], lengths[0]);

  for (guint i = 0; i < 3; i++)
    g_free (expected[i]);
}

static void
test_preamble_epilogue_padding (void)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  const char *body = "This is a preamble.\r\nIt has lines.\r\n"
                     "--b1 \t \r\n"
                     "Content-Type: text/plain\r\n"
                     "\r\n"
                     "first\r\n"
                     "--b1\t\r\n"
                     "Content-Type: application/octet-stream\r\n"
                     "\r\n"
                     "second\r\n"
                     "--b1--  \r\n"
                     "This epilogue is ignored.\r\n--b1\r\nnot a part\r\n";

  g_assert_true (parse_whole ("b1", body, 1024, parts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 2);
  assert_part (parts, 0, "text/plain", "first", 5);
  assert_part (parts, 1, "application/octet-stream", "second", 6);
}

static void
test_headers (void)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  /* Bare LF line ends, case-insensitive names, a folded line, a repeated field, no
   * Content-Length, and a part without headers. */
  const char *body = "--b\n"
                     "content-TYPE:   application/dicom  \n"
                     "Content-Location: http://h/studies/1\n"
                     " /series/2\n"
                     "X-Note: a\n"
                     "x-note: b\n"
                     "\n"
                     "data\r\n"
                     "--b\r\n"
                     "\r\n"
                     "\r\n"
                     "--b--";

  g_assert_true (parse_whole ("b", body, 1024, parts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 2);
  LbMultipartPart *part = g_ptr_array_index (parts, 0);
  g_assert_cmpstr (lb_multipart_part_get_content_type (part), ==, "application/dicom");
  g_assert_cmpstr (lb_multipart_part_get_content_location (part), ==,
                   "http://h/studies/1 /series/2");
  g_assert_cmpstr (lb_multipart_part_get_header (part, "X-NOTE"), ==, "a, b");
  assert_part (parts, 0, "application/dicom", "data", 4);
  assert_part (parts, 1, NULL, "", 0);

  g_ptr_array_set_size (parts, 0);
  g_assert_true (parse_whole ("b", "--b\r\nContent-Length: 0\r\n\r\n\r\n--b--", 1024, parts,
                              &error));
  g_assert_no_error (error);
  assert_part (parts, 0, NULL, "", 0);
}

static void
assert_fails (const char *boundary, const char *body, guint64 cap, LbNetError code,
              const char *message_part)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  g_assert_false (parse_whole (boundary, body, cap, parts, &error));
  g_assert_error (error, LB_NET_ERROR, (gint) code);
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_broken (void)
{
  assert_fails ("b", "--b\r\n\r\npart one\r\n--b\r\n\r\ncut here", 1024, LB_NET_ERROR_CUT,
                "ended before");
  assert_fails ("b", "--b\r\n\r\nlast part has no close\r\n--b\r\n", 1024, LB_NET_ERROR_CUT,
                "ended before");
  assert_fails ("b", "--b\r\nContent-Type: x\r\n", 1024, LB_NET_ERROR_CUT, "ended before");
  assert_fails ("b", "no boundary at all", 1024, LB_NET_ERROR_PROTOCOL, "never appears");
  assert_fails ("b", "", 1024, LB_NET_ERROR_PROTOCOL, "never appears");
  assert_fails ("b", "--bx\r\n\r\n", 1024, LB_NET_ERROR_PROTOCOL, "after a boundary");
  assert_fails ("b", "--b\r\nno colon\r\n\r\nx\r\n--b--", 1024, LB_NET_ERROR_PROTOCOL,
                "header line");
  assert_fails ("b", "--b\r\n: empty name\r\n\r\nx\r\n--b--", 1024, LB_NET_ERROR_PROTOCOL,
                "header line");
  assert_fails ("b", "--b\r\n folded first\r\n\r\nx\r\n--b--", 1024, LB_NET_ERROR_PROTOCOL,
                "continuation");
  assert_fails ("b", "--b\rx\r\n\r\nx\r\n--b--", 1024, LB_NET_ERROR_PROTOCOL, "CRLF");
  assert_fails ("b", "--b\r\nContent-Length: 3\r\n\r\nfour\r\n--b--", 1024,
                LB_NET_ERROR_PROTOCOL, "Content-Length");
  assert_fails ("b", "--b\r\nContent-Length: 5\r\n\r\nfour\r\n--b--", 1024,
                LB_NET_ERROR_PROTOCOL, "Content-Length");
  assert_fails ("b", "--b\r\nContent-Length: 4\r\n\r\nfour\r\n--b", 1024, LB_NET_ERROR_CUT,
                "ended before");
  assert_fails ("b", "--b\r\nContent-Length: 4\r\n\r\nfo", 1024, LB_NET_ERROR_CUT,
                "ended before");
}

static void
test_part_cap (void)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) body = g_byte_array_new ();
  const char *head = "--b\r\n\r\n";
  Collected collected = { parts, 0 };
  g_autoptr (LbMultipartParser) parser =
    lb_multipart_parser_new ("b", 4096, collect, &collected, NULL);
  guint8 chunk[1000];
  gboolean ok = TRUE;
  guint fed = 0;

  /* A part with no end in sight is refused once it passes the cap, not buffered. */
  memset (chunk, 'x', sizeof chunk);
  g_assert_true (lb_multipart_parser_feed (parser, head, strlen (head), NULL));
  while (ok && fed < 100)
    {
      ok = lb_multipart_parser_feed (parser, chunk, sizeof chunk, &error);
      fed++;
    }
  g_assert_false (ok);
  g_assert_cmpuint (fed, ==, 5);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "larger than the limit of 4.1"));

  /* A failed parser stays failed. */
  g_clear_error (&error);
  g_assert_false (lb_multipart_parser_feed (parser, "\r\n--b--", 7, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (lb_multipart_parser_finish (parser, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE);

  /* An announced length over the cap is refused before any byte of the body. */
  assert_fails ("b", "--b\r\nContent-Length: 99999999999\r\n\r\n", 4096, LB_NET_ERROR_TOO_LARGE,
                "larger than the limit");
  /* Exactly at the cap is fine. */
  g_autofree char *exact = g_strdup_printf ("--b\r\n\r\n%s\r\n--b--", "0123456789");
  g_assert_true (parse_whole ("b", exact, 10, parts, NULL));
}

static void
test_header_cap (void)
{
  g_autoptr (GString) body = g_string_new ("--b\r\n");

  for (guint i = 0; i < 2000; i++)
    g_string_append (body, "X-Padding: 0123456789\r\n");
  g_string_append (body, "\r\nx\r\n--b--");
  assert_fails ("b", body->str, 1024, LB_NET_ERROR_PROTOCOL, "headers are too long");
}

static void
test_consumer_stops (void)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  Collected collected = { parts, 2 };
  g_autoptr (LbMultipartParser) parser =
    lb_multipart_parser_new ("b", 1024, collect, &collected, NULL);
  const char *body = "--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b\r\n\r\nthree\r\n--b--";

  g_assert_false (lb_multipart_parser_feed (parser, body, strlen (body), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (parts->len, ==, 1);
}

static gboolean
never_called (LbMultipartPart *part, gpointer user_data, GError **error)
{
  g_assert_not_reached ();
}

static void
test_content_type_boundary (void)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  Collected collected = { parts, 0 };
  /* Orthanc's frames answer: a quoted type holding ';', then an unquoted boundary. */
  g_autoptr (LbMultipartParser) parser = lb_multipart_parser_new_for_content_type (
    "multipart/related; type=\"application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1\";"
    " boundary=\"a;b c\"",
    1024, collect, &collected, &error);
  const char *body = "--a;b c\r\n\r\nframe\r\n--a;b c--\r\n";

  g_assert_no_error (error);
  g_assert_true (lb_multipart_parser_feed (parser, body, strlen (body), &error));
  g_assert_true (lb_multipart_parser_finish (parser, &error));
  g_assert_cmpuint (parts->len, ==, 1);
  assert_part (parts, 0, NULL, "frame", 5);

  g_assert_null (lb_multipart_parser_new_for_content_type ("application/dicom", 1024,
                                                           never_called, NULL, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (lb_multipart_parser_new_for_content_type ("multipart/related; type=x", 1024,
                                                           never_called, NULL, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (lb_multipart_parser_new ("", 1024, never_called, NULL, &error));
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/net/multipart/split-everywhere/counted", GINT_TO_POINTER (TRUE),
                        split_everywhere);
  g_test_add_data_func ("/net/multipart/split-everywhere/searched", GINT_TO_POINTER (FALSE),
                        split_everywhere);
  g_test_add_func ("/net/multipart/parts-arrive-early", test_parts_arrive_early);
  g_test_add_func ("/net/multipart/preamble-epilogue-padding", test_preamble_epilogue_padding);
  g_test_add_func ("/net/multipart/headers", test_headers);
  g_test_add_func ("/net/multipart/broken", test_broken);
  g_test_add_func ("/net/multipart/part-cap", test_part_cap);
  g_test_add_func ("/net/multipart/header-cap", test_header_cap);
  g_test_add_func ("/net/multipart/consumer-stops", test_consumer_stops);
  g_test_add_func ("/net/multipart/content-type-boundary", test_content_type_boundary);
  return g_test_run ();
}
