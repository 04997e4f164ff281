/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of LbPreferencesWindow, shared by lb-preferences-window.c (cache and reading
 * pages), lb-preferences-servers.c (archives) and lb-preferences-keys.c (keyboard).
 */
#pragma once

#include "lb-preferences-window.h"

G_BEGIN_DECLS

struct _LbPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwPreferencesGroup *servers_group;
  GtkSpinButton *quota;
  GtkSpinButton *prefetch;
  AdwActionRow *usage;
  AdwComboRow *layout_row;
  GtkSpinButton *cine_fps;
  AdwPreferencesGroup *presets_group;
  AdwPreferencesPage *keys_page;

  LbApplication *app;
  GSettings *settings;
  GListStore *servers;      /* LbServerConfig, as in the "servers" setting */
  GPtrArray *server_rows;   /* AdwExpanderRow */
  GPtrArray *preset_rows;   /* AdwEntryRow */
  GPtrArray *key_rows;      /* AdwActionRow */
  GCancellable *cancellable;
};

/* lb-preferences-servers.c */
void _lb_preferences_servers_init (LbPreferencesWindow *self);
void _lb_preferences_add_server (LbPreferencesWindow *self);

/* lb-preferences-keys.c */
void _lb_preferences_keys_init (LbPreferencesWindow *self);

G_END_DECLS
