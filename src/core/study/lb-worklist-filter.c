/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-worklist-filter.h"

#include <string.h>

struct _LbWorklistFilter
{
  char *text;               /* case-folded, trimmed */
  char **words;
  LbDateFilter date;
  guint from;               /* day numbers, inclusive; 0: open */
  guint to;
  char *modality;
  LbStatusFilter status;
};

LbWorklistFilter *
lb_worklist_filter_new (void)
{
  LbWorklistFilter *self = g_new0 (LbWorklistFilter, 1);

  self->text = g_strdup ("");
  self->words = g_new0 (char *, 1);
  return self;
}

void
lb_worklist_filter_free (LbWorklistFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_strfreev (self->words);
  g_free (self->modality);
  g_free (self);
}

gboolean
lb_worklist_filter_set_text (LbWorklistFilter *self, const char *text)
{
  g_return_val_if_fail (self != NULL, FALSE);

  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);
  g_strstrip (folded);

  /* Appending to the last word, or adding words, only narrows. */
  gboolean narrower = g_str_has_prefix (folded, self->text);
  g_free (self->text);
  self->text = g_steal_pointer (&folded);

  g_strfreev (self->words);
  g_auto (GStrv) parts = g_strsplit_set (self->text, " \t", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  self->words = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return narrower;
}

void
lb_worklist_filter_set_date (LbWorklistFilter *self, LbDateFilter date, guint today, guint from,
                             guint to)
{
  g_return_if_fail (self != NULL);

  self->date = date;
  switch (date)
    {
    case LB_DATE_FILTER_TODAY:
      self->from = self->to = today;
      break;
    case LB_DATE_FILTER_YESTERDAY:
      self->from = self->to = today - 1;
      break;
    case LB_DATE_FILTER_LAST_7_DAYS:
      self->from = today - 6;
      self->to = today;
      break;
    case LB_DATE_FILTER_RANGE:
      self->from = from;
      self->to = to;
      break;
    case LB_DATE_FILTER_ALL:
    default:
      self->from = self->to = 0;
      break;
    }
}

void
lb_worklist_filter_set_modality (LbWorklistFilter *self, const char *modality)
{
  g_return_if_fail (self != NULL);

  g_free (self->modality);
  self->modality = modality != NULL && *modality != '\0' ? g_strdup (modality) : NULL;
}

void
lb_worklist_filter_set_status (LbWorklistFilter *self, LbStatusFilter status)
{
  g_return_if_fail (self != NULL);
  self->status = status;
}

static gboolean
status_matches (LbStatusFilter filter, LbWorklistStatus status)
{
  switch (filter)
    {
    case LB_STATUS_FILTER_UNREAD:
      return status == LB_WORKLIST_STATUS_UNREAD;
    case LB_STATUS_FILTER_OPEN:
      return status == LB_WORKLIST_STATUS_OPENED || status == LB_WORKLIST_STATUS_IN_PROGRESS;
    case LB_STATUS_FILTER_REPORTED:
      return status == LB_WORKLIST_STATUS_PRELIMINARY || status == LB_WORKLIST_STATUS_FINAL;
    case LB_STATUS_FILTER_ALL:
    default:
      return TRUE;
    }
}

gboolean
lb_worklist_filter_match (const LbWorklistFilter *self, LbWorklistItem *item)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (LB_IS_WORKLIST_ITEM (item), FALSE);

  if (self->date != LB_DATE_FILTER_ALL)
    {
      guint day = lb_worklist_item_get_day (item);
      /* A study without a date matches no date window. */
      if (day == 0 || (self->from != 0 && day < self->from) || (self->to != 0 && day > self->to))
        return FALSE;
    }
  if (self->modality != NULL && !lb_worklist_item_has_modality (item, self->modality))
    return FALSE;
  if (!status_matches (self->status, lb_worklist_item_get_status (item)))
    return FALSE;

  const char *haystack = lb_worklist_item_get_search_text (item);
  for (guint i = 0; self->words[i] != NULL; i++)
    if (strstr (haystack, self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}
