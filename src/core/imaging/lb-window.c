/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-imaging"
#include "config.h"

#include "lb-window.h"

#include <math.h>

#include "lb-imaging-error.h"

gboolean
lb_voi_function_from_string (const char *s, LbVoiFunction *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (s == NULL || *s == '\0' || g_str_equal (s, "LINEAR"))
    *out = LB_VOI_FUNCTION_LINEAR;
  else if (g_str_equal (s, "LINEAR_EXACT"))
    *out = LB_VOI_FUNCTION_LINEAR_EXACT;
  else if (g_str_equal (s, "SIGMOID"))
    *out = LB_VOI_FUNCTION_SIGMOID;
  else
    return FALSE;
  return TRUE;
}

const char *
lb_voi_function_to_string (LbVoiFunction function)
{
  switch (function)
    {
    case LB_VOI_FUNCTION_LINEAR:
      return "LINEAR";
    case LB_VOI_FUNCTION_LINEAR_EXACT:
      return "LINEAR_EXACT";
    case LB_VOI_FUNCTION_SIGMOID:
      return "SIGMOID";
    default:
      g_return_val_if_reached ("LINEAR");
    }
}

gboolean
lb_window_check (const LbWindow *window, GError **error)
{
  g_return_val_if_fail (window != NULL, FALSE);

  if (!isfinite (window->center) || !isfinite (window->width))
    {
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_INVALID_WINDOW,
                   "The window centre and width must be numbers.");
      return FALSE;
    }
  switch (window->function)
    {
    case LB_VOI_FUNCTION_LINEAR:
      if (window->width < 1)
        {
          g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_INVALID_WINDOW,
                       "A window width of %g is too narrow; it must be at least 1.",
                       window->width);
          return FALSE;
        }
      return TRUE;
    case LB_VOI_FUNCTION_LINEAR_EXACT:
    case LB_VOI_FUNCTION_SIGMOID:
      if (window->width <= 0)
        {
          g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_INVALID_WINDOW,
                       "A window width of %g is not possible; it must be above 0.",
                       window->width);
          return FALSE;
        }
      return TRUE;
    default:
      g_set_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_INVALID_WINDOW,
                   "The window uses an unknown VOI function.");
      return FALSE;
    }
}

void
lb_window_from_range (double low, double high, LbWindow *out)
{
  g_return_if_fail (out != NULL);

  if (high < low)
    high = low;
  /* Solves c - 0.5 - (w - 1) / 2 = low and c - 0.5 + (w - 1) / 2 = high. */
  out->center = (low + high + 1) / 2;
  out->width = high - low + 1;
  out->function = LB_VOI_FUNCTION_LINEAR;
}
