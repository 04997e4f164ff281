/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DICOM values as the overlays and the worklist print them.
 */
#include "config.h"

#include "lb-study-format.h"

static void
check (char *got, const char *want)
{
  g_assert_cmpstr (got, ==, want);
  g_free (got);
}

static void
test_names (void)
{
  check (lb_format_person_name ("DOE^JOHN^^DR"), "DOE, JOHN");
  check (lb_format_person_name ("Doe^John^Paul"), "Doe, John Paul");
  check (lb_format_person_name ("Doe"), "Doe");
  check (lb_format_person_name ("^John"), "John");
  check (lb_format_person_name ("Yamada^Tarou=山田^太郎=やまだ^たろう"), "Yamada, Tarou");
  check (lb_format_person_name (""), "");
  check (lb_format_person_name (NULL), "");
}

static void
test_ages (void)
{
  check (lb_format_age ("045Y", NULL, NULL), "45 y");
  check (lb_format_age ("010M", NULL, NULL), "10 mo");
  check (lb_format_age ("003W", NULL, NULL), "3 wk");
  check (lb_format_age ("005D", NULL, NULL), "5 d");
  /* The day before the birthday, and the birthday. */
  check (lb_format_age (NULL, "19620315", "20240314"), "61 y");
  check (lb_format_age (NULL, "19620315", "20240315"), "62 y");
  check (lb_format_age (NULL, "20230101", "20230802"), "7 mo");
  check (lb_format_age ("45", "garbage", "20240315"), "");
  check (lb_format_age (NULL, "20250101", "20240101"), "");
}

static void
test_dates_and_times (void)
{
  check (lb_format_date ("20240315"), "2024-03-15");
  check (lb_format_date ("20240230"), "20240230");
  check (lb_format_date ("2024"), "2024");
  check (lb_format_time ("093015.123", FALSE), "09:30");
  check (lb_format_time ("093015", TRUE), "09:30:15");
  check (lb_format_time ("0930", TRUE), "09:30");
  check (lb_format_time ("9", FALSE), "9");
  g_assert_cmpuint (lb_date_to_day ("20240316") - lb_date_to_day ("20240315"), ==, 1);
  g_assert_cmpuint (lb_date_to_day ("20240301") - lb_date_to_day ("20240228"), ==, 2);
  g_assert_cmpuint (lb_date_to_day ("2024-03-01"), ==, 0);
}

static void
test_directions (void)
{
  check (lb_format_patient_direction ((double[]) { 1, 0, 0 }), "L");
  check (lb_format_patient_direction ((double[]) { -1, 0, 0 }), "R");
  check (lb_format_patient_direction ((double[]) { 0, -1, 0 }), "A");
  check (lb_format_patient_direction ((double[]) { 0, 0, 1 }), "H");
  check (lb_format_patient_direction ((double[]) { 0.9, 0, -0.4 }), "LF");
  check (lb_format_patient_direction ((double[]) { 0.1, -0.7, 0.7 }), "AH");
  check (lb_format_patient_direction ((double[]) { 0, 0, 0 }), "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/study-format/names", test_names);
  g_test_add_func ("/study-format/ages", test_ages);
  g_test_add_func ("/study-format/dates-and-times", test_dates_and_times);
  g_test_add_func ("/study-format/directions", test_directions);
  return g_test_run ();
}
