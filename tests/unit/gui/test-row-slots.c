/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LbRowSlots mirrors its source: slot i shows item i after any change, the slots
 * themselves stay the same objects, and only changes of length are announced (at the
 * end), which is what keeps GTK 4.8's rows from being made again at every keystroke.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include "lb-row-slots.h"

typedef struct
{
  guint position, removed, added;
  guint calls;
} Change;

static void
on_changed (GListModel *model, guint position, guint removed, guint added, Change *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->calls++;
}

static void
count (guint *counter)
{
  (*counter)++;
}

static void
assert_mirrors (GListModel *slots, GListModel *source)
{
  g_assert_cmpuint (g_list_model_get_n_items (slots), ==, g_list_model_get_n_items (source));
  for (guint i = 0; i < g_list_model_get_n_items (source); i++)
    {
      g_autoptr (LbRowSlot) slot = g_list_model_get_item (slots, i);
      g_autoptr (GObject) item = g_list_model_get_item (source, i);
      g_assert_true (lb_row_slot_get_item (slot) == (gpointer) item);
    }
  g_assert_null (g_list_model_get_item (slots, g_list_model_get_n_items (source)));
}

static void
test_mirrors (void)
{
  g_autoptr (GListStore) source = g_list_store_new (G_TYPE_MENU_ITEM);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (NULL, NULL);
      g_list_store_append (source, item);
    }
  g_autoptr (LbRowSlots) slots = lb_row_slots_new (G_LIST_MODEL (source));
  Change change = { 0 };
  g_signal_connect (slots, "items-changed", G_CALLBACK (on_changed), &change);
  assert_mirrors (G_LIST_MODEL (slots), G_LIST_MODEL (source));
  g_autoptr (LbRowSlot) first = g_list_model_get_item (G_LIST_MODEL (slots), 0);

  /* Three removed from the middle: the slots after them show the next items, and the
   * model announces only that its last three went. */
  g_list_store_splice (source, 2, 3, NULL, 0);
  assert_mirrors (G_LIST_MODEL (slots), G_LIST_MODEL (source));
  g_assert_cmpuint (change.calls, ==, 1);
  g_assert_cmpuint (change.position, ==, 7);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (change.added, ==, 0);

  /* Four put in at the start: the existing slots change items, four are added at the end. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (NULL, NULL);
      g_list_store_insert (source, 0, item);
    }
  assert_mirrors (G_LIST_MODEL (slots), G_LIST_MODEL (source));
  g_assert_cmpuint (change.calls, ==, 5);
  g_assert_cmpuint (change.position, ==, 10);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);

  /* Same length, other items (as a new sort gives): nothing announced, the slots
   * pointed again, and the first slot is still the same object. */
  guint calls = change.calls;
  guint notified = 0;
  g_autoptr (LbRowSlot) again = g_list_model_get_item (G_LIST_MODEL (slots), 0);
  g_assert_true (again == first);
  g_signal_connect_swapped (first, "notify::item", G_CALLBACK (count), &notified);
  g_autoptr (GObject) a = g_list_model_get_item (G_LIST_MODEL (source), 0);
  g_autoptr (GObject) b = g_list_model_get_item (G_LIST_MODEL (source), 1);
  gpointer swapped[] = { b, a };
  g_list_store_splice (source, 0, 2, swapped, 2);
  assert_mirrors (G_LIST_MODEL (slots), G_LIST_MODEL (source));
  g_assert_cmpuint (change.calls, ==, calls);
  g_assert_cmpuint (notified, ==, 1);

  /* Emptied, then filled again. */
  g_list_store_remove_all (source);
  assert_mirrors (G_LIST_MODEL (slots), G_LIST_MODEL (source));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (NULL, NULL);
      g_list_store_append (source, item);
    }
  assert_mirrors (G_LIST_MODEL (slots), G_LIST_MODEL (source));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui/row-slots", test_mirrors);
  return g_test_run ();
}
