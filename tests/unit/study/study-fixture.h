/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small synthetic CT slices for the study module's tests, made with the project's DICOM
 * writer so that every attribute the viewer sorts by is under the test's control.
 */
#pragma once

#include "lb-dicom-file.h"

G_BEGIN_DECLS

#define FIXTURE_SIZE 16
/* Stored values are (value + 1024): the rescale makes them HU. */
#define FIXTURE_INTERCEPT (-1024)

typedef struct
{
  const char *study_uid;
  const char *series_uid;
  int series_number;           /* -1: left out */
  int instance_number;         /* -1: left out */
  gboolean has_geometry;
  double z;                    /* position along the patient axis */
  const double *orientation;   /* NULL: axial */
  double hu;                   /* every pixel */
} FixtureSlice;

/* The instance's bytes, explicit VR little endian. */
GBytes *fixture_slice_bytes (const FixtureSlice *slice);
LbDicomFile *fixture_slice_file (const FixtureSlice *slice);
/* Writes the slice into @dir as @name. */
void fixture_slice_write (const FixtureSlice *slice, const char *dir, const char *name);
/* Removes @path and everything below it. */
void fixture_remove_tree (const char *path);
/* Runs the thread-default main context for @ms milliseconds. */
void fixture_run_for (guint ms);

G_END_DECLS
