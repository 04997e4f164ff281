/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-frame-display.h"

#include <math.h>

#include "lb-imaging-error.h"

/* Not yet in lb-tags.h, which the dicom module owns. */
#define TAG_PIXEL_PADDING_VALUE       LB_TAG (0x0028, 0x0120)
#define TAG_PIXEL_PADDING_RANGE_LIMIT LB_TAG (0x0028, 0x0121)

/* Files rarely carry more than three windows; anything past this is noise. */
#define MAX_WINDOWS 32

typedef struct {
  LbWindow window;
  char *explanation;
} FileWindow;

struct _LbFrameDisplay
{
  GObject parent_instance;

  LbPhotometric photometric;
  gboolean inverted;

  LbLut *modality_lut;
  double slope;
  double intercept;

  GArray *windows;    /* FileWindow */
  GPtrArray *voi_luts; /* LbLut */

  gboolean has_padding;
  gint64 padding_low;
  gint64 padding_high;

  LbPalette *palette;
};

G_DEFINE_FINAL_TYPE (LbFrameDisplay, lb_frame_display, G_TYPE_OBJECT)

static void
clear_file_window (gpointer data)
{
  FileWindow *w = data;
  g_free (w->explanation);
}

static void
lb_frame_display_finalize (GObject *object)
{
  LbFrameDisplay *self = LB_FRAME_DISPLAY (object);

  g_clear_pointer (&self->modality_lut, lb_lut_unref);
  g_clear_pointer (&self->windows, g_array_unref);
  g_clear_pointer (&self->voi_luts, g_ptr_array_unref);
  g_clear_pointer (&self->palette, lb_palette_unref);

  G_OBJECT_CLASS (lb_frame_display_parent_class)->finalize (object);
}

static void
lb_frame_display_class_init (LbFrameDisplayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_frame_display_finalize;
}

static void
lb_frame_display_init (LbFrameDisplay *self)
{
  self->slope = 1;
  self->intercept = 0;
  self->photometric = LB_PHOTOMETRIC_MONOCHROME2;
  self->windows = g_array_new (FALSE, TRUE, sizeof (FileWindow));
  g_array_set_clear_func (self->windows, clear_file_window);
  self->voi_luts = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_lut_unref);
}

static void
add_window (LbFrameDisplay *self, const LbWindow *window, const char *explanation)
{
  g_autoptr (GError) error = NULL;

  if (!lb_window_check (window, &error))
    {
      g_debug ("Leaving out a window the standard forbids: %s", error->message);
      return;
    }
  FileWindow w = { *window, g_strdup (explanation) };
  g_array_append_val (self->windows, w);
}

static gboolean
read_modality (LbFrameDisplay *self, LbDicomFile *file, guint frame, gboolean is_signed,
               GError **error)
{
  const LbDataSet *ds = lb_dicom_file_find_for_frame (file, frame, LB_TAG_MODALITY_LUT_SEQUENCE);
  const LbDataSet *item = ds ? lb_dicom_file_get_item (file, ds, LB_TAG_MODALITY_LUT_SEQUENCE, 0)
                             : NULL;

  if (item != NULL)
    {
      self->modality_lut = lb_lut_new_from_item (file, item, is_signed,
                                                 "the modality lookup table", error);
      return self->modality_lut != NULL;
    }

  double slope = 1, intercept = 0;
  ds = lb_dicom_file_find_for_frame (file, frame, LB_TAG_RESCALE_SLOPE);
  if (ds)
    lb_dicom_file_get_double (file, ds, LB_TAG_RESCALE_SLOPE, 0, &slope);
  ds = lb_dicom_file_find_for_frame (file, frame, LB_TAG_RESCALE_INTERCEPT);
  if (ds)
    lb_dicom_file_get_double (file, ds, LB_TAG_RESCALE_INTERCEPT, 0, &intercept);
  /* A zero slope would flatten the image; DCMTK ignores it too. */
  if (slope == 0)
    {
      g_debug ("%s has a rescale slope of 0; using 1", lb_dicom_file_get_name (file));
      slope = 1;
    }
  self->slope = slope;
  self->intercept = intercept;
  return TRUE;
}

static void
read_windows (LbFrameDisplay *self, LbDicomFile *file, guint frame)
{
  const LbDataSet *ds = lb_dicom_file_find_for_frame (file, frame, LB_TAG_WINDOW_CENTER);
  double centers[MAX_WINDOWS], widths[MAX_WINDOWS];
  LbVoiFunction function = LB_VOI_FUNCTION_LINEAR;

  if (ds == NULL)
    return;

  /* The function belongs with the windows; older files put it at the root. */
  const LbDataSet *fds = lb_dicom_file_has (file, ds, LB_TAG_VOI_LUT_FUNCTION)
                           ? ds
                           : lb_dicom_file_find_for_frame (file, frame, LB_TAG_VOI_LUT_FUNCTION);
  g_autofree char *fname = fds ? lb_dicom_file_dup_string (file, fds, LB_TAG_VOI_LUT_FUNCTION)
                               : NULL;
  if (!lb_voi_function_from_string (fname, &function))
    g_debug ("%s names the unknown VOI LUT function %s; using LINEAR",
             lb_dicom_file_get_name (file), fname);

  guint nc = lb_dicom_file_get_doubles (file, ds, LB_TAG_WINDOW_CENTER, centers, MAX_WINDOWS);
  guint nw = lb_dicom_file_get_doubles (file, ds, LB_TAG_WINDOW_WIDTH, widths, MAX_WINDOWS);
  g_auto (GStrv) explanations = lb_dicom_file_dup_strings (file, ds, LB_TAG_WINDOW_EXPLANATION);
  guint ne = explanations ? g_strv_length (explanations) : 0;

  for (guint i = 0; i < MIN (nc, nw); i++)
    {
      LbWindow w = { centers[i], widths[i], function };
      const char *explanation = i < ne && explanations[i][0] ? explanations[i] : NULL;
      add_window (self, &w, explanation);
    }
}

static void
read_voi_luts (LbFrameDisplay *self, LbDicomFile *file, guint frame, gboolean is_signed)
{
  const LbDataSet *ds = lb_dicom_file_find_for_frame (file, frame, LB_TAG_VOI_LUT_SEQUENCE);
  guint n = ds ? lb_dicom_file_get_item_count (file, ds, LB_TAG_VOI_LUT_SEQUENCE) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      const LbDataSet *item = lb_dicom_file_get_item (file, ds, LB_TAG_VOI_LUT_SEQUENCE, i);
      LbLut *lut = item ? lb_lut_new_from_item (file, item, is_signed, "the VOI lookup table",
                                                &error)
                        : NULL;
      /* A damaged VOI table costs the reader one choice, not the image. */
      if (lut == NULL)
        g_debug ("Leaving out VOI lookup table %u: %s", i + 1,
                 error ? error->message : "no item");
      else
        g_ptr_array_add (self->voi_luts, lut);
    }
}

static gint64
as_stored (gint64 v, gboolean is_signed)
{
  if (is_signed && v > 32767 && v <= 65535)
    return v - 65536;
  if (!is_signed && v < 0 && v >= -32768)
    return v + 65536;
  return v;
}

static void
read_padding (LbFrameDisplay *self, LbDicomFile *file, gboolean is_signed)
{
  gint64 value, limit;

  if (!lb_dicom_file_get_int (file, NULL, TAG_PIXEL_PADDING_VALUE, 0, &value))
    return;
  value = as_stored (value, is_signed);
  self->has_padding = TRUE;
  self->padding_low = self->padding_high = value;
  if (lb_dicom_file_get_int (file, NULL, TAG_PIXEL_PADDING_RANGE_LIMIT, 0, &limit))
    {
      limit = as_stored (limit, is_signed);
      self->padding_low = MIN (value, limit);
      self->padding_high = MAX (value, limit);
    }
}

LbFrameDisplay *
lb_frame_display_new (LbDicomFile *file, guint frame, GError **error)
{
  const LbImageInfo *info;

  g_return_val_if_fail (LB_IS_DICOM_FILE (file), NULL);

  info = lb_dicom_file_get_image_info (file, error);
  if (info == NULL)
    return NULL;
  if (frame >= info->frames)
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_NO_SUCH_FRAME,
                   "%s has %u frames; there is no frame %u.", lb_dicom_file_get_name (file),
                   info->frames, frame + 1);
      return NULL;
    }

  g_autoptr (LbFrameDisplay) self = g_object_new (LB_TYPE_FRAME_DISPLAY, NULL);
  self->photometric = info->photometric;

  if (lb_photometric_is_monochrome (info->photometric))
    {
      if (!read_modality (self, file, frame, info->is_signed, error))
        return NULL;
      read_windows (self, file, frame);
      read_voi_luts (self, file, frame, info->is_signed);
      read_padding (self, file, info->is_signed);

      const LbDataSet *ds = lb_dicom_file_find_for_frame (file, frame,
                                                          LB_TAG_PRESENTATION_LUT_SHAPE);
      g_autofree char *shape = ds ? lb_dicom_file_dup_string (file, ds,
                                                              LB_TAG_PRESENTATION_LUT_SHAPE)
                                  : NULL;
      /* The shape, when given, already accounts for MONOCHROME1: DX and MG files pair
       * MONOCHROME1 with INVERSE, which means one inversion, not two. */
      if (g_strcmp0 (shape, "INVERSE") == 0)
        self->inverted = TRUE;
      else if (g_strcmp0 (shape, "IDENTITY") == 0)
        self->inverted = FALSE;
      else
        self->inverted = info->photometric == LB_PHOTOMETRIC_MONOCHROME1;
    }
  else if (info->photometric == LB_PHOTOMETRIC_PALETTE_COLOR)
    {
      self->palette = lb_palette_new_from_file (file, NULL, info->is_signed, error);
      if (self->palette == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

LbFrameDisplay *
lb_frame_display_new_monochrome (gboolean monochrome1, double slope, double intercept,
                                 const LbWindow *windows, guint n_windows)
{
  g_return_val_if_fail (n_windows == 0 || windows != NULL, NULL);
  g_return_val_if_fail (isfinite (slope) && slope != 0 && isfinite (intercept), NULL);

  LbFrameDisplay *self = g_object_new (LB_TYPE_FRAME_DISPLAY, NULL);
  self->photometric = monochrome1 ? LB_PHOTOMETRIC_MONOCHROME1 : LB_PHOTOMETRIC_MONOCHROME2;
  self->inverted = monochrome1;
  self->slope = slope;
  self->intercept = intercept;
  for (guint i = 0; i < n_windows; i++)
    add_window (self, &windows[i], NULL);
  return self;
}

LbPhotometric
lb_frame_display_get_photometric (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), LB_PHOTOMETRIC_UNKNOWN);
  return self->photometric;
}

gboolean
lb_frame_display_is_grey (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), FALSE);
  return lb_photometric_is_monochrome (self->photometric);
}

guint
lb_frame_display_get_n_windows (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), 0);
  return self->windows->len;
}

gboolean
lb_frame_display_get_window (LbFrameDisplay *self, guint index, LbWindow *out,
                             const char **explanation)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (index >= self->windows->len)
    return FALSE;
  const FileWindow *w = &g_array_index (self->windows, FileWindow, index);
  *out = w->window;
  if (explanation)
    *explanation = w->explanation;
  return TRUE;
}

gboolean
lb_frame_display_has_voi_lut (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), FALSE);
  return self->voi_luts->len > 0;
}

guint
lb_frame_display_get_n_voi_luts (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), 0);
  return self->voi_luts->len;
}

LbLut *
lb_frame_display_get_voi_lut (LbFrameDisplay *self, guint index)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), NULL);
  return index < self->voi_luts->len ? g_ptr_array_index (self->voi_luts, index) : NULL;
}

gboolean
lb_frame_display_get_inverted (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), FALSE);
  return self->inverted;
}

LbLut *
lb_frame_display_get_modality_lut (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), NULL);
  return self->modality_lut;
}

void
lb_frame_display_get_rescale (LbFrameDisplay *self, double *slope, double *intercept)
{
  g_return_if_fail (LB_IS_FRAME_DISPLAY (self));
  if (slope)
    *slope = self->slope;
  if (intercept)
    *intercept = self->intercept;
}

double
lb_frame_display_to_modality (LbFrameDisplay *self, gint64 stored)
{
  if (self->modality_lut)
    return lb_lut_lookup (self->modality_lut, stored);
  return stored * self->slope + self->intercept;
}

gboolean
lb_frame_display_get_padding (LbFrameDisplay *self, gint64 *low, gint64 *high)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), FALSE);
  if (!self->has_padding)
    return FALSE;
  if (low)
    *low = self->padding_low;
  if (high)
    *high = self->padding_high;
  return TRUE;
}

LbPalette *
lb_frame_display_get_palette (LbFrameDisplay *self)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (self), NULL);
  return self->palette;
}
