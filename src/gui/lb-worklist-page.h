/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worklist: the studies of the current archive in a column view, searched as the
 * reader types and filtered by date, modality and status, sorted by any column, with
 * the sort and filters remembered.  Enter opens the selected study ("open-study").
 * While the archive does not answer, "offline" is TRUE.
 */
#pragma once

#include <adwaita.h>

#include "lb-application.h"
#include "lb-loaded-study.h"
#include "lb-worklist-item.h"

G_BEGIN_DECLS

#define LB_TYPE_WORKLIST_PAGE (lb_worklist_page_get_type ())

G_DECLARE_FINAL_TYPE (LbWorklistPage, lb_worklist_page, LB, WORKLIST_PAGE, GtkWidget)

LbWorklistPage *lb_worklist_page_new (LbApplication *app);

/* The search gets the keyboard focus. */
void lb_worklist_page_focus (LbWorklistPage *self);
gboolean lb_worklist_page_get_offline (LbWorklistPage *self);
/* Why, one sentence the reader can act on ("refused the user name or password"); NULL
 * when online. */
const char *lb_worklist_page_get_offline_reason (LbWorklistPage *self);
/* Asks the archive again. */
void lb_worklist_page_refresh (LbWorklistPage *self);

/* Starts loading @item's study, from the cache or the archive (what arrives is shown as
 * it comes); the study opened before is closed. */
LbLoadedStudy *lb_worklist_page_load_study (LbWorklistPage *self, LbWorklistItem *item,
                                            GCancellable *cancellable);
/* The reader left the last study opened. */
void lb_worklist_page_close_study (LbWorklistPage *self);
/* Copies files and folders opened from disk into the local store, as local studies. */
void lb_worklist_page_import (LbWorklistPage *self, const char *const *paths);
/* Opens the study @delta rows after the last one opened, as the worklist is sorted and
 * filtered now; FALSE past either end. */
gboolean lb_worklist_page_open_adjacent (LbWorklistPage *self, int delta);

/* The rows shown, after search and filters (for tests and benchmarks). */
GListModel *lb_worklist_page_get_shown (LbWorklistPage *self);
/* Shows @items (LbWorklistItem) instead of the archive's worklist (benchmarks). */
void lb_worklist_page_set_items (LbWorklistPage *self, GListModel *items);
/* Types @text into the search. */
void lb_worklist_page_set_search (LbWorklistPage *self, const char *text);

G_END_DECLS
