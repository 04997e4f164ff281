/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-dicom-json-private.h"

#include <string.h>

#include "lb-net-error.h"

static gboolean
set_invalid (GError **error, const char *what)
{
  g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
               "The archive sent %s that cannot be read as DICOM JSON.", what);
  return FALSE;
}

/* Counts brackets outside strings; not a parser, only a guard for json-glib's stack. */
static gboolean
depth_is_sane (const char *data, gsize length)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > LB_DICOM_JSON_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static JsonNode *
parse (GBytes *bytes, const char *what, GError **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  if (length > G_MAXSSIZE || !depth_is_sane (data, length) ||
      !json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, NULL))
    {
      set_invalid (error, what);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  return root != NULL ? json_node_ref (root) : NULL;
}

static gboolean
is_blank (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

JsonArray *
_lb_dicom_json_parse_array (GBytes *bytes, const char *what, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  /* QIDO-RS answers 204 with no body when nothing matches. */
  if (is_blank (bytes))
    return json_array_new ();

  g_autoptr (JsonNode) root = parse (bytes, what, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      set_invalid (error, what);
      return NULL;
    }

  JsonArray *array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      {
        set_invalid (error, what);
        return NULL;
      }
  return json_array_ref (array);
}

JsonObject *
_lb_dicom_json_parse_object (GBytes *bytes, const char *what, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  if (is_blank (bytes))
    {
      set_invalid (error, what);
      return NULL;
    }

  g_autoptr (JsonNode) root = parse (bytes, what, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_invalid (error, what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

JsonArray *
_lb_dicom_json_get_values (JsonObject *dataset, const char *tag)
{
  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (tag != NULL, NULL);

  JsonNode *attribute = json_object_get_member (dataset, tag);
  if (attribute == NULL)
    {
      /* The standard says upper case; be kind to archives that write "0020000d". */
      g_autofree char *lower = g_ascii_strdown (tag, -1);
      attribute = json_object_get_member (dataset, lower);
    }
  if (attribute == NULL || !JSON_NODE_HOLDS_OBJECT (attribute))
    return NULL;

  JsonNode *values = json_object_get_member (json_node_get_object (attribute), "Value");
  if (values == NULL || !JSON_NODE_HOLDS_ARRAY (values))
    return NULL;
  return json_node_get_array (values);
}

/* A string or number value as text; NULL for null, objects, arrays and empty strings. */
static char *
value_to_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

char *
_lb_dicom_json_dup_string (JsonObject *dataset, const char *tag)
{
  JsonArray *values = _lb_dicom_json_get_values (dataset, tag);

  if (values == NULL || json_array_get_length (values) == 0)
    return NULL;
  return value_to_string (json_array_get_element (values, 0));
}

char **
_lb_dicom_json_dup_strings (JsonObject *dataset, const char *tag)
{
  JsonArray *values = _lb_dicom_json_get_values (dataset, tag);

  if (values == NULL)
    return NULL;

  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint count = 0;
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      g_autofree char *value = value_to_string (json_array_get_element (values, i));

      if (value == NULL)
        continue;
      g_strv_builder_add (builder, value);
      count++;
    }
  return count > 0 ? g_strv_builder_end (builder) : NULL;
}

char *
_lb_dicom_json_dup_person_name (JsonObject *dataset, const char *tag)
{
  static const char *const groups[] = { "Alphabetic", "Ideographic", "Phonetic" };
  JsonArray *values = _lb_dicom_json_get_values (dataset, tag);

  if (values == NULL || json_array_get_length (values) == 0)
    return NULL;

  JsonNode *first = json_array_get_element (values, 0);
  /* Some archives write a bare string where the standard wants an object. */
  if (JSON_NODE_HOLDS_VALUE (first))
    return value_to_string (first);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return NULL;

  JsonObject *name = json_node_get_object (first);
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      char *value = value_to_string (json_object_get_member (name, groups[i]));

      if (value != NULL)
        return value;
    }
  return NULL;
}

gboolean
_lb_dicom_json_get_int (JsonObject *dataset, const char *tag, gint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  JsonArray *values = _lb_dicom_json_get_values (dataset, tag);
  if (values == NULL || json_array_get_length (values) == 0)
    return FALSE;

  JsonNode *node = json_array_get_element (values, 0);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);

        if (!(d >= (double) G_MININT64 && d < (double) G_MAXINT64) || d != (double) (gint64) d)
          return FALSE;
        *out = (gint64) d;
        return TRUE;
      }
    case G_TYPE_STRING:
      {
        g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (node)));
        const char *digits = s[0] == '+' ? s + 1 : s;

        return g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, out, NULL);
      }
    default:
      return FALSE;
    }
}
