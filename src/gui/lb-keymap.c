/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-keymap.h"

#include <glib/gi18n.h>

#define W LB_KEYMAP_SCOPE_WINDOW
#define R LB_KEYMAP_SCOPE_READING
#define L LB_KEYMAP_SCOPE_WORKLIST

static const LbKeymapEntry entries[] = {
  /* Images */
  { "previous-image", R, "reading.scroll", "-1", N_("Images"), N_("Previous image"), "Up" },
  { "next-image", R, "reading.scroll", "1", N_("Images"), N_("Next image"), "Down" },
  { "back-10", R, "reading.scroll", "-10", N_("Images"), N_("Back 10 images"), "<Shift>Up" },
  { "forward-10", R, "reading.scroll", "10", N_("Images"), N_("Forward 10 images"), "<Shift>Down" },
  { "first-image", R, "reading.first-image", NULL, N_("Images"), N_("First image"), "Home" },
  { "last-image", R, "reading.last-image", NULL, N_("Images"), N_("Last image"), "End" },
  { "previous-series", R, "reading.series", "-1", N_("Images"), N_("Previous series"), "Page_Up Left" },
  { "next-series", R, "reading.series", "1", N_("Images"), N_("Next series"), "Page_Down Right" },
  { "previous-study", R, "win.study", "-1", N_("Images"), N_("Previous study in the worklist"), "<Control>Left" },
  { "next-study", R, "win.study", "1", N_("Images"), N_("Next study in the worklist"), "<Control>Right" },
  { "next-viewport", R, "reading.next-viewport", NULL, N_("Images"), N_("Next viewport"), "Tab" },
  { "cine", R, "reading.cine", NULL, N_("Images"), N_("Start or stop cine"), "c" },
  { "cine-faster", R, "reading.cine-speed", "1", N_("Images"), N_("Faster cine"), "bracketright" },
  { "cine-slower", R, "reading.cine-speed", "-1", N_("Images"), N_("Slower cine"), "bracketleft" },

  /* Window and level */
  { "preset-1", R, "reading.preset", "1", N_("Window"), N_("Preset 1"), "1 KP_1" },
  { "preset-2", R, "reading.preset", "2", N_("Window"), N_("Preset 2"), "2 KP_2" },
  { "preset-3", R, "reading.preset", "3", N_("Window"), N_("Preset 3"), "3 KP_3" },
  { "preset-4", R, "reading.preset", "4", N_("Window"), N_("Preset 4"), "4 KP_4" },
  { "preset-5", R, "reading.preset", "5", N_("Window"), N_("Preset 5"), "5 KP_5" },
  { "preset-6", R, "reading.preset", "6", N_("Window"), N_("Preset 6"), "6 KP_6" },
  { "preset-7", R, "reading.preset", "7", N_("Window"), N_("Preset 7"), "7 KP_7" },
  { "preset-8", R, "reading.preset", "8", N_("Window"), N_("Preset 8"), "8 KP_8" },
  { "preset-9", R, "reading.preset", "9", N_("Window"), N_("Preset 9"), "9 KP_9" },
  { "full-range", R, "reading.full-range", NULL, N_("Window"), N_("Full range"), "0 KP_0" },
  { "invert", R, "reading.invert", NULL, N_("Window"), N_("Invert"), "i" },

  /* Mouse tools */
  { "tool-window", R, "reading.tool", "'window'", N_("Mouse tools"), N_("Window/level"), "w" },
  { "tool-zoom", R, "reading.tool", "'zoom'", N_("Mouse tools"), N_("Zoom"), "z" },
  { "tool-pan", R, "reading.tool", "'pan'", N_("Mouse tools"), N_("Pan"), "t" },
  { "tool-scroll", R, "reading.tool", "'scroll'", N_("Mouse tools"), N_("Scroll"), "s" },

  /* View */
  { "fit", R, "reading.fit", NULL, N_("View"), N_("Fit to viewport"), "f" },
  { "actual-size", R, "reading.actual-size", NULL, N_("View"), N_("Actual size (1:1)"), "<Control>0" },
  { "zoom-in", R, "reading.zoom", "1", N_("View"), N_("Zoom in"), "plus equal KP_Add" },
  { "zoom-out", R, "reading.zoom", "-1", N_("View"), N_("Zoom out"), "minus KP_Subtract" },
  { "rotate", R, "reading.rotate", NULL, N_("View"), N_("Rotate 90° clockwise"), "r" },
  { "flip-horizontal", R, "reading.flip", "'horizontal'", N_("View"), N_("Flip horizontally"), "h" },
  { "flip-vertical", R, "reading.flip", "'vertical'", N_("View"), N_("Flip vertically"), "v" },
  { "reset", R, "reading.reset", NULL, N_("View"), N_("Reset the viewport"), "Escape" },
  { "overlays", R, "reading.overlays", NULL, N_("View"), N_("Show or hide overlays"), "space" },
  { "layout-1", R, "reading.layout", "'1x1'", N_("View"), N_("Layout 1×1"), "<Control>1" },
  { "layout-2", R, "reading.layout", "'1x2'", N_("View"), N_("Layout 1×2"), "<Control>2" },
  { "layout-3", R, "reading.layout", "'2x1'", N_("View"), N_("Layout 2×1"), "<Control>3" },
  { "layout-4", R, "reading.layout", "'2x2'", N_("View"), N_("Layout 2×2"), "<Control>4" },
  { "layout-5", R, "reading.layout", "'2x3'", N_("View"), N_("Layout 2×3"), "<Control>5" },
  { "layout-6", R, "reading.layout", "'3x3'", N_("View"), N_("Layout 3×3"), "<Control>6" },

  /* Worklist */
  { "search", L, "worklist.search", NULL, N_("Worklist"), N_("Search"), "<Control>f" },
  { "refresh", L, "worklist.refresh", NULL, N_("Worklist"), N_("Refresh"), "F5 <Control>r" },

  /* Application */
  { "worklist", W, "win.worklist", NULL, N_("Application"), N_("Back to the worklist"), "<Control>w" },
  { "open", W, "win.open", NULL, N_("Application"), N_("Open files or a folder"), "<Control>o" },
  { "preferences", W, "app.preferences", NULL, N_("Application"), N_("Preferences"), "<Control>comma" },
  { "shortcuts", W, "win.shortcuts", NULL, N_("Application"), N_("Keyboard shortcuts"), "<Control>question" },
  { "quit", W, "app.quit", NULL, N_("Application"), N_("Quit"), "<Control>q" },
};

#undef W
#undef R
#undef L

struct _LbKeymap
{
  GObject parent_instance;

  GSettings *settings;
  GHashTable *custom;       /* id -> GStrv */
  GPtrArray *attached;      /* Attached */
};

typedef struct
{
  GWeakRef controller;
  LbKeymapScope scope;
} Attached;

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LbKeymap, lb_keymap, G_TYPE_OBJECT)

static void
attached_free (Attached *attached)
{
  g_weak_ref_clear (&attached->controller);
  g_free (attached);
}

static void
lb_keymap_finalize (GObject *object)
{
  LbKeymap *self = LB_KEYMAP (object);

  g_clear_object (&self->settings);
  g_hash_table_unref (self->custom);
  g_ptr_array_unref (self->attached);

  G_OBJECT_CLASS (lb_keymap_parent_class)->finalize (object);
}

static void
lb_keymap_class_init (LbKeymapClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_keymap_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lb_keymap_init (LbKeymap *self)
{
  self->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_strfreev);
  self->attached = g_ptr_array_new_with_free_func ((GDestroyNotify) attached_free);
}

const LbKeymapEntry *
lb_keymap_get_entries (guint *n_entries)
{
  *n_entries = G_N_ELEMENTS (entries);
  return entries;
}

const LbKeymapEntry *
lb_keymap_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_str_equal (entries[i].id, id))
      return &entries[i];
  return NULL;
}

static void
fill (LbKeymap *self, GtkShortcutController *controller, LbKeymapScope scope)
{
  GListModel *model = G_LIST_MODEL (controller);

  while (g_list_model_get_n_items (model) > 0)
    {
      g_autoptr (GtkShortcut) old = g_list_model_get_item (model, 0);
      gtk_shortcut_controller_remove_shortcut (controller, old);
    }

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      const LbKeymapEntry *entry = &entries[i];
      if (entry->scope != scope)
        continue;

      g_auto (GStrv) accels = lb_keymap_dup_accels (self, entry->id);
      for (guint k = 0; accels[k] != NULL; k++)
        {
          GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (accels[k]);
          if (trigger == NULL)
            {
              g_warning ("“%s” is not a key for %s", accels[k], entry->id);
              continue;
            }
          GtkShortcut *shortcut = gtk_shortcut_new (trigger, gtk_named_action_new (entry->action));
          if (entry->target != NULL)
            gtk_shortcut_set_arguments (shortcut, g_variant_new_parsed (entry->target));
          gtk_shortcut_controller_add_shortcut (controller, shortcut);
        }
    }
}

static void
refill_all (LbKeymap *self)
{
  for (guint i = self->attached->len; i-- > 0;)
    {
      Attached *attached = g_ptr_array_index (self->attached, i);
      g_autoptr (GObject) controller = g_weak_ref_get (&attached->controller);

      if (controller == NULL)
        g_ptr_array_remove_index (self->attached, i);
      else
        fill (self, GTK_SHORTCUT_CONTROLLER (controller), attached->scope);
    }
}

static void
load (LbKeymap *self)
{
  g_autoptr (GVariant) value = g_settings_get_value (self->settings, "keybindings");
  GVariantIter iter;
  const char *id;
  GVariant *accels;

  g_hash_table_remove_all (self->custom);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s@as}", &id, &accels))
    {
      if (lb_keymap_find (id) != NULL && g_variant_n_children (accels) > 0)
        g_hash_table_insert (self->custom, g_strdup (id), g_variant_dup_strv (accels, NULL));
      g_variant_unref (accels);
    }
}

static void
on_keybindings_changed (GSettings *settings, const char *key, LbKeymap *self)
{
  load (self);
  refill_all (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

LbKeymap *
lb_keymap_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  LbKeymap *self = g_object_new (LB_TYPE_KEYMAP, NULL);
  self->settings = g_object_ref (settings);
  load (self);
  g_signal_connect_object (settings, "changed::keybindings", G_CALLBACK (on_keybindings_changed),
                           self, 0);
  return self;
}

char **
lb_keymap_dup_accels (LbKeymap *self, const char *id)
{
  g_return_val_if_fail (LB_IS_KEYMAP (self), NULL);

  const char *const *custom = g_hash_table_lookup (self->custom, id);
  if (custom != NULL)
    return g_strdupv ((char **) custom);

  const LbKeymapEntry *entry = lb_keymap_find (id);
  g_return_val_if_fail (entry != NULL, NULL);
  return g_strsplit (entry->defaults, " ", -1);
}

gboolean
lb_keymap_is_default (LbKeymap *self, const char *id)
{
  g_return_val_if_fail (LB_IS_KEYMAP (self), TRUE);
  return !g_hash_table_contains (self->custom, id);
}

char *
lb_keymap_dup_accelerator_string (LbKeymap *self, const char *id)
{
  g_auto (GStrv) accels = lb_keymap_dup_accels (self, id);
  g_autoptr (GStrvBuilder) shown = g_strv_builder_new ();

  /* The keypad's twins of digits and signs look the same as them: listing both would
   * read "1 / 1". */
  for (guint i = 0; accels[i] != NULL; i++)
    if (!g_str_has_prefix (accels[i], "KP_") || accels[1] == NULL)
      g_strv_builder_add (shown, accels[i]);
  g_auto (GStrv) list = g_strv_builder_end (shown);
  return g_strjoinv (" ", list);
}

void
lb_keymap_set_accels (LbKeymap *self, const char *id, const char *const *accels)
{
  g_return_if_fail (LB_IS_KEYMAP (self));
  g_return_if_fail (lb_keymap_find (id) != NULL);

  GVariantBuilder builder;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sas}"));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, self->custom);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_str_equal (key, id))
      g_variant_builder_add (&builder, "{s^as}", key, value);
  if (accels != NULL && accels[0] != NULL)
    g_variant_builder_add (&builder, "{s^as}", id, accels);
  g_settings_set_value (self->settings, "keybindings", g_variant_builder_end (&builder));
}

void
lb_keymap_attach (LbKeymap *self, GtkShortcutController *controller, LbKeymapScope scope)
{
  g_return_if_fail (LB_IS_KEYMAP (self));
  g_return_if_fail (GTK_IS_SHORTCUT_CONTROLLER (controller));

  Attached *attached = g_new0 (Attached, 1);
  g_weak_ref_init (&attached->controller, controller);
  attached->scope = scope;
  g_ptr_array_add (self->attached, attached);
  fill (self, controller, scope);
}
