/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Keyboard page of the preferences: every command of the keymap with its keys, a
 * button that takes the next key pressed as its new key, and one that restores the
 * default.
 */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-preferences-window-private.h"

#include <glib/gi18n.h>

#include "lb-keymap.h"

typedef struct
{
  LbPreferencesWindow *window;
  const LbKeymapEntry *entry;
  GtkShortcutLabel *keys;
  GtkWidget *reset;
} KeyRow;

static LbKeymap *
keymap (LbPreferencesWindow *self)
{
  return lb_application_get_keymap (self->app);
}

static void
show_keys (KeyRow *row)
{
  g_autofree char *accels = lb_keymap_dup_accelerator_string (keymap (row->window), row->entry->id);

  gtk_shortcut_label_set_accelerator (row->keys, accels);
  gtk_widget_set_sensitive (row->reset, !lb_keymap_is_default (keymap (row->window), row->entry->id));
}

/* The commands of the same scope that @accel already starts. */
static char *
other_user (LbPreferencesWindow *self, const LbKeymapEntry *entry, const char *accel)
{
  guint n;
  const LbKeymapEntry *entries = lb_keymap_get_entries (&n);

  for (guint i = 0; i < n; i++)
    {
      if (&entries[i] == entry || entries[i].scope != entry->scope)
        continue;
      g_auto (GStrv) accels = lb_keymap_dup_accels (keymap (self), entries[i].id);
      if (g_strv_contains ((const char *const *) accels, accel))
        return g_strdup (_(entries[i].title));
    }
  return NULL;
}

static gboolean
on_capture_key (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, KeyRow *row)
{
  GtkWidget *dialog = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  /* A modifier alone starts a combination; wait for the key. */
  if (keyval == GDK_KEY_Shift_L || keyval == GDK_KEY_Shift_R || keyval == GDK_KEY_Control_L ||
      keyval == GDK_KEY_Control_R || keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R ||
      keyval == GDK_KEY_Super_L || keyval == GDK_KEY_Super_R)
    return FALSE;

  g_autofree char *accel = gtk_accelerator_name (gdk_keyval_to_lower (keyval),
                                                 state & gtk_accelerator_get_default_mod_mask ());
  const char *accels[] = { accel, NULL };
  g_autofree char *other = other_user (row->window, row->entry, accel);

  lb_keymap_set_accels (keymap (row->window), row->entry->id, accels);
  if (other != NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("“%s” is also the key for “%s”: the first of the two in the list wins."),
        accel, other);
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (row->window),
                                        adw_toast_new (escaped));
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
  return TRUE;
}

static void
on_cancel (GtkButton *button, GtkWindow *dialog)
{
  gtk_window_destroy (dialog);
}

/* Asks for the next key: a small window that takes every key, Escape included (Escape
 * is a command too), and has a button to give up. */
static void
on_change (GtkButton *button, KeyRow *row)
{
  GtkWidget *dialog = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_autofree char *prompt = g_strdup_printf (_("Press the new key for “%s”"), _(row->entry->title));
  GtkWidget *label = gtk_label_new (prompt);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

  gtk_window_set_title (GTK_WINDOW (dialog), _("New Key"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (row->window));
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_widget_set_focusable (cancel, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), cancel);
  gtk_window_set_child (GTK_WINDOW (dialog), box);

  GtkEventController *keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_capture_key), row);
  gtk_widget_add_controller (dialog, keys);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_cancel), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_reset (GtkButton *button, KeyRow *row)
{
  lb_keymap_set_accels (keymap (row->window), row->entry->id, NULL);
}

static void
on_keymap_changed (LbKeymap *map, LbPreferencesWindow *self)
{
  for (guint i = 0; i < self->key_rows->len; i++)
    show_keys (g_object_get_data (g_ptr_array_index (self->key_rows, i), "lb-key-row"));
}

void
_lb_preferences_keys_init (LbPreferencesWindow *self)
{
  guint n;
  const LbKeymapEntry *entries = lb_keymap_get_entries (&n);
  AdwPreferencesGroup *group = NULL;
  const char *title = NULL;

  for (guint i = 0; i < n; i++)
    {
      if (group == NULL || !g_str_equal (title, entries[i].group))
        {
          title = entries[i].group;
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, _(title));
          adw_preferences_page_add (self->keys_page, group);
        }

      KeyRow *row = g_new0 (KeyRow, 1);
      row->window = self;
      row->entry = &entries[i];

      GtkWidget *action_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), _(entries[i].title));
      row->keys = GTK_SHORTCUT_LABEL (gtk_shortcut_label_new (NULL));
      gtk_widget_set_valign (GTK_WIDGET (row->keys), GTK_ALIGN_CENTER);
      GtkWidget *change = gtk_button_new_from_icon_name ("document-edit-symbolic");
      gtk_widget_set_tooltip_text (change, _("Choose another key"));
      row->reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
      gtk_widget_set_tooltip_text (row->reset, _("Back to the default key"));
      for (GtkWidget *w = change; w != NULL; w = w == change ? row->reset : NULL)
        {
          gtk_widget_set_valign (w, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (w, "flat");
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), GTK_WIDGET (row->keys));
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), change);
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), row->reset);
      g_object_set_data_full (G_OBJECT (action_row), "lb-key-row", row, g_free);
      g_signal_connect (change, "clicked", G_CALLBACK (on_change), row);
      g_signal_connect (row->reset, "clicked", G_CALLBACK (on_reset), row);
      show_keys (row);

      g_ptr_array_add (self->key_rows, action_row);
      adw_preferences_group_add (group, action_row);
    }
  g_signal_connect_object (keymap (self), "changed", G_CALLBACK (on_keymap_changed), self, 0);
}
