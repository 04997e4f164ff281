/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stack scroll of a loaded 512x512 CT: a real LbViewport in a window scrolls one image
 * per frame of the frame clock, and counts the frames whose picture was the slice asked
 * for in that frame (a frame "held").  Passes: the first with every frame decoded but
 * none rendered for this window, then again with the pictures cached.  Run it under
 * Xvfb with GSK_RENDERER=cairo (bench/README.md).
 *
 *   bench-scroll FOLDER [--passes N] [--size WxH]
 */
#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>

#include "lb-memory.h"
#include "lb-viewport-private.h"

typedef struct
{
  LbViewport *viewport;
  LbStudySeries *series;
  guint n;
  guint pass;
  guint passes;
  guint step;             /* slices asked for in this pass */
  LbSlice *asked;         /* the slice asked for in the last frame */
  guint held;
  guint frames;
  gint64 pass_start;
  GArray *paint;          /* µs from before-paint to after-paint: drawing the window */
  gint64 paint_start;
  GMainLoop *loop;
} Bench;

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Bench *b = data;
  LbViewport *v = b->viewport;

  /* Judge the frame that was just drawn. */
  if (b->asked != NULL)
    {
      b->frames++;
      if (v->picture_slice == b->asked)
        b->held++;
    }
  if (b->step == b->n)
    {
      double seconds = (g_get_monotonic_time () - b->pass_start) / 1e6;
      g_array_sort (b->paint, compare_double);
      double paint = b->paint->len > 0 ? g_array_index (b->paint, double, b->paint->len / 2) : 0;
      double p95 = b->paint->len > 0 ? g_array_index (b->paint, double, b->paint->len * 95 / 100) : 0;
      printf ("pass %u (%s): %u images in %.2f s = %.1f images/s; %u of %u frames showed the image "
              "asked for (%.1f%%); drawing the window: median %.2f ms, 95th %.2f ms a frame\n",
              b->pass + 1, b->pass == 0 ? "decoded, not rendered" : "rendered before",
              b->n, seconds, b->n / seconds, b->held, b->frames, 100.0 * b->held / MAX (b->frames, 1),
              paint / 1000, p95 / 1000);
      if (++b->pass == b->passes)
        {
          g_main_loop_quit (b->loop);
          return G_SOURCE_REMOVE;
        }
      b->step = 0;
      b->held = b->frames = 0;
      g_array_set_size (b->paint, 0);
      b->pass_start = g_get_monotonic_time ();
    }

  lb_viewport_set_index (v, (int) b->step++);
  b->asked = v->slice;
  return G_SOURCE_CONTINUE;
}

static void
on_before_paint (GdkFrameClock *clock, Bench *b)
{
  b->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Bench *b)
{
  if (b->paint_start != 0)
    {
      double us = g_get_monotonic_time () - b->paint_start;
      g_array_append_val (b->paint, us);
    }
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  if (!lb_loaded_study_load_paths_finish (LB_LOADED_STUDY (source), result, &error))
    g_error ("%s", error->message);
  g_main_loop_quit (data);
}

int
main (int argc, char **argv)
{
  int passes = 3;
  char *size = NULL;
  GOptionEntry entries[] = {
    { "passes", 0, 0, G_OPTION_ARG_INT, &passes, "Passes through the series (3)", "N" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Viewport size (1024x1024)", "WxH" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("FOLDER");
  g_autoptr (GError) error = NULL;
  int width = 1024, height = 1024;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || passes < 1 ||
      (size != NULL && sscanf (size, "%dx%d", &width, &height) != 2))
    {
      fprintf (stderr, "usage: bench-scroll FOLDER [--passes N] [--size WxH]\n");
      return 2;
    }

  lb_memory_tune_for_imaging ();
  gtk_init ();
  lb_dicom_init ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (LbFrameCache) cache = lb_frame_cache_new (G_GUINT64_CONSTANT (1) << 30,
                                                       G_GUINT64_CONSTANT (512) << 20);
  g_autoptr (LbLoadedStudy) study = lb_loaded_study_new ();
  const char *paths[] = { argv[1], NULL };

  lb_loaded_study_load_paths_async (study, paths, NULL, on_loaded, loop);
  g_main_loop_run (loop);
  g_autoptr (LbStudySeries) series = g_list_model_get_item (G_LIST_MODEL (study), 0);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (series));

  /* Loaded means decoded: every frame in the cache before the first pass. */
  gint64 start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LbSlice) slice = g_list_model_get_item (G_LIST_MODEL (series), i);
      g_autoptr (LbFrameRenderer) renderer = lb_frame_cache_get_renderer (cache, slice, NULL, &error);
      if (renderer == NULL)
        g_error ("%s", error->message);
    }
  printf ("%u images of %s decoded in %.2f s\n", n, argv[1], (g_get_monotonic_time () - start) / 1e6);

  GtkWidget *window = gtk_window_new ();
  LbViewport *viewport = lb_viewport_new (cache);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (viewport));
  lb_viewport_set_study (viewport, study);
  lb_viewport_set_series (viewport, series);
  gtk_window_present (GTK_WINDOW (window));

  Bench bench = {
    .viewport = viewport, .series = series, .n = n, .passes = (guint) passes,
    .paint = g_array_new (FALSE, FALSE, sizeof (double)), .loop = loop,
    .pass_start = g_get_monotonic_time (),
  };
  gtk_widget_add_tick_callback (GTK_WIDGET (viewport), tick, &bench, NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (viewport));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &bench);
  g_main_loop_run (loop);

  g_array_unref (bench.paint);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
