/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-multipart-part-private.h"

struct _LbMultipartPart
{
  GObject parent_instance;

  guint index;
  GHashTable *headers;
  GBytes *body;
};

G_DEFINE_FINAL_TYPE (LbMultipartPart, lb_multipart_part, G_TYPE_OBJECT)

static void
lb_multipart_part_finalize (GObject *object)
{
  LbMultipartPart *self = LB_MULTIPART_PART (object);

  g_clear_pointer (&self->headers, g_hash_table_unref);
  g_clear_pointer (&self->body, g_bytes_unref);

  G_OBJECT_CLASS (lb_multipart_part_parent_class)->finalize (object);
}

static void
lb_multipart_part_class_init (LbMultipartPartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lb_multipart_part_finalize;
}

static void
lb_multipart_part_init (LbMultipartPart *self)
{
}

LbMultipartPart *
_lb_multipart_part_new (guint index, GHashTable *headers, GBytes *body)
{
  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  LbMultipartPart *self = g_object_new (LB_TYPE_MULTIPART_PART, NULL);
  self->index = index;
  self->headers = headers;
  self->body = g_bytes_ref (body);
  return self;
}

const char *
lb_multipart_part_get_header (LbMultipartPart *self, const char *name)
{
  g_return_val_if_fail (LB_IS_MULTIPART_PART (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_autofree char *key = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (self->headers, key);
}

const char *
lb_multipart_part_get_content_type (LbMultipartPart *self)
{
  return lb_multipart_part_get_header (self, "content-type");
}

const char *
lb_multipart_part_get_content_location (LbMultipartPart *self)
{
  return lb_multipart_part_get_header (self, "content-location");
}

GBytes *
lb_multipart_part_get_body (LbMultipartPart *self)
{
  g_return_val_if_fail (LB_IS_MULTIPART_PART (self), NULL);
  return self->body;
}

guint
lb_multipart_part_get_index (LbMultipartPart *self)
{
  g_return_val_if_fail (LB_IS_MULTIPART_PART (self), 0);
  return self->index;
}
