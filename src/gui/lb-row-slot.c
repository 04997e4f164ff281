/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-row-slot.h"

struct _LbRowSlot
{
  GObject parent_instance;
  GObject *item;
};

G_DEFINE_FINAL_TYPE (LbRowSlot, lb_row_slot, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lb_row_slot_dispose (GObject *object)
{
  g_clear_object (&LB_ROW_SLOT (object)->item);
  G_OBJECT_CLASS (lb_row_slot_parent_class)->dispose (object);
}

static void
lb_row_slot_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, LB_ROW_SLOT (object)->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_row_slot_class_init (LbRowSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_row_slot_dispose;
  object_class->get_property = lb_row_slot_get_property;

  props[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                          G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_row_slot_init (LbRowSlot *self)
{
}

LbRowSlot *
lb_row_slot_new (gpointer item)
{
  LbRowSlot *self = g_object_new (LB_TYPE_ROW_SLOT, NULL);

  self->item = item != NULL ? g_object_ref (item) : NULL;
  return self;
}

gpointer
lb_row_slot_get_item (LbRowSlot *self)
{
  g_return_val_if_fail (LB_IS_ROW_SLOT (self), NULL);
  return self->item;
}

void
lb_row_slot_set_item (LbRowSlot *self, gpointer item)
{
  g_return_if_fail (LB_IS_ROW_SLOT (self));

  if (g_set_object (&self->item, item))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ITEM]);
}
