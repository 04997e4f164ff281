/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lightbox-cli info and render: the core's view of DICOM files, for people and scripts.
 */
#define G_LOG_DOMAIN "lb-cli"
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "lb-cli.h"
#include "lb-dicom-file.h"
#include "lb-frame-display.h"
#include "lb-presets.h"
#include "lb-render.h"

/* ---- info ------------------------------------------------------------------------ */

static void
add_attribute_string (JsonBuilder *b, LbDicomFile *file, const char *key, guint32 tag)
{
  g_autofree char *value = lb_dicom_file_dup_string (file, NULL, tag);
  lb_cli_json_add_string (b, key, value);
}

static void
add_numbers (JsonBuilder *b, LbDicomFile *file, const char *key, guint32 tag, gboolean per_frame)
{
  const LbDataSet *ds = per_frame ? lb_dicom_file_find_for_frame (file, 0, tag) : NULL;
  double values[16];
  guint n = 0;

  if (!per_frame || ds)
    n = lb_dicom_file_get_doubles (file, ds, tag, values, G_N_ELEMENTS (values));
  json_builder_set_member_name (b, key);
  if (n == 0)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, values[i]);
  json_builder_end_array (b);
}

static void
add_number (JsonBuilder *b, LbDicomFile *file, const char *key, guint32 tag, double fallback)
{
  const LbDataSet *ds = lb_dicom_file_find_for_frame (file, 0, tag);
  double v = fallback;

  if (ds)
    lb_dicom_file_get_double (file, ds, tag, 0, &v);
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, v);
}

static void
add_int (JsonBuilder *b, const char *key, gboolean present, gint64 value)
{
  json_builder_set_member_name (b, key);
  if (present)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
describe_json (JsonBuilder *b, LbDicomFile *file, const LbImageInfo *info)
{
  json_builder_begin_object (b);
  lb_cli_json_add_string (b, "file", lb_dicom_file_get_name (file));
  lb_cli_json_add_string (b, "sop_instance_uid", lb_dicom_file_get_sop_instance_uid (file));
  add_attribute_string (b, file, "series_instance_uid", LB_TAG_SERIES_INSTANCE_UID);
  add_attribute_string (b, file, "study_instance_uid", LB_TAG_STUDY_INSTANCE_UID);
  lb_cli_json_add_string (b, "sop_class_uid", lb_dicom_file_get_sop_class_uid (file));
  add_attribute_string (b, file, "modality", LB_TAG_MODALITY);
  lb_cli_json_add_string (b, "transfer_syntax", lb_dicom_file_get_transfer_syntax (file));
  lb_cli_json_add_string (b, "kind", lb_dicom_file_describe_kind (file));
  json_builder_set_member_name (b, "is_image");
  json_builder_add_boolean_value (b, info != NULL);

  add_int (b, "rows", info != NULL, info ? info->rows : 0);
  add_int (b, "columns", info != NULL, info ? info->columns : 0);
  add_int (b, "frames", info != NULL, info ? info->frames : 0);
  add_int (b, "samples_per_pixel", info != NULL, info ? info->samples_per_pixel : 0);
  lb_cli_json_add_string (b, "photometric", info ? lb_photometric_to_string (info->photometric) : NULL);
  add_int (b, "bits_allocated", info != NULL, info ? info->bits_allocated : 0);
  add_int (b, "bits_stored", info != NULL, info ? info->bits_stored : 0);
  add_int (b, "pixel_representation", info != NULL, info ? info->is_signed : 0);
  if (info)
    {
      add_number (b, file, "rescale_slope", LB_TAG_RESCALE_SLOPE, 1.0);
      add_number (b, file, "rescale_intercept", LB_TAG_RESCALE_INTERCEPT, 0.0);
    }
  else
    {
      lb_cli_json_add_string (b, "rescale_slope", NULL);
      lb_cli_json_add_string (b, "rescale_intercept", NULL);
    }
  add_numbers (b, file, "window_center", LB_TAG_WINDOW_CENTER, TRUE);
  add_numbers (b, file, "window_width", LB_TAG_WINDOW_WIDTH, TRUE);
  add_numbers (b, file, "pixel_spacing", LB_TAG_PIXEL_SPACING, TRUE);
  add_numbers (b, file, "image_position", LB_TAG_IMAGE_POSITION_PATIENT, TRUE);
  add_numbers (b, file, "image_orientation", LB_TAG_IMAGE_ORIENTATION_PATIENT, TRUE);
  json_builder_set_member_name (b, "lossy");
  json_builder_add_boolean_value (b, info ? info->lossy : FALSE);
  json_builder_end_object (b);
}

static void
describe_text (LbDicomFile *file, const LbImageInfo *info)
{
  g_autofree char *modality = lb_dicom_file_dup_string (file, NULL, LB_TAG_MODALITY);
  const char *ts = lb_dicom_file_get_transfer_syntax (file);
  const char *ts_name = lb_transfer_syntax_get_name (ts);

  printf ("%s: %s", lb_dicom_file_get_name (file), modality ? modality : "?");
  if (info)
    printf (" image, %u x %u, %u frame%s, %s, %u/%u bits%s, %s%s\n", info->columns, info->rows,
            info->frames, info->frames == 1 ? "" : "s", lb_photometric_to_string (info->photometric),
            info->bits_stored, info->bits_allocated, info->is_signed ? " signed" : "",
            ts_name ? ts_name : ts, info->lossy ? ", LOSSY" : "");
  else
    printf (", %s\n", lb_dicom_file_describe_kind (file));
}

int
lb_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array, one object per file", NULL },
    { NULL },
  };
  int status = LB_CLI_EXIT_OK;

  if (!lb_cli_parse ("info", "FILE...", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc < 2)
    return lb_cli_usage ("info", "no file given.");

  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (argv[i], &error);
      if (file == NULL)
        {
          status = lb_cli_fail_error (error);
          continue;
        }
      const LbImageInfo *info = NULL;
      if (lb_dicom_file_is_image (file))
        {
          info = lb_dicom_file_get_image_info (file, &error);
          if (info == NULL)
            {
              status = lb_cli_fail_error (error);
              continue;
            }
        }
      if (json)
        describe_json (builder, file, info);
      else
        describe_text (file, info);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = json_builder_get_root (builder);
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, root);
      g_autofree char *text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
    }
  return status;
}

/* ---- render ---------------------------------------------------------------------- */

static gboolean
parse_pair (const char *text, char sep, double *a, double *b)
{
  g_auto (GStrv) parts = g_strsplit (text, (char[]){ sep, 0 }, 2);
  char *end;

  if (g_strv_length (parts) != 2)
    return FALSE;
  *a = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end)
    return FALSE;
  *b = g_ascii_strtod (parts[1], &end);
  return end != parts[1] && *end == '\0';
}

int
lb_cli_render (int argc, char **argv)
{
  int frame = 1;
  g_autofree char *window = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *size = NULL;
  g_autofree char *output = NULL;
  gboolean full_range = FALSE;
  gboolean invert = FALSE;
  GOptionEntry entries[] = {
    { "frame", 0, 0, G_OPTION_ARG_INT, &frame, "Frame to render, from 1 (default 1)", "N" },
    { "window", 0, 0, G_OPTION_ARG_STRING, &window, "Window centre and width", "C,W" },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "A CT window preset (brain, lung, bone...)",
      "NAME" },
    { "full-range", 0, 0, G_OPTION_ARG_NONE, &full_range, "Window over the frame's full range",
      NULL },
    { "invert", 0, 0, G_OPTION_ARG_NONE, &invert, "Invert grey levels", NULL },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Fit into this many pixels (default: native)",
      "WxH" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "PNG file to write", "OUT.png" },
    { NULL },
  };
  LbRenderOptions options = { .mode = LB_VOI_MODE_FILE, .invert = FALSE };
  double width = 0, height = 0;

  if (!lb_cli_parse ("render", "FILE -o OUT.png", entries, &argc, &argv))
    return LB_CLI_EXIT_USAGE;
  if (argc != 2)
    return lb_cli_usage ("render", "give exactly one DICOM file.");
  if (output == NULL)
    return lb_cli_usage ("render", "-o OUT.png is required.");
  if ((window != NULL) + (preset != NULL) + full_range > 1)
    return lb_cli_usage ("render", "--window, --preset and --full-range exclude each other.");
  if (frame < 1)
    return lb_cli_usage ("render", "frames are numbered from 1.");
  if (window)
    {
      if (!parse_pair (window, ',', &options.window.center, &options.window.width) ||
          options.window.width <= 0)
        return lb_cli_usage ("render", "--window needs a centre and a positive width, like 40,400.");
      options.mode = LB_VOI_MODE_WINDOW;
      options.window.function = LB_VOI_FUNCTION_LINEAR;
    }
  if (preset)
    {
      const LbPreset *p = lb_preset_find (preset);
      if (p == NULL)
        return lb_cli_usage ("render", "unknown preset '%s'.", preset);
      options.mode = LB_VOI_MODE_WINDOW;
      options.window.center = p->level;
      options.window.width = p->width;
      options.window.function = LB_VOI_FUNCTION_LINEAR;
    }
  if (full_range)
    options.mode = LB_VOI_MODE_FULL_RANGE;
  options.invert = invert;
  if (size && (!parse_pair (size, 'x', &width, &height) || width < 1 || height < 1 ||
               width > 16384 || height > 16384 || width != (int) width || height != (int) height))
    return lb_cli_usage ("render", "--size needs whole numbers like 512x512.");

  g_autoptr (GError) error = NULL;
  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (argv[1], &error);
  if (file == NULL)
    return lb_cli_fail_error (error);
  g_autoptr (LbPixels) pixels = lb_dicom_file_decode_frame (file, (guint) frame - 1, &error);
  if (pixels == NULL)
    return lb_cli_fail_error (error);
  g_autoptr (LbFrameDisplay) display = lb_frame_display_new (file, (guint) frame - 1, &error);
  if (display == NULL)
    return lb_cli_fail_error (error);

  cairo_surface_t *surface = lb_render_frame (display, pixels, &options, NULL, &error);
  if (surface == NULL)
    return lb_cli_fail_error (error);
  if (size)
    {
      cairo_surface_t *scaled = lb_render_scale_to_fit (surface, (int) width, (int) height);
      cairo_surface_destroy (surface);
      surface = scaled;
    }
  cairo_status_t st = cairo_surface_write_to_png (surface, output);
  cairo_surface_destroy (surface);
  if (st != CAIRO_STATUS_SUCCESS)
    return lb_cli_fail ("Cannot write %s: %s.", output, cairo_status_to_string (st));
  return LB_CLI_EXIT_OK;
}
