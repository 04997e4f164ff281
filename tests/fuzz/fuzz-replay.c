/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A main for fuzz targets built without libFuzzer: runs the target once over each file
 * given, recursing into folders, so a corpus or a crash reproducer replays under
 * valgrind or in the test suite.
 */
#define G_LOG_DOMAIN "lb-fuzz"
#include "config.h"

#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

static guint
replay (const char *path)
{
  guint count = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      for (const char *name; dir && (name = g_dir_read_name (dir));)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          count += replay (child);
        }
      return count;
    }

  g_autofree char *contents = NULL;
  gsize length;
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return 0;
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  return 1;
}

int
main (int argc, char **argv)
{
  guint count = 0;

  for (int i = 1; i < argc; i++)
    count += replay (argv[i]);
  printf ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
