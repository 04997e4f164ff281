/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-qido-query.h"

#include <string.h>

struct _LbQidoQuery
{
  GObject parent_instance;

  /* Key, value, key, value... */
  GPtrArray *matches;
  GPtrArray *include_fields;
  gboolean fuzzy;
  guint limit;
  guint offset;
};

G_DEFINE_FINAL_TYPE (LbQidoQuery, lb_qido_query, G_TYPE_OBJECT)

static void
lb_qido_query_finalize (GObject *object)
{
  LbQidoQuery *self = LB_QIDO_QUERY (object);

  g_ptr_array_unref (self->matches);
  g_ptr_array_unref (self->include_fields);

  G_OBJECT_CLASS (lb_qido_query_parent_class)->finalize (object);
}

static void
lb_qido_query_class_init (LbQidoQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_qido_query_finalize;
}

static void
lb_qido_query_init (LbQidoQuery *self)
{
  self->matches = g_ptr_array_new_with_free_func (g_free);
  self->include_fields = g_ptr_array_new_with_free_func (g_free);
}

LbQidoQuery *
lb_qido_query_new (void)
{
  return g_object_new (LB_TYPE_QIDO_QUERY, NULL);
}

static gint
find_key (LbQidoQuery *self, const char *key)
{
  for (guint i = 0; i < self->matches->len; i += 2)
    if (g_str_equal (g_ptr_array_index (self->matches, i), key))
      return (gint) i;
  return -1;
}

void
lb_qido_query_set (LbQidoQuery *self, const char *key, const char *value)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (self));
  g_return_if_fail (key != NULL && *key != '\0');

  gint at = find_key (self, key);

  if (value == NULL || *value == '\0')
    {
      if (at >= 0)
        g_ptr_array_remove_range (self->matches, at, 2);
      return;
    }
  if (at >= 0)
    {
      g_free (g_ptr_array_index (self->matches, at + 1));
      g_ptr_array_index (self->matches, at + 1) = g_strdup (value);
      return;
    }
  g_ptr_array_add (self->matches, g_strdup (key));
  g_ptr_array_add (self->matches, g_strdup (value));
}

const char *
lb_qido_query_get (LbQidoQuery *self, const char *key)
{
  g_return_val_if_fail (LB_IS_QIDO_QUERY (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  gint at = find_key (self, key);
  return at >= 0 ? g_ptr_array_index (self->matches, at + 1) : NULL;
}

void
lb_qido_query_set_date_range (LbQidoQuery *self, const char *key, const char *from,
                              const char *to)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (self));
  g_return_if_fail (key != NULL);

  g_autofree char *range = NULL;

  if (from != NULL && to != NULL && g_str_equal (from, to))
    range = g_strdup (from);
  else if (from != NULL || to != NULL)
    range = g_strdup_printf ("%s-%s", from != NULL ? from : "", to != NULL ? to : "");
  lb_qido_query_set (self, key, range);
}

void
lb_qido_query_set_fuzzy (LbQidoQuery *self, gboolean fuzzy)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (self));
  self->fuzzy = fuzzy;
}

void
lb_qido_query_add_include_field (LbQidoQuery *self, const char *field)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (self));
  g_return_if_fail (field != NULL && *field != '\0');

  for (guint i = 0; i < self->include_fields->len; i++)
    if (g_str_equal (g_ptr_array_index (self->include_fields, i), field))
      return;
  g_ptr_array_add (self->include_fields, g_strdup (field));
}

void
lb_qido_query_set_limit (LbQidoQuery *self, guint limit)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (self));
  self->limit = limit;
}

void
lb_qido_query_set_offset (LbQidoQuery *self, guint offset)
{
  g_return_if_fail (LB_IS_QIDO_QUERY (self));
  self->offset = offset;
}

guint
lb_qido_query_get_limit (LbQidoQuery *self)
{
  g_return_val_if_fail (LB_IS_QIDO_QUERY (self), 0);
  return self->limit;
}

guint
lb_qido_query_get_offset (LbQidoQuery *self)
{
  g_return_val_if_fail (LB_IS_QIDO_QUERY (self), 0);
  return self->offset;
}

char *
lb_qido_query_escape (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  GString *out = g_string_sized_new (strlen (value));

  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (*p > 0x20 && *p < 0x7f && strchr ("\"#%&+<=>[\\]`{|}", *p) == NULL)
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

static void
append_pair (GString *out, const char *key, const char *value)
{
  g_autofree char *escaped_key = lb_qido_query_escape (key);
  g_autofree char *escaped_value = lb_qido_query_escape (value);

  if (out->len > 0)
    g_string_append_c (out, '&');
  g_string_append_printf (out, "%s=%s", escaped_key, escaped_value);
}

char *
lb_qido_query_to_string (LbQidoQuery *self)
{
  g_return_val_if_fail (LB_IS_QIDO_QUERY (self), NULL);

  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->matches->len; i += 2)
    append_pair (out, g_ptr_array_index (self->matches, i),
                 g_ptr_array_index (self->matches, i + 1));
  if (self->fuzzy)
    append_pair (out, "fuzzymatching", "true");
  /* Repeated rather than comma-separated: every archive we know takes this form. */
  for (guint i = 0; i < self->include_fields->len; i++)
    append_pair (out, "includefield", g_ptr_array_index (self->include_fields, i));
  if (self->limit > 0)
    {
      g_autofree char *limit = g_strdup_printf ("%u", self->limit);
      append_pair (out, "limit", limit);
    }
  if (self->offset > 0)
    {
      g_autofree char *offset = g_strdup_printf ("%u", self->offset);
      append_pair (out, "offset", offset);
    }
  return g_string_free (out, FALSE);
}
