/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window presets on the digit keys: the reader's own list (the "presets" setting),
 * or the core's CT table while the reader has not made one.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *label;
  double width;
  double level;
} LbUserPreset;

/* A GArray of LbUserPreset, in key order (the first on 1). */
GArray *lb_user_presets_load (GSettings *settings);
/* An empty list restores the built-in table. */
void lb_user_presets_save (GSettings *settings, const LbUserPreset *presets, guint n_presets);

G_END_DECLS
