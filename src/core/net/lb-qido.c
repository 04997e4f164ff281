/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-qido.h"

#include "lb-dicom-json-private.h"
#include "lb-instance.h"
#include "lb-series.h"
#include "lb-study.h"

typedef gpointer (*NewFromJson) (JsonObject *object);

static GListModel *
parse_list (GBytes *json, const char *what, GType type, NewFromJson new_from_json,
            GError **error)
{
  g_return_val_if_fail (json != NULL, NULL);

  g_autoptr (JsonArray) array = _lb_dicom_json_parse_array (json, what, error);
  if (array == NULL)
    return NULL;

  GListStore *store = g_list_store_new (type);
  guint skipped = 0;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (GObject) item = new_from_json (json_array_get_object_element (array, i));

      if (item != NULL)
        g_list_store_append (store, item);
      else
        skipped++;
    }
  if (skipped > 0)
    g_debug ("left out %u entries without a UID", skipped);
  return G_LIST_MODEL (store);
}

GListModel *
lb_qido_parse_studies (GBytes *json, GError **error)
{
  return parse_list (json, "search results", LB_TYPE_STUDY, (NewFromJson) lb_study_new_from_json, error);
}

GListModel *
lb_qido_parse_series (GBytes *json, GError **error)
{
  return parse_list (json, "search results", LB_TYPE_SERIES, (NewFromJson) lb_series_new_from_json, error);
}

GListModel *
lb_qido_parse_instances (GBytes *json, GError **error)
{
  return parse_list (json, "search results", LB_TYPE_INSTANCE, (NewFromJson) lb_instance_new_from_json, error);
}

GListModel *
lb_qido_parse_metadata (GBytes *json, GError **error)
{
  return parse_list (json, "metadata", LB_TYPE_INSTANCE, (NewFromJson) lb_instance_new_from_json,
                     error);
}
