/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The query string of a QIDO-RS search (PS3.18 8.3.4): matching keys, fuzzy matching,
 * included fields, paging.
 *
 * Encoding is a trade-off.  Orthanc never percent-decodes query strings, so "A%5EB"
 * matches nothing there while "A^B" matches; other archives decode as RFC 3986 says.
 * Values therefore go out as typed except for what would break the query's structure or
 * the URL: space, control characters, '"', '#', '%', '&', '+', '<', '=', '>', '[', '\',
 * ']', '`', '{', '|', '}' and every non-ASCII byte are percent-encoded.  DICOM matching
 * characters ('^' '*' '?' ',' '-' '.' '/' ':') stay as they are.  So a value with a space
 * or non-ASCII letters is right for decoding archives and matches nothing on Orthanc;
 * wildcards ('*', '?') reach every archive intact.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LB_TYPE_QIDO_QUERY (lb_qido_query_get_type ())

G_DECLARE_FINAL_TYPE (LbQidoQuery, lb_qido_query, LB, QIDO_QUERY, GObject)

LbQidoQuery *lb_qido_query_new (void);

/* Match @key (a keyword such as "PatientName" or a tag such as "00100010") with @value in
 * DICOM matching syntax: "*" and "?" wildcards, "A-B" ranges, UID lists separated by ",".
 * Replaces an earlier value for the same key; NULL or "" removes it. */
void lb_qido_query_set (LbQidoQuery *self, const char *key, const char *value);
const char *lb_qido_query_get (LbQidoQuery *self, const char *key);
/* A date range on @key: @from and @to as YYYYMMDD, either NULL for an open end. */
void lb_qido_query_set_date_range (LbQidoQuery *self, const char *key, const char *from,
                                   const char *to);
/* Ask for fuzzy person name matching (archives may ignore it: Orthanc does). */
void lb_qido_query_set_fuzzy (LbQidoQuery *self, gboolean fuzzy);
void lb_qido_query_add_include_field (LbQidoQuery *self, const char *field);
/* 0 means no limit. */
void lb_qido_query_set_limit (LbQidoQuery *self, guint limit);
void lb_qido_query_set_offset (LbQidoQuery *self, guint offset);
guint lb_qido_query_get_limit (LbQidoQuery *self);
guint lb_qido_query_get_offset (LbQidoQuery *self);

/* "key=value&..." in the order the keys were first set, without a leading '?'; "" when
 * there is nothing to ask. */
char *lb_qido_query_to_string (LbQidoQuery *self);

/* One key or value, encoded as described above. */
char *lb_qido_query_escape (const char *value);

G_END_DECLS
