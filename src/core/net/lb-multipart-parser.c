/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-net"
#include "config.h"

#include "lb-multipart-parser.h"

#include <string.h>

#include "lb-content-type.h"
#include "lb-multipart-part-private.h"
#include "lb-net-error.h"
#include "lb-part-buffer-private.h"

/* RFC 2046 allows 70 characters; some servers exceed that, none by this much. */
#define MAX_BOUNDARY_LENGTH 200
/* Spaces and tabs allowed between a delimiter and its line end. */
#define MAX_TRANSPORT_PADDING 1024
/* A Content-Length is a hint: trust it for preallocation only up to this. */
#define MAX_PREALLOCATION (64 * 1024 * 1024)

typedef enum {
  STATE_PREAMBLE,
  STATE_BOUNDARY_LINE,
  STATE_HEADERS,
  STATE_BODY,
  STATE_COUNTED_BODY,
  STATE_BODY_END,
  STATE_EPILOGUE,
  STATE_FAILED,
} State;

struct _LbMultipartParser
{
  /* CRLF "--" boundary: what ends a body (RFC 2046 section 5.1.1). */
  guint8 *delimiter;
  gsize delimiter_length;
  guint64 max_part_size;
  LbMultipartPartFunc func;
  gpointer user_data;

  State state;
  GError *error;
  guint part_count;

  /* The end of the input seen so far that may be the start of a delimiter; held back
   * until the next bytes say whether it is. */
  guint8 *pending;
  gsize pending_length;
  guint8 *scratch;

  guint boundary_line_chars;
  gboolean boundary_line_dash;
  gboolean boundary_line_cr;

  GByteArray *line;
  gsize header_bytes;
  GHashTable *headers;
  char *last_header;

  gboolean has_content_length;
  guint64 content_length;
  LbPartBuffer *body;
  /* How much of the delimiter after a counted body has been seen. */
  gsize delimiter_matched;
};

static gboolean
set_malformed (GError **error, const char *what)
{
  g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
               "The archive sent a malformed multipart answer (%s).", what);
  return FALSE;
}

LbMultipartParser *
lb_multipart_parser_new (const char *boundary, guint64 max_part_size, LbMultipartPartFunc func,
                         gpointer user_data, GError **error)
{
  g_return_val_if_fail (boundary != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  gsize boundary_length = strlen (boundary);
  if (boundary_length == 0 || boundary_length > MAX_BOUNDARY_LENGTH ||
      strpbrk (boundary, "\r\n") != NULL)
    {
      set_malformed (error, "its boundary is empty, too long or contains a line break");
      return NULL;
    }

  LbMultipartParser *self = g_new0 (LbMultipartParser, 1);
  self->delimiter_length = boundary_length + 4;
  self->delimiter = g_malloc (self->delimiter_length);
  memcpy (self->delimiter, "\r\n--", 4);
  memcpy (self->delimiter + 4, boundary, boundary_length);
  self->max_part_size = MIN (max_part_size, G_MAXSIZE / 4);
  self->func = func;
  self->user_data = user_data;
  self->pending = g_malloc (self->delimiter_length);
  self->scratch = g_malloc (2 * self->delimiter_length);
  self->line = g_byte_array_new ();

  /* The first delimiter may open the body with no CRLF before it (Orthanc does that):
   * pretend one was there. */
  self->state = STATE_PREAMBLE;
  memcpy (self->pending, "\r\n", 2);
  self->pending_length = 2;
  return self;
}

LbMultipartParser *
lb_multipart_parser_new_for_content_type (const char *content_type, guint64 max_part_size,
                                          LbMultipartPartFunc func, gpointer user_data,
                                          GError **error)
{
  g_return_val_if_fail (content_type != NULL, NULL);

  g_autoptr (LbContentType) type = lb_content_type_parse (content_type, error);
  if (type == NULL)
    return NULL;
  if (!g_str_has_prefix (lb_content_type_get_media_type (type), "multipart/"))
    {
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL,
                   "The archive answered with %s instead of a multipart message.",
                   lb_content_type_get_media_type (type));
      return NULL;
    }
  const char *boundary = lb_content_type_get_param (type, "boundary");
  if (boundary == NULL)
    {
      set_malformed (error, "its Content-Type names no boundary");
      return NULL;
    }
  return lb_multipart_parser_new (boundary, max_part_size, func, user_data, error);
}

void
lb_multipart_parser_free (LbMultipartParser *self)
{
  if (self == NULL)
    return;
  g_free (self->delimiter);
  g_free (self->pending);
  g_free (self->scratch);
  g_clear_error (&self->error);
  g_byte_array_unref (self->line);
  g_clear_pointer (&self->headers, g_hash_table_unref);
  g_free (self->last_header);
  g_clear_pointer (&self->body, _lb_part_buffer_free);
  g_free (self);
}

guint
lb_multipart_parser_get_part_count (LbMultipartParser *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->part_count;
}

static void
start_boundary_line (LbMultipartParser *self)
{
  self->state = STATE_BOUNDARY_LINE;
  self->boundary_line_chars = 0;
  self->boundary_line_dash = FALSE;
  self->boundary_line_cr = FALSE;
}

static void
start_headers (LbMultipartParser *self)
{
  self->state = STATE_HEADERS;
  self->header_bytes = 0;
  g_byte_array_set_size (self->line, 0);
  g_clear_pointer (&self->last_header, g_free);
  g_clear_pointer (&self->headers, g_hash_table_unref);
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
start_body (LbMultipartParser *self, GError **error)
{
  const char *length_header = g_hash_table_lookup (self->headers, "content-length");

  /* A broken Content-Length is ignored like a missing one: the delimiter decides. */
  self->has_content_length =
    length_header != NULL &&
    g_ascii_string_to_unsigned (length_header, 10, 0, G_MAXUINT64, &self->content_length, NULL);
  if (self->has_content_length && self->content_length > self->max_part_size)
    {
      g_autofree char *limit = g_format_size (self->max_part_size);
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                   "A part of the archive's answer is larger than the limit of %s.", limit);
      return FALSE;
    }

  self->body = _lb_part_buffer_new (
    self->has_content_length ? (gsize) MIN (self->content_length, MAX_PREALLOCATION) : 0);
  /* With a length, the body is copied without searching it for the delimiter, which must
   * then follow at once. */
  self->state = self->has_content_length ? STATE_COUNTED_BODY : STATE_BODY;
  self->delimiter_matched = 0;
  if (self->has_content_length && self->content_length == 0)
    self->state = STATE_BODY_END;
  return TRUE;
}

static gboolean
append_body (LbMultipartParser *self, const guint8 *data, gsize length, GError **error)
{
  if (self->state == STATE_PREAMBLE || length == 0)
    return TRUE;
  if (length > self->max_part_size - _lb_part_buffer_get_length (self->body))
    {
      g_autofree char *limit = g_format_size (self->max_part_size);
      g_set_error (error, LB_NET_ERROR, LB_NET_ERROR_TOO_LARGE,
                   "A part of the archive's answer is larger than the limit of %s.", limit);
      return FALSE;
    }
  _lb_part_buffer_append (self->body, data, length);
  return TRUE;
}

static gboolean
emit_part (LbMultipartParser *self, GError **error)
{
  g_autoptr (GBytes) body = _lb_part_buffer_free_to_bytes (g_steal_pointer (&self->body));
  g_autoptr (LbMultipartPart) part =
    _lb_multipart_part_new (self->part_count, g_steal_pointer (&self->headers), body);
  self->part_count++;
  return self->func (part, self->user_data, error);
}

static gboolean
delimiter_found (LbMultipartParser *self, GError **error)
{
  if (self->state != STATE_PREAMBLE && !emit_part (self, error))
    return FALSE;
  start_boundary_line (self);
  return TRUE;
}

/* The preamble and each body run until the next delimiter; the preamble is dropped. */
static gboolean
feed_until_delimiter (LbMultipartParser *self, const guint8 *data, gsize length, gsize *used,
                      GError **error)
{
  const guint8 *delimiter = self->delimiter;
  gsize delimiter_length = self->delimiter_length;

  if (self->pending_length > 0)
    {
      gsize pending_length = self->pending_length;
      gsize taken = MIN (length, delimiter_length);
      gsize available = pending_length + taken;

      memcpy (self->scratch, self->pending, pending_length);
      memcpy (self->scratch + pending_length, data, taken);
      self->pending_length = 0;
      for (gsize i = 0; i < pending_length; i++)
        {
          gsize rest = available - i;

          if (rest >= delimiter_length)
            {
              if (memcmp (self->scratch + i, delimiter, delimiter_length) != 0)
                continue;
              if (!append_body (self, self->scratch, i, error))
                return FALSE;
              *used = delimiter_length - (pending_length - i);
              return delimiter_found (self, error);
            }
          /* All of @data fits in the scratch here, and it may still end in a delimiter. */
          if (memcmp (self->scratch + i, delimiter, rest) == 0)
            {
              if (!append_body (self, self->scratch, i, error))
                return FALSE;
              memcpy (self->pending, self->scratch + i, rest);
              self->pending_length = rest;
              *used = length;
              return TRUE;
            }
        }
      if (!append_body (self, self->scratch, pending_length, error))
        return FALSE;
    }

  const guint8 *match = memmem (data, length, delimiter, delimiter_length);
  if (match != NULL)
    {
      gsize at = match - data;

      if (!append_body (self, data, at, error))
        return FALSE;
      *used = at + delimiter_length;
      return delimiter_found (self, error);
    }

  /* Hold back the shortest tail that could still grow into a delimiter. */
  gsize tail = length >= delimiter_length ? length - (delimiter_length - 1) : 0;
  for (;;)
    {
      const guint8 *cr = memchr (data + tail, delimiter[0], length - tail);

      if (cr == NULL)
        {
          tail = length;
          break;
        }
      tail = cr - data;
      if (memcmp (cr, delimiter, length - tail) == 0)
        break;
      tail++;
    }
  if (!append_body (self, data, tail, error))
    return FALSE;
  memcpy (self->pending, data + tail, length - tail);
  self->pending_length = length - tail;
  *used = length;
  return TRUE;
}

static gboolean
feed_counted_body (LbMultipartParser *self, const guint8 *data, gsize length, gsize *used,
                   GError **error)
{
  guint64 missing = self->content_length - _lb_part_buffer_get_length (self->body);
  gsize taken = (gsize) MIN (missing, length);

  if (!append_body (self, data, taken, error))
    return FALSE;
  *used = taken;
  if (taken == missing)
    self->state = STATE_BODY_END;
  return TRUE;
}

static gboolean
feed_body_end (LbMultipartParser *self, const guint8 *data, gsize length, gsize *used,
               GError **error)
{
  gsize wanted = self->delimiter_length - self->delimiter_matched;
  gsize taken = MIN (wanted, length);

  if (memcmp (data, self->delimiter + self->delimiter_matched, taken) != 0)
    return set_malformed (error, "a part's length differs from its Content-Length");
  self->delimiter_matched += taken;
  *used = taken;
  if (self->delimiter_matched < self->delimiter_length)
    return TRUE;
  return delimiter_found (self, error);
}

/* What follows a delimiter on its line: "--" for the last one, else optional transport
 * padding, then the line end. */
static gboolean
feed_boundary_line (LbMultipartParser *self, const guint8 *data, gsize length, gsize *used,
                    GError **error)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];

      *used = i + 1;
      if (self->boundary_line_cr)
        {
          if (c != '\n')
            return set_malformed (error, "a boundary line does not end in CRLF");
          start_headers (self);
          return TRUE;
        }
      if (self->boundary_line_dash)
        {
          if (c != '-')
            return set_malformed (error, "unexpected text after a boundary");
          self->state = STATE_EPILOGUE;
          return TRUE;
        }
      if (++self->boundary_line_chars > MAX_TRANSPORT_PADDING)
        return set_malformed (error, "too much padding after a boundary");
      if (c == '-' && self->boundary_line_chars == 1)
        self->boundary_line_dash = TRUE;
      else if (c == '\r')
        self->boundary_line_cr = TRUE;
      else if (c == '\n')
        {
          start_headers (self);
          return TRUE;
        }
      else if (c != ' ' && c != '\t')
        return set_malformed (error, "unexpected text after a boundary");
    }
  return TRUE;
}

static gboolean
is_header_name (const char *name, gsize length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isgraph (name[i]) || name[i] == ':')
      return FALSE;
  return TRUE;
}

static gboolean
header_line (LbMultipartParser *self, const char *line, gsize length, GError **error)
{
  if (line[0] == ' ' || line[0] == '\t')
    {
      /* An obsolete folded continuation of the previous header. */
      if (self->last_header == NULL)
        return set_malformed (error, "a part's headers start with a continuation line");
      g_autofree char *more = g_strstrip (g_strndup (line, length));
      const char *value = g_hash_table_lookup (self->headers, self->last_header);
      g_hash_table_insert (self->headers, g_strdup (self->last_header),
                           g_strjoin (" ", value, more, NULL));
      return TRUE;
    }

  const char *colon = memchr (line, ':', length);
  if (colon == NULL || !is_header_name (line, colon - line))
    return set_malformed (error, "a part has a header line without a name");

  g_autofree char *name = g_ascii_strdown (line, colon - line);
  g_autofree char *value = g_strstrip (g_strndup (colon + 1, length - (colon + 1 - line)));
  const char *earlier = g_hash_table_lookup (self->headers, name);

  /* Repeated fields combine into one list, as HTTP does. */
  if (earlier != NULL)
    g_hash_table_insert (self->headers, g_strdup (name), g_strjoin (", ", earlier, value, NULL));
  else
    g_hash_table_insert (self->headers, g_strdup (name), g_steal_pointer (&value));
  g_free (self->last_header);
  self->last_header = g_steal_pointer (&name);
  return TRUE;
}

static gboolean
feed_headers (LbMultipartParser *self, const guint8 *data, gsize length, gsize *used,
              GError **error)
{
  const guint8 *newline = memchr (data, '\n', length);
  gsize taken = newline != NULL ? (gsize) (newline - data) + 1 : length;

  if (taken > LB_MULTIPART_MAX_HEADER_BYTES - self->header_bytes)
    return set_malformed (error, "a part's headers are too long");
  self->header_bytes += taken;
  g_byte_array_append (self->line, data, (guint) taken);
  *used = taken;
  if (newline == NULL)
    return TRUE;

  const char *line = (const char *) self->line->data;
  gsize line_length = self->line->len - 1;
  if (line_length > 0 && line[line_length - 1] == '\r')
    line_length--;

  gboolean ok = line_length == 0 ? start_body (self, error)
                                 : header_line (self, line, line_length, error);
  g_byte_array_set_size (self->line, 0);
  return ok;
}

gboolean
lb_multipart_parser_feed (LbMultipartParser *self, const void *data, gsize length,
                          GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  const guint8 *p = data;
  g_autoptr (GError) local_error = NULL;

  if (self->state == STATE_FAILED)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  while (length > 0)
    {
      gsize used = 0;
      gboolean ok = TRUE;

      switch (self->state)
        {
        case STATE_PREAMBLE:
        case STATE_BODY:
          ok = feed_until_delimiter (self, p, length, &used, &local_error);
          break;
        case STATE_COUNTED_BODY:
          ok = feed_counted_body (self, p, length, &used, &local_error);
          break;
        case STATE_BODY_END:
          ok = feed_body_end (self, p, length, &used, &local_error);
          break;
        case STATE_BOUNDARY_LINE:
          ok = feed_boundary_line (self, p, length, &used, &local_error);
          break;
        case STATE_HEADERS:
          ok = feed_headers (self, p, length, &used, &local_error);
          break;
        case STATE_EPILOGUE:
        case STATE_FAILED:
        default:
          used = length;
          break;
        }
      if (!ok)
        {
          self->state = STATE_FAILED;
          self->error = g_error_copy (local_error);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      p += used;
      length -= used;
    }
  return TRUE;
}

gboolean
lb_multipart_parser_finish (LbMultipartParser *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  switch (self->state)
    {
    case STATE_EPILOGUE:
      return TRUE;
    case STATE_FAILED:
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    case STATE_PREAMBLE:
      return set_malformed (error, "its boundary never appears");
    case STATE_BOUNDARY_LINE:
    case STATE_HEADERS:
    case STATE_BODY:
    case STATE_COUNTED_BODY:
    case STATE_BODY_END:
    default:
      g_set_error_literal (error, LB_NET_ERROR, LB_NET_ERROR_CUT,
                           "The archive's answer ended before its last part was complete.");
      return FALSE;
    }
}
