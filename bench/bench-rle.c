/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Our RLE decoder (lb-rle.c) against GDCM's, on the same frames in the same run, and a
 * check that both give the same samples.  Justifies not using the library here.
 *
 *   bench-rle [--runs N] FILE...      (RLE Lossless files)
 */
#define G_LOG_DOMAIN "lb-bench"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdcm-shim/lb-gdcm-shim.h"
#include "lb-dicom-file.h"
#include "lb-memory.h"
#include "lb-rle.h"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
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
      fprintf (stderr, "usage: bench-rle [--runs N] FILE...\n");
      return 2;
    }
  lb_dicom_init ();

  printf ("| image | size | GDCM ms | Lightbox ms | GDCM / Lightbox | same samples |\n");
  printf ("| --- | --- | ---: | ---: | ---: | --- |\n");
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;
      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        {
          fprintf (stderr, "bench-rle: %s\n", error->message);
          return 1;
        }
      g_autoptr (GBytes) bytes = g_bytes_new_static (contents, length);
      g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (bytes, argv[i], &error);
      const LbImageInfo *info = file ? lb_dicom_file_get_image_info (file, &error) : NULL;
      if (info == NULL)
        {
          fprintf (stderr, "bench-rle: %s\n", error->message);
          return 1;
        }
      if (g_strcmp0 (lb_dicom_file_get_transfer_syntax (file), LB_TRANSFER_SYNTAX_RLE) != 0)
        {
          fprintf (stderr, "bench-rle: %s is not RLE compressed.\n", argv[i]);
          return 1;
        }

      LbGdcmStatus status;
      char *message = NULL;
      LbGdcmReader *reader = lb_gdcm_reader_open_memory (contents, length, &status, &message);
      g_autofree char *photometric = lb_dicom_file_dup_string (file, NULL,
                                                               LB_TAG_PHOTOMETRIC_INTERPRETATION);
      LbGdcmPixelFormat format = {
        .columns = info->columns, .rows = info->rows, .frames = info->frames,
        .samples_per_pixel = (guint16) info->samples_per_pixel,
        .bits_allocated = (guint16) info->bits_allocated,
        .bits_stored = (guint16) info->bits_stored, .high_bit = (guint16) info->high_bit,
        .pixel_representation = info->is_signed, .photometric = photometric,
      };
      gsize frame_bytes = (gsize) info->rows * info->columns * info->samples_per_pixel *
                          (info->bits_allocated / 8);
      g_autofree guint8 *theirs = g_malloc (frame_bytes);
      g_autofree guint8 *ours = g_malloc (frame_bytes);
      g_autofree double *gdcm_ms = g_new (double, runs);
      g_autofree double *our_ms = g_new (double, runs);
      const guint8 *fragment;
      guint64 fragment_length;
      g_autofree guint8 *joined = NULL;
      int whole = 0;
      if (reader == NULL || !lb_gdcm_reader_get_frame_bytes (reader, info->frames, 0, &fragment,
                                                            &fragment_length, &joined, &whole))
        {
          fprintf (stderr, "bench-rle: %s: %s\n", argv[i], message ? message : "no fragment");
          return 1;
        }

      for (int r = 0; r < runs; r++)
        {
          char pi[32];
          guint16 planar;
          gint64 t0 = g_get_monotonic_time ();
          status = lb_gdcm_reader_decode_frame (reader, &format, 0, theirs, frame_bytes, pi,
                                                &planar, &message);
          gint64 t1 = g_get_monotonic_time ();
          gboolean ok = lb_rle_decode_frame (fragment, (gsize) fragment_length, info->columns,
                                             info->rows, info->samples_per_pixel,
                                             info->bits_allocated / 8, ours, &error);
          gint64 t2 = g_get_monotonic_time ();
          if (status != LB_GDCM_OK || !ok)
            {
              fprintf (stderr, "bench-rle: %s: decoding failed\n", argv[i]);
              return 1;
            }
          gdcm_ms[r] = (t1 - t0) / 1000.0;
          our_ms[r] = (t2 - t1) / 1000.0;
        }
      qsort (gdcm_ms, runs, sizeof (double), compare_doubles);
      qsort (our_ms, runs, sizeof (double), compare_doubles);
      double g = gdcm_ms[runs / 2], o = our_ms[runs / 2];
      g_autofree char *name = g_path_get_basename (argv[i]);
      printf ("| %s | %ux%u x%u %u-bit | %.2f | %.2f | %.1f | %s |\n", name, info->columns,
              info->rows, info->samples_per_pixel, info->bits_allocated, g, o, g / MAX (o, 0.001),
              memcmp (theirs, ours, frame_bytes) == 0 ? "yes" : "no");
      lb_gdcm_reader_free (reader);
    }
  return 0;
}
