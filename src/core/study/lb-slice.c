/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-slice.h"

#include <math.h>

struct _LbSlice
{
  GObject parent_instance;

  LbDicomFile *file;
  guint frame;
  int instance_number;
  guint width;
  guint height;
  gboolean lossy;

  gboolean has_position;
  double position[3];
  gboolean has_orientation;
  double orientation[6];
  gboolean has_spacing;
  gboolean spacing_at_detector;
  double spacing[2];
  gboolean has_thickness;
  double thickness;
};

G_DEFINE_FINAL_TYPE (LbSlice, lb_slice, G_TYPE_OBJECT)

static void
lb_slice_finalize (GObject *object)
{
  LbSlice *self = LB_SLICE (object);

  g_clear_object (&self->file);

  G_OBJECT_CLASS (lb_slice_parent_class)->finalize (object);
}

static void
lb_slice_class_init (LbSliceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_slice_finalize;
}

static void
lb_slice_init (LbSlice *self)
{
  self->instance_number = -1;
}

/* @n numbers of @tag for @frame, wherever an enhanced file keeps them. */
static gboolean
read_frame_doubles (LbDicomFile *file, guint frame, guint32 tag, double *out, guint n)
{
  const LbDataSet *ds = lb_dicom_file_find_for_frame (file, frame, tag);

  if (ds == NULL)
    return FALSE;
  return lb_dicom_file_get_doubles (file, ds, tag, out, n) == n;
}

static gboolean
all_finite (const double *v, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (v[i]))
      return FALSE;
  return TRUE;
}

/* Orientation vectors are written with a few digits; normalise them, and refuse what is
 * not two independent directions. */
static gboolean
normalise_orientation (double o[6])
{
  double rl = sqrt (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
  double cl = sqrt (o[3] * o[3] + o[4] * o[4] + o[5] * o[5]);

  if (!(rl > 1e-6) || !(cl > 1e-6))
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      o[i] /= rl;
      o[3 + i] /= cl;
    }
  return fabs (o[0] * o[3] + o[1] * o[4] + o[2] * o[5]) < 0.1;
}

LbSlice *
lb_slice_new (LbDicomFile *file, guint frame, GError **error)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (file), NULL);

  const LbImageInfo *info = lb_dicom_file_get_image_info (file, error);
  if (info == NULL)
    return NULL;
  if (frame >= info->frames)
    {
      g_set_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NO_SUCH_FRAME,
                   "%s has %u frames, not %u.", lb_dicom_file_get_name (file), info->frames,
                   frame + 1);
      return NULL;
    }

  LbSlice *self = g_object_new (LB_TYPE_SLICE, NULL);
  self->file = g_object_ref (file);
  self->frame = frame;
  self->width = info->columns;
  self->height = info->rows;
  self->lossy = info->lossy || lb_transfer_syntax_is_lossy (lb_dicom_file_get_transfer_syntax (file));

  gint64 number;
  if (lb_dicom_file_get_int (file, NULL, LB_TAG_INSTANCE_NUMBER, 0, &number) &&
      number >= G_MININT && number <= G_MAXINT)
    self->instance_number = (int) number;

  self->has_position = read_frame_doubles (file, frame, LB_TAG_IMAGE_POSITION_PATIENT,
                                           self->position, 3) &&
                       all_finite (self->position, 3);
  self->has_orientation = read_frame_doubles (file, frame, LB_TAG_IMAGE_ORIENTATION_PATIENT,
                                              self->orientation, 6) &&
                          all_finite (self->orientation, 6) &&
                          normalise_orientation (self->orientation);

  if (read_frame_doubles (file, frame, LB_TAG_PIXEL_SPACING, self->spacing, 2))
    self->has_spacing = TRUE;
  else if (read_frame_doubles (file, frame, LB_TAG_IMAGER_PIXEL_SPACING, self->spacing, 2))
    self->has_spacing = self->spacing_at_detector = TRUE;
  if (self->has_spacing && !(self->spacing[0] > 0 && self->spacing[1] > 0 &&
                             all_finite (self->spacing, 2)))
    self->has_spacing = FALSE;

  self->has_thickness = read_frame_doubles (file, frame, LB_TAG_SLICE_THICKNESS,
                                            &self->thickness, 1) &&
                        isfinite (self->thickness) && self->thickness > 0;
  return self;
}

GPtrArray *
lb_slice_new_all (LbDicomFile *file, GError **error)
{
  g_return_val_if_fail (LB_IS_DICOM_FILE (file), NULL);

  const LbImageInfo *info = lb_dicom_file_get_image_info (file, error);
  if (info == NULL)
    return NULL;

  g_autoptr (GPtrArray) slices = g_ptr_array_new_full (info->frames, g_object_unref);
  for (guint frame = 0; frame < info->frames; frame++)
    {
      LbSlice *slice = lb_slice_new (file, frame, error);
      if (slice == NULL)
        return NULL;
      g_ptr_array_add (slices, slice);
    }
  return g_steal_pointer (&slices);
}

LbDicomFile *
lb_slice_get_file (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), NULL);
  return self->file;
}

guint
lb_slice_get_frame (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), 0);
  return self->frame;
}

const char *
lb_slice_get_sop_instance_uid (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), NULL);
  return lb_dicom_file_get_sop_instance_uid (self->file);
}

int
lb_slice_get_instance_number (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), -1);
  return self->instance_number;
}

guint
lb_slice_get_width (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), 0);
  return self->width;
}

guint
lb_slice_get_height (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), 0);
  return self->height;
}

gboolean
lb_slice_get_lossy (LbSlice *self)
{
  g_return_val_if_fail (LB_IS_SLICE (self), FALSE);
  return self->lossy;
}

gboolean
lb_slice_get_position (LbSlice *self, double position[3])
{
  g_return_val_if_fail (LB_IS_SLICE (self), FALSE);

  if (!self->has_position)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    position[i] = self->position[i];
  return TRUE;
}

gboolean
lb_slice_get_orientation (LbSlice *self, double orientation[6])
{
  g_return_val_if_fail (LB_IS_SLICE (self), FALSE);

  if (!self->has_orientation)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    orientation[i] = self->orientation[i];
  return TRUE;
}

gboolean
lb_slice_get_normal (LbSlice *self, double normal[3])
{
  g_return_val_if_fail (LB_IS_SLICE (self), FALSE);

  if (!self->has_orientation)
    return FALSE;
  const double *r = self->orientation;
  const double *c = self->orientation + 3;
  normal[0] = r[1] * c[2] - r[2] * c[1];
  normal[1] = r[2] * c[0] - r[0] * c[2];
  normal[2] = r[0] * c[1] - r[1] * c[0];
  return TRUE;
}

gboolean
lb_slice_get_pixel_spacing (LbSlice *self, double *row_spacing, double *column_spacing,
                            gboolean *at_detector)
{
  g_return_val_if_fail (LB_IS_SLICE (self), FALSE);

  if (!self->has_spacing)
    return FALSE;
  if (row_spacing != NULL)
    *row_spacing = self->spacing[0];
  if (column_spacing != NULL)
    *column_spacing = self->spacing[1];
  if (at_detector != NULL)
    *at_detector = self->spacing_at_detector;
  return TRUE;
}

gboolean
lb_slice_get_thickness (LbSlice *self, double *thickness)
{
  g_return_val_if_fail (LB_IS_SLICE (self), FALSE);

  if (!self->has_thickness)
    return FALSE;
  *thickness = self->thickness;
  return TRUE;
}
