/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-phantom"
#include "config.h"

#include "lb-phantom.h"

#include <math.h>
#include <string.h>

/* Objects meant to run through the whole scan, whatever its length. */
#define ENDLESS 1.0e4

struct _LbPhantom
{
  GObject parent_instance;

  LbPhantomKind kind;
  guint columns;
  guint rows;
  guint slices;
  double spacing[3];
  double thickness;
  double origin[3];
  double row[3];
  double column[3];
  double slice[3];
  /* The one patient axis each of the three index directions runs along. */
  guint row_axis;
  guint slice_axis;

  guint bits_stored;
  const char *photometric;
  double intercept;
  double slope;
  double background;
  guint noise;
  guint64 seed;

  GArray *objects;
  GStringChunk *names;
};

G_DEFINE_FINAL_TYPE (LbPhantom, lb_phantom, G_TYPE_OBJECT)

static const char *const kind_names[] = {
  [LB_PHANTOM_KIND_CT] = "ct",
  [LB_PHANTOM_KIND_MR] = "mr",
  [LB_PHANTOM_KIND_CR] = "cr",
  [LB_PHANTOM_KIND_DX] = "dx",
  [LB_PHANTOM_KIND_MAMMO] = "mammo",
};

gboolean
lb_phantom_kind_from_string (const char *name, LbPhantomKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      {
        *kind = (LbPhantomKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
lb_phantom_kind_to_string (LbPhantomKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

static void
lb_phantom_finalize (GObject *object)
{
  LbPhantom *self = LB_PHANTOM (object);

  g_clear_pointer (&self->objects, g_array_unref);
  g_clear_pointer (&self->names, g_string_chunk_free);
  G_OBJECT_CLASS (lb_phantom_parent_class)->finalize (object);
}

static void
lb_phantom_class_init (LbPhantomClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_phantom_finalize;
}

static void
lb_phantom_init (LbPhantom *self)
{
  self->objects = g_array_new (FALSE, FALSE, sizeof (LbPhantomObject));
  self->names = g_string_chunk_new (256);
}

static void
add (LbPhantom *self, const char *name, LbPhantomShape shape, double cx, double cy, double cz,
     double hx, double hy, double hz, double value, gboolean test_object)
{
  LbPhantomObject o = {
    .name = g_string_chunk_insert_const (self->names, name),
    .shape = shape,
    .centre = { cx, cy, cz },
    .half = { hx, hy, hz },
    .value = value,
    .test_object = test_object,
  };

  g_array_append_val (self->objects, o);
}

static void
add_sphere (LbPhantom *self, const char *name, double cx, double cy, double cz, double r,
            double value)
{
  add (self, name, LB_PHANTOM_SHAPE_ELLIPSOID, cx, cy, cz, r, r, r, value, TRUE);
}

/* ---- the patients ------------------------------------------------------------------ */

/* A supine adult from the lung apices to the kidneys, contrast in the arterial phase
 * (blood pool, aorta, spleen and kidney cortex enhance).
 * Test spheres sit inside the lungs and the liver, away from every edge.  z runs from
 * +10 (apices) to -290 mm; the scan is centred on z = -140. */
static void
build_ct (LbPhantom *self, double z_top, double z_bottom)
{
  const LbPhantomShape cyl = LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER;
  const LbPhantomShape ell = LB_PHANTOM_SHAPE_ELLIPSOID;

  self->background = -1000;
  add (self, "table", LB_PHANTOM_SHAPE_BOX, 0, 130, -140, 175, 4, ENDLESS, 100, FALSE);
  add (self, "subcutaneous-fat", cyl, 0, 0, -140, 165, 115, ENDLESS, -100, FALSE);
  add (self, "soft-tissue", cyl, 0, 0, -140, 153, 103, ENDLESS, 40, FALSE);
  add (self, "liver", ell, -60, 5, -235, 75, 80, 80, 90, FALSE);
  add (self, "spleen", ell, 85, 45, -200, 30, 45, 45, 110, FALSE);
  add (self, "right-kidney", ell, -70, 55, -250, 28, 28, 55, 180, FALSE);
  add (self, "left-kidney", ell, 70, 55, -250, 28, 28, 55, 180, FALSE);
  add (self, "right-lung", ell, -85, -5, -90, 50, 80, 100, -850, FALSE);
  add (self, "left-lung", ell, 85, -5, -90, 50, 80, 100, -850, FALSE);
  add (self, "heart", ell, 15, -30, -105, 55, 45, 40, 150, FALSE);
  add (self, "aorta", cyl, 25, 35, -140, 12, 12, ENDLESS, 300, FALSE);
  add (self, "vertebral-cortex", cyl, 0, 60, -140, 18, 18, ENDLESS, 700, FALSE);
  add (self, "vertebral-cancellous", cyl, 0, 60, -140, 15, 15, ENDLESS, 300, FALSE);

  /* Discs every 30 mm, over whatever length was scanned, so sagittal planes show a
   * column of vertebrae. */
  for (double z = -5 + 30 * ceil ((z_top + 5) / 30); z >= z_bottom - 30; z -= 30)
    {
      g_autofree char *name = g_strdup_printf ("disc-z%+.0f", z);
      add (self, name, cyl, 0, 60, z, 18, 18, 3, 90, FALSE);
    }

  add (self, "spinal-canal", cyl, 0, 87, -140, 8, 8, ENDLESS, 15, FALSE);
  add (self, "spinous-process", LB_PHANTOM_SHAPE_BOX, 0, 101, -140, 4, 6, ENDLESS, 700, FALSE);

  /* Ribs cut across: small ovals on a ring inside the chest wall, one level every
   * 25 mm down to the lung bases, none anterior-medial (cartilage) or at the spine. */
  static const double rib_angles[] = { 0, 30, 150, 180, 210, 330 };
  for (guint level = 0; level < 7; level++)
    for (guint a = 0; a < G_N_ELEMENTS (rib_angles); a++)
      {
        double z = -15 - 25.0 * level;
        double t = rib_angles[a] * G_PI / 180;
        g_autofree char *name = g_strdup_printf ("rib-z%+.0f-%.0fdeg", z, rib_angles[a]);
        add (self, name, cyl, 143 * cos (t), 100 * sin (t), z, 6, 4, 4, 600, FALSE);
      }

  add_sphere (self, "sphere-100", -85, -5, -140, 10, 100);
  add_sphere (self, "sphere-200", 85, 0, -140, 10, 200);
  add_sphere (self, "sphere-minus500", -85, 10, -80, 10, -500);
  add_sphere (self, "sphere-1000", -60, 0, -220, 10, 1000);
}

/* A head and neck, T1-like (fat bright, CSF and cortical bone dark), centred on
 * (0, 0, 30). */
static void
build_mr (LbPhantom *self)
{
  const LbPhantomShape ell = LB_PHANTOM_SHAPE_ELLIPSOID;

  self->background = 0;
  add (self, "neck", LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER, 0, 15, -105, 50, 50, 95, 500, FALSE);
  add (self, "scalp-fat", ell, 0, 0, 30, 75, 95, 85, 1300, FALSE);
  add (self, "skull", ell, 0, 0, 30, 69, 89, 79, 60, FALSE);
  add (self, "csf", ell, 0, 0, 30, 63, 83, 73, 250, FALSE);
  add (self, "grey-matter", ell, 0, 0, 30, 60, 80, 70, 600, FALSE);
  add (self, "white-matter", ell, 0, 0, 30, 48, 66, 56, 950, FALSE);
  add (self, "right-ventricle", ell, -9, 0, 40, 5, 22, 10, 250, FALSE);
  add (self, "left-ventricle", ell, 9, 0, 40, 5, 22, 10, 250, FALSE);
  add (self, "brainstem", ell, 0, 20, -15, 13, 15, 35, 800, FALSE);
  add (self, "cerebellum", ell, 0, 45, -5, 40, 22, 20, 650, FALSE);
  add (self, "right-eye", ell, -32, -75, 20, 12, 12, 12, 150, FALSE);
  add (self, "left-eye", ell, 32, -75, 20, 12, 12, 12, 150, FALSE);
  add_sphere (self, "sphere-1500", 25, -30, 35, 8, 1500);
  add_sphere (self, "sphere-300", -22, 15, 25, 8, 300);
}

/* A PA chest on a 348 x 425 mm detector: the patient's right on the image left.  Values
 * are MONOCHROME1 (more exposure, higher value, darker); @invert turns them into
 * MONOCHROME2 for DX. */
static void
build_chest_radiograph (LbPhantom *self, gboolean invert)
{
  const LbPhantomShape ell = LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER;
  const LbPhantomShape box = LB_PHANTOM_SHAPE_BOX;
  guint first = self->objects->len;

  self->background = 3800;
  add (self, "marker-R", box, 25, 25, 0, 6, 8, 1, 50, TRUE);
  add (self, "neck", box, 174, 40, 0, 55, 45, 1, 2200, FALSE);
  add (self, "trunk", box, 174, 270, 0, 150, 185, 1, 2300, FALSE);
  add (self, "abdomen", box, 174, 390, 0, 150, 60, 1, 1900, FALSE);
  add (self, "right-lung", ell, 108, 215, 0, 62, 135, 1, 3300, FALSE);
  add (self, "left-lung", ell, 242, 220, 0, 58, 130, 1, 3300, FALSE);
  add (self, "mediastinum", box, 174, 170, 0, 26, 95, 1, 1700, FALSE);
  add (self, "spine", box, 174, 250, 0, 17, 250, 1, 1500, FALSE);
  add (self, "heart", ell, 200, 285, 0, 78, 62, 1, 1750, FALSE);
  add (self, "right-clavicle", ell, 125, 95, 0, 62, 6, 1, 1600, FALSE);
  add (self, "left-clavicle", ell, 223, 95, 0, 62, 6, 1, 1600, FALSE);

  /* Ribs stop 3 mm inside the lung edge: over soft tissue they would look darker than
   * their surroundings. */
  static const struct { const char *side; double x, y, a, b; } lungs[] = {
    { "right", 108, 215, 62, 135 },
    { "left", 242, 220, 58, 130 },
  };
  for (guint l = 0; l < G_N_ELEMENTS (lungs); l++)
    for (guint m = 0; m < 8; m++)
      {
        double y = 100 + 30.0 * m;
        double dy = (y - lungs[l].y) / lungs[l].b;
        double width = lungs[l].a * sqrt (MAX (0, 1 - dy * dy)) - 3;
        if (width < 10)
          continue;
        g_autofree char *name = g_strdup_printf ("%s-rib-%u", lungs[l].side, m + 1);
        add (self, name, ell, lungs[l].x, y, 0, width, 5, 1, 2700, FALSE);
      }

  add (self, "nodule", ell, 90, 145, 0, 6, 6, 1, 2600, TRUE);
  static const double wedge_x[] = { 50, 85, 120, 228, 263, 298 };
  static const double wedge_value[] = { 250, 750, 1250, 2750, 3250, 3750 };
  for (guint i = 0; i < G_N_ELEMENTS (wedge_x); i++)
    {
      g_autofree char *name = g_strdup_printf ("wedge-%u", i + 1);
      add (self, name, box, wedge_x[i], 400, 0, 10, 10, 1, wedge_value[i], TRUE);
    }

  if (invert)
    {
      double top = (1 << self->bits_stored) - 1;
      self->background = top - self->background;
      for (guint i = first; i < self->objects->len; i++)
        {
          LbPhantomObject *o = &g_array_index (self->objects, LbPhantomObject, i);
          o->value = top - o->value;
        }
    }
}

/* A left cranio-caudal view on a 233 x 287 mm detector, chest wall on the left edge. */
static void
build_mammo (LbPhantom *self)
{
  const LbPhantomShape ell = LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER;
  const LbPhantomShape box = LB_PHANTOM_SHAPE_BOX;

  self->background = 200;
  add (self, "skin", ell, 0, 143, 0, 150, 125, 1, 16000, FALSE);
  add (self, "fat", ell, 0, 143, 0, 147.5, 122.5, 1, 13000, FALSE);
  add (self, "glandular-1", ell, 45, 135, 0, 50, 70, 1, 24000, FALSE);
  add (self, "glandular-2", ell, 85, 165, 0, 30, 30, 1, 21000, FALSE);
  add (self, "pectoralis", box, 4, 143, 0, 4, 110, 1, 27000, FALSE);
  add (self, "mass", ell, 105, 100, 0, 8, 8, 1, 33000, TRUE);

  static const double calc[][2] = { { 70, 58 }, { 74, 60 }, { 68, 63 }, { 73, 65 }, { 77, 64 } };
  for (guint i = 0; i < G_N_ELEMENTS (calc); i++)
    {
      g_autofree char *name = g_strdup_printf ("calcification-%u", i + 1);
      add (self, name, ell, calc[i][0], calc[i][1], 0, 0.35, 0.35, 1, 52000, TRUE);
    }

  static const double wedge_value[] = { 5000, 15000, 25000, 35000, 45000, 60000 };
  for (guint i = 0; i < G_N_ELEMENTS (wedge_value); i++)
    {
      g_autofree char *name = g_strdup_printf ("wedge-%u", i + 1);
      add (self, name, box, 200, 30 + 45.0 * i, 0, 12, 12, 1, wedge_value[i], TRUE);
    }
}

/* ---- geometry ---------------------------------------------------------------------- */

static void
set_vector (double v[3], double x, double y, double z)
{
  v[0] = x;
  v[1] = y;
  v[2] = z;
}

static guint
axis_of (const double v[3])
{
  for (guint a = 0; a < 3; a++)
    if (v[a] != 0)
      return a;
  g_assert_not_reached ();
}

/* The centre of the scan is @centre; rows and columns are square pixels over @fov mm of
 * width. */
static void
place (LbPhantom *self, const double centre[3], double fov)
{
  self->spacing[0] = fov / self->columns;
  self->spacing[1] = self->spacing[0];
  for (guint a = 0; a < 3; a++)
    self->origin[a] = centre[a] - (self->columns - 1) / 2.0 * self->spacing[0] * self->row[a] -
                      (self->rows - 1) / 2.0 * self->spacing[1] * self->column[a] -
                      (self->slices - 1) / 2.0 * self->spacing[2] * self->slice[a];
  self->row_axis = axis_of (self->row);
  self->slice_axis = axis_of (self->slice);
}

LbPhantom *
lb_phantom_new (LbPhantomKind kind, guint columns, guint rows, guint slices,
                double slice_spacing, guint64 seed)
{
  LbPhantom *self = g_object_new (LB_TYPE_PHANTOM, NULL);

  self->kind = kind;
  self->seed = seed;
  self->intercept = 0;
  self->slope = 1;
  self->photometric = "MONOCHROME2";
  self->spacing[2] = 1;
  set_vector (self->row, 1, 0, 0);
  set_vector (self->column, 0, 1, 0);
  set_vector (self->slice, 0, 0, 1);

  switch (kind)
    {
    case LB_PHANTOM_KIND_CT:
      {
        const double centre[3] = { 0, 0, -140 };
        self->columns = columns ? columns : 512;
        self->rows = rows ? rows : self->columns;
        self->slices = slices ? slices : 300;
        self->spacing[2] = slice_spacing > 0 ? slice_spacing : 1.0;
        self->thickness = self->spacing[2];
        set_vector (self->slice, 0, 0, -1);
        self->bits_stored = 12;
        self->intercept = -1024;
        self->noise = 10;
        place (self, centre, 360);
        double half = (self->slices - 1) / 2.0 * self->spacing[2];
        build_ct (self, centre[2] + half, centre[2] - half);
        break;
      }
    case LB_PHANTOM_KIND_MR:
      {
        const double centre[3] = { 0, 0, 30 };
        self->columns = columns ? columns : 256;
        self->rows = rows ? rows : self->columns;
        self->slices = slices ? slices : 40;
        self->spacing[2] = slice_spacing > 0 ? slice_spacing : 4.0;
        /* A gap between slices, as most MR protocols have. */
        self->thickness = self->spacing[2] * 7 / 8;
        set_vector (self->row, 0, 1, 0);
        set_vector (self->column, 0, 0, -1);
        set_vector (self->slice, 1, 0, 0);
        self->bits_stored = 16;
        self->noise = 15;
        place (self, centre, 240);
        build_mr (self);
        break;
      }
    case LB_PHANTOM_KIND_CR:
    case LB_PHANTOM_KIND_DX:
      self->columns = columns ? columns : 2048;
      self->rows = rows ? rows : 2500;
      self->slices = 1;
      self->bits_stored = 12;
      self->noise = 8;
      if (kind == LB_PHANTOM_KIND_CR)
        self->photometric = "MONOCHROME1";
      self->spacing[0] = self->spacing[1] = 348.16 / self->columns;
      self->row_axis = 0;
      self->slice_axis = 2;
      build_chest_radiograph (self, kind == LB_PHANTOM_KIND_DX);
      break;
    case LB_PHANTOM_KIND_MAMMO:
      self->columns = columns ? columns : 3328;
      self->rows = rows ? rows : 4096;
      self->slices = 1;
      self->bits_stored = 16;
      self->noise = 40;
      self->spacing[0] = self->spacing[1] = 232.96 / self->columns;
      self->row_axis = 0;
      self->slice_axis = 2;
      build_mammo (self);
      break;
    default:
      g_return_val_if_reached (self);
    }
  return self;
}

LbPhantomKind
lb_phantom_get_kind (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), LB_PHANTOM_KIND_CT);
  return self->kind;
}

guint
lb_phantom_get_columns (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->columns;
}

guint
lb_phantom_get_rows (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->rows;
}

guint
lb_phantom_get_slices (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->slices;
}

gboolean
lb_phantom_is_projection (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), FALSE);
  return self->kind != LB_PHANTOM_KIND_CT && self->kind != LB_PHANTOM_KIND_MR;
}

void
lb_phantom_get_spacing (LbPhantom *self, double spacing[3])
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  memcpy (spacing, self->spacing, sizeof self->spacing);
}

double
lb_phantom_get_slice_thickness (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->thickness;
}

void
lb_phantom_get_origin (LbPhantom *self, double origin[3])
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  memcpy (origin, self->origin, sizeof self->origin);
}

void
lb_phantom_get_orientation (LbPhantom *self, double orientation[6])
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  memcpy (orientation, self->row, sizeof self->row);
  memcpy (orientation + 3, self->column, sizeof self->column);
}

void
lb_phantom_get_slice_direction (LbPhantom *self, double direction[3])
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  memcpy (direction, self->slice, sizeof self->slice);
}

void
lb_phantom_voxel_to_patient (LbPhantom *self, double i, double j, double k, double out[3])
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  for (guint a = 0; a < 3; a++)
    out[a] = self->origin[a] + i * self->spacing[0] * self->row[a] +
             j * self->spacing[1] * self->column[a] + k * self->spacing[2] * self->slice[a];
}

guint
lb_phantom_get_bits_stored (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->bits_stored;
}

const char *
lb_phantom_get_photometric (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), NULL);
  return self->photometric;
}

void
lb_phantom_get_rescale (LbPhantom *self, double *intercept, double *slope)
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  *intercept = self->intercept;
  *slope = self->slope;
}

guint
lb_phantom_get_noise_amplitude (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->noise;
}

double
lb_phantom_get_background (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->background;
}

guint
lb_phantom_get_n_objects (LbPhantom *self)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);
  return self->objects->len;
}

const LbPhantomObject *
lb_phantom_get_object (LbPhantom *self, guint index)
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), NULL);
  g_return_val_if_fail (index < self->objects->len, NULL);
  return &g_array_index (self->objects, LbPhantomObject, index);
}

/* ---- sampling ---------------------------------------------------------------------- */

/* Axes on which the shape is a quadric; on the others it is bounded by half[a]. */
static gboolean
is_quadric_axis (LbPhantomShape shape, guint axis)
{
  switch (shape)
    {
    case LB_PHANTOM_SHAPE_ELLIPSOID:
      return TRUE;
    case LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER:
      return axis < 2;
    case LB_PHANTOM_SHAPE_BOX:
    default:
      return FALSE;
    }
}

static gboolean
object_contains (const LbPhantomObject *o, const double p[3])
{
  double sum = 0;

  for (guint a = 0; a < 3; a++)
    {
      double d = (p[a] - o->centre[a]) / o->half[a];
      if (is_quadric_axis (o->shape, a))
        sum += d * d;
      else if (fabs (d) > 1)
        return FALSE;
    }
  return sum <= 1;
}

/* Where the line through @p along @axis crosses the object, as [*lo, *hi], slightly
 * generous: callers settle the ends with object_contains(). */
static gboolean
object_chord (const LbPhantomObject *o, const double p[3], guint axis, double *lo, double *hi)
{
  const double slack = 1e-9;
  double sum = 0;
  double w;

  for (guint a = 0; a < 3; a++)
    {
      if (a == axis)
        continue;
      double d = (p[a] - o->centre[a]) / o->half[a];
      if (is_quadric_axis (o->shape, a))
        sum += d * d;
      else if (fabs (d) > 1 + slack)
        return FALSE;
    }
  if (sum > 1 + slack)
    return FALSE;
  if (is_quadric_axis (o->shape, axis))
    w = o->half[axis] * sqrt (MAX (0, 1 - sum));
  else
    w = o->half[axis];
  *lo = o->centre[axis] - w;
  *hi = o->centre[axis] + w;
  return TRUE;
}

double
lb_phantom_value_at (LbPhantom *self, const double point[3])
{
  g_return_val_if_fail (LB_IS_PHANTOM (self), 0);

  for (guint i = self->objects->len; i-- > 0;)
    {
      const LbPhantomObject *o = &g_array_index (self->objects, LbPhantomObject, i);
      if (object_contains (o, point))
        return o->value;
    }
  return self->background;
}

static inline guint64
mix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static gint32
to_stored (LbPhantom *self, double value)
{
  return (gint32) lround ((value - self->intercept) / self->slope);
}

static gboolean
voxel_inside (LbPhantom *self, const LbPhantomObject *o, guint i, guint j, guint k)
{
  double p[3];

  lb_phantom_voxel_to_patient (self, i, j, k, p);
  return object_contains (o, p);
}

/* Each row is painted object by object, one run per object: the shapes are convex, so
 * the voxels inside form one run whose ends the exact test settles.  Same answer as
 * lb_phantom_value_at() at every voxel centre, at a fraction of the cost. */
void
lb_phantom_render_slice (LbPhantom *self, guint k, guint16 *out)
{
  g_return_if_fail (LB_IS_PHANTOM (self));
  g_return_if_fail (k < self->slices);

  guint n = self->objects->len;
  g_autofree const LbPhantomObject **active = g_new (const LbPhantomObject *, n);
  g_autofree gint32 *values = g_new (gint32, n);
  g_autofree gint32 *line = g_new (gint32, self->columns);
  guint n_active = 0;
  double p[3];
  guint r = self->row_axis;
  double step = self->spacing[0] * self->row[r];
  gint32 top = (gint32) ((1u << self->bits_stored) - 1);
  gint32 background = to_stored (self, self->background);
  guint width = self->noise + 1;

  lb_phantom_voxel_to_patient (self, 0, 0, k, p);
  for (guint i = 0; i < n; i++)
    {
      const LbPhantomObject *o = &g_array_index (self->objects, LbPhantomObject, i);
      guint s = self->slice_axis;
      if (fabs (p[s] - o->centre[s]) <= o->half[s] * (1 + 1e-9))
        {
          values[n_active] = to_stored (self, o->value);
          active[n_active++] = o;
        }
    }

  for (guint j = 0; j < self->rows; j++)
    {
      lb_phantom_voxel_to_patient (self, 0, j, k, p);
      for (guint i = 0; i < self->columns; i++)
        line[i] = background;

      for (guint a = 0; a < n_active; a++)
        {
          double lo, hi;
          if (!object_chord (active[a], p, r, &lo, &hi))
            continue;
          double ia = (lo - p[r]) / step;
          double ib = (hi - p[r]) / step;
          double first = floor (MIN (ia, ib)) - 1;
          double last = ceil (MAX (ia, ib)) + 1;
          if (last < 0 || first > self->columns - 1)
            continue;
          guint i0 = (guint) MAX (first, 0);
          guint i1 = (guint) MIN (last, self->columns - 1);
          while (i0 <= i1 && !voxel_inside (self, active[a], i0, j, k))
            i0++;
          while (i1 > i0 && !voxel_inside (self, active[a], i1, j, k))
            i1--;
          if (i0 > i1 || !voxel_inside (self, active[a], i0, j, k))
            continue;
          for (guint i = i0; i <= i1; i++)
            line[i] = values[a];
        }

      guint64 index = ((guint64) k * self->rows + j) * self->columns;
      guint16 *dst = out + (gsize) j * self->columns;
      for (guint i = 0; i < self->columns; i++)
        {
          guint64 h = mix64 (self->seed * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d) ^ (index + i));
          gint32 noise = (gint32) (((h & 0xffffffffu) * width) >> 32) +
                         (gint32) (((h >> 32) * width) >> 32) - (gint32) self->noise;
          dst[i] = (guint16) CLAMP (line[i] + noise, 0, top);
        }
    }
}
