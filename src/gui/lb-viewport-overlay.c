/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What LbViewport draws over the image: four corners of text, orientation markers from
 * the image orientation, a scale bar, the LOSSY badge and the load progress.  Space
 * hides the text, markers and scale bar; the badge and progress stay, since reading a
 * lossy or incomplete series without knowing it is a clinical risk.
 */
#define G_LOG_DOMAIN "lb-viewport"
#include "config.h"

#include "lb-viewport-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "lb-study-format.h"

#define MARGIN 8
#define FONT "Sans 10"

typedef enum {
  TOP_LEFT,
  TOP_RIGHT,
  BOTTOM_LEFT,
  BOTTOM_RIGHT,
  CENTRE,
} Anchor;

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, Anchor anchor, double x, double y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_alignment (layout, anchor == TOP_RIGHT || anchor == BOTTOM_RIGHT
                                        ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, &w, &h);
  switch (anchor)
    {
    case TOP_LEFT:
      break;
    case TOP_RIGHT:
      x -= w;
      break;
    case BOTTOM_LEFT:
      y -= h;
      break;
    case BOTTOM_RIGHT:
      x -= w;
      y -= h;
      break;
    case CENTRE:
    default:
      x -= w / 2.0;
      y -= h / 2.0;
      break;
    }
  /* A dark shadow keeps the text readable on white bone. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.8);
  cairo_move_to (cr, x + 1, y + 1);
  pango_cairo_show_layout (cr, layout);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.85);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
append_line (GString *text, const char *line)
{
  if (line == NULL || *line == '\0')
    return;
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, line);
}

static void
draw_patient (LbViewport *self, cairo_t *cr, PangoLayout *layout)
{
  LbLoadedStudy *study = self->study;
  g_autoptr (GString) text = g_string_new (NULL);

  if (study == NULL)
    return;
  g_autofree char *name = lb_format_person_name (lb_loaded_study_get_patient_name (study));
  g_autofree char *age = lb_format_age (lb_loaded_study_get_patient_age (study),
                                        lb_loaded_study_get_patient_birth_date (study),
                                        lb_loaded_study_get_study_date (study));
  const char *sex = lb_loaded_study_get_patient_sex (study);
  g_autofree char *age_sex = g_strstrip (g_strdup_printf ("%s %s", age, sex != NULL ? sex : ""));
  g_autofree char *birth = lb_format_date (lb_loaded_study_get_patient_birth_date (study));

  append_line (text, name);
  append_line (text, lb_loaded_study_get_patient_id (study));
  append_line (text, age_sex);
  if (*birth != '\0')
    {
      /* Translators: the patient's date of birth in the image overlay */
      g_autofree char *line = g_strdup_printf (_("Born %s"), birth);
      append_line (text, line);
    }
  draw_text (cr, layout, text->str, TOP_LEFT, MARGIN, MARGIN);
}

static void
draw_study (LbViewport *self, cairo_t *cr, PangoLayout *layout, int width)
{
  LbLoadedStudy *study = self->study;
  g_autoptr (GString) text = g_string_new (NULL);

  if (study == NULL)
    return;
  g_autofree char *date = lb_format_date (lb_loaded_study_get_study_date (study));
  g_autofree char *time = lb_format_time (lb_loaded_study_get_study_time (study), FALSE);
  g_autofree char *when = g_strstrip (g_strdup_printf ("%s %s", date, time));

  append_line (text, lb_loaded_study_get_institution_name (study));
  append_line (text, lb_loaded_study_get_study_description (study));
  append_line (text, when);
  if (lb_loaded_study_get_accession_number (study) != NULL)
    {
      /* Translators: the accession number in the image overlay */
      g_autofree char *line = g_strdup_printf (_("Acc %s"),
                                               lb_loaded_study_get_accession_number (study));
      append_line (text, line);
    }
  draw_text (cr, layout, text->str, TOP_RIGHT, width - MARGIN, MARGIN);
}

static void
draw_series (LbViewport *self, cairo_t *cr, PangoLayout *layout, int height)
{
  g_autoptr (GString) text = g_string_new (NULL);
  LbStudySeries *series = self->series;

  if (series == NULL)
    return;

  const char *description = lb_study_series_get_description (series);
  int number = lb_study_series_get_number (series);
  g_autofree char *head = number >= 0
    /* Translators: series number and description in the image overlay */
    ? g_strdup_printf (_("Se %d  %s"), number, description != NULL ? description : "")
    : g_strdup (description != NULL ? description : "");
  append_line (text, head);

  guint n = g_list_model_get_n_items (G_LIST_MODEL (series));
  if (self->index >= 0)
    {
      guint expected = lb_study_series_get_expected (series);
      /* Translators: image number of the number of images in the series */
      g_autofree char *line = g_strdup_printf (_("Im %d / %u"), self->index + 1,
                                               MAX (n, expected));
      append_line (text, line);
    }

  double location;
  if (self->index >= 0 && lb_study_series_get_location (series, (guint) self->index, &location))
    {
      /* Translators: slice position along the stack, in millimetres */
      g_autofree char *line = g_strdup_printf (_("Loc %.1f mm"), location);
      append_line (text, line);
    }
  double thickness;
  if (self->slice != NULL && lb_slice_get_thickness (self->slice, &thickness))
    {
      /* Translators: slice thickness, in millimetres */
      g_autofree char *line = g_strdup_printf (_("Thk %.2g mm"), thickness);
      append_line (text, line);
    }
  draw_text (cr, layout, text->str, BOTTOM_LEFT, MARGIN, height - MARGIN - 4);
}

static void
draw_view (LbViewport *self, cairo_t *cr, PangoLayout *layout, int width, int height)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (self->picture_has_window && self->picture != NULL)
    {
      /* Translators: window width and level (centre) in the image overlay */
      g_autofree char *line = g_strdup_printf (_("W %.0f  L %.0f"), self->picture_window.width,
                                               self->picture_window.center);
      append_line (text, line);
    }
  if (self->slice != NULL)
    {
      /* Translators: screen pixels per image pixel */
      g_autofree char *line = g_strdup_printf (_("Zoom %.2f×"), lb_viewport_get_scale (self));
      append_line (text, line);
    }
  if (self->invert)
    append_line (text, _("Inverted"));
  if (self->cine)
    {
      /* Translators: cine playing at this many frames a second */
      g_autofree char *line = g_strdup_printf (_("Cine %.0f fps"), self->cine_fps);
      append_line (text, line);
    }
  draw_text (cr, layout, text->str, BOTTOM_RIGHT, width - MARGIN, height - MARGIN - 4);
}

/* The patient direction of a screen direction (dx, dy): back through the view's
 * rotation and flips into image axes, then through the image orientation. */
static char *
direction_label (LbViewport *self, const double orientation[6], double dx, double dy)
{
  cairo_matrix_t m;

  _lb_viewport_get_matrix (self, &m);
  m.x0 = m.y0 = 0;
  if (cairo_matrix_invert (&m) != CAIRO_STATUS_SUCCESS)
    return g_strdup ("");
  cairo_matrix_transform_distance (&m, &dx, &dy);

  double v[3];
  for (guint i = 0; i < 3; i++)
    v[i] = dx * orientation[i] + dy * orientation[3 + i];
  return lb_format_patient_direction (v);
}

static void
draw_orientation (LbViewport *self, cairo_t *cr, PangoLayout *layout, int width, int height)
{
  double orientation[6];

  if (self->slice == NULL || !lb_slice_get_orientation (self->slice, orientation))
    return;

  g_autofree char *left = direction_label (self, orientation, -1, 0);
  g_autofree char *right = direction_label (self, orientation, 1, 0);
  g_autofree char *top = direction_label (self, orientation, 0, -1);
  g_autofree char *bottom = direction_label (self, orientation, 0, 1);
  draw_text (cr, layout, left, CENTRE, MARGIN + 8, height / 2.0);
  draw_text (cr, layout, right, CENTRE, width - MARGIN - 8, height / 2.0);
  draw_text (cr, layout, top, CENTRE, width / 2.0, MARGIN + 24);
  draw_text (cr, layout, bottom, CENTRE, width / 2.0, height - MARGIN - 24);
}

/* A vertical bar of a round length, about a fifth of the viewport's height. */
static void
draw_scale_bar (LbViewport *self, cairo_t *cr, PangoLayout *layout, int width, int height)
{
  static const double lengths[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500 };
  double row_spacing, column_spacing;
  gboolean at_detector;

  if (self->slice == NULL ||
      !lb_slice_get_pixel_spacing (self->slice, &row_spacing, &column_spacing, &at_detector))
    return;

  /* Screen pixels per millimetre along the screen's vertical. */
  double mm_per_image_px = self->rotation % 2 == 0 ? row_spacing : column_spacing;
  double px_per_mm = lb_viewport_get_scale (self) / mm_per_image_px;
  double target = height / 5.0;
  double mm = lengths[0];
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    if (lengths[i] * px_per_mm <= target)
      mm = lengths[i];
  double bar = mm * px_per_mm;
  if (bar < 10)
    return;

  /* Left of the right orientation marker. */
  double x = width - MARGIN - 28;
  double y0 = height / 2.0 - bar / 2;
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.85);
  cairo_move_to (cr, x + 0.5, y0);
  cairo_line_to (cr, x + 0.5, y0 + bar);
  for (guint i = 0; i <= 2; i++)
    {
      double y = y0 + bar * i / 2;
      cairo_move_to (cr, x + 0.5 - (i == 1 ? 3 : 6), round (y) + 0.5);
      cairo_line_to (cr, x + 0.5, round (y) + 0.5);
    }
  cairo_stroke (cr);

  g_autofree char *label = mm >= 10 ? g_strdup_printf (_("%g cm"), mm / 10)
                                    : g_strdup_printf (_("%g mm"), mm);
  draw_text (cr, layout, label, TOP_RIGHT, x - 8, y0 + bar + 2);
}

static void
draw_lossy (LbViewport *self, cairo_t *cr, PangoLayout *layout, int width)
{
  int w, h;

  if (self->slice == NULL || !lb_slice_get_lossy (self->slice))
    return;
  /* Translators: badge on images that were irreversibly compressed */
  pango_layout_set_markup (layout, _("<b>LOSSY</b>"), -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  double x = width / 2.0 - w / 2.0;
  cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
  cairo_rectangle (cr, x - 6, MARGIN - 2, w + 12, h + 4);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x, MARGIN);
  pango_cairo_show_layout (cr, layout);
  pango_layout_set_attributes (layout, NULL);
}

static void
draw_progress (LbViewport *self, cairo_t *cr, int width, int height)
{
  if (self->series == NULL || lb_study_series_get_complete (self->series))
    return;

  double progress = lb_study_series_get_progress (self->series);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.15);
  cairo_rectangle (cr, 0, height - 3, width, 3);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_rectangle (cr, 0, height - 3, width * progress, 3);
  cairo_fill (cr);
}

void
_lb_viewport_draw_overlays (LbViewport *self, cairo_t *cr, int width, int height)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  if (self->error != NULL)
    {
      pango_layout_set_width (layout, (width - 2 * MARGIN) * PANGO_SCALE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      draw_text (cr, layout, self->error, CENTRE, width / 2.0, height / 2.0);
      pango_layout_set_width (layout, -1);
    }
  else if (self->slice == NULL &&
           (self->series != NULL || (self->study != NULL && lb_loaded_study_get_loading (self->study))))
    draw_text (cr, layout, _("Loading…"), CENTRE, width / 2.0, height / 2.0);

  if (self->overlays)
    {
      draw_patient (self, cr, layout);
      draw_study (self, cr, layout, width);
      draw_series (self, cr, layout, height);
      draw_view (self, cr, layout, width, height);
      draw_orientation (self, cr, layout, width, height);
      draw_scale_bar (self, cr, layout, width, height);
    }
  draw_lossy (self, cr, layout, width);
  draw_progress (self, cr, width, height);
  g_object_unref (layout);
}
