/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * lb-rle.c against hand-encoded PS3.5 Annex G frames, and against malformed ones.
 */
#define G_LOG_DOMAIN "lb-test"
#include "config.h"

#include <string.h>

#include "lb-dicom-error.h"
#include "lb-rle.h"

/* Builds an RLE frame: the 64-byte header then the segments, each already PackBits. */
static GByteArray *
frame_new (guint n, const guint8 *const *segments, const gsize *lengths)
{
  GByteArray *frame = g_byte_array_new ();
  guint32 header[16] = { GUINT32_TO_LE (n) };
  guint32 offset = 64;

  for (guint i = 0; i < n; i++)
    {
      header[1 + i] = GUINT32_TO_LE (offset);
      offset += (guint32) lengths[i];
    }
  g_byte_array_append (frame, (const guint8 *) header, sizeof header);
  for (guint i = 0; i < n; i++)
    g_byte_array_append (frame, segments[i], (guint) lengths[i]);
  return frame;
}

static void
test_literal_and_runs (void)
{
  /* 2 literal bytes (control 1), then 0x07 repeated 3 times (control -2 = 0xfe), then a
   * no-op (-128), then one literal: 10 20 07 07 07 30 for a 3 x 2 image. */
  const guint8 seg[] = { 0x01, 0x10, 0x20, 0xfe, 0x07, 0x80, 0x00, 0x30 };
  const guint8 *segments[] = { seg };
  const gsize lengths[] = { sizeof seg };
  g_autoptr (GByteArray) frame = frame_new (1, segments, lengths);
  guint8 out[6];
  g_autoptr (GError) error = NULL;

  g_assert_true (lb_rle_decode_frame (frame->data, frame->len, 3, 2, 1, 1, out, &error));
  g_assert_no_error (error);
  const guint8 expected[] = { 0x10, 0x20, 0x07, 0x07, 0x07, 0x30 };
  g_assert_cmpmem (out, sizeof out, expected, sizeof expected);
}

static void
test_16bit_byte_order (void)
{
  /* Segment 1 holds the high bytes, segment 2 the low bytes: values 0x0102, 0xA0B0. */
  const guint8 high[] = { 0x01, 0x01, 0xa0 };
  const guint8 low[] = { 0x01, 0x02, 0xb0 };
  const guint8 *segments[] = { high, low };
  const gsize lengths[] = { sizeof high, sizeof low };
  g_autoptr (GByteArray) frame = frame_new (2, segments, lengths);
  guint16 out[2];

  g_assert_true (lb_rle_decode_frame (frame->data, frame->len, 2, 1, 1, 2, (guint8 *) out, NULL));
  g_assert_cmphex (out[0], ==, 0x0102);
  g_assert_cmphex (out[1], ==, 0xa0b0);
}

static void
test_rgb_interleaved (void)
{
  /* Two pixels, segments R, G, B: red then blue. */
  const guint8 r[] = { 0x01, 0xff, 0x00 };
  const guint8 g[] = { 0xff, 0x00 };
  const guint8 b[] = { 0x01, 0x00, 0xff };
  const guint8 *segments[] = { r, g, b };
  const gsize lengths[] = { sizeof r, sizeof g, sizeof b };
  g_autoptr (GByteArray) frame = frame_new (3, segments, lengths);
  guint8 out[6];

  g_assert_true (lb_rle_decode_frame (frame->data, frame->len, 2, 1, 3, 1, out, NULL));
  const guint8 expected[] = { 0xff, 0x00, 0x00, 0x00, 0x00, 0xff };
  g_assert_cmpmem (out, sizeof out, expected, sizeof expected);
}

static void
test_padding_byte_ignored (void)
{
  /* Encoders pad odd segments; output stops at width x height. */
  const guint8 seg[] = { 0x02, 0x01, 0x02, 0x03, 0x00, 0x00 };
  const guint8 *segments[] = { seg };
  const gsize lengths[] = { sizeof seg };
  g_autoptr (GByteArray) frame = frame_new (1, segments, lengths);
  guint8 out[3];

  g_assert_true (lb_rle_decode_frame (frame->data, frame->len, 3, 1, 1, 1, out, NULL));
  g_assert_cmpuint (out[2], ==, 0x03);
}

static void
expect_failure (const guint8 *data, gsize length, guint width, guint height, guint samples,
                guint bytes, const char *words)
{
  g_autofree guint8 *out = g_malloc0 ((gsize) width * height * samples * bytes);
  g_autoptr (GError) error = NULL;

  g_assert_false (lb_rle_decode_frame (data, length, width, height, samples, bytes, out, &error));
  g_assert_error (error, LB_DICOM_ERROR, LB_DICOM_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_malformed (void)
{
  const guint8 seg[] = { 0x01, 0x10, 0x20 };
  const guint8 *segments[] = { seg, seg };
  const gsize lengths[] = { sizeof seg, sizeof seg };

  /* Shorter than the header. */
  expect_failure (seg, sizeof seg, 2, 1, 1, 1, "shorter than its header");

  /* One segment where a 16-bit image needs two. */
  g_autoptr (GByteArray) one = frame_new (1, segments, lengths);
  expect_failure (one->data, one->len, 2, 1, 1, 2, "segments");

  /* A segment count over 15. */
  g_autoptr (GByteArray) many = frame_new (1, segments, lengths);
  many->data[0] = 16;
  expect_failure (many->data, many->len, 2, 1, 1, 1, "segments");

  /* An offset beyond the frame. */
  g_autoptr (GByteArray) far = frame_new (2, segments, lengths);
  far->data[8] = 0xff;
  far->data[9] = 0xff;
  expect_failure (far->data, far->len, 2, 1, 1, 2, "outside the frame");

  /* An offset inside the header. */
  g_autoptr (GByteArray) inside = frame_new (1, segments, lengths);
  inside->data[4] = 8;
  expect_failure (inside->data, inside->len, 2, 1, 1, 1, "outside the frame");

  /* Too few values for the image. */
  g_autoptr (GByteArray) few = frame_new (1, segments, lengths);
  expect_failure (few->data, few->len, 3, 1, 1, 1, "holds 2 of 3");

  /* A literal run claiming more bytes than remain, and a repeat with no byte after it. */
  const guint8 cut_literal[] = { 0x7f, 0x01 };
  const guint8 *cl[] = { cut_literal };
  const gsize cl_len[] = { sizeof cut_literal };
  g_autoptr (GByteArray) literal = frame_new (1, cl, cl_len);
  expect_failure (literal->data, literal->len, 4, 1, 1, 1, "holds 1 of 4");
  const guint8 cut_run[] = { 0xfd };
  const guint8 *cr[] = { cut_run };
  const gsize cr_len[] = { sizeof cut_run };
  g_autoptr (GByteArray) run = frame_new (1, cr, cr_len);
  expect_failure (run->data, run->len, 4, 1, 1, 1, "holds 0 of 4");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dicom/rle/literal-and-runs", test_literal_and_runs);
  g_test_add_func ("/dicom/rle/16bit-byte-order", test_16bit_byte_order);
  g_test_add_func ("/dicom/rle/rgb-interleaved", test_rgb_interleaved);
  g_test_add_func ("/dicom/rle/padding-byte-ignored", test_padding_byte_ignored);
  g_test_add_func ("/dicom/rle/malformed", test_malformed);
  return g_test_run ();
}
