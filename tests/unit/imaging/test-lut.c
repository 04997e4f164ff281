/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lookup tables and palettes: how LUT Data is read (16-bit words, packed 8-bit entries,
 * odd bit depths), bounds, segmented palettes (PS3.3 C.7.9.2) and the caps that keep
 * absurd or hostile tables from costing memory or time.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <string.h>

#include "imaging-fixture.h"
#include "lb-imaging-error.h"
#include "lb-lut.h"
#include "lb-palette.h"

static void
test_words (void)
{
  const guint16 data[] = { 100, 200, 300, 400 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LbLut) lut = lb_lut_new (4, -2, 16, (const guint8 *) data, sizeof data, "a test",
                                      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_get_n_entries (lut), ==, 4);
  g_assert_cmpint (lb_lut_get_first (lut), ==, -2);
  g_assert_cmpuint (lb_lut_get_bits (lut), ==, 16);
  /* Inputs below the first mapped value take the first entry, past the end the last. */
  g_assert_cmpuint (lb_lut_lookup (lut, -1000), ==, 100);
  g_assert_cmpuint (lb_lut_lookup (lut, -2), ==, 100);
  g_assert_cmpuint (lb_lut_lookup (lut, -1), ==, 200);
  g_assert_cmpuint (lb_lut_lookup (lut, 0), ==, 300);
  g_assert_cmpuint (lb_lut_lookup (lut, 1), ==, 400);
  g_assert_cmpuint (lb_lut_lookup (lut, 1000000), ==, 400);
}

static void
test_packed_8_bit (void)
{
  /* Five 8-bit entries packed into three words, as the standard stores them. */
  const guint8 bytes[] = { 10, 20, 30, 40, 50, 0 };
  guint16 words[3];
  memcpy (words, bytes, sizeof bytes);
  g_autoptr (GError) error = NULL;
  g_autoptr (LbLut) lut = lb_lut_new (5, 0, 8, (const guint8 *) words, sizeof words, "a test",
                                      &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (lb_lut_lookup (lut, i), ==, 10 * (i + 1));

  /* Older files put each 8-bit entry in its own word. */
  const guint16 wide[] = { 7, 8, 9 };
  g_autoptr (LbLut) lut2 = lb_lut_new (3, 0, 8, (const guint8 *) wide, sizeof wide, "a test",
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_lookup (lut2, 0), ==, 7);
  g_assert_cmpuint (lb_lut_lookup (lut2, 2), ==, 9);
}

static void
test_bits (void)
{
  const guint16 data[] = { 0, 4095, 0xf123 };
  g_autoptr (GError) error = NULL;

  /* 12 bits per entry: only the low 12 bits count. */
  g_autoptr (LbLut) twelve = lb_lut_new (3, 0, 12, (const guint8 *) data, sizeof data, "a test",
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_get_bits (twelve), ==, 12);
  g_assert_cmpuint (lb_lut_lookup (twelve, 1), ==, 4095);
  g_assert_cmpuint (lb_lut_lookup (twelve, 2), ==, 0x123);

  /* A depth outside 8..16 is taken from the largest entry (4095: 12 bits). */
  g_autoptr (LbLut) derived = lb_lut_new (2, 0, 0, (const guint8 *) data, 4, "a test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_get_bits (derived), ==, 12);
  g_autoptr (LbLut) derived2 = lb_lut_new (2, 0, 40, (const guint8 *) data, 4, "a test", &error);
  g_assert_cmpuint (lb_lut_get_bits (derived2), ==, 12);
}

static void
test_caps (void)
{
  const guint16 data[] = { 1, 2 };
  g_autoptr (GError) error = NULL;

  /* A descriptor claiming 65536 entries over four bytes of data: only what is there is
   * read, never past the end. */
  g_autoptr (LbLut) lut = lb_lut_new (LB_LUT_MAX_ENTRIES, 0, 16, (const guint8 *) data,
                                      sizeof data, "a test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_get_n_entries (lut), ==, 2);
  g_assert_cmpuint (lb_lut_lookup (lut, 60000), ==, 2);

  g_assert_null (lb_lut_new (4, 0, 16, NULL, 0, "a test", &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
  g_clear_error (&error);
  g_assert_null (lb_lut_new (4, 0, 16, (const guint8 *) data, 1, "a test", &error));
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
}

static LbLut *
expand16 (const guint16 *words, gsize n_words, guint entries, GError **error)
{
  return lb_palette_expand_segmented ((const guint8 *) words, n_words * 2, entries, 0, 16,
                                      "a test palette", error);
}

static void
test_segmented (void)
{
  g_autoptr (GError) error = NULL;
  /* discrete (0, 2 entries: 0, 1000), linear (1, 4 entries, to 5000), then
   * indirect (2, copy 1 segment, from word offset 0 = low 0, high 0). */
  const guint16 words[] = { 0, 2, 0, 1000, 1, 4, 5000, 2, 1, 0, 0 };
  g_autoptr (LbLut) lut = expand16 (words, G_N_ELEMENTS (words), 8, &error);

  g_assert_no_error (error);
  /* Linear from y0 = 1000 (the last entry) to 5000 over 4: 2000, 3000, 4000, 5000.
   * The indirect segment repeats the first discrete segment: 0, 1000. */
  const guint expected[] = { 0, 1000, 2000, 3000, 4000, 5000, 0, 1000 };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (lb_lut_lookup (lut, i), ==, expected[i]);

  /* A linear segment rounds half to even: 0 -> 3 over 2 gives 1.5 -> 2, then 3. */
  const guint16 halves[] = { 0, 1, 0, 1, 2, 3 };
  g_autoptr (LbLut) lut2 = expand16 (halves, G_N_ELEMENTS (halves), 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_lookup (lut2, 1), ==, 2);
  g_assert_cmpuint (lb_lut_lookup (lut2, 2), ==, 3);

  /* A table that ends early keeps its last value. */
  g_autoptr (LbLut) lut3 = expand16 (halves, G_N_ELEMENTS (halves), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_lookup (lut3, 9), ==, 3);
}

static void
test_segmented_broken (void)
{
  const struct {
    guint16 words[8];
    guint n;
  } cases[] = {
    { { 1, 4, 100 }, 3 },                  /* starts with a linear segment */
    { { 2, 1, 0, 0 }, 4 },                 /* starts with an indirect segment */
    { { 0, 5, 1, 2 }, 4 },                 /* discrete segment past the end */
    { { 0, 1, 7, 1, 3 }, 5 },              /* linear segment without its end value */
    { { 0, 1, 7, 9, 1, 1 }, 6 },           /* unknown segment type */
    { { 0, 1, 7, 2, 1, 200, 0 }, 7 },      /* indirect offset past the end */
    { { 0, 1, 7, 2, 1, 3, 0 }, 7 },        /* indirect pointing at itself */
    { { 0 }, 1 },                          /* nothing at all */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LbLut) lut = expand16 (cases[i].words, cases[i].n, 16, &error);
      g_assert_null (lut);
      g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
    }
}

static void
test_segmented_caps (void)
{
  g_autoptr (GError) error = NULL;

  /* Linear segments of 65535 entries: the output stops at the descriptor's 256. */
  const guint16 linear[] = { 0, 1, 0, 1, 65535, 60000, 1, 65535, 0 };
  g_autoptr (LbLut) lut = expand16 (linear, G_N_ELEMENTS (linear), 256, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lb_lut_get_n_entries (lut), ==, 256);
  /* Entry 255 is step 255 of the first: 60000 * 255 / 65535 = 233.46 -> 233. */
  g_assert_cmpuint (lb_lut_lookup (lut, 255), ==, 233);

  /* 40000 empty segments, then 30000 indirect segments that each replay all of them:
   * 1.2 billion steps that produce nothing.  The work is capped and the table refused
   * instead of taking minutes. */
  const gsize empty = 40000, indirect = 30000;
  gsize n = 3 + 2 * empty + 4 * indirect;
  g_autofree guint16 *hostile = g_new0 (guint16, n);
  hostile[0] = 0, hostile[1] = 1, hostile[2] = 5;
  for (gsize i = 0; i < indirect; i++)
    {
      guint16 *s = hostile + 3 + 2 * empty + 4 * i;
      s[0] = 2, s[1] = (guint16) empty, s[2] = 3, s[3] = 0;
    }
  g_autoptr (LbLut) refused = expand16 (hostile, n, 65536, &error);
  g_assert_null (refused);
  g_assert_error (error, LB_IMAGING_ERROR, LB_IMAGING_ERROR_BAD_LUT);
}

static void
test_palette_16_bit (void)
{
  const guint16 r[] = { 0x0000, 0xff00, 0x80ff, 0x1234 };
  const guint16 g[] = { 0xffff, 0x0000, 0x4000, 0x5678 };
  const guint16 b[] = { 0x00ff, 0x00ff, 0xc000, 0x9abc };
  g_autoptr (LbLut) red = lb_lut_new_from_entries (r, 4, 0, 16);
  g_autoptr (LbLut) green = lb_lut_new_from_entries (g, 4, 0, 16);
  g_autoptr (LbLut) blue = lb_lut_new_from_entries (b, 4, 0, 16);
  g_autoptr (LbPalette) palette = lb_palette_new (red, green, blue);

  /* 16-bit entries keep their high byte. */
  g_assert_cmphex (lb_palette_lookup (palette, 0), ==, 0x00ff00);
  g_assert_cmphex (lb_palette_lookup (palette, 1), ==, 0xff0000);
  g_assert_cmphex (lb_palette_lookup (palette, 2), ==, 0x8040c0);
  g_assert_cmphex (lb_palette_lookup (palette, 3), ==, 0x12569a);
  g_assert_cmphex (lb_palette_lookup (palette, 99), ==, 0x12569a);
}

static LbPalette *
open_palette (const char *name)
{
  g_autofree char *relative = g_build_filename ("..", "palettes", name, NULL);
  g_autoptr (LbDicomFile) file = fixture_open_pydicom (relative);
  g_autoptr (GError) error = NULL;

  if (file == NULL)
    return NULL;
  LbPalette *palette = lb_palette_new_from_file (file, NULL, FALSE, &error);
  g_assert_no_error (error);
  return palette;
}

static guint
channel (const LbPalette *palette, gint64 index, guint shift)
{
  return (lb_palette_lookup (palette, index) >> shift) & 0xff;
}

static void
test_palette_files (void)
{
  /* Expected values from pydicom 2.3's _expand_segmented_lut and its raw tables. */
  g_autoptr (LbPalette) hotiron = open_palette ("hotiron.dcm");
  if (hotiron == NULL)
    return;
  /* Plain 8-bit entries packed into OW: red 0, 2, 4, ... */
  g_assert_cmpuint (lb_palette_get_n_entries (hotiron), ==, 256);
  g_assert_cmpuint (channel (hotiron, 0, 16), ==, 0);
  g_assert_cmpuint (channel (hotiron, 1, 16), ==, 2);
  g_assert_cmpuint (channel (hotiron, 7, 16), ==, 14);
  g_assert_cmpuint (channel (hotiron, 7, 8), ==, 0);

  /* Segmented, 8-bit words: red 255 throughout; green 0, 1, 2 ... 255; blue 255 ... 0. */
  g_autoptr (LbPalette) spring = open_palette ("spring.dcm");
  g_assert_cmpuint (lb_palette_get_n_entries (spring), ==, 256);
  g_assert_cmpuint (channel (spring, 0, 16), ==, 255);
  g_assert_cmpuint (channel (spring, 255, 16), ==, 255);
  g_assert_cmpuint (channel (spring, 0, 8), ==, 0);
  g_assert_cmpuint (channel (spring, 100, 8), ==, 100);
  g_assert_cmpuint (channel (spring, 255, 8), ==, 255);
  g_assert_cmpuint (channel (spring, 0, 0), ==, 255);
  g_assert_cmpuint (channel (spring, 100, 0), ==, 155);
  g_assert_cmpuint (channel (spring, 255, 0), ==, 0);

  /* summer green: linear 255 -> 128 over 255 entries, rounded:
   * 255, 255, 254, 254, 253, 253 ... [100] 205 ... 129, 128, 128. */
  g_autoptr (LbPalette) summer = open_palette ("summer.dcm");
  const guint green[] = { 255, 255, 254, 254, 253, 253 };
  for (guint i = 0; i < G_N_ELEMENTS (green); i++)
    g_assert_cmpuint (channel (summer, i, 8), ==, green[i]);
  g_assert_cmpuint (channel (summer, 100, 8), ==, 205);
  g_assert_cmpuint (channel (summer, 253, 8), ==, 129);
  g_assert_cmpuint (channel (summer, 255, 8), ==, 128);
  /* summer blue has two linear segments: ... 250, 252, 254 at the end. */
  g_assert_cmpuint (channel (summer, 253, 0), ==, 250);
  g_assert_cmpuint (channel (summer, 255, 0), ==, 254);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imaging/lut/words", test_words);
  g_test_add_func ("/imaging/lut/packed-8-bit", test_packed_8_bit);
  g_test_add_func ("/imaging/lut/bits", test_bits);
  g_test_add_func ("/imaging/lut/caps", test_caps);
  g_test_add_func ("/imaging/palette/segmented", test_segmented);
  g_test_add_func ("/imaging/palette/segmented-broken", test_segmented_broken);
  g_test_add_func ("/imaging/palette/segmented-caps", test_segmented_caps);
  g_test_add_func ("/imaging/palette/16-bit", test_palette_16_bit);
  g_test_add_func ("/imaging/palette/files", test_palette_files);
  return g_test_run ();
}
