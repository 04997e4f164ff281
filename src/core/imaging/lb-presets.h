/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CT window presets a radiologist expects on the digit keys.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *id;    /* stable, for settings and the command line ("soft-tissue") */
  const char *label; /* untranslated; show it through lb_preset_get_label() */
  double width;
  double level;
} LbPreset;

/* The CT table, in display order; *n_presets receives its length. */
const LbPreset *lb_presets_get (guint *n_presets);
/* NULL when @id names no preset. */
const LbPreset *lb_preset_find (const char *id);
/* The label in the user's language. */
const char *lb_preset_get_label (const LbPreset *preset);

G_END_DECLS
