/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for the multipart parser.  Input: a first line holding a Content-Type value
 * (where the boundary comes from), then the body.  The first byte also picks the chunk
 * size, so the same body is parsed whole and in pieces, and both must agree.
 *
 * Built with -DLB_FUZZING_ENGINE and -fsanitize=fuzzer it is a libFuzzer target; otherwise
 * main() replays every file named on the command line, or found in a named directory.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-multipart-parser.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define MAX_PART_SIZE (64 * 1024)

static gboolean
collect (LbMultipartPart *part, gpointer user_data, GError **error)
{
  g_ptr_array_add (user_data, g_bytes_ref (lb_multipart_part_get_body (part)));
  return TRUE;
}

/* Returns whether the parse succeeded; the parts go to @bodies. */
static gboolean
parse (const char *content_type, const guint8 *body, gsize length, gsize chunk,
       GPtrArray *bodies)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LbMultipartParser) parser =
    lb_multipart_parser_new_for_content_type (content_type, MAX_PART_SIZE, collect, bodies,
                                              &error);

  if (parser == NULL)
    {
      g_assert_nonnull (error);
      return FALSE;
    }
  for (gsize offset = 0; offset < length; offset += chunk)
    if (!lb_multipart_parser_feed (parser, body + offset, MIN (chunk, length - offset), &error))
      {
        g_assert_nonnull (error);
        return FALSE;
      }
  if (!lb_multipart_parser_finish (parser, &error))
    {
      g_assert_nonnull (error);
      return FALSE;
    }
  g_assert_cmpuint (lb_multipart_parser_get_part_count (parser), ==, bodies->len);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const guint8 *newline = memchr (data, '\n', MIN (size, 512));

  if (size == 0 || newline == NULL)
    return 0;

  g_autofree char *content_type = g_strndup ((const char *) data, newline - data);
  const guint8 *body = newline + 1;
  gsize length = size - (body - data);
  gsize chunk = (data[0] % 37) + 1;
  g_autoptr (GPtrArray) whole = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gboolean whole_ok = parse (content_type, body, length, MAX (length, 1), whole);
  gboolean pieces_ok = parse (content_type, body, length, chunk, pieces);

  /* How the bytes were cut must not change the outcome. */
  if (whole_ok != pieces_ok)
    abort ();
  if (whole_ok)
    {
      if (whole->len != pieces->len)
        abort ();
      for (guint i = 0; i < whole->len; i++)
        if (!g_bytes_equal (g_ptr_array_index (whole, i), g_ptr_array_index (pieces, i)))
          abort ();
    }
  return 0;
}

#ifndef LB_FUZZING_ENGINE
static void
replay_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
}

int
main (int argc, char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    {
      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          replay_file (argv[i]);
          count++;
          continue;
        }

      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          replay_file (path);
          count++;
        }
    }
  printf ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
#endif
