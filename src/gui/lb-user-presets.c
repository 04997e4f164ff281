/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-user-presets.h"

#include "lb-presets.h"

static void
clear_preset (gpointer data)
{
  g_free (((LbUserPreset *) data)->label);
}

GArray *
lb_user_presets_load (GSettings *settings)
{
  GArray *presets = g_array_new (FALSE, FALSE, sizeof (LbUserPreset));
  g_array_set_clear_func (presets, clear_preset);

  g_autoptr (GVariant) value = g_settings_get_value (settings, "presets");
  GVariantIter iter;
  const char *label;
  LbUserPreset preset;
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&sdd)", &label, &preset.width, &preset.level))
    {
      if (!(preset.width >= 1))
        continue;
      preset.label = g_strdup (label);
      g_array_append_val (presets, preset);
    }
  if (presets->len > 0)
    return presets;

  guint n;
  const LbPreset *table = lb_presets_get (&n);
  for (guint i = 0; i < n; i++)
    {
      preset.label = g_strdup (lb_preset_get_label (&table[i]));
      preset.width = table[i].width;
      preset.level = table[i].level;
      g_array_append_val (presets, preset);
    }
  return presets;
}

void
lb_user_presets_save (GSettings *settings, const LbUserPreset *presets, guint n_presets)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sdd)"));
  for (guint i = 0; i < n_presets; i++)
    g_variant_builder_add (&builder, "(sdd)", presets[i].label, presets[i].width,
                           presets[i].level);
  g_settings_set_value (settings, "presets", g_variant_builder_end (&builder));
}
