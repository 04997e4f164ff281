/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for everything archive bytes reach before the screen: the GDCM shim's
 * parse, the image pixel module checks, frame decoding (GDCM codecs and our RLE) and
 * the imaging module's reading of LUTs, palettes and windows, then a render.  Build
 * with -Dfuzzing=true (clang, libFuzzer); otherwise fuzz-replay.c supplies a main that
 * runs the target over files and folders, which is how the test suite uses it.
 */
#define G_LOG_DOMAIN "lb-fuzz"
#include "config.h"

#include "lb-dicom-file.h"
#include "lb-frame-display.h"
#include "lb-render.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (bytes, "fuzz.dcm", NULL);

  if (file == NULL || lb_dicom_file_get_image_info (file, NULL) == NULL)
    return 0;

  const LbImageInfo *info = lb_dicom_file_get_image_info (file, NULL);
  /* A few frames are enough to reach every code path; all of them would let one input
   * with a huge frame count time out. */
  for (guint frame = 0; frame < MIN (info->frames, 3); frame++)
    {
      g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, frame, NULL);
      if (pixels == NULL)
        continue;
      g_autoptr (LbFrameDisplay) display = lb_frame_display_new (file, frame, NULL);
      if (display == NULL)
        continue;
      LbRenderOptions options = { .mode = LB_VOI_MODE_FILE };
      cairo_surface_t *surface = lb_render_frame (display, pixels, &options, NULL, NULL);
      if (surface)
        cairo_surface_destroy (surface);
      options.mode = LB_VOI_MODE_AUTO;
      surface = lb_render_frame (display, pixels, &options, NULL, NULL);
      if (surface)
        cairo_surface_destroy (surface);
    }
  return 0;
}
