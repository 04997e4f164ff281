/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workstation as one application instance: dark by default, app.* actions, the
 * settings, keymap and frame cache every window shares; `lightbox PATH...` opens files
 * and folders for reading, `--server URL` connects to an archive for this run.
 */
#pragma once

#include <adwaita.h>

#include "lb-frame-cache.h"
#include "lb-keymap.h"
#include "lb-store.h"

G_BEGIN_DECLS

#define LB_TYPE_APPLICATION (lb_application_get_type ())

G_DECLARE_FINAL_TYPE (LbApplication, lb_application, LB, APPLICATION, AdwApplication)

LbApplication *lb_application_new (void);

GSettings *lb_application_get_settings (LbApplication *self);
LbKeymap *lb_application_get_keymap (LbApplication *self);
LbFrameCache *lb_application_get_frame_cache (LbApplication *self);
/* The local store (cache, imported studies), opened in the background at startup:
 * NULL until then, or when it cannot be opened ("store" is notified). */
LbStore *lb_application_get_store (LbApplication *self);
/* The archive given with --server for this run, or NULL. */
const char *lb_application_get_server_override (LbApplication *self);

G_END_DECLS
