/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the store's unit tests: cache folders in a temporary directory, and small
 * DICOM instances made with LbDicomWriter.
 */
#pragma once

#include <gio/gio.h>

#include "lb-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *study_uid;
  const char *series_uid;
  const char *sop_uid;
  const char *patient_name;
  const char *patient_id;
  const char *study_date;
  const char *study_time;
  const char *modality;
  const char *accession;
  const char *description;
  const char *priority;
  int series_number;
  int instance_number;
  /* Columns and rows of a 16-bit image: the instance's size follows. */
  guint side;
} StoreTestInstance;

/* A new empty folder for a cache, removed by store_test_cleanup(). */
char *store_test_make_dir (void);
void store_test_remove_tree (const char *path);

/* An instance as a DICOM file in memory; unset fields get defaults. */
GBytes *store_test_make_instance (const StoreTestInstance *spec);
/* Stores @n instances of one series of @study_uid (SOP UIDs STUDY.1.N). */
void store_test_put_study (LbStore *store, const char *server_url, const char *study_uid,
                           const char *patient_name, guint n, guint side);

/* Path of a file relative to the cache folder. */
char *store_test_path (LbStore *store, const char *relative);

G_END_DECLS
