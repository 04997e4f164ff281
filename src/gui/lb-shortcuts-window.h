/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shortcuts window (Ctrl+?), made from the keymap so that it lists every command
 * with the keys bound to it now, the reader's own bindings included.
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-keymap.h"

G_BEGIN_DECLS

GtkShortcutsWindow *lb_shortcuts_window_new (LbKeymap *keymap);

G_END_DECLS
