/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the study module's own worker threads.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lowers the calling thread's scheduling priority: work that streams in behind the first
 * image (parsing the rest of a series, prefetching decodes, keeping copies) must not take
 * the cores the main thread needs to draw.  A no-op where threads have no priority of
 * their own. */
void _lb_thread_make_background (void);

G_END_DECLS
