/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lb-qido-query.h"

static void
test_escape (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    /* Orthanc never decodes: DICOM matching characters must go out as they are. */
    { "DOE^JOHN", "DOE^JOHN" },
    { "DO*^J?HN", "DO*^J?HN" },
    { "1.2.3,1.2.4", "1.2.3,1.2.4" },
    { "20200101-20201231", "20200101-20201231" },
    { "a/b:c@d!e$f'g(h)i;j~k_l", "a/b:c@d!e$f'g(h)i;j~k_l" },
    /* What would break the query or the URL is encoded. */
    { "A B", "A%20B" },
    { "A&B=C", "A%26B%3DC" },
    { "A+B", "A%2BB" },
    { "50%", "50%25" },
    { "#1", "%231" },
    { "a\\b", "a%5Cb" },
    { "<\">[]`{|}", "%3C%22%3E%5B%5D%60%7B%7C%7D" },
    { "\t\n\x7f", "%09%0A%7F" },
    { "Müller", "M%C3%BCller" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = lb_qido_query_escape (cases[i].in);
      g_assert_cmpstr (escaped, ==, cases[i].out);
    }
}

static void
test_build (void)
{
  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();
  g_autofree char *empty = lb_qido_query_to_string (query);

  g_assert_cmpstr (empty, ==, "");

  lb_qido_query_set (query, "PatientName", "DOE^J*");
  lb_qido_query_set (query, "ModalitiesInStudy", "CT");
  lb_qido_query_set_date_range (query, "StudyDate", "20200101", "20201231");
  lb_qido_query_set (query, "AccessionNumber", "A 1&2");
  lb_qido_query_set_fuzzy (query, TRUE);
  lb_qido_query_add_include_field (query, "StudyDescription");
  lb_qido_query_add_include_field (query, "00201208");
  lb_qido_query_add_include_field (query, "StudyDescription");
  lb_qido_query_set_limit (query, 50);
  lb_qido_query_set_offset (query, 100);
  /* Replacing keeps the first position; removing drops the key. */
  lb_qido_query_set (query, "PatientName", "SMITH");
  lb_qido_query_set (query, "ModalitiesInStudy", NULL);
  g_assert_cmpstr (lb_qido_query_get (query, "PatientName"), ==, "SMITH");
  g_assert_null (lb_qido_query_get (query, "ModalitiesInStudy"));

  g_autofree char *s = lb_qido_query_to_string (query);
  g_assert_cmpstr (s, ==,
                   "PatientName=SMITH&StudyDate=20200101-20201231&AccessionNumber=A%201%262"
                   "&fuzzymatching=true&includefield=StudyDescription&includefield=00201208"
                   "&limit=50&offset=100");
}

static void
test_date_ranges (void)
{
  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();

  lb_qido_query_set_date_range (query, "StudyDate", "20200101", NULL);
  g_assert_cmpstr (lb_qido_query_get (query, "StudyDate"), ==, "20200101-");
  lb_qido_query_set_date_range (query, "StudyDate", NULL, "20201231");
  g_assert_cmpstr (lb_qido_query_get (query, "StudyDate"), ==, "-20201231");
  lb_qido_query_set_date_range (query, "StudyDate", "20200101", "20200101");
  g_assert_cmpstr (lb_qido_query_get (query, "StudyDate"), ==, "20200101");
  lb_qido_query_set_date_range (query, "StudyDate", NULL, NULL);
  g_assert_null (lb_qido_query_get (query, "StudyDate"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/net/qido-query/escape", test_escape);
  g_test_add_func ("/net/qido-query/build", test_build);
  g_test_add_func ("/net/qido-query/date-ranges", test_date_ranges);
  return g_test_run ();
}
