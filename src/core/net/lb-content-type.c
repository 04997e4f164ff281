/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-content-type.h"

#include <string.h>

#include "lb-net-error.h"

struct _LbContentType
{
  char *media_type;
  /* Lower-case name, then value, for each parameter, in order. */
  GPtrArray *params;
};

/* RFC 9110 tchar. */
static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static const char *
scan_token (const char *p)
{
  while (is_token_char (*p))
    p++;
  return p;
}

static gpointer
fail (GError **error)
{
  g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                       "The archive sent a Content-Type header that cannot be understood.");
  return NULL;
}

/* A quoted-string starting at the opening quote; backslash escapes the next character.
 * FALSE when the closing quote is missing. */
static gboolean
parse_quoted (const char **pp, GString *out)
{
  const char *p = *pp + 1;

  for (;;)
    {
      if (*p == '\0')
        return FALSE;
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          p++;
          if (*p == '\0')
            return FALSE;
        }
      g_string_append_c (out, *p);
      p++;
    }
  *pp = p + 1;
  return TRUE;
}

/* Unquoted values should be tokens, but real servers send boundaries such as
 * "----=_Part_1" unquoted: take everything up to the next ';' or whitespace. */
static void
parse_bare (const char **pp, GString *out)
{
  const char *p = *pp;

  while (*p != '\0' && *p != ';' && *p != ' ' && *p != '\t')
    g_string_append_c (out, *p++);
  *pp = p;
}

LbContentType *
lb_content_type_parse (const char *value, GError **error)
{
  g_return_val_if_fail (value != NULL, NULL);

  const char *p = skip_space (value);
  const char *type_end = scan_token (p);

  if (type_end == p || *type_end != '/')
    return fail (error);
  const char *subtype_end = scan_token (type_end + 1);
  if (subtype_end == type_end + 1)
    return fail (error);

  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *media_type = g_ascii_strdown (p, subtype_end - p);

  p = skip_space (subtype_end);
  while (*p != '\0')
    {
      if (*p != ';')
        return fail (error);
      p = skip_space (p + 1);
      if (*p == ';' || *p == '\0')
        continue;

      const char *name_end = scan_token (p);
      if (name_end == p)
        return fail (error);
      g_autofree char *name = g_ascii_strdown (p, name_end - p);
      p = skip_space (name_end);
      if (*p != '=')
        return fail (error);
      p = skip_space (p + 1);

      g_autoptr (GString) param_value = g_string_new (NULL);
      if (*p == '"')
        {
          if (!parse_quoted (&p, param_value))
            return fail (error);
        }
      else
        parse_bare (&p, param_value);
      p = skip_space (p);

      g_ptr_array_add (params, g_steal_pointer (&name));
      g_ptr_array_add (params, g_string_free (g_steal_pointer (&param_value), FALSE));
    }

  LbContentType *self = g_new0 (LbContentType, 1);
  self->media_type = g_steal_pointer (&media_type);
  self->params = g_steal_pointer (&params);
  return self;
}

void
lb_content_type_free (LbContentType *self)
{
  if (self == NULL)
    return;
  g_free (self->media_type);
  g_ptr_array_unref (self->params);
  g_free (self);
}

const char *
lb_content_type_get_media_type (const LbContentType *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->media_type;
}

gboolean
lb_content_type_is (const LbContentType *self, const char *media_type)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (media_type != NULL, FALSE);
  return g_ascii_strcasecmp (self->media_type, media_type) == 0;
}

const char *
lb_content_type_get_param (const LbContentType *self, const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* The first occurrence wins when a server repeats a parameter. */
  for (guint i = 0; i + 1 < self->params->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->params, i), name) == 0)
      return g_ptr_array_index (self->params, i + 1);
  return NULL;
}
