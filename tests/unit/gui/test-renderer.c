/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer choice: a GPU is a DRM render node; without one, and without a choice of
 * the user's, GTK is told to draw with Cairo and not to start OpenGL.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "lb-renderer.h"

static char *
make_dri (const char *const *nodes)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("lb-dri-XXXXXX", &error);

  g_assert_no_error (error);
  for (guint i = 0; nodes[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, nodes[i], NULL);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }
  return dir;
}

static void
remove_dri (const char *dir, const char *const *nodes)
{
  for (guint i = 0; nodes[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, nodes[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_lacks_gpu (void)
{
  const char *const gpu[] = { "card0", "renderD128", NULL };
  const char *const display_only[] = { "card0", NULL };
  const char *const none[] = { NULL };
  g_autofree char *with_gpu = make_dri (gpu);
  g_autofree char *without = make_dri (display_only);
  g_autofree char *empty = make_dri (none);

  g_assert_false (lb_renderer_lacks_gpu (with_gpu));
  /* A display controller without a render node draws nothing for GTK. */
  g_assert_true (lb_renderer_lacks_gpu (without));
  g_assert_true (lb_renderer_lacks_gpu (empty));
  g_assert_true (lb_renderer_lacks_gpu ("/nonexistent/dri"));

  remove_dri (with_gpu, gpu);
  remove_dri (without, display_only);
  remove_dri (empty, none);
}

/* The user's choice stands, whatever the machine has. */
static void
test_user_choice_stands (void)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_unsetenv ("GDK_DEBUG");
  lb_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
  g_assert_null (g_getenv ("GDK_DEBUG"));

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "interactive", TRUE);
  lb_renderer_choose ();
  g_assert_null (g_getenv ("GSK_RENDERER"));
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "interactive");
}

/* On this machine: Cairo without OpenGL exactly when it has no render node, whether
 * the renderer was left to GTK or Cairo was asked for. */
static void
test_choice_here (void)
{
  const char *const renderers[] = { NULL, "cairo" };

  for (guint i = 0; i < G_N_ELEMENTS (renderers); i++)
    {
      if (renderers[i] != NULL)
        g_setenv ("GSK_RENDERER", renderers[i], TRUE);
      else
        g_unsetenv ("GSK_RENDERER");
      g_unsetenv ("GDK_DEBUG");
      lb_renderer_choose ();
      if (lb_renderer_lacks_gpu ("/dev/dri"))
        {
          g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
          g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
        }
      else
        {
          g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, renderers[i]);
          g_assert_null (g_getenv ("GDK_DEBUG"));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/lacks-gpu", test_lacks_gpu);
  g_test_add_func ("/renderer/user-choice-stands", test_user_choice_stands);
  g_test_add_func ("/renderer/choice-here", test_choice_here);
  return g_test_run ();
}
