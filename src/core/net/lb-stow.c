/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-stow.h"

#include <string.h>

#include "lb-dicom-json-private.h"
#include "lb-stow-result.h"

#define TAG_FAILED_SOP_SEQUENCE "00081198"
#define TAG_REFERENCED_SOP_SEQUENCE "00081199"
#define TAG_REFERENCED_SOP_CLASS_UID "00081150"
#define TAG_REFERENCED_SOP_INSTANCE_UID "00081155"
#define TAG_FAILURE_REASON "00081197"
#define TAG_WARNING_REASON "00081196"

static gboolean
occurs_in (GPtrArray *instances, const char *delimiter)
{
  gsize delimiter_length = strlen (delimiter);

  for (guint i = 0; i < instances->len; i++)
    {
      gsize length;
      const void *data = g_bytes_get_data (g_ptr_array_index (instances, i), &length);

      if (data != NULL && memmem (data, length, delimiter, delimiter_length) != NULL)
        return TRUE;
    }
  return FALSE;
}

static GBytes *
bytes_from_string (char *s)
{
  gsize length = strlen (s);
  return g_bytes_new_take (s, length);
}

GPtrArray *
lb_stow_build_body (GPtrArray *instances, char **content_type)
{
  g_return_val_if_fail (instances != NULL, NULL);
  g_return_val_if_fail (content_type != NULL, NULL);

  g_autofree char *boundary = NULL;
  g_autofree char *delimiter = NULL;

  /* A random boundary is all but certain not to occur in the data; make it certain. */
  do
    {
      g_autofree char *uuid = g_uuid_string_random ();

      g_free (boundary);
      g_free (delimiter);
      boundary = g_strconcat ("lightbox-", uuid, NULL);
      delimiter = g_strconcat ("\r\n--", boundary, NULL);
    }
  while (occurs_in (instances, delimiter));

  GPtrArray *chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < instances->len; i++)
    {
      g_ptr_array_add (chunks,
                       bytes_from_string (g_strdup_printf (
                         "%s--%s\r\nContent-Type: application/dicom\r\n\r\n",
                         i == 0 ? "" : "\r\n", boundary)));
      g_ptr_array_add (chunks, g_bytes_ref (g_ptr_array_index (instances, i)));
    }
  g_ptr_array_add (chunks, bytes_from_string (g_strdup_printf ("\r\n--%s--\r\n", boundary)));

  *content_type =
    g_strdup_printf ("multipart/related; type=\"application/dicom\"; boundary=%s", boundary);
  return chunks;
}

static guint
get_code (JsonObject *item, const char *tag)
{
  gint64 code;

  if (!_lb_dicom_json_get_int (item, tag, &code) || code < 0 || code > G_MAXUINT16)
    return 0;
  return (guint) code;
}

static void
add_results (GListStore *store, JsonObject *response, const char *sequence, gboolean stored)
{
  JsonArray *items = _lb_dicom_json_get_values (response, sequence);

  if (items == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      JsonObject *item = json_node_get_object (node);
      g_autofree char *uid = _lb_dicom_json_dup_string (item, TAG_REFERENCED_SOP_INSTANCE_UID);
      g_autofree char *class_uid = _lb_dicom_json_dup_string (item, TAG_REFERENCED_SOP_CLASS_UID);

      if (uid == NULL)
        continue;

      g_autoptr (LbStowResult) result =
        lb_stow_result_new (uid, class_uid, stored,
                            stored ? 0 : get_code (item, TAG_FAILURE_REASON),
                            stored ? get_code (item, TAG_WARNING_REASON) : 0);
      g_list_store_append (store, result);
    }
}

GListModel *
lb_stow_parse_response (GBytes *json, GError **error)
{
  g_return_val_if_fail (json != NULL, NULL);

  g_autoptr (JsonObject) response = _lb_dicom_json_parse_object (json, "storage results", error);
  if (response == NULL)
    return NULL;

  GListStore *store = g_list_store_new (LB_TYPE_STOW_RESULT);
  add_results (store, response, TAG_REFERENCED_SOP_SEQUENCE, TRUE);
  add_results (store, response, TAG_FAILED_SOP_SEQUENCE, FALSE);
  return G_LIST_MODEL (store);
}
