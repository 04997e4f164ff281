/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The synthetic patients make-phantom draws: a chest and abdomen CT, a sagittal head MR,
 * a chest radiograph (CR, DX) and a mammogram.  Each is a list of simple solids with
 * known values; the value of a voxel is the value of the last solid that contains its
 * centre, plus deterministic noise.  Tests use the same model to know what every voxel
 * should hold.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  LB_PHANTOM_KIND_CT,
  LB_PHANTOM_KIND_MR,
  LB_PHANTOM_KIND_CR,
  LB_PHANTOM_KIND_DX,
  LB_PHANTOM_KIND_MAMMO,
} LbPhantomKind;

typedef enum {
  LB_PHANTOM_SHAPE_ELLIPSOID,
  /* An ellipse in x and y, extruded along z. */
  LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER,
  LB_PHANTOM_SHAPE_BOX,
} LbPhantomShape;

/* Coordinates are patient mm (LPS) for CT and MR; for the projection kinds they are
 * detector mm, x to the right and y down from the centre of the first pixel, z = 0. */
typedef struct {
  const char *name;
  LbPhantomShape shape;
  double centre[3];
  /* Semi-axes; for a box, half the edge lengths; for a cylinder, half[2] is half its
   * length. */
  double half[3];
  /* In output units: HU for CT, stored values otherwise. */
  double value;
  /* Placed to be measured (spheres, discs, wedge steps), in a uniform surrounding. */
  gboolean test_object;
} LbPhantomObject;

#define LB_TYPE_PHANTOM (lb_phantom_get_type ())

G_DECLARE_FINAL_TYPE (LbPhantom, lb_phantom, LB, PHANTOM, GObject)

gboolean lb_phantom_kind_from_string (const char *name, LbPhantomKind *kind);
const char *lb_phantom_kind_to_string (LbPhantomKind kind);

/* Zero @columns, @rows, @slices or @slice_spacing take the kind's defaults.  The field
 * of view stays that of the kind: a smaller matrix has larger pixels.  @seed drives the
 * noise only. */
LbPhantom *lb_phantom_new (LbPhantomKind kind, guint columns, guint rows, guint slices,
                           double slice_spacing, guint64 seed);

LbPhantomKind lb_phantom_get_kind (LbPhantom *self);
guint lb_phantom_get_columns (LbPhantom *self);
guint lb_phantom_get_rows (LbPhantom *self);
guint lb_phantom_get_slices (LbPhantom *self);
/* Whether the kind is a projection image (one frame, no patient geometry). */
gboolean lb_phantom_is_projection (LbPhantom *self);

/* Millimetres between voxel centres along i (columns), j (rows) and k (slices). */
void lb_phantom_get_spacing (LbPhantom *self, double spacing[3]);
double lb_phantom_get_slice_thickness (LbPhantom *self);
/* Position of voxel (0, 0, 0): the Image Position (Patient) of the first slice. */
void lb_phantom_get_origin (LbPhantom *self, double origin[3]);
/* Image Orientation (Patient): the direction of increasing column index, then of
 * increasing row index. */
void lb_phantom_get_orientation (LbPhantom *self, double orientation[6]);
/* Unit vector from slice k to slice k + 1 (opposite to the row x column normal). */
void lb_phantom_get_slice_direction (LbPhantom *self, double direction[3]);
/* origin + i * spacing[0] * row + j * spacing[1] * column + k * spacing[2] * slice. */
void lb_phantom_voxel_to_patient (LbPhantom *self, double i, double j, double k,
                                  double out[3]);

guint lb_phantom_get_bits_stored (LbPhantom *self);
const char *lb_phantom_get_photometric (LbPhantom *self);
/* Output units = stored * slope + intercept. */
void lb_phantom_get_rescale (LbPhantom *self, double *intercept, double *slope);
/* Noise is an integer in [-amplitude, amplitude], triangular, added in stored units. */
guint lb_phantom_get_noise_amplitude (LbPhantom *self);
/* The value, in output units, where no object is. */
double lb_phantom_get_background (LbPhantom *self);

guint lb_phantom_get_n_objects (LbPhantom *self);
/* In painting order: later objects cover earlier ones. */
const LbPhantomObject *lb_phantom_get_object (LbPhantom *self, guint index);

/* The noise-free value, in output units, at a point. */
double lb_phantom_value_at (LbPhantom *self, const double point[3]);

/* Stored values of slice @k (noise included), columns x rows, row by row. */
void lb_phantom_render_slice (LbPhantom *self, guint k, guint16 *out);

G_END_DECLS
