/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list model of LbRowSlots that mirrors another model: slot i shows item i of the
 * source.  When the source changes, the slots are pointed at their new items and only
 * the difference in length is announced as added or removed at the end.
 *
 * Why: GTK 4.8's list and column views make a widget for every row in up to 200 rows
 * around the view's anchor and never reuse them for other items, so a search that
 * changes which studies are shown made some 1,500 cell widgets at every keystroke (200
 * ms for 10,000 studies; bench-worklist).  Over slots, the rows stay, and only the labels
 * whose item changed are set again.
 */
#pragma once

#include <gio/gio.h>

#include "lb-row-slot.h"

G_BEGIN_DECLS

#define LB_TYPE_ROW_SLOTS (lb_row_slots_get_type ())

G_DECLARE_FINAL_TYPE (LbRowSlots, lb_row_slots, LB, ROW_SLOTS, GObject)

LbRowSlots *lb_row_slots_new (GListModel *source);

G_END_DECLS
