/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-dicom"
#include "config.h"

#include "lb-image-info.h"

#include <string.h>

static const struct {
  LbPhotometric value;
  const char *name;
} photometrics[] = {
  { LB_PHOTOMETRIC_MONOCHROME1, "MONOCHROME1" },
  { LB_PHOTOMETRIC_MONOCHROME2, "MONOCHROME2" },
  { LB_PHOTOMETRIC_PALETTE_COLOR, "PALETTE COLOR" },
  { LB_PHOTOMETRIC_RGB, "RGB" },
  { LB_PHOTOMETRIC_YBR_FULL, "YBR_FULL" },
  { LB_PHOTOMETRIC_YBR_FULL_422, "YBR_FULL_422" },
  { LB_PHOTOMETRIC_YBR_PARTIAL_420, "YBR_PARTIAL_420" },
  { LB_PHOTOMETRIC_YBR_ICT, "YBR_ICT" },
  { LB_PHOTOMETRIC_YBR_RCT, "YBR_RCT" },
};

LbPhotometric
lb_photometric_from_string (const char *s)
{
  if (s == NULL)
    return LB_PHOTOMETRIC_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (photometrics); i++)
    if (g_ascii_strcasecmp (s, photometrics[i].name) == 0)
      return photometrics[i].value;
  return LB_PHOTOMETRIC_UNKNOWN;
}

const char *
lb_photometric_to_string (LbPhotometric p)
{
  for (guint i = 0; i < G_N_ELEMENTS (photometrics); i++)
    if (photometrics[i].value == p)
      return photometrics[i].name;
  return "UNKNOWN";
}

gboolean
lb_photometric_is_monochrome (LbPhotometric p)
{
  return p == LB_PHOTOMETRIC_MONOCHROME1 || p == LB_PHOTOMETRIC_MONOCHROME2;
}

static const struct {
  const char *uid;
  const char *name;
  gboolean lossy;
} syntaxes[] = {
  { "1.2.840.10008.1.2", "implicit VR little endian", FALSE },
  { "1.2.840.10008.1.2.1", "explicit VR little endian", FALSE },
  { "1.2.840.10008.1.2.1.99", "deflated explicit VR little endian", FALSE },
  { "1.2.840.10008.1.2.2", "explicit VR big endian", FALSE },
  { "1.2.840.10008.1.2.4.50", "JPEG baseline", TRUE },
  { "1.2.840.10008.1.2.4.51", "JPEG extended", TRUE },
  { "1.2.840.10008.1.2.4.57", "JPEG lossless", FALSE },
  { "1.2.840.10008.1.2.4.70", "JPEG lossless SV1", FALSE },
  { "1.2.840.10008.1.2.4.80", "JPEG-LS lossless", FALSE },
  { "1.2.840.10008.1.2.4.81", "JPEG-LS near-lossless", TRUE },
  { "1.2.840.10008.1.2.4.90", "JPEG 2000 lossless", FALSE },
  { "1.2.840.10008.1.2.4.91", "JPEG 2000", TRUE },
  { "1.2.840.10008.1.2.4.92", "JPEG 2000 part 2 lossless", FALSE },
  { "1.2.840.10008.1.2.4.93", "JPEG 2000 part 2", TRUE },
  { "1.2.840.10008.1.2.4.201", "HTJ2K lossless", FALSE },
  { "1.2.840.10008.1.2.4.202", "HTJ2K lossless RPCL", FALSE },
  { "1.2.840.10008.1.2.4.203", "HTJ2K", TRUE },
  { "1.2.840.10008.1.2.5", "RLE lossless", FALSE },
};

gboolean
lb_transfer_syntax_is_lossy (const char *uid)
{
  if (uid == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (syntaxes); i++)
    if (strcmp (uid, syntaxes[i].uid) == 0)
      return syntaxes[i].lossy;
  /* MPEG-2, MPEG-4 and HEVC video are all lossy. */
  return g_str_has_prefix (uid, "1.2.840.10008.1.2.4.10") ||
         g_str_has_prefix (uid, "1.2.840.10008.1.2.4.11");
}

const char *
lb_transfer_syntax_get_name (const char *uid)
{
  if (uid == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (syntaxes); i++)
    if (strcmp (uid, syntaxes[i].uid) == 0)
      return syntaxes[i].name;
  return NULL;
}
