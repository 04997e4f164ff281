/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-frame-renderer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lb-imaging-error.h"

/* The table from stored value to grey covers the frame's actual range: 4096 entries for
 * 12-bit CT sit in L1.  Any 16-bit range gets one; wider ranges (32-bit frames) only
 * when the frame has several pixels per entry, and never past the cap, since beyond
 * that building the table costs more than it saves. */
#define SMALL_TABLE_ENTRIES (G_GINT64_CONSTANT (1) << 16)
#define MAX_TABLE_ENTRIES   (G_GINT64_CONSTANT (1) << 22)
/* Exact histograms up to this many distinct stored values, binned beyond. */
#define MAX_HISTOGRAM_BINS (G_GINT64_CONSTANT (1) << 16)
#define AUTO_LOW_FRACTION  0.005
#define AUTO_HIGH_FRACTION 0.995

typedef enum {
  GREY_WINDOW,
  GREY_VOI_LUT,
} GreyKind;

/* Everything that decides the grey value of one stored value. */
typedef struct {
  GreyKind kind;
  LbWindow window;
  guint voi_lut;
  gboolean invert;
} Pipeline;

struct _LbFrameRenderer
{
  GObject parent_instance;

  LbFrameDisplay *display;
  LbPixels *pixels;
  gboolean grey;
  /* Level n is the frame 2^n times smaller; level 0 is @pixels.  Made on first use. */
  GPtrArray *levels;

  /* Grey frames: stored and modality ranges, found once. */
  gint64 min_stored;
  gint64 max_stored;
  double min_modality;
  double max_modality;

  GMutex lock;
  gboolean auto_done;
  LbWindow auto_window;

  gboolean have_table;
  Pipeline table_for;
  guint8 *table;        /* stored value - min_stored -> grey */
  guint32 *table_rgb;   /* the same, replicated for RGB24; NULL until needed */
};

G_DEFINE_FINAL_TYPE (LbFrameRenderer, lb_frame_renderer, G_TYPE_OBJECT)

static void
lb_frame_renderer_finalize (GObject *object)
{
  LbFrameRenderer *self = LB_FRAME_RENDERER (object);

  g_clear_object (&self->display);
  g_clear_pointer (&self->pixels, lb_pixels_unref);
  g_clear_pointer (&self->levels, g_ptr_array_unref);
  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->table_rgb, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lb_frame_renderer_parent_class)->finalize (object);
}

static void
lb_frame_renderer_class_init (LbFrameRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_frame_renderer_finalize;
}

static void
lb_frame_renderer_init (LbFrameRenderer *self)
{
  g_mutex_init (&self->lock);
}

static gsize
n_samples (const LbPixels *pixels)
{
  return (gsize) lb_pixels_get_width (pixels) * lb_pixels_get_height (pixels) *
         lb_pixels_get_samples (pixels);
}

/* One sample as a 64-bit integer, whatever its type. */
static inline gint64
sample_at (gconstpointer data, LbSampleType type, gsize i)
{
  switch (type)
    {
    case LB_SAMPLE_U8:
      return ((const guint8 *) data)[i];
    case LB_SAMPLE_S8:
      return ((const gint8 *) data)[i];
    case LB_SAMPLE_U16:
      return ((const guint16 *) data)[i];
    case LB_SAMPLE_S16:
      return ((const gint16 *) data)[i];
    case LB_SAMPLE_U32:
      return ((const guint32 *) data)[i];
    case LB_SAMPLE_S32:
    default:
      return ((const gint32 *) data)[i];
    }
}

/* Eight running minima and maxima instead of one: a single pair makes every step wait
 * for the one before (12 ms over a mammogram against 4). */
#define DEFINE_MIN_MAX(NAME, T)                                                           \
  static void                                                                             \
  min_max_##NAME (const T *p, gsize n, gint64 *min, gint64 *max)                          \
  {                                                                                       \
    T lo[8], hi[8];                                                                       \
    gsize i = 0;                                                                          \
    for (guint k = 0; k < 8; k++)                                                         \
      lo[k] = hi[k] = p[0];                                                               \
    for (; n - i >= 8; i += 8)                                                            \
      for (guint k = 0; k < 8; k++)                                                       \
        {                                                                                 \
          lo[k] = p[i + k] < lo[k] ? p[i + k] : lo[k];                                    \
          hi[k] = p[i + k] > hi[k] ? p[i + k] : hi[k];                                    \
        }                                                                                 \
    for (; i < n; i++)                                                                    \
      {                                                                                   \
        lo[0] = p[i] < lo[0] ? p[i] : lo[0];                                              \
        hi[0] = p[i] > hi[0] ? p[i] : hi[0];                                              \
      }                                                                                   \
    for (guint k = 1; k < 8; k++)                                                         \
      {                                                                                   \
        lo[0] = lo[k] < lo[0] ? lo[k] : lo[0];                                            \
        hi[0] = hi[k] > hi[0] ? hi[k] : hi[0];                                            \
      }                                                                                   \
    *min = lo[0];                                                                         \
    *max = hi[0];                                                                         \
  }

DEFINE_MIN_MAX (u8, guint8)
DEFINE_MIN_MAX (s8, gint8)
DEFINE_MIN_MAX (u16, guint16)
DEFINE_MIN_MAX (s16, gint16)
DEFINE_MIN_MAX (u32, guint32)
DEFINE_MIN_MAX (s32, gint32)

static void
find_stored_range (const LbPixels *pixels, gint64 *min, gint64 *max)
{
  gconstpointer data = lb_pixels_get_data (pixels);
  gsize n = n_samples (pixels);

  switch (lb_pixels_get_sample_type (pixels))
    {
    case LB_SAMPLE_U8:
      min_max_u8 (data, n, min, max);
      break;
    case LB_SAMPLE_S8:
      min_max_s8 (data, n, min, max);
      break;
    case LB_SAMPLE_U16:
      min_max_u16 (data, n, min, max);
      break;
    case LB_SAMPLE_S16:
      min_max_s16 (data, n, min, max);
      break;
    case LB_SAMPLE_U32:
      min_max_u32 (data, n, min, max);
      break;
    case LB_SAMPLE_S32:
    default:
      min_max_s32 (data, n, min, max);
      break;
    }
}

static void
find_modality_range (LbFrameRenderer *self)
{
  LbLut *lut = lb_frame_display_get_modality_lut (self->display);

  if (lut == NULL)
    {
      double a = lb_frame_display_to_modality (self->display, self->min_stored);
      double b = lb_frame_display_to_modality (self->display, self->max_stored);
      self->min_modality = MIN (a, b);
      self->max_modality = MAX (a, b);
      return;
    }

  /* A table need not be monotonic: look at the values the frame really holds. */
  gconstpointer data = lb_pixels_get_data (self->pixels);
  LbSampleType type = lb_pixels_get_sample_type (self->pixels);
  gsize n = n_samples (self->pixels);
  guint lo = G_MAXUINT, hi = 0;
  for (gsize i = 0; i < n; i++)
    {
      guint v = lb_lut_lookup (lut, sample_at (data, type, i));
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  self->min_modality = lo;
  self->max_modality = hi;
}

static gboolean
check_pixels (LbFrameDisplay *display, LbPixels *pixels, GError **error)
{
  LbPhotometric model = lb_pixels_get_photometric (pixels);
  guint samples = lb_pixels_get_samples (pixels);
  gboolean ok;

  if (lb_frame_display_is_grey (display))
    ok = samples == 1 && lb_photometric_is_monochrome (model);
  else if (lb_frame_display_get_photometric (display) == LB_PHOTOMETRIC_PALETTE_COLOR)
    ok = samples == 1 && model == LB_PHOTOMETRIC_PALETTE_COLOR;
  else
    ok = samples == 3 && (model == LB_PHOTOMETRIC_RGB || model == LB_PHOTOMETRIC_YBR_FULL);

  if (!ok)
    {
      if (samples == 3 && model != LB_PHOTOMETRIC_RGB && model != LB_PHOTOMETRIC_YBR_FULL)
        g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_UNSUPPORTED,
                     "Lightbox cannot display colour stored as %s.",
                     lb_photometric_to_string (model));
      else
        g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_MISMATCH,
                     "The decoded %s pixels do not match the %s image they were decoded from.",
                     lb_photometric_to_string (model),
                     lb_photometric_to_string (lb_frame_display_get_photometric (display)));
    }
  return ok;
}

LbFrameRenderer *
lb_frame_renderer_new (LbFrameDisplay *display, LbPixels *pixels, GError **error)
{
  g_return_val_if_fail (LB_IS_FRAME_DISPLAY (display), NULL);
  g_return_val_if_fail (pixels != NULL, NULL);

  if (!check_pixels (display, pixels, error))
    return NULL;

  LbFrameRenderer *self = g_object_new (LB_TYPE_FRAME_RENDERER, NULL);
  self->display = g_object_ref (display);
  self->pixels = lb_pixels_ref (pixels);
  self->grey = lb_frame_display_is_grey (display);
  self->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_pixels_unref);
  g_ptr_array_add (self->levels, lb_pixels_ref (pixels));
  if (self->grey)
    {
      find_stored_range (pixels, &self->min_stored, &self->max_stored);
      find_modality_range (self);
    }
  return self;
}

LbFrameDisplay *
lb_frame_renderer_get_display (LbFrameRenderer *self)
{
  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), NULL);
  return self->display;
}

LbPixels *
lb_frame_renderer_get_pixels (LbFrameRenderer *self)
{
  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), NULL);
  return self->pixels;
}

gboolean
lb_frame_renderer_get_modality_range (LbFrameRenderer *self, double *min, double *max)
{
  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), FALSE);

  if (!self->grey)
    return FALSE;
  if (min)
    *min = self->min_modality;
  if (max)
    *max = self->max_modality;
  return TRUE;
}

/* ---- the automatic window ---------------------------------------------------------- */

typedef struct {
  double value;
  guint64 count;
} Bin;

static int
compare_bins (gconstpointer a, gconstpointer b)
{
  double x = ((const Bin *) a)->value, y = ((const Bin *) b)->value;
  return (x > y) - (x < y);
}

static double
value_at_rank (const Bin *bins, guint n_bins, guint64 rank)
{
  guint64 seen = 0;

  for (guint i = 0; i < n_bins; i++)
    {
      seen += bins[i].count;
      if (seen > rank)
        return bins[i].value;
    }
  return bins[n_bins - 1].value;
}

static void
compute_auto_window (LbFrameRenderer *self)
{
  gint64 range = self->max_stored - self->min_stored + 1;
  gint64 bin_width = (range + MAX_HISTOGRAM_BINS - 1) / MAX_HISTOGRAM_BINS;
  guint n_bins = (guint) ((range + bin_width - 1) / bin_width);
  gint64 pad_low = 1, pad_high = 0;
  gboolean padded = lb_frame_display_get_padding (self->display, &pad_low, &pad_high);
  gconstpointer data = lb_pixels_get_data (self->pixels);
  LbSampleType type = lb_pixels_get_sample_type (self->pixels);
  gsize n = n_samples (self->pixels);
  guint64 total = 0;

  g_autofree guint64 *counts = g_new0 (guint64, n_bins);
  for (gsize i = 0; i < n; i++)
    {
      gint64 v = sample_at (data, type, i);
      if (padded && v >= pad_low && v <= pad_high)
        continue;
      /* A division per pixel would triple the cost; only 32-bit ranges need one. */
      counts[bin_width == 1 ? v - self->min_stored : (v - self->min_stored) / bin_width]++;
      total++;
    }

  if (total == 0)
    {
      lb_window_from_range (self->min_modality, self->max_modality, &self->auto_window);
      return;
    }

  g_autofree Bin *bins = g_new (Bin, n_bins);
  guint used = 0;
  for (guint b = 0; b < n_bins; b++)
    if (counts[b])
      {
        gint64 stored = self->min_stored + b * bin_width + (bin_width - 1) / 2;
        bins[used].value = lb_frame_display_to_modality (self->display, stored);
        bins[used].count = counts[b];
        used++;
      }
  qsort (bins, used, sizeof (Bin), compare_bins);

  guint64 low_rank = (guint64) floor (AUTO_LOW_FRACTION * total);
  guint64 high_rank = (guint64) ceil (AUTO_HIGH_FRACTION * total);
  high_rank = high_rank > 0 ? high_rank - 1 : 0;
  double low = value_at_rank (bins, used, low_rank);
  double high = value_at_rank (bins, used, high_rank);
  /* A nearly uniform frame has no spread between the percentiles: show all of it. */
  if (high <= low)
    {
      low = bins[0].value;
      high = bins[used - 1].value;
    }
  lb_window_from_range (low, high, &self->auto_window);
}

static void
ensure_auto_window (LbFrameRenderer *self)
{
  if (!self->auto_done)
    {
      compute_auto_window (self);
      self->auto_done = TRUE;
    }
}

gboolean
lb_frame_renderer_get_auto_window (LbFrameRenderer *self, LbWindow *out)
{
  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!self->grey)
    return FALSE;
  g_mutex_lock (&self->lock);
  ensure_auto_window (self);
  *out = self->auto_window;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* ---- grey ---------------------------------------------------------------------------- */

static gboolean
resolve (LbFrameRenderer *self, const LbRenderOptions *options, Pipeline *p, LbWindow *applied,
         GError **error)
{
  LbVoiMode mode = options->mode;
  guint voi_lut = options->voi_lut;

  memset (p, 0, sizeof *p);
  p->invert = lb_frame_display_get_inverted (self->display) != !!options->invert;
  p->kind = GREY_WINDOW;

  if (mode == LB_VOI_MODE_FILE)
    {
      if (lb_frame_display_get_window (self->display, 0, &p->window, NULL))
        mode = LB_VOI_MODE_WINDOW;
      else if (lb_frame_display_has_voi_lut (self->display))
        {
          mode = LB_VOI_MODE_VOI_LUT;
          voi_lut = 0;
        }
      else
        mode = LB_VOI_MODE_FULL_RANGE;
    }
  else if (mode == LB_VOI_MODE_WINDOW)
    {
      if (!lb_window_check (&options->window, error))
        return FALSE;
      p->window = options->window;
    }

  switch (mode)
    {
    case LB_VOI_MODE_FULL_RANGE:
      lb_window_from_range (self->min_modality, self->max_modality, &p->window);
      break;
    case LB_VOI_MODE_AUTO:
      ensure_auto_window (self);
      p->window = self->auto_window;
      break;
    case LB_VOI_MODE_VOI_LUT:
      {
        LbLut *lut = lb_frame_display_get_voi_lut (self->display, voi_lut);
        if (lut == NULL)
          {
            g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT,
                         "The image has no VOI lookup table number %u.", voi_lut + 1);
            return FALSE;
          }
        p->kind = GREY_VOI_LUT;
        p->voi_lut = voi_lut;
        /* What the overlay shows, and where a drag starting from the table begins. */
        lb_window_from_range ((double) lb_lut_get_first (lut),
                              (double) lb_lut_get_first (lut) + lb_lut_get_n_entries (lut) - 1,
                              &p->window);
      }
      break;
    case LB_VOI_MODE_WINDOW:
    case LB_VOI_MODE_FILE:
    default:
      break;
    }
  if (applied)
    *applied = p->window;
  return TRUE;
}

static gboolean
same_pipeline (const Pipeline *a, const Pipeline *b)
{
  if (a->kind != b->kind || a->invert != b->invert)
    return FALSE;
  if (a->kind == GREY_VOI_LUT)
    return a->voi_lut == b->voi_lut;
  return a->window.center == b->window.center && a->window.width == b->window.width &&
         a->window.function == b->window.function;
}

typedef struct {
  LbLut *modality_lut;
  double slope;
  double intercept;
  const Pipeline *p;
  LbLut *voi_lut;
  double voi_scale;
} GreyContext;

static void
grey_context_init (GreyContext *ctx, LbFrameRenderer *self, const Pipeline *p)
{
  ctx->modality_lut = lb_frame_display_get_modality_lut (self->display);
  lb_frame_display_get_rescale (self->display, &ctx->slope, &ctx->intercept);
  ctx->p = p;
  ctx->voi_lut = p->kind == GREY_VOI_LUT ? lb_frame_display_get_voi_lut (self->display, p->voi_lut)
                                         : NULL;
  ctx->voi_scale = ctx->voi_lut ? 255.0 / ((1u << lb_lut_get_bits (ctx->voi_lut)) - 1) : 0;
}

/* The whole grey pipeline for one stored value (PS3.3 C.11, PS3.4 N.2). */
static inline guint8
grey_of (const GreyContext *ctx, gint64 stored)
{
  double m = ctx->modality_lut ? lb_lut_lookup (ctx->modality_lut, stored)
                               : stored * ctx->slope + ctx->intercept;
  double y;

  if (ctx->voi_lut)
    y = lb_lut_lookup (ctx->voi_lut, (gint64) floor (m + 0.5)) * ctx->voi_scale;
  else
    y = lb_window_map (&ctx->p->window, m, 255);
  guint8 v = (guint8) (y + 0.5);
  return ctx->p->invert ? 255 - v : v;
}

static gint64
table_entries (LbFrameRenderer *self)
{
  return self->max_stored - self->min_stored + 1;
}

static gboolean
use_table (LbFrameRenderer *self)
{
  gint64 entries = table_entries (self);
  gint64 pixels = (gint64) n_samples (self->pixels);

  return entries <= SMALL_TABLE_ENTRIES || (entries <= MAX_TABLE_ENTRIES && entries <= pixels / 4);
}

static void
ensure_table (LbFrameRenderer *self, const Pipeline *p, gboolean rgb)
{
  gsize entries = (gsize) table_entries (self);

  if (!self->have_table || !same_pipeline (&self->table_for, p))
    {
      GreyContext ctx;
      grey_context_init (&ctx, self, p);
      if (self->table == NULL)
        self->table = g_malloc (entries);
      for (gsize i = 0; i < entries; i++)
        self->table[i] = grey_of (&ctx, self->min_stored + (gint64) i);
      g_clear_pointer (&self->table_rgb, g_free);
      self->table_for = *p;
      self->have_table = TRUE;
    }
  if (rgb && self->table_rgb == NULL)
    {
      self->table_rgb = g_new (guint32, entries);
      for (gsize i = 0; i < entries; i++)
        self->table_rgb[i] = self->table[i] * 0x010101u;
    }
}

/* One byte store per pixel runs at half the speed of memory here; gathering eight
 * looked-up bytes into one 64-bit store (four pixels into one 16-byte store for RGB24)
 * keeps a 4096x3328 mammogram within its 5 ms budget.  Indices are 64-bit throughout
 * so that each lookup is a load, a subtraction and a load. */
#define I gint64
#define DEFINE_APPLY(NAME, T)                                                          \
  static void                                                                             \
  apply_a8_##NAME (const T *src, guint width, guint height, gint64 min64,                 \
                   const guint8 *table, guint8 *dst, gsize stride)                        \
  {                                                                                       \
    I min = (I) min64;                                                                    \
    for (guint y = 0; y < height; y++)                                                    \
      {                                                                                   \
        const T *s = src + (gsize) y * width;                                             \
        guint8 *d = dst + y * stride;                                                     \
        gsize x = 0;                                                                      \
        for (; x + 8 <= width; x += 8)                                                    \
          {                                                                               \
            guint64 w = (guint64) table[(I) s[x] - min] |                                 \
                        (guint64) table[(I) s[x + 1] - min] << 8 |                        \
                        (guint64) table[(I) s[x + 2] - min] << 16 |                       \
                        (guint64) table[(I) s[x + 3] - min] << 24 |                       \
                        (guint64) table[(I) s[x + 4] - min] << 32 |                       \
                        (guint64) table[(I) s[x + 5] - min] << 40 |                       \
                        (guint64) table[(I) s[x + 6] - min] << 48 |                       \
                        (guint64) table[(I) s[x + 7] - min] << 56;                        \
            w = GUINT64_TO_LE (w);                                                        \
            memcpy (d + x, &w, 8);                                                        \
          }                                                                               \
        for (; x < width; x++)                                                            \
          d[x] = table[(I) s[x] - min];                                                   \
      }                                                                                   \
  }                                                                                       \
  static void                                                                             \
  apply_rgb_##NAME (const T *src, guint width, guint height, gint64 min64,                \
                    const guint32 *table, guint8 *dst, gsize stride)                      \
  {                                                                                       \
    I min = (I) min64;                                                                    \
    for (guint y = 0; y < height; y++)                                                    \
      {                                                                                   \
        const T *s = src + (gsize) y * width;                                             \
        guint32 *d = (guint32 *) (dst + y * stride);                                      \
        gsize x = 0;                                                                      \
        for (; x + 4 <= width; x += 4)                                                    \
          {                                                                               \
            guint32 w[4] = { table[(I) s[x] - min], table[(I) s[x + 1] - min],            \
                             table[(I) s[x + 2] - min], table[(I) s[x + 3] - min] };      \
            memcpy (d + x, w, sizeof w);                                                  \
          }                                                                               \
        for (; x < width; x++)                                                            \
          d[x] = table[(I) s[x] - min];                                                   \
      }                                                                                   \
  }

DEFINE_APPLY (u8, guint8)
DEFINE_APPLY (s8, gint8)
DEFINE_APPLY (u16, guint16)
DEFINE_APPLY (s16, gint16)
DEFINE_APPLY (u32, guint32)
DEFINE_APPLY (s32, gint32)
#undef I

#define DISPATCH(TYPE, CALL_A8, CALL_RGB)                                                 \
  switch (TYPE)                                                                           \
    {                                                                                     \
    case LB_SAMPLE_U8: CALL_A8 (u8, guint8); CALL_RGB (u8, guint8); break;                \
    case LB_SAMPLE_S8: CALL_A8 (s8, gint8); CALL_RGB (s8, gint8); break;                  \
    case LB_SAMPLE_U16: CALL_A8 (u16, guint16); CALL_RGB (u16, guint16); break;           \
    case LB_SAMPLE_S16: CALL_A8 (s16, gint16); CALL_RGB (s16, gint16); break;             \
    case LB_SAMPLE_U32: CALL_A8 (u32, guint32); CALL_RGB (u32, guint32); break;           \
    case LB_SAMPLE_S32: default: CALL_A8 (s32, gint32); CALL_RGB (s32, gint32); break;    \
    }

static void
render_grey (LbFrameRenderer *self, const LbPixels *pixels, const Pipeline *p, gboolean a8,
             guint8 *dst, gsize stride)
{
  gconstpointer src = lb_pixels_get_data (pixels);
  guint width = lb_pixels_get_width (pixels);
  guint height = lb_pixels_get_height (pixels);
  LbSampleType type = lb_pixels_get_sample_type (pixels);

  if (use_table (self))
    {
      ensure_table (self, p, !a8);
      const guint8 *t8 = self->table;
      const guint32 *t32 = self->table_rgb;
      gint64 min = self->min_stored;
#define CALL_A8(NAME, T)                                                                  \
  if (a8)                                                                                 \
    apply_a8_##NAME ((const T *) src, width, height, min, t8, dst, stride)
#define CALL_RGB(NAME, T)                                                                 \
  else                                                                                    \
    apply_rgb_##NAME ((const T *) src, width, height, min, t32, dst, stride)
      DISPATCH (type, CALL_A8, CALL_RGB)
#undef CALL_A8
#undef CALL_RGB
      return;
    }

  GreyContext ctx;
  grey_context_init (&ctx, self, p);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 v = grey_of (&ctx, sample_at (src, type, (gsize) y * width + x));
        if (a8)
          dst[y * stride + x] = v;
        else
          ((guint32 *) (dst + y * stride))[x] = v * 0x010101u;
      }
}

/* ---- colour ------------------------------------------------------------------------ */

static inline guint
clamp_8 (double v)
{
  return v <= 0 ? 0 : v >= 255 ? 255 : (guint) (v + 0.5);
}

/* PS3.3 C.7.6.3.1.2: YBR_FULL is the JPEG (JFIF) YCbCr. */
static inline guint32
ybr_to_rgb (guint y, guint cb, guint cr)
{
  double b_ = (double) cb - 128, r_ = (double) cr - 128;

  return clamp_8 (y + 1.402 * r_) << 16 | clamp_8 (y - 0.344136 * b_ - 0.714136 * r_) << 8 |
         clamp_8 (y + 1.772 * b_);
}

static void
render_colour (LbFrameRenderer *self, const LbPixels *pixels, gboolean invert, guint8 *dst,
               gsize stride)
{
  gconstpointer src = lb_pixels_get_data (pixels);
  guint width = lb_pixels_get_width (pixels);
  guint height = lb_pixels_get_height (pixels);
  LbSampleType type = lb_pixels_get_sample_type (pixels);
  LbPhotometric model = lb_pixels_get_photometric (pixels);
  LbPalette *palette = lb_frame_display_get_palette (self->display);
  guint bits = lb_pixels_get_bits (pixels);
  guint shift = bits > 8 ? bits - 8 : 0;
  guint32 flip = invert ? 0xffffffu : 0;

  /* The common case, 8-bit RGB, without a call per sample. */
  if (!palette && type == LB_SAMPLE_U8 && model == LB_PHOTOMETRIC_RGB)
    {
      for (guint y = 0; y < height; y++)
        {
          const guint8 *s = (const guint8 *) src + (gsize) y * width * 3;
          guint32 *d = (guint32 *) (dst + y * stride);
          for (guint x = 0; x < width; x++, s += 3)
            d[x] = ((guint32) s[0] << 16 | (guint32) s[1] << 8 | s[2]) ^ flip;
        }
      return;
    }

  for (guint y = 0; y < height; y++)
    {
      guint32 *d = (guint32 *) (dst + y * stride);
      gsize row = (gsize) y * width;
      for (guint x = 0; x < width; x++)
        {
          guint32 rgb;
          if (palette)
            rgb = lb_palette_lookup (palette, sample_at (src, type, row + x));
          else
            {
              guint c[3];
              for (guint k = 0; k < 3; k++)
                {
                  /* Samples wider than 8 bits keep their high byte. */
                  guint64 v = (guint64) sample_at (src, type, (row + x) * 3 + k) >> shift;
                  c[k] = v > 255 ? 255 : (guint) v;
                }
              rgb = model == LB_PHOTOMETRIC_YBR_FULL ? ybr_to_rgb (c[0], c[1], c[2])
                                                     : c[0] << 16 | c[1] << 8 | c[2];
            }
          d[x] = rgb ^ flip;
        }
    }
}

/* ---- levels ------------------------------------------------------------------------ */

/* The mean of @n values summing to @sum, rounded half up, negative sums included. */
static inline gint64
mean_round (gint64 sum, gint64 n)
{
  gint64 q = sum * 2 + n;
  gint64 d = n * 2;
  return q >= 0 ? q / d : -((-q + d - 1) / d);
}

/* Averages 2x2 blocks (fewer at odd edges); averages stay within the frame's range, so
 * the table from stored value to grey serves every level.  Palette indices are not
 * quantities: they are sampled, not averaged. */
#define DEFINE_HALVE(NAME, T)                                                             \
  static void                                                                             \
  halve_##NAME (const T *src, guint width, guint height, guint samples, gboolean sample,  \
                T *dst)                                                                   \
  {                                                                                       \
    gsize w2 = (width + 1) / 2, h2 = (height + 1) / 2, s = samples;                       \
    gsize row = (gsize) width * s;                                                        \
    gsize pairs = (width / 2) * s;                                                        \
    for (gsize y = 0; y < h2; y++)                                                        \
      {                                                                                   \
        const T *r0 = src + 2 * y * row;                                                  \
        const T *r1 = 2 * y + 1 < height ? r0 + row : r0;                                 \
        T *d = dst + y * w2 * s;                                                          \
        if (sample)                                                                       \
          {                                                                               \
            for (gsize x = 0; x < w2; x++)                                                \
              for (gsize k = 0; k < s; k++)                                               \
                d[x * s + k] = r0[2 * x * s + k];                                         \
            continue;                                                                     \
          }                                                                               \
        /* Output sample j of a full pair reads input j + (j / s) * s and its neighbour  \
         * one pixel on; with one sample that is 2j and 2j + 1. */                        \
        if (s == 1)                                                                       \
          for (gsize j = 0; j < pairs; j++)                                               \
            d[j] = (T) mean_round ((gint64) r0[2 * j] + r0[2 * j + 1] + r1[2 * j] +       \
                                     r1[2 * j + 1], 4);                                   \
        else                                                                              \
          for (gsize j = 0; j < pairs; j++)                                               \
            {                                                                             \
              gsize i = j + (j / s) * s;                                                  \
              d[j] = (T) mean_round ((gint64) r0[i] + r0[i + s] + r1[i] + r1[i + s], 4);  \
            }                                                                             \
        if (width % 2)                                                                    \
          for (gsize k = 0; k < s; k++)                                                   \
            d[pairs + k] = (T) mean_round ((gint64) r0[row - s + k] + r1[row - s + k], 2); \
      }                                                                                   \
  }

DEFINE_HALVE (u8, guint8)
DEFINE_HALVE (s8, gint8)
DEFINE_HALVE (u16, guint16)
DEFINE_HALVE (s16, gint16)
DEFINE_HALVE (u32, guint32)
DEFINE_HALVE (s32, gint32)

static LbPixels *
halve (const LbPixels *src, gboolean sample)
{
  guint width = lb_pixels_get_width (src);
  guint height = lb_pixels_get_height (src);
  guint samples = lb_pixels_get_samples (src);
  LbSampleType type = lb_pixels_get_sample_type (src);
  LbPixels *dst = lb_pixels_new (type, (width + 1) / 2, (height + 1) / 2, samples,
                                 lb_pixels_get_photometric (src), NULL);
  if (dst == NULL)
    return NULL;
  gconstpointer s = lb_pixels_get_data (src);
  gpointer d = lb_pixels_get_data_mut (dst);

  lb_pixels_set_bits (dst, lb_pixels_get_bits (src));
  switch (type)
    {
    case LB_SAMPLE_U8:
      halve_u8 (s, width, height, samples, sample, d);
      break;
    case LB_SAMPLE_S8:
      halve_s8 (s, width, height, samples, sample, d);
      break;
    case LB_SAMPLE_U16:
      halve_u16 (s, width, height, samples, sample, d);
      break;
    case LB_SAMPLE_S16:
      halve_s16 (s, width, height, samples, sample, d);
      break;
    case LB_SAMPLE_U32:
      halve_u32 (s, width, height, samples, sample, d);
      break;
    case LB_SAMPLE_S32:
    default:
      halve_s32 (s, width, height, samples, sample, d);
      break;
    }
  return dst;
}

static guint
level_side (guint side, guint level)
{
  for (guint i = 0; i < level && side > 1; i++)
    side = (side + 1) / 2;
  return side;
}

void
lb_frame_renderer_get_level_size (LbFrameRenderer *self, guint level, guint *width,
                                  guint *height)
{
  g_return_if_fail (LB_IS_FRAME_RENDERER (self));

  if (width)
    *width = level_side (lb_pixels_get_width (self->pixels), level);
  if (height)
    *height = level_side (lb_pixels_get_height (self->pixels), level);
}

/* Called with the lock held.  NULL when memory ran out. */
static const LbPixels *
ensure_level (LbFrameRenderer *self, guint level)
{
  gboolean sample = lb_frame_display_get_palette (self->display) != NULL;

  while (self->levels->len <= level)
    {
      LbPixels *next = halve (g_ptr_array_index (self->levels, self->levels->len - 1), sample);
      if (next == NULL)
        return NULL;
      g_ptr_array_add (self->levels, next);
    }
  return g_ptr_array_index (self->levels, level);
}

/* The level whose size @target has: each level is the previous one halved, rounded up,
 * down to 1x1. */
static gboolean
find_level (LbFrameRenderer *self, cairo_surface_t *target, guint *level)
{
  int tw = cairo_image_surface_get_width (target);
  int th = cairo_image_surface_get_height (target);
  guint w = lb_pixels_get_width (self->pixels);
  guint h = lb_pixels_get_height (self->pixels);

  for (guint l = 0;; l++)
    {
      if ((int) w == tw && (int) h == th)
        {
          *level = l;
          return TRUE;
        }
      if (w == 1 && h == 1)
        return FALSE;
      w = (w + 1) / 2;
      h = (h + 1) / 2;
    }
}

/* ---- surfaces ---------------------------------------------------------------------- */

cairo_format_t
lb_frame_renderer_get_format (LbFrameRenderer *self, const LbRenderOptions *options)
{
  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), CAIRO_FORMAT_RGB24);
  g_return_val_if_fail (options != NULL, CAIRO_FORMAT_RGB24);

  return self->grey && options->grey_a8 ? CAIRO_FORMAT_A8 : CAIRO_FORMAT_RGB24;
}

gboolean
lb_frame_renderer_render_into (LbFrameRenderer *self, const LbRenderOptions *options,
                               cairo_surface_t *target, LbWindow *applied, GError **error)
{
  Pipeline p;
  guint level = 0;

  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  cairo_format_t format = lb_frame_renderer_get_format (self, options);
  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE ||
      cairo_image_surface_get_format (target) != format || !find_level (self, target, &level))
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_MISMATCH,
                   "The surface to draw into does not have the size and format of the frame.");
      return FALSE;
    }

  cairo_surface_flush (target);
  guint8 *dst = cairo_image_surface_get_data (target);
  gsize stride = (gsize) cairo_image_surface_get_stride (target);

  g_mutex_lock (&self->lock);
  gboolean ok = TRUE;
  const LbPixels *pixels = ensure_level (self, level);
  if (pixels == NULL)
    {
      ok = FALSE;
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_TOO_LARGE,
                   "Not enough memory to show the frame at this size.");
    }
  else if (!self->grey)
    {
      if (applied)
        *applied = (LbWindow) { 0, 0, LB_VOI_FUNCTION_LINEAR };
      render_colour (self, pixels, options->invert, dst, stride);
    }
  else if ((ok = resolve (self, options, &p, applied, error)))
    render_grey (self, pixels, &p, format == CAIRO_FORMAT_A8, dst, stride);
  g_mutex_unlock (&self->lock);

  cairo_surface_mark_dirty (target);
  return ok;
}

cairo_surface_t *
lb_frame_renderer_render_level (LbFrameRenderer *self, guint level,
                                const LbRenderOptions *options, LbWindow *applied,
                                GError **error)
{
  guint width, height;

  g_return_val_if_fail (LB_IS_FRAME_RENDERER (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  lb_frame_renderer_get_level_size (self, level, &width, &height);
  cairo_surface_t *surface = cairo_image_surface_create (
    lb_frame_renderer_get_format (self, options), (int) MIN (width, G_MAXINT),
    (int) MIN (height, G_MAXINT));

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_TOO_LARGE,
                   "A frame of %u x %u pixels is too large to display.", width, height);
      return NULL;
    }
  if (!lb_frame_renderer_render_into (self, options, surface, applied, error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

cairo_surface_t *
lb_frame_renderer_render (LbFrameRenderer *self, const LbRenderOptions *options,
                          LbWindow *applied, GError **error)
{
  return lb_frame_renderer_render_level (self, 0, options, applied, error);
}
