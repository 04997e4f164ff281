/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One decoded frame: stored values (monochrome, masked to Bits Stored and sign-extended)
 * or colour samples, always interleaved (R G B R G B ...), rows packed without padding.
 */
#pragma once

#include <glib-object.h>

#include "lb-image-info.h"

G_BEGIN_DECLS

typedef enum {
  LB_SAMPLE_U8,
  LB_SAMPLE_S8,
  LB_SAMPLE_U16,
  LB_SAMPLE_S16,
  LB_SAMPLE_U32,
  LB_SAMPLE_S32,
} LbSampleType;

/* The largest frame we allocate: a 16-bit 16k x 16k frame is 512 MiB. */
#define LB_PIXELS_MAX_BYTES (G_GUINT64_CONSTANT (1) << 30)

#define LB_TYPE_PIXELS (lb_pixels_get_type ())

typedef struct _LbPixels LbPixels;

GType lb_pixels_get_type (void) G_GNUC_CONST;

guint lb_sample_type_size (LbSampleType type);
gboolean lb_sample_type_is_signed (LbSampleType type);

/* Allocates width x height x samples of @type, uninitialised, after checking the size
 * against LB_PIXELS_MAX_BYTES (LB_DICOM_ERROR_TOO_LARGE). */
LbPixels *lb_pixels_new (LbSampleType type, guint width, guint height, guint samples,
                         LbPhotometric photometric, GError **error);
LbPixels *lb_pixels_ref (LbPixels *self);
void lb_pixels_unref (LbPixels *self);

guint lb_pixels_get_width (const LbPixels *self);
guint lb_pixels_get_height (const LbPixels *self);
guint lb_pixels_get_samples (const LbPixels *self);
LbSampleType lb_pixels_get_sample_type (const LbPixels *self);
/* The colour model of the samples: MONOCHROME1/2 and PALETTE_COLOR have one sample;
 * RGB and YBR_FULL three. */
LbPhotometric lb_pixels_get_photometric (const LbPixels *self);
void lb_pixels_set_photometric (LbPixels *self, LbPhotometric photometric);
/* Bits per sample that carry the value (Bits Stored for monochrome). */
guint lb_pixels_get_bits (const LbPixels *self);
void lb_pixels_set_bits (LbPixels *self, guint bits);
gsize lb_pixels_get_stride (const LbPixels *self);
gsize lb_pixels_get_size (const LbPixels *self);
gconstpointer lb_pixels_get_data (const LbPixels *self);
/* Only while the frame is being built, before it is shared. */
gpointer lb_pixels_get_data_mut (LbPixels *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbPixels, lb_pixels_unref)

G_END_DECLS
