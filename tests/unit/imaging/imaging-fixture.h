/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers shared by the imaging tests: frames built by hand, DICOM instances
 * written in memory, and reading pixels back out of cairo surfaces.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "lb-dicom-file.h"
#include "lb-dicom-writer.h"
#include "lb-pixels.h"

G_BEGIN_DECLS

#define FIXTURE_EXPLICIT_LE "1.2.840.10008.1.2.1"
#define FIXTURE_IMPLICIT_LE "1.2.840.10008.1.2"

/* A one-frame (or @frames-frame) image whose pixels are @values; add attributes to
 * lb_dicom_writer_get_root() before fixture_finish(). */
LbDicomWriter *fixture_writer_new (guint columns, guint rows, guint frames,
                                   guint bits_allocated, guint bits_stored, gboolean is_signed,
                                   const char *photometric, gconstpointer values, gsize length);
/* Writes the instance in @transfer_syntax and parses it back. */
LbDicomFile *fixture_finish (LbDicomWriter *writer, const char *transfer_syntax);

/* A pydicom test file; NULL (and the test skipped) when python3-pydicom is absent. */
LbDicomFile *fixture_open_pydicom (const char *relative_path);

LbPixels *fixture_pixels (LbSampleType type, guint width, guint height, guint samples,
                          LbPhotometric photometric, guint bits, gconstpointer values);

/* The grey of pixel (x, y) of an A8 or RGB24 surface; for RGB24 also checks that the
 * three channels agree. */
guint fixture_grey_at (cairo_surface_t *surface, int x, int y);
/* 0xRRGGBB of pixel (x, y) of an RGB24 surface. */
guint32 fixture_rgb_at (cairo_surface_t *surface, int x, int y);

G_END_DECLS
