/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-shortcuts-window.h"

#include <glib/gi18n.h>

static void
append_property (GString *ui, const char *name, const char *value)
{
  g_autofree char *escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (ui, "<property name=\"%s\">%s</property>\n", name, escaped);
}

/* GTK 4.8 can only fill a GtkShortcutsWindow from GtkBuilder (adding sections in code
 * came in 4.14): the description is written here with the current keys.  Each group is a
 * section of its own, chosen from the window's header: 4.8 reorders the groups of one
 * section as it fills its columns. */
GtkShortcutsWindow *
lb_shortcuts_window_new (LbKeymap *keymap)
{
  g_return_val_if_fail (LB_IS_KEYMAP (keymap), NULL);

  guint n;
  const LbKeymapEntry *entries = lb_keymap_get_entries (&n);
  g_autoptr (GString) ui = g_string_new ("<interface><object class=\"GtkShortcutsWindow\" "
                                         "id=\"window\"><property name=\"modal\">True"
                                         "</property>\n");
  const char *group = NULL;

  for (guint i = 0; i < n; i++)
    {
      if (group == NULL || !g_str_equal (group, entries[i].group))
        {
          if (group != NULL)
            g_string_append (ui, "</object></child></object></child>\n");
          group = entries[i].group;
          g_string_append (ui, "<child><object class=\"GtkShortcutsSection\">\n");
          append_property (ui, "section-name", group);
          append_property (ui, "title", _(group));
          append_property (ui, "max-height", "16");
          g_string_append (ui, "<child><object class=\"GtkShortcutsGroup\">\n");
          append_property (ui, "title", _(group));
        }
      g_autofree char *accels = lb_keymap_dup_accelerator_string (keymap, entries[i].id);
      g_string_append (ui, "<child><object class=\"GtkShortcutsShortcut\">\n");
      append_property (ui, "title", _(entries[i].title));
      append_property (ui, "accelerator", accels);
      g_string_append (ui, "</object></child>\n");
    }
  if (group != NULL)
    g_string_append (ui, "</object></child></object></child>\n");
  g_string_append (ui, "</object></interface>");

  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_string (ui->str, (gssize) ui->len);
  return g_object_ref (GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "window")));
}
