/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small things every core module uses: checked size arithmetic.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Archive bytes are untrusted: every size derived from them is multiplied here, in 64
 * bits, and compared with a cap before anything is allocated. */
static inline gboolean
lb_size_mul (guint64 a, guint64 b, guint64 *out)
{
  return !__builtin_mul_overflow (a, b, out);
}

G_END_DECLS
