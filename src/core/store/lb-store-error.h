/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LB_STORE_ERROR (lb_store_error_quark ())

typedef enum {
  LB_STORE_ERROR_FAILED,      /* anything not listed below */
  LB_STORE_ERROR_IO,          /* a file or folder of the cache could not be read or written */
  LB_STORE_ERROR_DISK_FULL,   /* no room left on the cache's disk, even after eviction */
  LB_STORE_ERROR_CORRUPT,     /* the index is damaged and could not be rebuilt */
  LB_STORE_ERROR_BUSY,        /* another process kept the index locked too long */
  LB_STORE_ERROR_TOO_NEW,     /* the index was made by a newer Lightbox */
  LB_STORE_ERROR_NOT_FOUND,   /* no such study, report or outbox item in the store */
  LB_STORE_ERROR_INVALID,     /* an argument the store cannot take (not a UID, not DICOM) */
  LB_STORE_ERROR_INCOMPLETE,  /* a retrieval ended with instances still missing */
} LbStoreError;

GQuark lb_store_error_quark (void);

G_END_DECLS
