/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-presets.h"

#include <glib/gi18n-lib.h>

static const LbPreset ct_presets[] = {
  { "brain", N_("Brain"), 80, 40 },
  { "subdural", N_("Subdural"), 200, 75 },
  { "stroke", N_("Stroke"), 40, 40 },
  { "soft-tissue", N_("Soft tissue"), 400, 40 },
  { "liver", N_("Liver"), 150, 90 },
  { "mediastinum", N_("Mediastinum"), 400, 40 },
  { "lung", N_("Lung"), 1500, -600 },
  { "bone", N_("Bone"), 1800, 400 },
  { "angio", N_("Angio"), 600, 300 },
};

const LbPreset *
lb_presets_get (guint *n_presets)
{
  g_return_val_if_fail (n_presets != NULL, NULL);

  *n_presets = G_N_ELEMENTS (ct_presets);
  return ct_presets;
}

const LbPreset *
lb_preset_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (ct_presets); i++)
    if (g_str_equal (ct_presets[i].id, id))
      return &ct_presets[i];
  return NULL;
}

const char *
lb_preset_get_label (const LbPreset *preset)
{
  g_return_val_if_fail (preset != NULL, NULL);
  return _(preset->label);
}
