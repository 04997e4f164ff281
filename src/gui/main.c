/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "lb-application.h"
#include "lb-memory.h"
#include "lb-renderer.h"

int
main (int argc, char *argv[])
{
  /* Every frame allocates and frees frame-sized buffers (decoded slices, GTK's cairo
   * surfaces); faulting them in afresh each time would cost more than drawing. */
  lb_memory_tune_for_imaging ();
  lb_renderer_choose ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_autoptr (LbApplication) app = lb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
