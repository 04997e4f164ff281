/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lb-instance.h"
#include "lb-net-error.h"
#include "lb-qido.h"
#include "lb-series.h"
#include "lb-study.h"

static GListModel *
parse_studies (const char *json, GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (json, strlen (json));
  return lb_qido_parse_studies (bytes, error);
}

/* As Orthanc writes it: numbers for IS, PN objects, empty attributes without Value. */
static const char orthanc_study[] =
  "[{"
  "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20040119\"]},"
  "\"00080030\":{\"vr\":\"TM\",\"Value\":[\"072730\"]},"
  "\"00080050\":{\"vr\":\"SH\"},"
  "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"CT\",\"SR\"]},"
  "\"00080090\":{\"vr\":\"PN\"},"
  "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"e+1\"]},"
  "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"CompressedSamples^CT1\"}]},"
  "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"1CT1\"]},"
  "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.3.6.1.4.1.5962.1.2.1.20040119072730.12322\"]},"
  "\"00201206\":{\"vr\":\"IS\",\"Value\":[1]},"
  "\"00201208\":{\"vr\":\"IS\",\"Value\":[12]},"
  "\"00401003\":{\"vr\":\"SH\",\"Value\":[\"STAT\"]}"
  "}]";

static void
test_orthanc_study (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) studies = parse_studies (orthanc_study, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (studies), ==, 1);
  g_assert_true (g_list_model_get_item_type (studies) == LB_TYPE_STUDY);

  g_autoptr (LbStudy) study = g_list_model_get_item (studies, 0);
  g_assert_cmpstr (lb_study_get_study_instance_uid (study), ==,
                   "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
  g_assert_cmpstr (lb_study_get_patient_name (study), ==, "CompressedSamples^CT1");
  g_assert_cmpstr (lb_study_get_patient_id (study), ==, "1CT1");
  g_assert_cmpstr (lb_study_get_study_date (study), ==, "20040119");
  g_assert_cmpstr (lb_study_get_study_time (study), ==, "072730");
  g_assert_cmpstr (lb_study_get_study_description (study), ==, "e+1");
  g_assert_null (lb_study_get_accession_number (study));
  g_assert_null (lb_study_get_referring_physician_name (study));
  g_assert_null (lb_study_get_patient_birth_date (study));
  g_assert_cmpuint (g_strv_length ((char **) lb_study_get_modalities (study)), ==, 2);
  g_assert_cmpstr (lb_study_get_modalities (study)[1], ==, "SR");
  g_assert_cmpint (lb_study_get_series_count (study), ==, 1);
  g_assert_cmpint (lb_study_get_instance_count (study), ==, 12);
  g_assert_cmpstr (lb_study_get_priority (study), ==, "STAT");
  g_assert_cmpstr (lb_study_get_string (study, LB_STUDY_PRIORITY), ==, "STAT");

  /* The properties a list view binds to. */
  g_autofree char *name = NULL;
  int instances = 0;
  g_auto (GStrv) modalities = NULL;
  g_object_get (study, "patient-name", &name, "instance-count", &instances, "modalities",
                &modalities, NULL);
  g_assert_cmpstr (name, ==, "CompressedSamples^CT1");
  g_assert_cmpint (instances, ==, 12);
  g_assert_cmpstr (modalities[0], ==, "CT");
}

/* The cache makes its studies from its own columns: the same values, copied. */
static void
test_study_from_values (void)
{
  const char *strings[LB_STUDY_N_STRINGS] = {
    [LB_STUDY_STUDY_INSTANCE_UID] = "1.2.3",
    [LB_STUDY_PATIENT_NAME] = "Doe^Jane",
    [LB_STUDY_PRIORITY] = "HIGH",
  };
  g_autofree char *uid = g_strdup ("1.2.3.4");
  strings[LB_STUDY_STUDY_INSTANCE_UID] = uid;

  g_autoptr (LbStudy) study = lb_study_new (strings, NULL, 2, -7);
  uid[0] = 'X';
  g_assert_cmpstr (lb_study_get_study_instance_uid (study), ==, "1.2.3.4");
  g_assert_cmpstr (lb_study_get_patient_name (study), ==, "Doe^Jane");
  g_assert_cmpstr (lb_study_get_priority (study), ==, "HIGH");
  g_assert_null (lb_study_get_study_description (study));
  g_assert_nonnull (lb_study_get_modalities (study));
  g_assert_null (lb_study_get_modalities (study)[0]);
  g_assert_cmpint (lb_study_get_series_count (study), ==, 2);
  g_assert_cmpint (lb_study_get_instance_count (study), ==, -1);

  g_autofree char *priority = NULL;
  g_object_get (study, "priority", &priority, NULL);
  g_assert_cmpstr (priority, ==, "HIGH");
}

/* What a worklist search asks for is what a study reads: nothing it shows is left to
 * the archive's defaults. */
static void
test_include_fields (void)
{
  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();

  lb_study_add_include_fields (query);
  g_autofree char *s = lb_qido_query_to_string (query);
  const char *const wanted[] = { "0020000D", "00100010", "00081030", "00401003", "00080061",
                                 "00201206", "00201208" };
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      g_autofree char *field = g_strconcat ("includefield=", wanted[i], NULL);
      g_assert_nonnull (strstr (s, field));
    }
}

static void
test_other_archives (void)
{
  g_autoptr (GError) error = NULL;
  /* Numbers as strings (with padding and a sign), lower-case tags, PN with only an
   * Ideographic group, a PN written as a bare string, nulls in a multi-valued list, and
   * values of the wrong type, which read as missing. */
  g_autoptr (GListModel) studies = parse_studies (
    "[{\"0020000d\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
    "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Ideographic\":\"山田^太郎\"}]},"
    "\"00080090\":{\"vr\":\"PN\",\"Value\":[\"Ref^Doc\"]},"
    "\"00080061\":{\"vr\":\"CS\",\"Value\":[null,\"MR\",\"\",null]},"
    "\"00201206\":{\"vr\":\"IS\",\"Value\":[\" +3 \"]},"
    "\"00201208\":{\"vr\":\"IS\",\"Value\":[\"many\"]},"
    "\"00100020\":{\"vr\":\"LO\",\"Value\":[{\"odd\":1}]},"
    "\"00080020\":{\"vr\":\"DA\",\"Value\":\"20200101\"},"
    "\"00080030\":[\"not an attribute\"],"
    "\"00081030\":{\"vr\":\"LO\",\"Value\":[]}"
    "},"
    "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.4\"]},"
    "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Phonetic\":\"ya-ma-da\"}]},"
    "\"00201206\":{\"vr\":\"IS\",\"Value\":[2.0]},"
    "\"00201208\":{\"vr\":\"IS\",\"Value\":[2.5]}"
    "}]",
    &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (studies), ==, 2);

  g_autoptr (LbStudy) first = g_list_model_get_item (studies, 0);
  g_assert_cmpstr (lb_study_get_study_instance_uid (first), ==, "1.2.3");
  g_assert_cmpstr (lb_study_get_patient_name (first), ==, "山田^太郎");
  g_assert_cmpstr (lb_study_get_referring_physician_name (first), ==, "Ref^Doc");
  g_assert_cmpuint (g_strv_length ((char **) lb_study_get_modalities (first)), ==, 1);
  g_assert_cmpstr (lb_study_get_modalities (first)[0], ==, "MR");
  g_assert_cmpint (lb_study_get_series_count (first), ==, 3);
  g_assert_cmpint (lb_study_get_instance_count (first), ==, -1);
  g_assert_null (lb_study_get_patient_id (first));
  g_assert_null (lb_study_get_study_date (first));
  g_assert_null (lb_study_get_study_time (first));
  g_assert_null (lb_study_get_study_description (first));

  g_autoptr (LbStudy) second = g_list_model_get_item (studies, 1);
  g_assert_cmpstr (lb_study_get_patient_name (second), ==, "ya-ma-da");
  g_assert_cmpint (lb_study_get_series_count (second), ==, 2);
  g_assert_cmpint (lb_study_get_instance_count (second), ==, -1);
  g_assert_nonnull (lb_study_get_modalities (second));
  g_assert_null (lb_study_get_modalities (second)[0]);
}

static void
test_missing_uid_is_left_out (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) studies = parse_studies (
    "[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"No^Uid\"}]}},"
    "{\"0020000D\":{\"vr\":\"UI\"}},"
    "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.5\"]}}]",
    &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (studies), ==, 1);
}

static void
test_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) none = parse_studies ("", &error);
  g_autoptr (GListModel) blank = parse_studies (" \r\n", &error);
  g_autoptr (GListModel) empty = parse_studies ("[]", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (blank), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (empty), ==, 0);
}

static void
test_malformed (void)
{
  static const char *const broken[] = {
    "[{\"0020000D\":",
    "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}",
    "[1, 2]",
    "[{}, \"x\"]",
    "null",
    "\"text\"",
    "<html>Internal error</html>",
    "[{\"a\":\"\xff\xfe\"}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GListModel) studies = parse_studies (broken[i], &error);

      g_assert_null (studies);
      g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==,
                       "The archive sent search results that cannot be read as DICOM JSON.");
    }
}

static void
test_deep_nesting (void)
{
  /* json-glib would recurse until the stack runs out. */
  gsize depth = 1000000;
  g_autofree char *json = g_malloc (2 * depth + 1);
  g_autoptr (GError) error = NULL;

  memset (json, '[', depth);
  memset (json + depth, ']', depth);
  json[2 * depth] = '\0';
  g_autoptr (GListModel) studies = parse_studies (json, &error);
  g_assert_null (studies);
  g_assert_error (error, LB_NET_ERROR, LB_NET_ERROR_PROTOCOL);

  /* Brackets inside strings do not count. */
  g_autoptr (GString) ok = g_string_new ("[{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]},"
                                         "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (ok, "[{\\\"");
  g_string_append (ok, "\"]}}]");
  g_clear_error (&error);
  g_autoptr (GListModel) fine = parse_studies (ok->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (fine), ==, 1);
}

static void
test_series_and_instances (void)
{
  g_autoptr (GError) error = NULL;
  const char *series_json =
    "[{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4\"]},"
    "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]},"
    "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
    "\"0008103E\":{\"vr\":\"LO\",\"Value\":[\"Axial 1mm\"]},"
    "\"00200011\":{\"vr\":\"IS\",\"Value\":[\"7\"]},"
    "\"00201209\":{\"vr\":\"IS\",\"Value\":[300]}}]";
  const char *instances_json =
    "[{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"1.2.3.4.5\"]},"
    "\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]},"
    "\"00083002\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.1.2.4.70\"]},"
    "\"00200013\":{\"vr\":\"IS\",\"Value\":[12]},"
    "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},"
    "\"00280011\":{\"vr\":\"US\",\"Value\":[512]},"
    "\"00280008\":{\"vr\":\"IS\",\"Value\":[\"3\"]}}]";
  g_autoptr (GBytes) series_bytes = g_bytes_new_static (series_json, strlen (series_json));
  g_autoptr (GBytes) instances_bytes =
    g_bytes_new_static (instances_json, strlen (instances_json));
  g_autoptr (GListModel) series = lb_qido_parse_series (series_bytes, &error);
  g_assert_no_error (error);
  g_autoptr (GListModel) instances = lb_qido_parse_metadata (instances_bytes, &error);
  g_assert_no_error (error);

  g_autoptr (LbSeries) s = g_list_model_get_item (series, 0);
  g_assert_cmpstr (lb_series_get_series_instance_uid (s), ==, "1.2.3.4");
  g_assert_cmpstr (lb_series_get_study_instance_uid (s), ==, "1.2.3");
  g_assert_cmpstr (lb_series_get_modality (s), ==, "CT");
  g_assert_cmpstr (lb_series_get_series_description (s), ==, "Axial 1mm");
  g_assert_cmpint (lb_series_get_series_number (s), ==, 7);
  g_assert_cmpint (lb_series_get_instance_count (s), ==, 300);

  g_autoptr (LbInstance) instance = g_list_model_get_item (instances, 0);
  g_assert_cmpstr (lb_instance_get_sop_instance_uid (instance), ==, "1.2.3.4.5");
  g_assert_cmpstr (lb_instance_get_sop_class_uid (instance), ==, "1.2.840.10008.5.1.4.1.1.2");
  g_assert_cmpstr (lb_instance_get_transfer_syntax_uid (instance), ==,
                   "1.2.840.10008.1.2.4.70");
  g_assert_cmpint (lb_instance_get_instance_number (instance), ==, 12);
  g_assert_cmpint (lb_instance_get_rows (instance), ==, 512);
  g_assert_cmpint (lb_instance_get_number_of_frames (instance), ==, 3);
  g_assert_true (json_object_has_member (lb_instance_get_attributes (instance), "00280010"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/qido-parse/orthanc-study", test_orthanc_study);
  g_test_add_func ("/net/qido-parse/study-from-values", test_study_from_values);
  g_test_add_func ("/net/qido-parse/include-fields", test_include_fields);
  g_test_add_func ("/net/qido-parse/other-archives", test_other_archives);
  g_test_add_func ("/net/qido-parse/missing-uid-is-left-out", test_missing_uid_is_left_out);
  g_test_add_func ("/net/qido-parse/empty", test_empty);
  g_test_add_func ("/net/qido-parse/malformed", test_malformed);
  g_test_add_func ("/net/qido-parse/deep-nesting", test_deep_nesting);
  g_test_add_func ("/net/qido-parse/series-and-instances", test_series_and_instances);
  return g_test_run ();
}
