/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the workstation draws.  Without a GPU, GTK 4.8 still starts OpenGL (Mesa's
 * software rasteriser) when the first window opens: a quarter of a second before the
 * first image under Xvfb here (bench/README.md, the "GL probe" rows), to draw what Cairo
 * draws as fast.  On such machines (remote desktops, virtual machines) Lightbox draws
 * with Cairo, unless the user chose a renderer.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @dri_dir (normally "/dev/dri") holds no DRM render node ("renderD128"...):
 * there is no GPU to draw with. */
gboolean lb_renderer_lacks_gpu (const char *dri_dir);

/* Called before GTK starts: with no GPU, and unless GDK_DEBUG or a renderer other than
 * Cairo is set, tells GTK to draw with Cairo and not to start OpenGL. */
void lb_renderer_choose (void);

G_END_DECLS
