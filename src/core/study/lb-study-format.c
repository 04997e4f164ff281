/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-study-format.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

char *
lb_format_person_name (const char *pn)
{
  if (pn == NULL || *pn == '\0')
    return g_strdup ("");

  /* Only the alphabetic representation: the ideographic and phonetic groups follow '='. */
  g_autofree char *alphabetic = g_strndup (pn, strcspn (pn, "="));
  g_auto (GStrv) parts = g_strsplit (alphabetic, "^", 5);
  GString *out = g_string_new (NULL);

  const char *family = parts[0] != NULL ? g_strstrip (parts[0]) : "";
  g_string_append (out, family);

  GString *given = g_string_new (NULL);
  for (guint i = 1; parts[i] != NULL && i < 3; i++)
    {
      const char *part = g_strstrip (parts[i]);
      if (*part == '\0')
        continue;
      if (given->len > 0)
        g_string_append_c (given, ' ');
      g_string_append (given, part);
    }
  if (given->len > 0)
    {
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, given->str);
    }
  g_string_free (given, TRUE);
  return g_string_free (out, FALSE);
}

static gboolean
parse_date (const char *da, GDate *out)
{
  if (da == NULL || strlen (da) != 8)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    if (!g_ascii_isdigit (da[i]))
      return FALSE;

  guint year = (guint) g_ascii_strtoull (da, NULL, 10) / 10000;
  guint month = ((da[4] - '0') * 10) + (da[5] - '0');
  guint day = ((da[6] - '0') * 10) + (da[7] - '0');
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
  return TRUE;
}

char *
lb_format_age (const char *age_string, const char *birth_date, const char *study_date)
{
  if (age_string != NULL && strlen (age_string) == 4 && g_ascii_isdigit (age_string[0]) &&
      g_ascii_isdigit (age_string[1]) && g_ascii_isdigit (age_string[2]))
    {
      guint n = (guint) g_ascii_strtoull (age_string, NULL, 10);
      switch (age_string[3])
        {
        /* Translators: an age in years, as in "45 y" */
        case 'Y': return g_strdup_printf (_("%u y"), n);
        /* Translators: an age in months */
        case 'M': return g_strdup_printf (_("%u mo"), n);
        /* Translators: an age in weeks */
        case 'W': return g_strdup_printf (_("%u wk"), n);
        /* Translators: an age in days */
        case 'D': return g_strdup_printf (_("%u d"), n);
        default: break;
        }
    }

  GDate birth, then;
  if (!parse_date (birth_date, &birth) || !parse_date (study_date, &then) ||
      g_date_compare (&birth, &then) > 0)
    return g_strdup ("");

  int years = g_date_get_year (&then) - g_date_get_year (&birth);
  if (g_date_get_month (&then) < g_date_get_month (&birth) ||
      (g_date_get_month (&then) == g_date_get_month (&birth) &&
       g_date_get_day (&then) < g_date_get_day (&birth)))
    years--;
  if (years >= 2)
    return g_strdup_printf (_("%u y"), (guint) years);
  return g_strdup_printf (_("%u mo"), (guint) (g_date_days_between (&birth, &then) / 30));
}

char *
lb_format_date (const char *da)
{
  GDate date;

  if (da == NULL)
    return g_strdup ("");
  if (!parse_date (da, &date))
    return g_strdup (da);
  return g_strdup_printf ("%.4s-%.2s-%.2s", da, da + 4, da + 6);
}

char *
lb_format_time (const char *tm, gboolean seconds)
{
  if (tm == NULL)
    return g_strdup ("");

  gsize digits = strspn (tm, "0123456789");
  if (digits < 4 || digits % 2 != 0)
    return g_strdup (tm);
  if (seconds && digits >= 6)
    return g_strdup_printf ("%.2s:%.2s:%.2s", tm, tm + 2, tm + 4);
  return g_strdup_printf ("%.2s:%.2s", tm, tm + 2);
}

guint
lb_date_to_day (const char *da)
{
  GDate date;

  if (!parse_date (da, &date))
    return 0;
  return g_date_get_julian (&date);
}

char *
lb_format_patient_direction (const double v[3])
{
  static const char positive[3] = { 'L', 'P', 'H' };
  static const char negative[3] = { 'R', 'A', 'F' };
  double length = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  guint order[3] = { 0, 1, 2 };
  char out[4] = { 0 };
  guint n = 0;

  if (!(length > 1e-9))
    return g_strdup ("");

  /* Three elements: sort by magnitude, largest first. */
  for (guint i = 0; i < 3; i++)
    for (guint j = i + 1; j < 3; j++)
      if (fabs (v[order[j]]) > fabs (v[order[i]]))
        {
          guint t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
  for (guint i = 0; i < 3; i++)
    {
      double c = v[order[i]] / length;
      if (fabs (c) >= 0.25)
        out[n++] = c > 0 ? positive[order[i]] : negative[order[i]];
    }
  return g_strdup (out);
}
