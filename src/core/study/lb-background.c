/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-background-private.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* Nice 10: a background thread gets about a tenth of a core that the main thread also
 * wants, and all of an idle one. */
#define BACKGROUND_NICE 10

void
_lb_thread_make_background (void)
{
#ifdef __linux__
  /* On Linux each thread has its own nice value, set through its thread ID. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), BACKGROUND_NICE) != 0)
    g_debug ("a background thread keeps its priority");
#endif
}
