/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DICOM values as a reader wants to see them: names, ages, dates and times.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "DOE^JOHN^^DR" -> "DOE, JOHN"; the alphabetic group only.  NULL or "" -> "". */
char *lb_format_person_name (const char *pn);
/* Age String "045Y" -> "45 y", "010M" -> "10 mo", "003W" -> "3 wk", "005D" -> "5 d";
 * else, from a birth date and the study date (YYYYMMDD), the age then; "" when neither
 * is known. */
char *lb_format_age (const char *age_string, const char *birth_date, const char *study_date);
/* YYYYMMDD -> YYYY-MM-DD; anything else as it is. */
char *lb_format_date (const char *da);
/* HHMMSS.FFFFFF -> HH:MM (or HH:MM:SS with @seconds); anything else as it is. */
char *lb_format_time (const char *tm, gboolean seconds);
/* A YYYYMMDD date as a GDate-style day number (days since 0001-01-01), or 0 when it is
 * not a valid date: for date filters and sorting. */
guint lb_date_to_day (const char *da);

/* The patient direction a vector points to, in the letters of an orientation marker:
 * L/R, P/A, H/F (DICOM's patient axes: x to the left, y to the back, z to the head),
 * strongest first, leaving out components under a quarter of the length; "" for a null
 * vector.  (0.9, 0, -0.4) -> "LF". */
char *lb_format_patient_direction (const double v[3]);

G_END_DECLS
