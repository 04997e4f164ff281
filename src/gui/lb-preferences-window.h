/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: the archives (address, sign-in, certificate, a test of the connection),
 * the cache (quota, prefetching), reading (default layout, cine rate, window presets)
 * and the keyboard (every command's keys).
 */
#pragma once

#include <adwaita.h>

#include "lb-application.h"

G_BEGIN_DECLS

#define LB_TYPE_PREFERENCES_WINDOW (lb_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (LbPreferencesWindow, lb_preferences_window, LB, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

LbPreferencesWindow *lb_preferences_window_new (LbApplication *app);

G_END_DECLS
