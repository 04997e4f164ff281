/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-pyramid.h"

#include <math.h>

struct _LbPyramid
{
  GObject parent_instance;
  GPtrArray *levels; /* cairo_surface_t, level 0 first */
};

G_DEFINE_FINAL_TYPE (LbPyramid, lb_pyramid, G_TYPE_OBJECT)

static void
lb_pyramid_finalize (GObject *object)
{
  LbPyramid *self = LB_PYRAMID (object);

  g_clear_pointer (&self->levels, g_ptr_array_unref);
  G_OBJECT_CLASS (lb_pyramid_parent_class)->finalize (object);
}

static void
lb_pyramid_class_init (LbPyramidClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_pyramid_finalize;
}

static void
lb_pyramid_init (LbPyramid *self)
{
  self->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
}

LbPyramid *
lb_pyramid_new (cairo_surface_t *source)
{
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (cairo_surface_get_type (source) == CAIRO_SURFACE_TYPE_IMAGE, NULL);

  LbPyramid *self = g_object_new (LB_TYPE_PYRAMID, NULL);
  g_ptr_array_add (self->levels, cairo_surface_reference (source));
  return self;
}

cairo_surface_t *
lb_pyramid_get_source (LbPyramid *self)
{
  g_return_val_if_fail (LB_IS_PYRAMID (self), NULL);
  return g_ptr_array_index (self->levels, 0);
}

static gboolean
can_halve (cairo_surface_t *s)
{
  return cairo_image_surface_get_width (s) > 1 || cairo_image_surface_get_height (s) > 1;
}

/* Bilinear sampling at exactly half size reads each output pixel halfway between two
 * source pixels in both directions: the average of a 2x2 block, done by pixman. */
static cairo_surface_t *
halve (cairo_surface_t *src)
{
  int w = cairo_image_surface_get_width (src);
  int h = cairo_image_surface_get_height (src);
  cairo_surface_t *dst = cairo_image_surface_create (cairo_image_surface_get_format (src),
                                                     (w + 1) / 2, (h + 1) / 2);
  cairo_t *cr = cairo_create (dst);

  cairo_scale (cr, 0.5, 0.5);
  cairo_set_source_surface (cr, src, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  return dst;
}

/* The level closest to @wanted that exists or can be made; its number in @got. */
static cairo_surface_t *
level_at (LbPyramid *self, guint wanted, guint *got)
{
  while (self->levels->len <= wanted)
    {
      cairo_surface_t *last = g_ptr_array_index (self->levels, self->levels->len - 1);
      if (!can_halve (last))
        break;
      cairo_surface_t *next = halve (last);
      if (cairo_surface_status (next) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (next);
          break;
        }
      g_ptr_array_add (self->levels, next);
    }
  *got = MIN (wanted, self->levels->len - 1);
  return g_ptr_array_index (self->levels, *got);
}

cairo_surface_t *
lb_pyramid_get_level (LbPyramid *self, guint level)
{
  guint got;

  g_return_val_if_fail (LB_IS_PYRAMID (self), NULL);
  return level_at (self, level, &got);
}

guint
lb_pyramid_choose_level (LbPyramid *self, double scale)
{
  g_return_val_if_fail (LB_IS_PYRAMID (self), 0);

  guint level = 0;
  /* Stop while the level still has at least as many pixels as the device shows, so the
   * last step is a reduction of at most 2 that bilinear filtering handles well. */
  while (scale > 0 && scale * 2 <= 1 && level < 30)
    {
      scale *= 2;
      level++;
    }
  return level;
}

static double
device_scale (cairo_t *cr)
{
  double ux = 1, uy = 0, vx = 0, vy = 1;

  cairo_user_to_device_distance (cr, &ux, &uy);
  cairo_user_to_device_distance (cr, &vx, &vy);
  return MAX (hypot (ux, uy), hypot (vx, vy));
}

cairo_pattern_t *
lb_pyramid_create_pattern (LbPyramid *self, cairo_t *cr, cairo_filter_t filter)
{
  g_return_val_if_fail (LB_IS_PYRAMID (self), NULL);
  g_return_val_if_fail (cr != NULL, NULL);

  guint level;
  cairo_surface_t *surface = level_at (self, lb_pyramid_choose_level (self, device_scale (cr)),
                                       &level);
  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (surface);
  cairo_matrix_t m;

  /* Pattern matrices map user space to pattern space: source pixels to level pixels.
   * Level pixel i covers source pixels i 2^n to (i + 1) 2^n, the last one padded. */
  cairo_matrix_init_scale (&m, ldexp (1, -(int) level), ldexp (1, -(int) level));
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_filter (pattern, filter);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  return pattern;
}

void
lb_pyramid_paint (LbPyramid *self, cairo_t *cr, cairo_filter_t filter)
{
  g_return_if_fail (LB_IS_PYRAMID (self));
  g_return_if_fail (cr != NULL);

  cairo_surface_t *source = lb_pyramid_get_source (self);
  cairo_pattern_t *pattern = lb_pyramid_create_pattern (self, cr, filter);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, cairo_image_surface_get_width (source),
                   cairo_image_surface_get_height (source));
  cairo_clip (cr);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_pattern_destroy (pattern);
}
