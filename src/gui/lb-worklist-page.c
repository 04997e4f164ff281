/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-worklist"
#include "config.h"

#include "lb-worklist-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lb-dicomweb-client.h"
#include "lb-keymap.h"
#include "lb-row-slots.h"
#include "lb-secrets.h"
#include "lb-server-config.h"
#include "lb-study-format.h"
#include "lb-worklist-filter.h"
#include "lb-worklist.h"


struct _LbWorklistPage
{
  GtkWidget parent_instance;

  GtkDropDown *server_switcher;
  GtkStringList *server_names;
  GtkSearchEntry *search;
  GtkDropDown *date_filter;
  GtkEntry *date_from;
  GtkEntry *date_to;
  GtkDropDown *modality_filter;
  GtkStringList *modalities;
  GtkDropDown *status_filter;
  GtkLabel *count;
  GtkStack *stack;
  GtkColumnView *view;
  GtkColumnViewColumn *column_status;
  GtkColumnViewColumn *column_priority;
  GtkColumnViewColumn *column_patient;
  GtkColumnViewColumn *column_patient_id;
  GtkColumnViewColumn *column_age_sex;
  GtkColumnViewColumn *column_modality;
  GtkColumnViewColumn *column_description;
  GtkColumnViewColumn *column_date;
  GtkColumnViewColumn *column_accession;
  GtkColumnViewColumn *column_images;
  GtkColumnViewColumn *column_cache;

  LbApplication *app;
  GSettings *settings;

  LbWorklist *worklist;
  LbWorklistFilter *filter;
  GtkFilter *gtk_filter;
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  LbRowSlots *slots;                /* the rows shown, over filtered */
  GtkSingleSelection *selection;
  char *last_opened;

  GListStore *servers;              /* LbServerConfig */
  LbDicomwebClient *client;
  guint generation;         /* of connect_current(), to drop stale keyring answers */
  gboolean restoring;
  guint ahead_source;           /* read the selected study ahead when the selection rests */
  guint filter_day;             /* today() when the filters were last applied */

  /* GTK 4.8 cannot say which column the view sorts by: each column's sorter notes
   * when it is asked first during a probe compare (see remember_sort()). */
  gboolean probing;
  const char *probed_column;
};

enum {
  PROP_0,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  OPEN_STUDY,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LbWorklistPage, lb_worklist_page, GTK_TYPE_WIDGET)

static void
lb_worklist_page_dispose (GObject *object)
{
  LbWorklistPage *self = LB_WORKLIST_PAGE (object);

  g_clear_handle_id (&self->ahead_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_WORKLIST_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  if (self->worklist != NULL)
    g_signal_handlers_disconnect_by_data (self->worklist, self);
  g_clear_object (&self->worklist);
  g_clear_object (&self->client);
  g_clear_object (&self->servers);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lb_worklist_page_parent_class)->dispose (object);
}

static void
lb_worklist_page_finalize (GObject *object)
{
  LbWorklistPage *self = LB_WORKLIST_PAGE (object);

  g_clear_pointer (&self->filter, lb_worklist_filter_free);
  g_free (self->last_opened);

  G_OBJECT_CLASS (lb_worklist_page_parent_class)->finalize (object);
}

static void
lb_worklist_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbWorklistPage *self = LB_WORKLIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_OFFLINE:
      g_value_set_boolean (value, lb_worklist_page_get_offline (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ---- rows shown ---------------------------------------------------------------- */

static void
update_count (LbWorklistPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  g_autofree char *text = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%u of %u study", "%u of %u studies", total), shown, total);

  gtk_label_set_label (self->count, text);
  if (self->client == NULL && lb_application_get_store (self->app) == NULL && total == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-archive");
  else if (shown == 0 && total > 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

/* ---- reading ahead -------------------------------------------------------------- */

/* Walking the rows with the arrows reads nothing; a row the selection stays on for this
 * long has its study's first image read before Enter. */
#define READ_AHEAD_DELAY_MS 100

static gboolean
read_ahead (gpointer data)
{
  LbWorklistPage *self = data;

  self->ahead_source = 0;
  if (self->worklist == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return G_SOURCE_REMOVE;

  /* The selection is of row slots: the study is the filtered item at its position. */
  guint position = gtk_single_selection_get_selected (self->selection);
  g_autoptr (LbWorklistItem) item = position != GTK_INVALID_LIST_POSITION
    ? g_list_model_get_item (G_LIST_MODEL (self->filtered), position) : NULL;
  lb_worklist_read_ahead (self->worklist, item, lb_application_get_frame_cache (self->app));
  return G_SOURCE_REMOVE;
}

static void
schedule_read_ahead (LbWorklistPage *self)
{
  g_clear_handle_id (&self->ahead_source, g_source_remove);
  self->ahead_source = g_timeout_add (READ_AHEAD_DELAY_MS, read_ahead, self);
}

static void
on_selection_changed (GtkSingleSelection *selection, GParamSpec *pspec, LbWorklistPage *self)
{
  schedule_read_ahead (self);
}

static void
on_shown_changed (GListModel *model, guint position, guint removed, guint added,
                  LbWorklistPage *self)
{
  update_count (self);
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION &&
      g_list_model_get_n_items (model) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  /* Another study may now be in the selected row. */
  schedule_read_ahead (self);
}

static gboolean
filter_item (gpointer item, gpointer data)
{
  LbWorklistPage *self = data;
  return lb_worklist_filter_match (self->filter, item);
}

static guint
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y%m%d");
  return lb_date_to_day (date);
}

/* "2024-03-01" or "20240301" as a day number; 0 when empty or not a date. */
static guint
parse_day (const char *text)
{
  g_autoptr (GString) digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return lb_date_to_day (digits->str);
}

/* The modality chosen, or NULL for all. */
static const char *
chosen_modality (LbWorklistPage *self)
{
  guint modality = gtk_drop_down_get_selected (self->modality_filter);
  return modality > 0 && modality != GTK_INVALID_LIST_POSITION
    ? gtk_string_list_get_string (self->modalities, modality) : NULL;
}

static void
apply_filters (LbWorklistPage *self)
{
  guint date = gtk_drop_down_get_selected (self->date_filter);
  gboolean range = date == LB_DATE_FILTER_RANGE;

  gtk_widget_set_visible (GTK_WIDGET (self->date_from), range);
  gtk_widget_set_visible (GTK_WIDGET (self->date_to), range);
  self->filter_day = today ();
  lb_worklist_filter_set_date (self->filter, date, self->filter_day,
                               parse_day (gtk_editable_get_text (GTK_EDITABLE (self->date_from))),
                               parse_day (gtk_editable_get_text (GTK_EDITABLE (self->date_to))));
  lb_worklist_filter_set_modality (self->filter, chosen_modality (self));
  lb_worklist_filter_set_status (self->filter, gtk_drop_down_get_selected (self->status_filter));
  gtk_filter_changed (self->gtk_filter, GTK_FILTER_CHANGE_DIFFERENT);
}

/* What the reader chose is remembered; what the page set itself is not written back. */
static void
save_filters (LbWorklistPage *self)
{
  guint date = gtk_drop_down_get_selected (self->date_filter);
  const char *name = chosen_modality (self);

  g_settings_set_string (self->settings, "worklist-date-filter",
                         (const char *[]) { "all", "today", "yesterday", "week", "range" }[MIN (date, 4)]);
  g_settings_set_string (self->settings, "worklist-date-from",
                         gtk_editable_get_text (GTK_EDITABLE (self->date_from)));
  g_settings_set_string (self->settings, "worklist-date-to",
                         gtk_editable_get_text (GTK_EDITABLE (self->date_to)));
  g_settings_set_string (self->settings, "worklist-modality", name != NULL ? name : "");
  g_settings_set_string (self->settings, "worklist-status",
                         (const char *[]) { "all", "unread", "open", "reported" }[
                           MIN (gtk_drop_down_get_selected (self->status_filter), 3)]);
}

static void
on_filter_widget_changed (GObject *widget, GParamSpec *pspec, LbWorklistPage *self)
{
  apply_filters (self);
  if (!self->restoring)
    save_filters (self);
}

static void
on_search_changed (GtkSearchEntry *entry, LbWorklistPage *self)
{
  gboolean narrower = lb_worklist_filter_set_text (self->filter,
                                                   gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_filter_changed (self->gtk_filter, narrower ? GTK_FILTER_CHANGE_MORE_STRICT
                                                 : GTK_FILTER_CHANGE_DIFFERENT);
}

static guint
index_of (const char *const *names, const char *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

static void
update_modalities (LbWorklistPage *self)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *wanted = g_settings_get_string (self->settings, "worklist-modality");

  GListModel *items = gtk_sort_list_model_get_model (self->sorted);
  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr (LbWorklistItem) item = g_list_model_get_item (items, i);
      const char *const *modalities = lb_study_get_modalities (lb_worklist_item_get_study (item));
      for (guint k = 0; modalities[k] != NULL; k++)
        g_hash_table_add (seen, (gpointer) g_intern_string (modalities[k]));
    }
  if (*wanted != '\0')
    g_hash_table_add (seen, (gpointer) g_intern_string (wanted));

  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (seen, NULL);
  guint n = g_strv_length ((char **) names);
  qsort (names, n, sizeof *names, (GCompareFunc) g_strcmp0);
  g_auto (GStrv) with_all = g_new0 (char *, n + 2);
  with_all[0] = g_strdup (_("All modalities"));
  for (guint i = 0; i < n; i++)
    with_all[i + 1] = g_strdup (names[i]);

  /* The list changes with every refresh of the worklist; the choices seldom do. */
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->modalities));
  gboolean same = old == n + 1;
  for (guint i = 1; same && i <= n; i++)
    same = g_strcmp0 (gtk_string_list_get_string (self->modalities, i), with_all[i]) == 0;
  if (same)
    return;

  self->restoring = TRUE;
  gtk_string_list_splice (self->modalities, 0, old, (const char *const *) with_all);
  gtk_drop_down_set_selected (self->modality_filter,
                              *wanted != '\0' ? index_of ((const char *const *) with_all, wanted) : 0);
  self->restoring = FALSE;
  apply_filters (self);
}

/* ---- cells --------------------------------------------------------------------- */

/* Cells are made in code, not from GtkBuilder text: a keystroke that changes the rows
 * shown makes a screenful of new ones, and parsing ten templates a row costs more than a
 * frame. */
typedef struct
{
  const char *property;     /* of LbWorklistItem */
  float xalign;
} TextColumn;

static void
setup_text (GtkSignalListItemFactory *factory, GtkListItem *list_item, TextColumn *column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column->xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

/* Cells show @property of their row's slot's item, and follow both the slot being
 * pointed at another item and the item's property changing. */
static GtkExpression *
item_property (const char *property)
{
  return gtk_property_expression_new (LB_TYPE_WORKLIST_ITEM,
                                      gtk_property_expression_new (LB_TYPE_ROW_SLOT, NULL, "item"),
                                      property);
}

static void
drop_watch (GtkExpressionWatch *watch)
{
  gtk_expression_watch_unwatch (watch);
  gtk_expression_watch_unref (watch);
}

static void
watch (GtkListItem *list_item, const char *key, GtkExpression *expression, GtkWidget *target,
       const char *property)
{
  GtkExpressionWatch *watch = gtk_expression_bind (expression, target, property,
                                                   gtk_list_item_get_item (list_item));

  g_object_set_data_full (G_OBJECT (list_item), key, gtk_expression_watch_ref (watch),
                          (GDestroyNotify) drop_watch);
}

static void
bind_text (GtkSignalListItemFactory *factory, GtkListItem *list_item, TextColumn *column)
{
  watch (list_item, "lb-label", item_property (column->property),
         gtk_list_item_get_child (list_item), "label");
}

static void
unbind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer column)
{
  g_object_set_data (G_OBJECT (list_item), "lb-label", NULL);
  g_object_set_data (G_OBJECT (list_item), "lb-classes", NULL);
  g_object_set_data (G_OBJECT (list_item), "lb-bar", NULL);
  g_object_set_data (G_OBJECT (list_item), "lb-bar-shown", NULL);
}

static void
set_text_factory (GtkColumnViewColumn *column, const char *property, float xalign)
{
  TextColumn *text = g_new0 (TextColumn, 1);
  text->property = property;
  text->xalign = xalign;

  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_text), text);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text), text);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), text);
  /* The column text lives as long as the factory. */
  g_object_set_data_full (G_OBJECT (factory), "lb-column", text, g_free);
  gtk_column_view_column_set_factory (column, factory);
  g_object_unref (factory);
}

static void
setup_cache (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *bar = gtk_level_bar_new ();

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_list_item_set_child (list_item, box);
}

static gboolean
bar_shown (gpointer this, LbCacheState state)
{
  return state == LB_CACHE_STATE_FETCHING || state == LB_CACHE_STATE_PARTIAL;
}

static void
bind_cache (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *bar = gtk_widget_get_last_child (box);
  GtkExpression *state = item_property ("cache-state");

  watch (list_item, "lb-label", item_property ("cache-label"), gtk_widget_get_first_child (box),
         "label");
  watch (list_item, "lb-bar", item_property ("cache-progress"), bar, "value");
  watch (list_item, "lb-bar-shown",
         gtk_cclosure_expression_new (G_TYPE_BOOLEAN, NULL, 1, &state, G_CALLBACK (bar_shown),
                                      NULL, NULL),
         bar, "visible");
}

/* Urgent studies stand out in colour, not only in words. */
static GStrv
priority_classes (gpointer this, int priority)
{
  const char *classes[] = { NULL, NULL };

  if (priority == LB_PRIORITY_STAT)
    classes[0] = "lb-stat";
  else if (priority == LB_PRIORITY_HIGH)
    classes[0] = "lb-high";
  return g_strdupv ((char **) classes);
}

static void
bind_priority (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
  GtkExpression *priority = item_property ("priority");

  watch (list_item, "lb-label", item_property ("priority-label"),
         gtk_list_item_get_child (list_item), "label");
  watch (list_item, "lb-classes",
         gtk_cclosure_expression_new (G_TYPE_STRV, NULL, 1, &priority,
                                      G_CALLBACK (priority_classes), NULL, NULL),
         gtk_list_item_get_child (list_item), "css-classes");
}

static void
set_cell_factories (LbWorklistPage *self)
{
  static TextColumn priority_text = { "priority-label", 0 };

  set_text_factory (self->column_status, "status-label", 0);

  GtkListItemFactory *priority = gtk_signal_list_item_factory_new ();
  g_signal_connect (priority, "setup", G_CALLBACK (setup_text), &priority_text);
  g_signal_connect (priority, "bind", G_CALLBACK (bind_priority), NULL);
  g_signal_connect (priority, "unbind", G_CALLBACK (unbind_cell), NULL);
  gtk_column_view_column_set_factory (self->column_priority, priority);
  g_object_unref (priority);

  set_text_factory (self->column_patient, "patient-name", 0);
  set_text_factory (self->column_patient_id, "patient-id", 0);
  set_text_factory (self->column_age_sex, "age-sex", 0);
  set_text_factory (self->column_modality, "modalities", 0);
  set_text_factory (self->column_description, "description", 0);
  set_text_factory (self->column_date, "date-time", 0);
  set_text_factory (self->column_accession, "accession", 0);
  set_text_factory (self->column_images, "images-label", 1);

  GtkListItemFactory *cache = gtk_signal_list_item_factory_new ();
  g_signal_connect (cache, "setup", G_CALLBACK (setup_cache), NULL);
  g_signal_connect (cache, "bind", G_CALLBACK (bind_cache), NULL);
  g_signal_connect (cache, "unbind", G_CALLBACK (unbind_cell), NULL);
  gtk_column_view_column_set_factory (self->column_cache, cache);
  g_object_unref (cache);
}

/* ---- sorting ------------------------------------------------------------------- */

typedef struct
{
  LbWorklistPage *page;
  const char *name;
  GCompareDataFunc compare;
} ColumnSort;

static int
compare_strings (const char *a, const char *b)
{
  /* Blanks last, whatever the direction would make of them: they carry nothing. */
  if (*a == '\0' || *b == '\0')
    return (*a == '\0') - (*b == '\0');
  return g_utf8_collate (a, b);
}

static int
compare_numbers (gint64 a, gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

#define STRING_COMPARE(name, getter)                                         \
  static int name (gconstpointer a, gconstpointer b, gpointer data)          \
  {                                                                          \
    return compare_strings (getter ((gpointer) a), getter ((gpointer) b));   \
  }
#define NUMBER_COMPARE(name, getter)                                         \
  static int name (gconstpointer a, gconstpointer b, gpointer data)          \
  {                                                                          \
    return compare_numbers (getter ((gpointer) a), getter ((gpointer) b));   \
  }

/* Ascending is the order of reading: most urgent first, and among equals the one that
 * has waited longest. */
static int
compare_priority (gconstpointer a, gconstpointer b, gpointer data)
{
  int by_priority = compare_numbers (lb_worklist_item_get_priority ((gpointer) b),
                                     lb_worklist_item_get_priority ((gpointer) a));

  if (by_priority != 0)
    return by_priority;

  gint64 when_a = lb_worklist_item_get_when ((gpointer) a);
  gint64 when_b = lb_worklist_item_get_when ((gpointer) b);
  /* A study without a date has not waited longest: it goes after the dated ones. */
  if (when_a == 0 || when_b == 0)
    return (when_a == 0) - (when_b == 0);
  return compare_numbers (when_a, when_b);
}

STRING_COMPARE (compare_patient, lb_worklist_item_get_patient_name)
STRING_COMPARE (compare_patient_id, lb_worklist_item_get_patient_id)
STRING_COMPARE (compare_age_sex, lb_worklist_item_get_age_sex)
STRING_COMPARE (compare_modality, lb_worklist_item_get_modalities)
STRING_COMPARE (compare_description, lb_worklist_item_get_description)
STRING_COMPARE (compare_accession, lb_worklist_item_get_accession)
NUMBER_COMPARE (compare_status, lb_worklist_item_get_status)
NUMBER_COMPARE (compare_date, lb_worklist_item_get_when)
NUMBER_COMPARE (compare_images, lb_worklist_item_get_images)

static int
compare_cache (gconstpointer a, gconstpointer b, gpointer data)
{
  return compare_numbers ((gint64) (lb_worklist_item_get_cache_progress ((gpointer) a) * 1000),
                          (gint64) (lb_worklist_item_get_cache_progress ((gpointer) b) * 1000));
}

#undef STRING_COMPARE
#undef NUMBER_COMPARE

static int
column_compare (gconstpointer a, gconstpointer b, gpointer data)
{
  ColumnSort *sort = data;

  if (sort->page->probing)
    {
      if (sort->page->probed_column == NULL)
        sort->page->probed_column = sort->name;
      return GTK_ORDERING_SMALLER;
    }
  return sort->compare (a, b, NULL);
}

static GtkColumnViewColumn *
column_named (LbWorklistPage *self, const char *name)
{
  struct { const char *name; GtkColumnViewColumn *column; } columns[] = {
    { "status", self->column_status }, { "priority", self->column_priority },
    { "patient", self->column_patient },
    { "patient-id", self->column_patient_id }, { "age-sex", self->column_age_sex },
    { "modality", self->column_modality }, { "description", self->column_description },
    { "date", self->column_date }, { "accession", self->column_accession },
    { "images", self->column_images }, { "cache", self->column_cache },
  };
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (g_str_equal (columns[i].name, name))
      return columns[i].column;
  return NULL;
}

static void
set_column_sort (LbWorklistPage *self, const char *name, GCompareDataFunc compare)
{
  ColumnSort *sort = g_new0 (ColumnSort, 1);
  sort->page = self;
  sort->name = name;
  sort->compare = compare;

  g_autoptr (GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (column_compare, sort, g_free));
  gtk_column_view_column_set_sorter (column_named (self, name), sorter);
}

/* Which column sorts, and which way: the view's sorter compares two rows, and the first
 * column sorter it asks (the primary one) answers "smaller" and notes its name; the
 * view's answer then tells the direction. */
static void
remember_sort (LbWorklistPage *self)
{
  GListModel *items = gtk_sort_list_model_get_model (self->sorted);

  if (self->restoring || items == NULL || g_list_model_get_n_items (items) < 1)
    return;
  g_autoptr (GObject) item = g_list_model_get_item (items, 0);
  self->probing = TRUE;
  self->probed_column = NULL;
  GtkOrdering order = gtk_sorter_compare (gtk_column_view_get_sorter (self->view), item, item);
  self->probing = FALSE;

  g_settings_set_string (self->settings, "worklist-sort",
                         self->probed_column != NULL ? self->probed_column : "");
  g_settings_set_boolean (self->settings, "worklist-sort-descending",
                          order == GTK_ORDERING_LARGER);
}

static void
on_sorter_changed (GtkSorter *sorter, GtkSorterChange change, LbWorklistPage *self)
{
  remember_sort (self);
}

static void
restore_sort (LbWorklistPage *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "worklist-sort");
  GtkColumnViewColumn *column = *name != '\0' ? column_named (self, name) : NULL;

  self->restoring = TRUE;
  gtk_column_view_sort_by_column (self->view, column,
                                  g_settings_get_boolean (self->settings, "worklist-sort-descending")
                                    ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->restoring = FALSE;
}

/* ---- the archive --------------------------------------------------------------- */

static void
on_offline_changed (LbWorklist *worklist, GParamSpec *pspec, LbWorklistPage *self)
{
  if (lb_worklist_get_offline (worklist))
    g_message ("worklist: %s", lb_worklist_get_last_error (worklist));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OFFLINE]);
}

static void
on_rows_changed (GListModel *rows, guint position, guint removed, guint added,
                 LbWorklistPage *self)
{
  /* Refreshes replace every row: modalities seen may change, and "today" may be
   * another day than when the filter was set. */
  if (removed != added || position == 0)
    update_modalities (self);
  if (self->filter_day != today ())
    apply_filters (self);
}

void
lb_worklist_page_set_items (LbWorklistPage *self, GListModel *items)
{
  g_return_if_fail (LB_IS_WORKLIST_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (items));

  GListModel *old = gtk_sort_list_model_get_model (self->sorted);
  if (old != NULL)
    g_signal_handlers_disconnect_by_func (old, on_rows_changed, self);
  gtk_sort_list_model_set_model (self->sorted, items);
  g_signal_connect_object (items, "items-changed", G_CALLBACK (on_rows_changed), self, 0);
  update_modalities (self);
  update_count (self);
}

void
lb_worklist_page_refresh (LbWorklistPage *self)
{
  g_return_if_fail (LB_IS_WORKLIST_PAGE (self));

  if (self->worklist != NULL)
    lb_worklist_refresh (self->worklist);
  update_count (self);
}

static void
on_prefetch_count (GSettings *settings, const char *key, LbWorklistPage *self)
{
  if (self->worklist != NULL)
    lb_worklist_set_prefetch_count (self->worklist, g_settings_get_uint (settings, key));
}

/* The worklist of @server (NULL: the store's studies alone), with what the store
 * knows. */
static void
use_server (LbWorklistPage *self, LbServer *server)
{
  g_clear_object (&self->client);
  if (server != NULL)
    self->client = lb_dicomweb_client_new (server);

  if (self->worklist != NULL)
    g_signal_handlers_disconnect_by_data (self->worklist, self);
  g_clear_object (&self->worklist);
  self->worklist = lb_worklist_new (lb_application_get_store (self->app), self->client);
  g_signal_connect (self->worklist, "notify::offline", G_CALLBACK (on_offline_changed), self);
  lb_worklist_set_prefetch_count (self->worklist,
                                  g_settings_get_uint (self->settings, "prefetch-count"));
  lb_worklist_page_set_items (self, lb_worklist_get_items (self->worklist));
  /* The reader works down the rows as shown: studies are fetched ahead in that order. */
  lb_worklist_set_shown (self->worklist, G_LIST_MODEL (self->filtered));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OFFLINE]);
  lb_worklist_page_refresh (self);
}

typedef struct
{
  LbWorklistPage *self;
  LbServerConfig *config;
  guint generation;
} Lookup;

static void
on_secret (GObject *source, GAsyncResult *result, gpointer data)
{
  Lookup *lookup = data;
  LbWorklistPage *self = lookup->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = lb_secrets_lookup_finish (result, &error);

  if (lookup->generation == self->generation)
    {
      if (error != NULL)
        {
          g_autoptr (GError) reason = g_error_new (
            G_IO_ERROR, G_IO_ERROR_FAILED,
            _("The password of “%s” could not be read from the keyring: %s"),
            lb_server_config_get_name (lookup->config), error->message);
          g_signal_emit (self, signals[ERROR], 0, reason);
        }
      g_autoptr (LbServer) server = lb_server_config_make_server (lookup->config, secret, &error);
      if (server == NULL && error != NULL)
        g_signal_emit (self, signals[ERROR], 0, error);
      use_server (self, server);
    }
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_object_unref (lookup->self);
  g_object_unref (lookup->config);
  g_free (lookup);
}

/* The archive chosen in the switcher: the --server of this run first, then those of the
 * preferences, whose password or token comes from the keyring. */
static void
connect_current (LbWorklistPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->server_switcher);
  const char *override = lb_application_get_server_override (self->app);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbServer) server = NULL;

  self->generation++;
  if (override != NULL && selected == 0)
    server = lb_server_new (override, &error);
  else if (selected != GTK_INVALID_LIST_POSITION)
    {
      guint index = selected - (override != NULL ? 1 : 0);
      g_autoptr (LbServerConfig) config = g_list_model_get_item (G_LIST_MODEL (self->servers), index);
      if (config != NULL)
        {
          if (!self->restoring)
            g_settings_set_string (self->settings, "current-server",
                                   lb_server_config_get_name (config));
          if (lb_server_config_get_auth (config) != LB_HTTP_AUTH_NONE)
            {
              Lookup *lookup = g_new0 (Lookup, 1);
              lookup->self = g_object_ref (self);
              lookup->config = g_object_ref (config);
              lookup->generation = self->generation;
              lb_secrets_lookup_async (lb_server_config_get_url (config),
                                       lb_server_config_get_user (config), NULL, on_secret,
                                       lookup);
              return;
            }
          server = lb_server_config_make_server (config, NULL, &error);
        }
    }
  if (server == NULL && error != NULL)
    g_signal_emit (self, signals[ERROR], 0, error);
  use_server (self, server);
}

static void
on_server_selected (GtkDropDown *switcher, GParamSpec *pspec, LbWorklistPage *self)
{
  if (!self->restoring)
    connect_current (self);
}

static void
on_store_ready (LbApplication *app, GParamSpec *pspec, LbWorklistPage *self)
{
  connect_current (self);
}

static void
load_servers (LbWorklistPage *self)
{
  const char *override = lb_application_get_server_override (self->app);
  g_autofree char *current = g_settings_get_string (self->settings, "current-server");
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  guint selected = 0;

  g_clear_object (&self->servers);
  self->servers = lb_server_config_load_all (self->settings);
  if (override != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbServer) server = lb_server_new (override, &error);
      g_strv_builder_add (names, server != NULL ? lb_server_get_origin (server) : override);
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->servers)); i++)
    {
      g_autoptr (LbServerConfig) config = g_list_model_get_item (G_LIST_MODEL (self->servers), i);
      g_strv_builder_add (names, lb_server_config_get_name (config));
      if (override == NULL && g_str_equal (current, lb_server_config_get_name (config)))
        selected = i;
    }
  g_auto (GStrv) list = g_strv_builder_end (names);

  self->restoring = TRUE;
  gtk_string_list_splice (self->server_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->server_names)),
                          (const char *const *) list);
  gtk_drop_down_set_selected (self->server_switcher, list[0] != NULL ? selected
                                                                     : GTK_INVALID_LIST_POSITION);
  gtk_widget_set_visible (GTK_WIDGET (self->server_switcher), g_strv_length (list) > 1);
  self->restoring = FALSE;
  connect_current (self);
}

static void
on_servers_changed (GSettings *settings, const char *key, LbWorklistPage *self)
{
  load_servers (self);
}

/* ---- opening ------------------------------------------------------------------- */

static void
on_study_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (LbWorklistPage) self = data;
  g_autoptr (GError) error = NULL;

  if (!lb_worklist_open_study_finish (LB_WORKLIST (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[ERROR], 0, error);
}

LbLoadedStudy *
lb_worklist_page_load_study (LbWorklistPage *self, LbWorklistItem *item, GCancellable *cancellable)
{
  g_return_val_if_fail (LB_IS_WORKLIST_PAGE (self), NULL);
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (item), NULL);

  lb_worklist_page_close_study (self);
  g_free (self->last_opened);
  self->last_opened = g_strdup (lb_worklist_item_get_study_instance_uid (item));
  return lb_worklist_open_study (self->worklist, item, lb_application_get_frame_cache (self->app),
                                 cancellable, on_study_loaded, g_object_ref (self));
}

void
lb_worklist_page_close_study (LbWorklistPage *self)
{
  g_return_if_fail (LB_IS_WORKLIST_PAGE (self));

  if (self->last_opened != NULL && self->worklist != NULL)
    lb_worklist_close_study (self->worklist, self->last_opened);
}

static void
on_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (LbWorklistPage) self = data;
  g_auto (LbImportSummary) summary = { 0 };
  g_autoptr (GError) error = NULL;

  if (!lb_store_import_finish (LB_STORE (source), result, &summary, &error))
    g_signal_emit (self, signals[ERROR], 0, error);
}

void
lb_worklist_page_import (LbWorklistPage *self, const char *const *paths)
{
  g_return_if_fail (LB_IS_WORKLIST_PAGE (self));

  LbStore *store = lb_application_get_store (self->app);
  if (store == NULL)
    return;
  for (guint i = 0; paths[i] != NULL; i++)
    lb_store_import_async (store, paths[i], NULL, on_imported, g_object_ref (self));
}

static void
open_position (LbWorklistPage *self, guint position)
{
  g_autoptr (LbWorklistItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  g_signal_emit (self, signals[OPEN_STUDY], 0, item);
}

static void
on_view_activate (GtkColumnView *view, guint position, LbWorklistPage *self)
{
  open_position (self, position);
}

static void
on_search_activate (GtkSearchEntry *entry, LbWorklistPage *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (selected != GTK_INVALID_LIST_POSITION)
    open_position (self, selected);
}

gboolean
lb_worklist_page_open_adjacent (LbWorklistPage *self, int delta)
{
  g_return_val_if_fail (LB_IS_WORKLIST_PAGE (self), FALSE);

  GListModel *shown = G_LIST_MODEL (self->filtered);
  guint n = g_list_model_get_n_items (shown);
  gint64 at = -1;
  for (guint i = 0; i < n && self->last_opened != NULL; i++)
    {
      g_autoptr (LbWorklistItem) item = g_list_model_get_item (shown, i);
      if (g_strcmp0 (lb_worklist_item_get_study_instance_uid (item), self->last_opened) == 0)
        {
          at = i;
          break;
        }
    }
  if (at < 0)
    at = delta > 0 ? -1 : (gint64) n;
  at += delta;
  if (at < 0 || at >= n)
    return FALSE;
  open_position (self, (guint) at);
  return TRUE;
}

/* ---- keyboard ------------------------------------------------------------------ */

/* GTK 4.8's column view has no scroll_to(); its list of rows has the action. */
static void
scroll_to (LbWorklistPage *self, guint position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static gboolean
on_search_key (GtkEventControllerKey *controller, guint keyval, guint keycode,
               GdkModifierType state, LbWorklistPage *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  /* Up and Down walk the rows while the search keeps the focus, so typing and choosing
   * go together. */
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_Up) && n > 0)
    {
      if (selected == GTK_INVALID_LIST_POSITION)
        selected = 0;
      else if (keyval == GDK_KEY_Down && selected + 1 < n)
        selected++;
      else if (keyval == GDK_KEY_Up && selected > 0)
        selected--;
      gtk_single_selection_set_selected (self->selection, selected);
      scroll_to (self, selected);
      return TRUE;
    }
  return FALSE;
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_worklist_page_focus (LB_WORKLIST_PAGE (widget));
}

static void
refresh_action (GtkWidget *widget, const char *name, GVariant *param)
{
  lb_worklist_page_refresh (LB_WORKLIST_PAGE (widget));
}

/* Back from reading: the row selected is likely the next one opened. */
static void
lb_worklist_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lb_worklist_page_parent_class)->map (widget);
  schedule_read_ahead (LB_WORKLIST_PAGE (widget));
}

/* ---- the type ------------------------------------------------------------------ */

static void
lb_worklist_page_class_init (LbWorklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_worklist_page_dispose;
  object_class->finalize = lb_worklist_page_finalize;
  object_class->get_property = lb_worklist_page_get_property;
  widget_class->map = lb_worklist_page_map;

  props[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                              G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[OPEN_STUDY] = g_signal_new ("open-study", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, LB_TYPE_WORKLIST_ITEM);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (LB_TYPE_WORKLIST_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lightboxrad/Lightbox/lb-worklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, server_switcher);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, server_names);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, search);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, date_filter);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, date_from);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, date_to);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, modality_filter);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, modalities);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, count);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, view);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_status);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_priority);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_patient);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_patient_id);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_age_sex);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_modality);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_description);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_date);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_accession);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_images);
  gtk_widget_class_bind_template_child (widget_class, LbWorklistPage, column_cache);
  gtk_widget_class_bind_template_callback (widget_class, on_view_activate);

  gtk_widget_class_install_action (widget_class, "worklist.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "worklist.refresh", NULL, refresh_action);
  gtk_widget_class_set_css_name (widget_class, "lb-worklist-page");
}

static void
lb_worklist_page_init (LbWorklistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = lb_worklist_filter_new ();
  self->gtk_filter = GTK_FILTER (gtk_custom_filter_new (filter_item, self, NULL));
  /* Sorted first, filtered last: a keystroke only filters the rows again (and narrowing
   * only looks at the rows shown), it never sorts 10,000 rows. */
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (self->view)));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              self->gtk_filter);
  self->slots = lb_row_slots_new (G_LIST_MODEL (self->filtered));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->slots)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->filtered, "items-changed", G_CALLBACK (on_shown_changed), self);

  set_cell_factories (self);
  set_column_sort (self, "status", compare_status);
  set_column_sort (self, "priority", compare_priority);
  set_column_sort (self, "patient", compare_patient);
  set_column_sort (self, "patient-id", compare_patient_id);
  set_column_sort (self, "age-sex", compare_age_sex);
  set_column_sort (self, "modality", compare_modality);
  set_column_sort (self, "description", compare_description);
  set_column_sort (self, "date", compare_date);
  set_column_sort (self, "accession", compare_accession);
  set_column_sort (self, "images", compare_images);
  set_column_sort (self, "cache", compare_cache);

  gtk_search_entry_set_key_capture_widget (self->search, GTK_WIDGET (self));
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect (self->search, "activate", G_CALLBACK (on_search_activate), self);
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), keys);
  /* Typing should not wait for a pause: the filter keeps up with every key. */
  gtk_search_entry_set_search_delay (self->search, 0);
}

static void
restore_filters (LbWorklistPage *self)
{
  static const char *const dates[] = { "all", "today", "yesterday", "week", "range", NULL };
  static const char *const statuses[] = { "all", "unread", "open", "reported", NULL };
  g_autofree char *date = g_settings_get_string (self->settings, "worklist-date-filter");
  g_autofree char *from = g_settings_get_string (self->settings, "worklist-date-from");
  g_autofree char *to = g_settings_get_string (self->settings, "worklist-date-to");
  g_autofree char *status = g_settings_get_string (self->settings, "worklist-status");

  self->restoring = TRUE;
  gtk_drop_down_set_selected (self->date_filter, index_of (dates, date));
  gtk_editable_set_text (GTK_EDITABLE (self->date_from), from);
  gtk_editable_set_text (GTK_EDITABLE (self->date_to), to);
  gtk_drop_down_set_selected (self->status_filter, index_of (statuses, status));
  self->restoring = FALSE;
  update_modalities (self);
  apply_filters (self);
}

LbWorklistPage *
lb_worklist_page_new (LbApplication *app)
{
  g_return_val_if_fail (LB_IS_APPLICATION (app), NULL);

  LbWorklistPage *self = g_object_new (LB_TYPE_WORKLIST_PAGE, NULL);
  self->app = app;
  self->settings = g_object_ref (lb_application_get_settings (app));

  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  lb_keymap_attach (lb_application_get_keymap (app), GTK_SHORTCUT_CONTROLLER (shortcuts),
                    LB_KEYMAP_SCOPE_WORKLIST);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  restore_filters (self);
  restore_sort (self);
  g_signal_connect_object (gtk_column_view_get_sorter (self->view), "changed",
                           G_CALLBACK (on_sorter_changed), self, 0);
  g_signal_connect_object (self->date_filter, "notify::selected",
                           G_CALLBACK (on_filter_widget_changed), self, 0);
  g_signal_connect_object (self->modality_filter, "notify::selected",
                           G_CALLBACK (on_filter_widget_changed), self, 0);
  g_signal_connect_object (self->status_filter, "notify::selected",
                           G_CALLBACK (on_filter_widget_changed), self, 0);
  g_signal_connect_object (self->date_from, "notify::text", G_CALLBACK (on_filter_widget_changed),
                           self, 0);
  g_signal_connect_object (self->date_to, "notify::text", G_CALLBACK (on_filter_widget_changed),
                           self, 0);
  g_signal_connect_object (self->server_switcher, "notify::selected",
                           G_CALLBACK (on_server_selected), self, 0);
  g_signal_connect_object (self->settings, "changed::servers", G_CALLBACK (on_servers_changed),
                           self, 0);
  g_signal_connect_object (self->settings, "changed::prefetch-count",
                           G_CALLBACK (on_prefetch_count), self, 0);
  g_signal_connect_object (app, "notify::store", G_CALLBACK (on_store_ready), self, 0);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selection_changed), self, 0);
  load_servers (self);
  return self;
}

void
lb_worklist_page_focus (LbWorklistPage *self)
{
  g_return_if_fail (LB_IS_WORKLIST_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

gboolean
lb_worklist_page_get_offline (LbWorklistPage *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_PAGE (self), FALSE);
  return self->worklist != NULL && lb_worklist_get_offline (self->worklist);
}

const char *
lb_worklist_page_get_offline_reason (LbWorklistPage *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_PAGE (self), NULL);
  return lb_worklist_page_get_offline (self) ? lb_worklist_get_last_error (self->worklist) : NULL;
}

GListModel *
lb_worklist_page_get_shown (LbWorklistPage *self)
{
  g_return_val_if_fail (LB_IS_WORKLIST_PAGE (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
lb_worklist_page_set_search (LbWorklistPage *self, const char *text)
{
  g_return_if_fail (LB_IS_WORKLIST_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search), text);
  on_search_changed (self->search, self);
}
