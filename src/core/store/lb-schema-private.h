/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The index's schema as numbered migrations.  PRAGMA user_version holds the number of the
 * last one applied; each runs in its own transaction with the version bump, so a crash
 * leaves the index at one version or the next, never between.
 */
#pragma once

#include "lb-database-private.h"

G_BEGIN_DECLS

/* The number of the newest migration: the schema this build writes. */
int _lb_schema_get_latest (void);

/* Applies the migrations the index lacks.  An index from a newer Lightbox is left
 * untouched and fails with LB_STORE_ERROR_TOO_NEW. */
gboolean _lb_schema_migrate (LbDatabase *db, GError **error);

G_END_DECLS
