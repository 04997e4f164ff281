/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A VOI window (centre and width) and the three functions of PS3.3 C.11.2.1.2 that map
 * modality values through it.
 */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef enum {
  LB_VOI_FUNCTION_LINEAR,
  LB_VOI_FUNCTION_LINEAR_EXACT,
  LB_VOI_FUNCTION_SIGMOID,
} LbVoiFunction;

typedef struct {
  double center;
  double width;
  LbVoiFunction function;
} LbWindow;

/* VOI LUT Function (0028,1056); FALSE for a value the standard does not define. */
gboolean lb_voi_function_from_string (const char *s, LbVoiFunction *out);
const char *lb_voi_function_to_string (LbVoiFunction function);

/* LINEAR needs a width of at least 1, LINEAR_EXACT and SIGMOID a positive width. */
gboolean lb_window_check (const LbWindow *window, GError **error);

/* The output, between 0 and @y_max, for modality value @x.  @window must pass
 * lb_window_check().  Inline: renderers call it for every entry of their tables. */
static inline double
lb_window_map (const LbWindow *window, double x, double y_max)
{
  double c = window->center;
  double w = window->width;

  switch (window->function)
    {
    case LB_VOI_FUNCTION_LINEAR_EXACT:
      if (x <= c - w / 2)
        return 0;
      if (x > c + w / 2)
        return y_max;
      return ((x - c) / w + 0.5) * y_max;
    case LB_VOI_FUNCTION_SIGMOID:
      return y_max / (1 + exp (-4 * (x - c) / w));
    case LB_VOI_FUNCTION_LINEAR:
    default:
      /* With a width of 1 both edges meet, so the division is never reached. */
      if (x <= c - 0.5 - (w - 1) / 2)
        return 0;
      if (x > c - 0.5 + (w - 1) / 2)
        return y_max;
      return ((x - (c - 0.5)) / (w - 1) + 0.5) * y_max;
    }
}

/* The LINEAR window that maps @low to 0 and @high to full brightness. */
void lb_window_from_range (double low, double high, LbWindow *out);

G_END_DECLS
