/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One series in the reading page's strip: a thumbnail rendered off the main thread,
 * its number and description, how many images it has and, while it loads, a progress
 * bar.  It can be dragged into a viewport.
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-study-series.h"

G_BEGIN_DECLS

#define LB_TYPE_SERIES_TILE (lb_series_tile_get_type ())

G_DECLARE_FINAL_TYPE (LbSeriesTile, lb_series_tile, LB, SERIES_TILE, GtkWidget)

void lb_series_tile_set_series (LbSeriesTile *self, LbStudySeries *series);
LbStudySeries *lb_series_tile_get_series (LbSeriesTile *self);

G_END_DECLS
