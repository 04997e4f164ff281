/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of LbReadingPage, shared by lb-reading-page.c (layout, series, viewports)
 * and lb-reading-page-actions.c (the reading.* actions).
 */
#pragma once

#include "lb-keymap.h"
#include "lb-reading-page.h"

G_BEGIN_DECLS

struct _LbReadingPage
{
  GtkWidget parent_instance;

  AdwHeaderBar *header;
  AdwWindowTitle *title;
  GtkListView *strip;
  GtkSingleSelection *strip_selection;
  GtkGrid *grid;

  LbFrameCache *cache;
  GSettings *settings;
  LbLoadedStudy *study;
  GHashTable *watched;      /* LbStudySeries whose arrivals are watched */

  GPtrArray *viewports;     /* LbViewport, in reading order */
  guint active;
  char *layout;

  /* Shared by every viewport. */
  char *tool;
  gboolean overlays;
  GArray *presets;          /* LbUserPreset */
  guint prefetch_idle;
};

/* lb-reading-page-actions.c */
void _lb_reading_page_class_init_actions (GtkWidgetClass *widget_class);
void _lb_reading_page_init_actions (LbReadingPage *self, LbKeymap *keymap);
LbViewportTool _lb_reading_page_parse_tool (const char *tool);

/* lb-reading-page.c */
/* Shows series @index of the study in the active viewport. */
void _lb_reading_page_show_series (LbReadingPage *self, int index);
/* The strip follows the active viewport's series; prefetching too. */
void _lb_reading_page_sync_active (LbReadingPage *self);

G_END_DECLS
