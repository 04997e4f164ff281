/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the worklist page and the reading page, an offline banner while the
 * archive does not answer, and toasts for everything else that goes wrong.
 */
#pragma once

#include <adwaita.h>

#include "lb-application.h"
#include "lb-reading-page.h"

G_BEGIN_DECLS

#define LB_TYPE_MAIN_WINDOW (lb_main_window_get_type ())

G_DECLARE_FINAL_TYPE (LbMainWindow, lb_main_window, LB, MAIN_WINDOW, AdwApplicationWindow)

LbMainWindow *lb_main_window_new (LbApplication *app);
/* A new window that reads @paths, which it starts loading before it builds itself. */
LbMainWindow *lb_main_window_new_for_paths (LbApplication *app, const char *const *paths);

/* Opens DICOM files and folders straight into the reading page. */
void lb_main_window_open_paths (LbMainWindow *self, const char *const *paths);
LbReadingPage *lb_main_window_get_reading_page (LbMainWindow *self);

/* A toast that says what went wrong, in words a reader can act on. */
void lb_main_window_show_error (LbMainWindow *self, const GError *error);
void lb_main_window_show_message (LbMainWindow *self, const char *message);
/* The banner that says the archive does not answer. */
void lb_main_window_set_offline (LbMainWindow *self, gboolean offline);

G_END_DECLS
