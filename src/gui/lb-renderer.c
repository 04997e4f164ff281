/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-renderer.h"

gboolean
lb_renderer_lacks_gpu (const char *dri_dir)
{
  g_autoptr (GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return FALSE;
  return TRUE;
}

void
lb_renderer_choose (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");

  /* The user's (or a test's) choice stands: GTK's debugging flags, or a renderer other
   * than Cairo. */
  if (g_getenv ("GDK_DEBUG") != NULL || (renderer != NULL && !g_str_equal (renderer, "cairo")))
    return;
  if (!lb_renderer_lacks_gpu ("/dev/dri"))
    return;
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
}
