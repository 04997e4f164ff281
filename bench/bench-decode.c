/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decode time of one frame per file, as a ratio to a memcpy of the decoded bytes timed
 * in the same run (the ratio survives a noisy machine better than milliseconds do).
 *
 *   bench-decode [--runs N] FILE...
 *
 * Prints one Markdown table row per file: name, transfer syntax, size, median decode
 * ms (parse + decode), median memcpy ms, ratio.
 */
#define G_LOG_DOMAIN "lb-bench"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-dicom-file.h"
#include "lb-memory.h"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main (int argc, char **argv)
{
  lb_memory_tune_for_imaging ();
  int runs = 30;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Repetitions per file (default 30)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FILE...");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2 || runs < 1)
    {
      fprintf (stderr, "usage: bench-decode [--runs N] FILE...\n");
      return 2;
    }

  printf ("| image | transfer syntax | size | decode ms | memcpy ms | decode / memcpy |\n");
  printf ("| --- | --- | --- | ---: | ---: | ---: |\n");
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        {
          fprintf (stderr, "bench-decode: %s\n", error->message);
          return 1;
        }
      g_autoptr (GBytes) bytes = g_bytes_new_static (contents, length);
      g_autoptr (LbDicomFile) probe = lb_dicom_file_new_for_bytes (bytes, argv[i], &error);
      const LbImageInfo *info = probe ? lb_dicom_file_get_image_info (probe, &error) : NULL;
      if (info == NULL)
        {
          fprintf (stderr, "bench-decode: %s\n", error->message);
          return 1;
        }
      gsize frame_bytes = (gsize) info->rows * info->columns * info->samples_per_pixel *
                          MAX (info->bits_allocated / 8, 1);

      g_autofree double *decode = g_new (double, runs);
      for (int r = 0; r < runs; r++)
        {
          gint64 t0 = g_get_monotonic_time ();
          g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (bytes, argv[i], &error);
          g_autoptr (LbPixels) pixels = file ? lb_dicom_file_decode_frame (file, 0, &error) : NULL;
          gint64 t1 = g_get_monotonic_time ();
          if (pixels == NULL)
            {
              fprintf (stderr, "bench-decode: %s\n", error->message);
              return 1;
            }
          decode[r] = (t1 - t0) / 1000.0;
        }

      /* A single copy of half a megabyte is below the clock's resolution: time batches. */
      const int batch = 50;
      g_autofree double *copy = g_new (double, runs);
      g_autofree guint8 *src = g_malloc (frame_bytes);
      g_autofree guint8 *dst = g_malloc (frame_bytes);
      memset (src, 1, frame_bytes);
      for (int r = 0; r < runs; r++)
        {
          gint64 t0 = g_get_monotonic_time ();
          for (int k = 0; k < batch; k++)
            {
              memcpy (dst, src, frame_bytes);
              src[k] = dst[frame_bytes - 1 - k];
            }
          gint64 t1 = g_get_monotonic_time ();
          copy[r] = (t1 - t0) / 1000.0 / batch;
        }

      const char *ts = lb_dicom_file_get_transfer_syntax (probe);
      const char *ts_name = lb_transfer_syntax_get_name (ts);
      double d = median (decode, runs), c = median (copy, runs);
      g_autofree char *name = g_path_get_basename (argv[i]);
      printf ("| %s | %s | %ux%u %u-bit | %.2f | %.3f | %.0f |\n", name, ts_name ? ts_name : ts,
              info->columns, info->rows, info->bits_allocated, d, c, d / c);
    }
  return 0;
}
