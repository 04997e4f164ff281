/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Image Pixel module of one instance, checked: what decoding needs to know.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  LB_PHOTOMETRIC_UNKNOWN,
  LB_PHOTOMETRIC_MONOCHROME1,
  LB_PHOTOMETRIC_MONOCHROME2,
  LB_PHOTOMETRIC_PALETTE_COLOR,
  LB_PHOTOMETRIC_RGB,
  LB_PHOTOMETRIC_YBR_FULL,
  LB_PHOTOMETRIC_YBR_FULL_422,
  LB_PHOTOMETRIC_YBR_PARTIAL_420,
  LB_PHOTOMETRIC_YBR_ICT,
  LB_PHOTOMETRIC_YBR_RCT,
} LbPhotometric;

typedef struct {
  guint rows;
  guint columns;
  guint frames;
  guint samples_per_pixel;
  guint bits_allocated;
  guint bits_stored;
  guint high_bit;
  guint planar_configuration;
  gboolean is_signed;
  LbPhotometric photometric;
  gboolean encapsulated;
  /* Irreversibly compressed, now or at any time before (Lossy Image Compression). */
  gboolean lossy;
} LbImageInfo;

LbPhotometric lb_photometric_from_string (const char *s);
const char *lb_photometric_to_string (LbPhotometric p);
gboolean lb_photometric_is_monochrome (LbPhotometric p);

#define LB_TRANSFER_SYNTAX_RLE "1.2.840.10008.1.2.5"

/* Whether pixels stored in this transfer syntax have lost information. */
gboolean lb_transfer_syntax_is_lossy (const char *uid);
/* A short human name ("JPEG-LS lossless") or NULL when unknown. */
const char *lb_transfer_syntax_get_name (const char *uid);

G_END_DECLS
