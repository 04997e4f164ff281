/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading the DICOM JSON model (PS3.18 F.2) as archives really write it: tags as
 * "GGGGEEEE" keys, values in a "Value" array whose items may be null, IS and DS as JSON
 * numbers (Orthanc) or strings (others), PN as objects with Alphabetic, Ideographic and
 * Phonetic groups.  A value of an unexpected type reads as missing; only a document that
 * is not JSON at all is an error.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib recurses once per nesting level with no limit of its own: deeper input is
 * refused before it is parsed.  DICOM JSON needs about four levels per sequence. */
#define LB_DICOM_JSON_MAX_DEPTH 256

/* Parses an answer that must be a JSON array of objects (an empty body is an empty
 * array).  @what names the answer in the error: "search results", "metadata". */
JsonArray *_lb_dicom_json_parse_array (GBytes *bytes, const char *what, GError **error);
/* Same for an answer that must be one JSON object. */
JsonObject *_lb_dicom_json_parse_object (GBytes *bytes, const char *what, GError **error);

/* The "Value" array of the attribute @tag of @dataset, or NULL. */
JsonArray *_lb_dicom_json_get_values (JsonObject *dataset, const char *tag);
/* The first value as text (numbers formatted), or NULL when missing or empty. */
char *_lb_dicom_json_dup_string (JsonObject *dataset, const char *tag);
/* Every non-empty value as text, or NULL when there is none. */
char **_lb_dicom_json_dup_strings (JsonObject *dataset, const char *tag);
/* The first person name: its Alphabetic group, else Ideographic, else Phonetic. */
char *_lb_dicom_json_dup_person_name (JsonObject *dataset, const char *tag);
/* The first value as an integer, from a JSON number or a numeric string. */
gboolean _lb_dicom_json_get_int (JsonObject *dataset, const char *tag, gint64 *out);

G_END_DECLS
