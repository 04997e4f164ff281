/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-base"
#include "config.h"

#include "lb-memory.h"

#include <malloc.h>

void
lb_memory_tune_for_imaging (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 64 << 20);
  mallopt (M_TRIM_THRESHOLD, 256 << 20);
#endif
}
