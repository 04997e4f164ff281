/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-row-slots.h"

struct _LbRowSlots
{
  GObject parent_instance;
  GListModel *source;
  /* LbRowSlot: the first n_shown are the model; the rest are kept for when it grows
   * again, since making thousands of objects at a keystroke costs more than keeping
   * them. */
  GPtrArray *slots;
  guint n_shown;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LbRowSlots, lb_row_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return LB_TYPE_ROW_SLOT;
}

static guint
get_n_items (GListModel *model)
{
  return LB_ROW_SLOTS (model)->n_shown;
}

static gpointer
get_item (GListModel *model, guint position)
{
  LbRowSlots *self = LB_ROW_SLOTS (model);

  return position < self->n_shown ? g_object_ref (g_ptr_array_index (self->slots, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_source_changed (GListModel *source, guint position, guint removed, guint added,
                   LbRowSlots *self)
{
  guint before = self->n_shown;
  guint now = g_list_model_get_n_items (source);

  while (self->slots->len < now)
    g_ptr_array_add (self->slots, lb_row_slot_new (NULL));
  for (guint i = position; i < now; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (source, i);
      lb_row_slot_set_item (g_ptr_array_index (self->slots, i), item);
    }
  self->n_shown = now;
  if (now < before)
    g_list_model_items_changed (G_LIST_MODEL (self), now, before - now, 0);
  else if (now > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, now - before);
}

static void
lb_row_slots_dispose (GObject *object)
{
  LbRowSlots *self = LB_ROW_SLOTS (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  G_OBJECT_CLASS (lb_row_slots_parent_class)->dispose (object);
}

static void
lb_row_slots_class_init (LbRowSlotsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lb_row_slots_dispose;
}

static void
lb_row_slots_init (LbRowSlots *self)
{
  self->slots = g_ptr_array_new_with_free_func (g_object_unref);
}

LbRowSlots *
lb_row_slots_new (GListModel *source)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  LbRowSlots *self = g_object_new (LB_TYPE_ROW_SLOTS, NULL);
  self->source = g_object_ref (source);
  g_signal_connect (source, "items-changed", G_CALLBACK (on_source_changed), self);
  on_source_changed (source, 0, 0, g_list_model_get_n_items (source), self);
  return self;
}
