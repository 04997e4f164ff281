/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base module: checked size arithmetic, which every size derived from untrusted
 * bytes goes through.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <malloc.h>

#include "lb-base.h"
#include "lb-memory.h"

static void
test_size_mul (void)
{
  guint64 out = 0;

  g_assert_true (lb_size_mul (512, 512, &out));
  g_assert_cmpuint (out, ==, 262144);
  g_assert_true (lb_size_mul (0, G_MAXUINT64, &out));
  g_assert_cmpuint (out, ==, 0);
  g_assert_true (lb_size_mul (G_MAXUINT32, G_MAXUINT32, &out));
  g_assert_cmpuint (out, ==, 18446744065119617025u);
  /* 65535 x 65535 x 9999 frames x 3 samples x 4 bytes overflows 64 bits at the end. */
  g_assert_true (lb_size_mul (65535, 65535, &out));
  g_assert_true (lb_size_mul (out, 9999, &out));
  g_assert_true (lb_size_mul (out, 3, &out));
  g_assert_true (lb_size_mul (out, 4, &out));
  g_assert_false (lb_size_mul (G_MAXUINT64 / 2 + 1, 2, &out));
  g_assert_false (lb_size_mul (G_GUINT64_CONSTANT (1) << 32, G_GUINT64_CONSTANT (1) << 32, &out));
}

/* After tuning, a freed frame-sized block stays in the heap for the next frame instead of
 * going back to the kernel (which is what made every decode page-fault). */
static void
test_memory_tuning_keeps_freed_frames (void)
{
  const gsize frame = 8 << 20;

  lb_memory_tune_for_imaging ();
  guint8 *block = g_malloc (frame);
  block[0] = block[frame - 1] = 1;
  struct mallinfo2 before = mallinfo2 ();
  g_free (block);
  struct mallinfo2 after = mallinfo2 ();
  /* Not mmapped (hblkhd counts mmapped bytes) and, once freed, still held as free heap. */
  g_assert_cmpuint (before.hblkhd, <, frame);
  g_assert_cmpuint (after.fordblks, >=, frame);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/base/size-mul", test_size_mul);
  g_test_add_func ("/base/memory-tuning", test_memory_tuning_keeps_freed_frames);
  return g_test_run ();
}
