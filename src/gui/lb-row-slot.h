/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row of an LbRowSlots model: a place that shows an item, and can be pointed at
 * another item without the row being made again.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_ROW_SLOT (lb_row_slot_get_type ())

G_DECLARE_FINAL_TYPE (LbRowSlot, lb_row_slot, LB, ROW_SLOT, GObject)

LbRowSlot *lb_row_slot_new (gpointer item);
/* The item shown (a GObject); "notify::item" when it changes. */
gpointer lb_row_slot_get_item (LbRowSlot *self);
void lb_row_slot_set_item (LbRowSlot *self, gpointer item);

G_END_DECLS
