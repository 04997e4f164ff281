/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time to first image, measured on the screen as Pietsch et al. (J Digit Imaging 2006)
 * did, not by the application's own clock: start a viewer (or press a key in it), then
 * read the screen back from the X server until a medical image is on it, and print the
 * milliseconds in between.
 *
 *   lb-screen-wait [OPTIONS] launch -- CMD [ARGS...]   from fork() to the first image
 *   lb-screen-wait [OPTIONS] key KEYSYM                from a key press (XTest)
 *
 * "An image" is many pixels of one grey between --low and --high (a CT's soft tissue in
 * its default window) inside --region: no widget of either viewer has that many.  The
 * started viewer is left running; its pid goes to stderr.
 */
#include "config.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

static int low = 100;
static int high = 160;
static int min_pixels = 3000;
static double timeout_s = 30;
static char *region_text;

/* Pixels in @image whose three channels agree within 2 and lie in [low, high]. */
static long
count_grey (XImage *image)
{
  long n = 0;

  for (int y = 0; y < image->height; y++)
    {
      const guint8 *row = (const guint8 *) image->data + (gsize) y * image->bytes_per_line;
      for (int x = 0; x < image->width; x++)
        {
          /* 24-bit visuals deliver BGRX. */
          int b = row[4 * x], g = row[4 * x + 1], r = row[4 * x + 2];
          if (r >= low && r <= high && abs (r - g) <= 2 && abs (g - b) <= 2)
            n++;
        }
    }
  return n;
}

static long
grey_now (Display *display, Window root, int x, int y, int w, int h)
{
  XImage *image = XGetImage (display, root, x, y, (unsigned) w, (unsigned) h, AllPlanes, ZPixmap);
  if (image == NULL)
    return -1;
  long n = image->bits_per_pixel == 32 ? count_grey (image) : -1;
  XDestroyImage (image);
  return n;
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "low", 0, 0, G_OPTION_ARG_INT, &low, "Darkest grey of the image (100)", "V" },
    { "high", 0, 0, G_OPTION_ARG_INT, &high, "Brightest grey of the image (160)", "V" },
    { "pixels", 0, 0, G_OPTION_ARG_INT, &min_pixels, "Pixels of that grey that make an image (3000)", "N" },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region_text, "Where to look (the whole screen)", "X,Y,W,H" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout_s, "Give up after this many seconds (30)", "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("launch -- CMD... | key KEYSYM");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 3)
    {
      fprintf (stderr, "lb-screen-wait: %s\n", error != NULL ? error->message
                                                            : "give launch -- CMD or key KEYSYM.");
      return 2;
    }

  Display *display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "lb-screen-wait: cannot open the X display.\n");
      return 1;
    }
  Window root = DefaultRootWindow (display);
  int x = 0, y = 0;
  int w = DisplayWidth (display, DefaultScreen (display));
  int h = DisplayHeight (display, DefaultScreen (display));
  if (region_text != NULL && sscanf (region_text, "%d,%d,%d,%d", &x, &y, &w, &h) != 4)
    {
      fprintf (stderr, "lb-screen-wait: --region wants X,Y,W,H.\n");
      return 2;
    }

  long before = grey_now (display, root, x, y, w, h);
  if (before < 0)
    {
      fprintf (stderr, "lb-screen-wait: the screen is not a 32-bit image.\n");
      return 1;
    }
  if (before >= min_pixels)
    {
      fprintf (stderr, "lb-screen-wait: an image is on the screen already (%ld pixels).\n", before);
      return 1;
    }

  gint64 start;
  if (g_str_equal (argv[1], "launch"))
    {
      int first = g_str_equal (argv[2], "--") ? 3 : 2;
      start = g_get_monotonic_time ();
      pid_t pid = fork ();
      if (pid == 0)
        {
          /* The viewer keeps running after this program reports: it must not hold the
           * caller's pipes open. */
          int null = open ("/dev/null", O_RDWR);
          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
          execvp (argv[first], argv + first);
          _exit (127);
        }
      fprintf (stderr, "pid %d\n", (int) pid);
    }
  else if (g_str_equal (argv[1], "key"))
    {
      KeySym sym = XStringToKeysym (argv[2]);
      KeyCode code = sym != NoSymbol ? XKeysymToKeycode (display, sym) : 0;
      if (code == 0)
        {
          fprintf (stderr, "lb-screen-wait: no key is called %s.\n", argv[2]);
          return 2;
        }
      start = g_get_monotonic_time ();
      XTestFakeKeyEvent (display, code, True, 0);
      XTestFakeKeyEvent (display, code, False, 0);
      XFlush (display);
    }
  else
    {
      fprintf (stderr, "lb-screen-wait: say launch or key.\n");
      return 2;
    }

  for (;;)
    {
      long n = grey_now (display, root, x, y, w, h);
      gint64 now = g_get_monotonic_time ();
      if (n >= min_pixels)
        {
          printf ("%.1f\n", (now - start) / 1000.0);
          break;
        }
      if (now - start > (gint64) (timeout_s * G_USEC_PER_SEC))
        {
          fprintf (stderr, "lb-screen-wait: no image after %.0f s.\n", timeout_s);
          return 1;
        }
      /* Reading the screen back costs the X server too (0.2 ms for 120x60 pixels here,
       * 2 ms for 400x300): a small region, and not faster than this. */
      g_usleep (1000);
    }
  XCloseDisplay (display);
  return 0;
}
