/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Searching a worklist of 10,000 studies as the reader types: the real LbWorklistPage in a
 * window, one keystroke at a time ("doe john", then erased), each timed three ways: the
 * filter alone (LbWorklistFilter in a GtkFilterListModel over the same rows, as the page
 * uses them), the page taking the keystroke (filter, and the column view making rows for
 * what comes into view), and from when the key was due until the frame that shows the
 * result has been drawn.  Keys come 100 ms after the frame of the key before, as a quick
 * typist's do, so work a keystroke leaves for later counts against the next one.  Run it
 * under Xvfb with GSK_RENDERER=cairo (bench/README.md).
 *
 *   bench-worklist [--studies N]
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "lb-application.h"
#include "lb-memory.h"
#include "lb-worklist-filter.h"
#include "lb-worklist-page.h"

static const char *const families[] = { "DOE", "SMITH", "MÜLLER", "GARCIA", "NGUYEN", "ROSSI",
                                        "KOWALSKI", "JOHANSSON", "DUBOIS", "TANAKA" };
static const char *const givens[] = { "JOHN", "JANE", "ANNA", "LUCA", "OMAR", "MEI", "ERIK",
                                      "SARA", "PAUL", "INES" };
static const char *const descriptions[] = { "CT CHEST WITH CONTRAST", "MR BRAIN", "CR CHEST PA",
                                            "CT ABDOMEN PELVIS", "US LIVER", "MG SCREENING" };
static const char *const modalities[] = { "CT", "MR", "CR", "CT", "US", "MG" };

static LbWorklistItem *
make_item (guint i)
{
  g_autofree char *json = g_strdup_printf (
    "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.826.0.1.%u\"]},"
    "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"%s^%s\"}]},"
    "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID%06u\"]},"
    "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"ACC%07u\"]},"
    "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"%s\"]},"
    "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"2024%02u%02u\"]},"
    "\"00080030\":{\"vr\":\"TM\",\"Value\":[\"%02u%02u00\"]},"
    "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"%s\"]},"
    "\"00201208\":{\"vr\":\"IS\",\"Value\":[%u]}}",
    i, families[i % 10], givens[(i / 10) % 10], i * 7919 % 1000000, i, descriptions[i % 6],
    1 + i % 12, 1 + i % 28, i % 24, i % 60, modalities[i % 6], 1 + i % 600);
  g_autoptr (JsonNode) node = json_from_string (json, NULL);
  g_autoptr (LbStudy) study = lb_study_new_from_json (json_node_get_object (node));
  return lb_worklist_item_new (study);
}

typedef struct
{
  LbWorklistPage *page;
  LbWorklistFilter *filter;
  GtkFilter *gtk_filter;
  GtkFilterListModel *probe;
  GArray *model_ms;
  GArray *filter_ms;
  GArray *frame_ms;
  const char *text;
  guint step;
  guint total;
  gint64 typed_at;
  gint64 due;               /* when the next key comes */
  GMainLoop *loop;
} Bench;

/* A quick typist: a key every 100 ms. */
#define KEY_INTERVAL_MS 100

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what, GArray *values)
{
  g_array_sort (values, compare_double);
  printf ("%s: median %.2f ms, max %.2f ms over %u keystrokes\n", what,
          g_array_index (values, double, values->len / 2),
          g_array_index (values, double, values->len - 1), values->len);
}

/* The text typed after @step keystrokes: the phrase, then erased a letter at a time. */
static char *
text_at (Bench *b, guint step)
{
  guint n = strlen (b->text);
  return g_strndup (b->text, step <= n ? step : 2 * n - step);
}

static gboolean
probe_match (gpointer item, gpointer data)
{
  return lb_worklist_filter_match (data, item);
}

static void
type_next (Bench *b)
{
  g_autofree char *text = text_at (b, ++b->step);
  GListModel *shown = lb_worklist_page_get_shown (b->page);

  gint64 start = g_get_monotonic_time ();
  gboolean narrower = lb_worklist_filter_set_text (b->filter, text);
  gtk_filter_changed (b->gtk_filter, narrower ? GTK_FILTER_CHANGE_MORE_STRICT
                                              : GTK_FILTER_CHANGE_DIFFERENT);
  (void) g_list_model_get_n_items (G_LIST_MODEL (b->probe));
  double model = (g_get_monotonic_time () - start) / 1000.0;
  g_array_append_val (b->model_ms, model);

  /* From when the key was due: work left over from the key before delays this one. */
  b->typed_at = b->due != 0 ? b->due : g_get_monotonic_time ();
  gint64 begun = g_get_monotonic_time ();
  lb_worklist_page_set_search (b->page, text);
  /* Reading the count makes sure the filter and the sort are done. */
  (void) g_list_model_get_n_items (shown);
  double ms = (g_get_monotonic_time () - begun) / 1000.0;
  g_array_append_val (b->filter_ms, ms);
}

static gboolean
type_due (gpointer data)
{
  type_next (data);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock, Bench *b)
{
  if (b->typed_at == 0)
    return;
  double ms = (g_get_monotonic_time () - b->typed_at) / 1000.0;
  g_array_append_val (b->frame_ms, ms);
  b->typed_at = 0;
  if (b->step == b->total)
    {
      g_main_loop_quit (b->loop);
      return;
    }
  b->due = g_get_monotonic_time () + KEY_INTERVAL_MS * 1000;
  g_timeout_add (KEY_INTERVAL_MS, type_due, b);
}

static void
on_activate (GApplication *app, gpointer data)
{
  Bench *b = data;
  GtkWidget *window = gtk_application_window_new (GTK_APPLICATION (app));
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (app), "studies"));
  g_autoptr (GListStore) items = g_list_store_new (LB_TYPE_WORKLIST_ITEM);

  gint64 start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LbWorklistItem) item = make_item (i);
      g_list_store_append (items, item);
    }
  printf ("%u worklist rows made in %.0f ms\n", n, (g_get_monotonic_time () - start) / 1000.0);

  b->filter = lb_worklist_filter_new ();
  b->gtk_filter = GTK_FILTER (gtk_custom_filter_new (probe_match, b->filter, NULL));
  b->probe = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (items)),
                                        g_object_ref (b->gtk_filter));

  b->page = lb_worklist_page_new (LB_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (b->page));
  lb_worklist_page_set_items (b->page, G_LIST_MODEL (items));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_after_paint), b);
  type_next (b);
}

int
main (int argc, char **argv)
{
  int studies = 10000;
  GOptionEntry entries[] = {
    { "studies", 0, 0, G_OPTION_ARG_INT, &studies, "Rows in the worklist (10000)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || studies < 1)
    {
      fprintf (stderr, "usage: bench-worklist [--studies N]\n");
      return 2;
    }

  lb_memory_tune_for_imaging ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Bench bench = {
    .model_ms = g_array_new (FALSE, FALSE, sizeof (double)),
    .filter_ms = g_array_new (FALSE, FALSE, sizeof (double)),
    .frame_ms = g_array_new (FALSE, FALSE, sizeof (double)),
    .text = "doe john", .loop = loop,
  };
  bench.total = 2 * strlen (bench.text);

  g_autoptr (LbApplication) app = lb_application_new ();
  /* Beside a running workstation, not handed to it. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (app), "studies", GUINT_TO_POINTER (studies));
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &bench);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  g_application_activate (G_APPLICATION (app));
  g_main_loop_run (loop);

  print_stats ("filter of the rows", bench.model_ms);
  print_stats ("the page taking the keystroke", bench.filter_ms);
  print_stats ("keystroke to the frame that shows it", bench.frame_ms);
  g_array_unref (bench.model_ms);
  g_array_unref (bench.filter_ms);
  g_clear_object (&bench.probe);
  g_clear_object (&bench.gtk_filter);
  lb_worklist_filter_free (bench.filter);
  g_array_unref (bench.frame_ms);
  return 0;
}
