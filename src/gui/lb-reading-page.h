/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reading page: a strip of the study's series with thumbnails and load progress,
 * a grid of viewports (1x1 to 3x3) with one active, and the reading actions
 * ("reading.*") the keyboard drives.
 */
#pragma once

#include <adwaita.h>

#include "lb-frame-cache.h"
#include "lb-keymap.h"
#include "lb-loaded-study.h"
#include "lb-viewport.h"

G_BEGIN_DECLS

#define LB_TYPE_READING_PAGE (lb_reading_page_get_type ())

G_DECLARE_FINAL_TYPE (LbReadingPage, lb_reading_page, LB, READING_PAGE, GtkWidget)

/* @settings: the application's settings (presets, layout, cine rate); @keymap: the
 * keys of the reading actions. */
LbReadingPage *lb_reading_page_new (LbFrameCache *cache, GSettings *settings, LbKeymap *keymap);

LbFrameCache *lb_reading_page_get_cache (LbReadingPage *self);
/* Shows @study (NULL: nothing), in the default layout, first series first. */
void lb_reading_page_set_study (LbReadingPage *self, LbLoadedStudy *study);
LbLoadedStudy *lb_reading_page_get_study (LbReadingPage *self);

/* "1x1", "1x2" (one row, two columns), "2x1", "2x2", "2x3", "3x3". */
void lb_reading_page_set_layout (LbReadingPage *self, const char *layout);
const char *lb_reading_page_get_layout (LbReadingPage *self);
guint lb_reading_page_get_n_viewports (LbReadingPage *self);
LbViewport *lb_reading_page_get_viewport (LbReadingPage *self, guint index);
LbViewport *lb_reading_page_get_active_viewport (LbReadingPage *self);
void lb_reading_page_set_active_viewport (LbReadingPage *self, guint index);

G_END_DECLS
