/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Programs that decode images call this first thing in main().  Decoding allocates and
 * frees frame-sized buffers all the time; with glibc's defaults (mmap above 128 KiB,
 * trim the heap above 128 KiB free) every new frame faults its memory in again from the
 * kernel.  On the 2-core VMs we measure on that is 2.5 ms of page faults around a 0.07 ms
 * decode of a 512x512 slice (bench/README.md).  Keeping freed memory for reuse costs at
 * most the trim threshold (256 MiB) of address space. */
void lb_memory_tune_for_imaging (void);

G_END_DECLS
