/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-reading-page-private.h"

#include <glib/gi18n.h>

#include "lb-series-tile.h"
#include "lb-study-format.h"
#include "lb-user-presets.h"

#define MAX_VIEWPORTS 9

G_DEFINE_FINAL_TYPE (LbReadingPage, lb_reading_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LAYOUT,
  PROP_TOOL,
  PROP_OVERLAYS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lb_reading_page_dispose (GObject *object)
{
  LbReadingPage *self = LB_READING_PAGE (object);

  g_clear_handle_id (&self->prefetch_idle, g_source_remove);
  if (self->cache != NULL)
    lb_frame_cache_stop_prefetch (self->cache);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_READING_PAGE);
  g_clear_pointer (&self->viewports, g_ptr_array_unref);
  g_clear_object (&self->study);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_object (&self->cache);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->presets, g_array_unref);

  G_OBJECT_CLASS (lb_reading_page_parent_class)->dispose (object);
}

static void
lb_reading_page_finalize (GObject *object)
{
  LbReadingPage *self = LB_READING_PAGE (object);

  g_free (self->layout);
  g_free (self->tool);

  G_OBJECT_CLASS (lb_reading_page_parent_class)->finalize (object);
}

static void
lb_reading_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbReadingPage *self = LB_READING_PAGE (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      g_value_set_string (value, self->layout);
      break;
    case PROP_TOOL:
      g_value_set_string (value, self->tool);
      break;
    case PROP_OVERLAYS:
      g_value_set_boolean (value, self->overlays);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_reading_page_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  LbReadingPage *self = LB_READING_PAGE (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      lb_reading_page_set_layout (self, g_value_get_string (value));
      break;
    case PROP_TOOL:
      g_free (self->tool);
      self->tool = g_value_dup_string (value);
      for (guint i = 0; i < self->viewports->len; i++)
        lb_viewport_set_tool (g_ptr_array_index (self->viewports, i),
                              _lb_reading_page_parse_tool (self->tool));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_OVERLAYS:
      self->overlays = g_value_get_boolean (value);
      for (guint i = 0; i < self->viewports->len; i++)
        lb_viewport_set_overlays (g_ptr_array_index (self->viewports, i), self->overlays);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_strip_activate (GtkListView *strip, guint position, LbReadingPage *self)
{
  _lb_reading_page_show_series (self, (int) position);
}

static void
lb_reading_page_class_init (LbReadingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_reading_page_dispose;
  object_class->finalize = lb_reading_page_finalize;
  object_class->get_property = lb_reading_page_get_property;
  object_class->set_property = lb_reading_page_set_property;

  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  props[PROP_LAYOUT] = g_param_spec_string ("layout", NULL, NULL, "1x1", flags);
  props[PROP_TOOL] = g_param_spec_string ("tool", NULL, NULL, "window", flags);
  props[PROP_OVERLAYS] = g_param_spec_boolean ("overlays", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (LB_TYPE_SERIES_TILE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lightboxrad/Lightbox/lb-reading-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LbReadingPage, header);
  gtk_widget_class_bind_template_child (widget_class, LbReadingPage, title);
  gtk_widget_class_bind_template_child (widget_class, LbReadingPage, strip);
  gtk_widget_class_bind_template_child (widget_class, LbReadingPage, strip_selection);
  gtk_widget_class_bind_template_child (widget_class, LbReadingPage, grid);
  gtk_widget_class_bind_template_callback (widget_class, on_strip_activate);

  _lb_reading_page_class_init_actions (widget_class);
  gtk_widget_class_set_css_name (widget_class, "lb-reading-page");
}

static void
lb_reading_page_init (LbReadingPage *self)
{
  self->viewports = g_ptr_array_new_with_free_func (g_object_unref);
  self->watched = g_hash_table_new (NULL, NULL);
  self->tool = g_strdup ("window");
  /* Not a layout yet: the first lb_reading_page_set_layout() builds the grid. */
  self->layout = g_strdup ("");
  self->overlays = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
on_presets_changed (GSettings *settings, const char *key, LbReadingPage *self)
{
  g_clear_pointer (&self->presets, g_array_unref);
  self->presets = lb_user_presets_load (settings);
}

LbReadingPage *
lb_reading_page_new (LbFrameCache *cache, GSettings *settings, LbKeymap *keymap)
{
  g_return_val_if_fail (LB_IS_FRAME_CACHE (cache), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (LB_IS_KEYMAP (keymap), NULL);

  LbReadingPage *self = g_object_new (LB_TYPE_READING_PAGE, NULL);
  self->cache = g_object_ref (cache);
  self->settings = g_object_ref (settings);
  self->presets = lb_user_presets_load (settings);
  g_signal_connect_object (settings, "changed::presets", G_CALLBACK (on_presets_changed), self, 0);
  _lb_reading_page_init_actions (self, keymap);

  g_autofree char *layout = g_settings_get_string (settings, "default-layout");
  lb_reading_page_set_layout (self, layout);
  return self;
}

LbFrameCache *
lb_reading_page_get_cache (LbReadingPage *self)
{
  g_return_val_if_fail (LB_IS_READING_PAGE (self), NULL);
  return self->cache;
}

/* ---- viewports ----------------------------------------------------------------- */

static gboolean
series_is_shown (LbReadingPage *self, LbStudySeries *series)
{
  for (guint i = 0; i < self->viewports->len; i++)
    if (lb_viewport_get_series (g_ptr_array_index (self->viewports, i)) == series)
      return TRUE;
  return FALSE;
}

/* Empty viewports take the first series that has an image and is not shown yet: the
 * first image of a study appears as soon as any of its series has one. */
static void
fill_empty_viewports (LbReadingPage *self)
{
  if (self->study == NULL)
    return;

  GListModel *list = G_LIST_MODEL (self->study);
  for (guint v = 0; v < self->viewports->len; v++)
    {
      LbViewport *viewport = g_ptr_array_index (self->viewports, v);
      if (lb_viewport_get_series (viewport) != NULL)
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr (LbStudySeries) series = g_list_model_get_item (list, i);
          if (g_list_model_get_n_items (G_LIST_MODEL (series)) > 0 &&
              !series_is_shown (self, series))
            {
              lb_viewport_set_series (viewport, series);
              if (v == self->active)
                _lb_reading_page_sync_active (self);
              break;
            }
        }
    }
}

static void
on_series_grew (LbStudySeries *series, GParamSpec *pspec, LbReadingPage *self)
{
  fill_empty_viewports (self);
}

static void
on_series_complete (LbStudySeries *series, GParamSpec *pspec, LbReadingPage *self)
{
  LbViewport *active = lb_reading_page_get_active_viewport (self);

  if (active != NULL && lb_viewport_get_series (active) == series)
    _lb_reading_page_sync_active (self);
}

static void
watch_series (LbReadingPage *self)
{
  GListModel *list = G_LIST_MODEL (self->study);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (LbStudySeries) series = g_list_model_get_item (list, i);
      if (g_hash_table_contains (self->watched, series))
        continue;
      g_hash_table_add (self->watched, series);
      g_signal_connect_object (series, "notify::n-slices", G_CALLBACK (on_series_grew), self, 0);
      g_signal_connect_object (series, "notify::complete", G_CALLBACK (on_series_complete),
                               self, 0);
    }
}

static void
on_study_items_changed (GListModel *list, guint position, guint removed, guint added,
                        LbReadingPage *self)
{
  watch_series (self);
  fill_empty_viewports (self);
  _lb_reading_page_sync_active (self);
}

static void
update_title (LbReadingPage *self)
{
  if (self->study == NULL)
    {
      adw_window_title_set_title (self->title, "");
      adw_window_title_set_subtitle (self->title, "");
      return;
    }
  g_autofree char *name = lb_format_person_name (lb_loaded_study_get_patient_name (self->study));
  g_autofree char *date = lb_format_date (lb_loaded_study_get_study_date (self->study));
  const char *description = lb_loaded_study_get_study_description (self->study);
  g_autofree char *subtitle = description != NULL && *date != '\0'
    ? g_strdup_printf ("%s · %s", description, date)
    : g_strdup (description != NULL ? description : date);

  adw_window_title_set_title (self->title, *name != '\0' ? name : _("Unnamed patient"));
  adw_window_title_set_subtitle (self->title, subtitle);
}

static void
on_study_patient (LbLoadedStudy *study, GParamSpec *pspec, LbReadingPage *self)
{
  update_title (self);
}

static void
on_viewport_chosen (LbViewport *viewport, LbReadingPage *self)
{
  guint index;

  if (g_ptr_array_find (self->viewports, viewport, &index))
    lb_reading_page_set_active_viewport (self, index);
}

static void
on_viewport_series (LbViewport *viewport, GParamSpec *pspec, LbReadingPage *self)
{
  if (viewport == lb_reading_page_get_active_viewport (self))
    _lb_reading_page_sync_active (self);
}

static LbViewport *
make_viewport (LbReadingPage *self)
{
  LbViewport *viewport = lb_viewport_new (self->cache);

  lb_viewport_set_study (viewport, self->study);
  lb_viewport_set_tool (viewport, _lb_reading_page_parse_tool (self->tool));
  lb_viewport_set_overlays (viewport, self->overlays);
  lb_viewport_set_cine_fps (viewport, g_settings_get_double (self->settings, "cine-fps"));
  g_signal_connect_object (viewport, "chosen", G_CALLBACK (on_viewport_chosen), self, 0);
  g_signal_connect_object (viewport, "notify::series", G_CALLBACK (on_viewport_series), self, 0);
  return viewport;
}

static gboolean
parse_layout (const char *layout, guint *rows, guint *columns)
{
  if (layout == NULL || strlen (layout) != 3 || layout[1] != 'x')
    return FALSE;
  *rows = (guint) (layout[0] - '0');
  *columns = (guint) (layout[2] - '0');
  return *rows >= 1 && *columns >= 1 && *rows * *columns <= MAX_VIEWPORTS;
}

void
lb_reading_page_set_layout (LbReadingPage *self, const char *layout)
{
  g_return_if_fail (LB_IS_READING_PAGE (self));

  guint rows, columns;
  if (!parse_layout (layout, &rows, &columns))
    {
      g_warning ("“%s” is not a layout", layout);
      return;
    }
  if (g_strcmp0 (self->layout, layout) == 0)
    return;
  g_free (self->layout);
  self->layout = g_strdup (layout);

  guint n = rows * columns;
  for (guint i = 0; i < self->viewports->len; i++)
    gtk_grid_remove (self->grid, g_ptr_array_index (self->viewports, i));
  /* Viewports beyond the new count go; the others keep their series and view. */
  g_ptr_array_set_size (self->viewports, MIN (self->viewports->len, n));
  while (self->viewports->len < n)
    g_ptr_array_add (self->viewports, g_object_ref_sink (make_viewport (self)));
  for (guint i = 0; i < n; i++)
    gtk_grid_attach (self->grid, g_ptr_array_index (self->viewports, i), (int) (i % columns),
                     (int) (i / columns), 1, 1);

  lb_reading_page_set_active_viewport (self, MIN (self->active, n - 1));
  fill_empty_viewports (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAYOUT]);
}

const char *
lb_reading_page_get_layout (LbReadingPage *self)
{
  g_return_val_if_fail (LB_IS_READING_PAGE (self), NULL);
  return self->layout;
}

guint
lb_reading_page_get_n_viewports (LbReadingPage *self)
{
  g_return_val_if_fail (LB_IS_READING_PAGE (self), 0);
  return self->viewports->len;
}

LbViewport *
lb_reading_page_get_viewport (LbReadingPage *self, guint index)
{
  g_return_val_if_fail (LB_IS_READING_PAGE (self), NULL);

  if (index >= self->viewports->len)
    return NULL;
  return g_ptr_array_index (self->viewports, index);
}

LbViewport *
lb_reading_page_get_active_viewport (LbReadingPage *self)
{
  g_return_val_if_fail (LB_IS_READING_PAGE (self), NULL);
  return lb_reading_page_get_viewport (self, self->active);
}

void
lb_reading_page_set_active_viewport (LbReadingPage *self, guint index)
{
  g_return_if_fail (LB_IS_READING_PAGE (self));
  g_return_if_fail (index < self->viewports->len);

  self->active = index;
  for (guint i = 0; i < self->viewports->len; i++)
    lb_viewport_set_active (g_ptr_array_index (self->viewports, i),
                            i == index && self->viewports->len > 1);
  _lb_reading_page_sync_active (self);
}

/* ---- the active viewport ------------------------------------------------------- */

static gboolean
prefetch_now (gpointer data)
{
  LbReadingPage *self = data;
  LbViewport *active = lb_reading_page_get_active_viewport (self);
  LbStudySeries *series = active != NULL ? lb_viewport_get_series (active) : NULL;

  self->prefetch_idle = 0;
  /* Decoding ahead waits for the series to arrive: while it streams in, its memory
   * traffic would slow the arrivals (and the first image) more than it helps. */
  if (series == NULL || !lb_study_series_get_complete (series))
    return G_SOURCE_REMOVE;

  guint n = g_list_model_get_n_items (G_LIST_MODEL (series));
  g_autoptr (GPtrArray) slices = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (slices, g_list_model_get_item (G_LIST_MODEL (series), i));
  lb_frame_cache_prefetch (self->cache, slices, (guint) MAX (lb_viewport_get_index (active), 0));
  return G_SOURCE_REMOVE;
}

void
_lb_reading_page_sync_active (LbReadingPage *self)
{
  LbViewport *active = lb_reading_page_get_active_viewport (self);
  LbStudySeries *series = active != NULL ? lb_viewport_get_series (active) : NULL;
  guint position = GTK_INVALID_LIST_POSITION;

  if (series != NULL && self->study != NULL)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->study)); i++)
      {
        g_autoptr (LbStudySeries) item = g_list_model_get_item (G_LIST_MODEL (self->study), i);
        if (item == series)
          {
            position = i;
            break;
          }
      }
  if (gtk_single_selection_get_selected (self->strip_selection) != position)
    gtk_single_selection_set_selected (self->strip_selection, position);

  /* After the current batch of arrivals: decode the rest of the series in the
   * background, nearest images first. */
  if (self->prefetch_idle == 0)
    self->prefetch_idle = g_idle_add_full (G_PRIORITY_LOW, prefetch_now, self, NULL);
}

void
_lb_reading_page_show_series (LbReadingPage *self, int index)
{
  LbViewport *active = lb_reading_page_get_active_viewport (self);

  if (self->study == NULL || active == NULL)
    return;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->study));
  if (n == 0)
    return;
  index = CLAMP (index, 0, (int) n - 1);

  g_autoptr (LbStudySeries) series = g_list_model_get_item (G_LIST_MODEL (self->study),
                                                            (guint) index);
  lb_viewport_set_series (active, series);
}

/* ---- the study ----------------------------------------------------------------- */

static void
unwatch_series (gpointer series, gpointer value, gpointer self)
{
  g_signal_handlers_disconnect_by_data (series, self);
}

void
lb_reading_page_set_study (LbReadingPage *self, LbLoadedStudy *study)
{
  g_return_if_fail (LB_IS_READING_PAGE (self));
  g_return_if_fail (study == NULL || LB_IS_LOADED_STUDY (study));

  if (self->study != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->study, self);
      g_hash_table_foreach (self->watched, unwatch_series, self);
      g_hash_table_remove_all (self->watched);
    }
  lb_frame_cache_stop_prefetch (self->cache);
  g_set_object (&self->study, study);
  gtk_single_selection_set_model (self->strip_selection, G_LIST_MODEL (study));

  for (guint i = 0; i < self->viewports->len; i++)
    {
      LbViewport *viewport = g_ptr_array_index (self->viewports, i);
      lb_viewport_set_series (viewport, NULL);
      lb_viewport_set_study (viewport, study);
      lb_viewport_reset (viewport);
    }

  /* Each study starts in the reader's default layout, in the first viewport. */
  g_autofree char *layout = g_settings_get_string (self->settings, "default-layout");
  lb_reading_page_set_layout (self, layout);
  lb_reading_page_set_active_viewport (self, 0);

  if (study != NULL)
    {
      g_signal_connect (study, "items-changed", G_CALLBACK (on_study_items_changed), self);
      g_signal_connect (study, "notify::patient-name", G_CALLBACK (on_study_patient), self);
      watch_series (self);
      fill_empty_viewports (self);
    }
  update_title (self);
}

LbLoadedStudy *
lb_reading_page_get_study (LbReadingPage *self)
{
  g_return_val_if_fail (LB_IS_READING_PAGE (self), NULL);
  return self->study;
}
