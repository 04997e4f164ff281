/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every keyboard command of the workstation: its action, its default keys, where it
 * applies, and the keys the user chose instead (the "keybindings" setting).  Shortcut
 * controllers, the shortcuts window and the preferences all read this one table.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  LB_KEYMAP_SCOPE_WINDOW,   /* anywhere in the main window */
  LB_KEYMAP_SCOPE_READING,  /* while a study is being read (before any focused widget) */
  LB_KEYMAP_SCOPE_WORKLIST, /* on the worklist */
} LbKeymapScope;

typedef struct
{
  const char *id;           /* stable, the key of the setting */
  LbKeymapScope scope;
  const char *action;       /* action name, "reading.next-image" */
  const char *target;       /* GVariant text of the action's parameter, or NULL */
  const char *group;        /* untranslated; shown through gettext */
  const char *title;        /* untranslated; shown through gettext */
  const char *defaults;     /* accelerators, separated by spaces */
} LbKeymapEntry;

#define LB_TYPE_KEYMAP (lb_keymap_get_type ())

G_DECLARE_FINAL_TYPE (LbKeymap, lb_keymap, LB, KEYMAP, GObject)

/* @settings holds "keybindings" (a{sas}).  Emits "changed" when it changes. */
LbKeymap *lb_keymap_new (GSettings *settings);

const LbKeymapEntry *lb_keymap_get_entries (guint *n_entries);
const LbKeymapEntry *lb_keymap_find (const char *id);

/* The keys now bound to @id, as accelerator strings. */
char **lb_keymap_dup_accels (LbKeymap *self, const char *id);
/* Replaces them; NULL or empty restores the defaults. */
void lb_keymap_set_accels (LbKeymap *self, const char *id, const char *const *accels);
gboolean lb_keymap_is_default (LbKeymap *self, const char *id);
/* The keys of @id as GtkShortcutsShortcut's "accelerator" wants them (keypad twins of
 * other keys left out). */
char *lb_keymap_dup_accelerator_string (LbKeymap *self, const char *id);

/* Fills @controller with a shortcut for every key of @scope, replacing what it held;
 * it is filled again whenever the bindings change, for as long as it lives. */
void lb_keymap_attach (LbKeymap *self, GtkShortcutController *controller, LbKeymapScope scope);

G_END_DECLS
