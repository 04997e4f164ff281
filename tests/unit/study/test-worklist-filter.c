/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worklist's search and filters: every word typed must appear in the name, ID,
 * accession or description; date windows count from today; modality and status narrow
 * further.  Typing more only narrows, and the filter says so.
 */
#include "config.h"

#include "lb-worklist-filter.h"
#include "lb-study-format.h"

static LbWorklistItem *
make_item (const char *name, const char *id, const char *accession, const char *description,
           const char *date, const char *modality)
{
  g_autofree char *json = g_strdup_printf (
    "{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.%s\"]},"
    "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"%s\"}]},"
    "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"%s\"]},"
    "\"00080050\":{\"vr\":\"SH\",\"Value\":[\"%s\"]},"
    "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"%s\"]},"
    "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"%s\"]},"
    "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"%s\"]}}",
    id, name, id, accession, description, date, modality);
  g_autoptr (JsonNode) node = json_from_string (json, NULL);
  g_autoptr (LbStudy) study = lb_study_new_from_json (json_node_get_object (node));

  g_assert_nonnull (study);
  return lb_worklist_item_new (study);
}

static void
test_text (void)
{
  g_autoptr (LbWorklistFilter) filter = lb_worklist_filter_new ();
  g_autoptr (LbWorklistItem) doe = make_item ("DOE^JOHN", "123", "ACC9", "CT CHEST", "20240315", "CT");
  g_autoptr (LbWorklistItem) roe = make_item ("ROE^JANE", "456", "ACC1", "MR HEAD", "20240314", "MR");

  g_assert_true (lb_worklist_filter_match (filter, doe));
  g_assert_true (lb_worklist_filter_set_text (filter, "jo"));
  g_assert_true (lb_worklist_filter_match (filter, doe));
  g_assert_false (lb_worklist_filter_match (filter, roe));
  /* More words narrow; each may match a different field, in any case. */
  g_assert_true (lb_worklist_filter_set_text (filter, "jo chest"));
  g_assert_true (lb_worklist_filter_match (filter, doe));
  g_assert_true (lb_worklist_filter_set_text (filter, "jo chest acc9"));
  g_assert_true (lb_worklist_filter_match (filter, doe));
  /* Deleting widens. */
  g_assert_false (lb_worklist_filter_set_text (filter, "acc"));
  g_assert_true (lb_worklist_filter_match (filter, doe));
  g_assert_true (lb_worklist_filter_match (filter, roe));
  /* The name as typed from a requisition, caret and all. */
  lb_worklist_filter_set_text (filter, "roe^jane");
  g_assert_true (lb_worklist_filter_match (filter, roe));
  lb_worklist_filter_set_text (filter, "456");
  g_assert_true (lb_worklist_filter_match (filter, roe));
  g_assert_false (lb_worklist_filter_match (filter, doe));
}

static void
test_dates_modality_status (void)
{
  g_autoptr (LbWorklistFilter) filter = lb_worklist_filter_new ();
  g_autoptr (LbWorklistItem) today = make_item ("A^A", "1", "", "", "20240315", "CT");
  g_autoptr (LbWorklistItem) yesterday = make_item ("B^B", "2", "", "", "20240314", "MR");
  g_autoptr (LbWorklistItem) last_week = make_item ("C^C", "3", "", "", "20240309", "CT");
  g_autoptr (LbWorklistItem) older = make_item ("D^D", "4", "", "", "20240301", "CT");
  guint day = lb_date_to_day ("20240315");

  lb_worklist_filter_set_date (filter, LB_DATE_FILTER_TODAY, day, 0, 0);
  g_assert_true (lb_worklist_filter_match (filter, today));
  g_assert_false (lb_worklist_filter_match (filter, yesterday));
  lb_worklist_filter_set_date (filter, LB_DATE_FILTER_YESTERDAY, day, 0, 0);
  g_assert_false (lb_worklist_filter_match (filter, today));
  g_assert_true (lb_worklist_filter_match (filter, yesterday));
  lb_worklist_filter_set_date (filter, LB_DATE_FILTER_LAST_7_DAYS, day, 0, 0);
  g_assert_true (lb_worklist_filter_match (filter, last_week));
  g_assert_false (lb_worklist_filter_match (filter, older));
  lb_worklist_filter_set_date (filter, LB_DATE_FILTER_RANGE, day, lb_date_to_day ("20240301"),
                               lb_date_to_day ("20240309"));
  g_assert_true (lb_worklist_filter_match (filter, older));
  g_assert_true (lb_worklist_filter_match (filter, last_week));
  g_assert_false (lb_worklist_filter_match (filter, yesterday));
  lb_worklist_filter_set_date (filter, LB_DATE_FILTER_ALL, day, 0, 0);

  lb_worklist_filter_set_modality (filter, "MR");
  g_assert_true (lb_worklist_filter_match (filter, yesterday));
  g_assert_false (lb_worklist_filter_match (filter, today));
  lb_worklist_filter_set_modality (filter, "");

  lb_worklist_filter_set_status (filter, LB_STATUS_FILTER_UNREAD);
  g_assert_true (lb_worklist_filter_match (filter, today));
  lb_worklist_item_set_status (today, LB_WORKLIST_STATUS_IN_PROGRESS);
  g_assert_false (lb_worklist_filter_match (filter, today));
  lb_worklist_filter_set_status (filter, LB_STATUS_FILTER_OPEN);
  g_assert_true (lb_worklist_filter_match (filter, today));
  lb_worklist_filter_set_status (filter, LB_STATUS_FILTER_REPORTED);
  g_assert_false (lb_worklist_filter_match (filter, today));
  lb_worklist_item_set_status (today, LB_WORKLIST_STATUS_FINAL);
  g_assert_true (lb_worklist_filter_match (filter, today));
}

static void
test_item_values (void)
{
  g_autoptr (LbWorklistItem) item = make_item ("DOE^JOHN", "123", "ACC9", "CT CHEST", "20240315", "CT");

  g_assert_cmpstr (lb_worklist_item_get_patient_name (item), ==, "DOE, JOHN");
  g_assert_cmpstr (lb_worklist_item_get_date_time (item), ==, "2024-03-15");
  g_assert_cmpint (lb_worklist_item_get_when (item), ==, G_GINT64_CONSTANT (20240315000000));
  g_assert_true (lb_worklist_item_has_modality (item, "CT"));
  lb_worklist_item_set_cache (item, LB_CACHE_STATE_FETCHING, 0.5);
  g_assert_cmpfloat (lb_worklist_item_get_cache_progress (item), ==, 0.5);
}

/* The archive's words for urgency, however written, become one order of reading; what
 * is not a priority is routine, and routine says nothing so that urgent rows stand out. */
static void
test_item_priority (void)
{
  const struct { const char *value; LbPriority priority; const char *label; } cases[] = {
    { "STAT", LB_PRIORITY_STAT, "STAT" },
    { " stat ", LB_PRIORITY_STAT, "STAT" },
    { "S", LB_PRIORITY_STAT, "STAT" },
    { "HIGH", LB_PRIORITY_HIGH, "High" },
    { "MED", LB_PRIORITY_MEDIUM, "Medium" },
    { "MEDIUM", LB_PRIORITY_MEDIUM, "Medium" },
    { "ROUTINE", LB_PRIORITY_ROUTINE, "" },
    { "LOW", LB_PRIORITY_LOW, "Low" },
    { "URGENTISSIMO", LB_PRIORITY_ROUTINE, "" },
    { NULL, LB_PRIORITY_ROUTINE, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *strings[LB_STUDY_N_STRINGS] = {
        [LB_STUDY_STUDY_INSTANCE_UID] = "1.2.3",
        [LB_STUDY_PRIORITY] = cases[i].value,
      };
      g_autoptr (LbStudy) study = lb_study_new (strings, NULL, -1, -1);
      g_autoptr (LbWorklistItem) item = lb_worklist_item_new (study);
      g_autofree char *label = NULL;
      int priority;

      g_assert_cmpint (lb_worklist_item_get_priority (item), ==, cases[i].priority);
      g_object_get (item, "priority", &priority, "priority-label", &label, NULL);
      g_assert_cmpint (priority, ==, cases[i].priority);
      g_assert_cmpstr (label, ==, cases[i].label);
    }
  g_assert_cmpint (LB_PRIORITY_STAT, >, LB_PRIORITY_HIGH);
  g_assert_cmpint (LB_PRIORITY_HIGH, >, LB_PRIORITY_MEDIUM);
  g_assert_cmpint (LB_PRIORITY_MEDIUM, >, LB_PRIORITY_ROUTINE);
  g_assert_cmpint (LB_PRIORITY_ROUTINE, >, LB_PRIORITY_LOW);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/worklist-filter/text", test_text);
  g_test_add_func ("/worklist-filter/dates-modality-status", test_dates_modality_status);
  g_test_add_func ("/worklist-filter/item-values", test_item_values);
  g_test_add_func ("/worklist-filter/item-priority", test_item_priority);
  return g_test_run ();
}
