/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Incremental multipart (RFC 2046) parser for WADO-RS answers: bytes go in as they
 * arrive, in chunks of any size, and each part comes out as soon as its closing delimiter
 * has been seen, so the first instance can be decoded while the rest still streams.
 * Only the part being received is held in memory, and never more than the part size cap.
 * Input is untrusted: every malformed or truncated answer ends in an LB_NET_ERROR.
 */
#pragma once

#include "lb-multipart-part.h"

G_BEGIN_DECLS

typedef struct _LbMultipartParser LbMultipartParser;

/* Receives each complete part.  Returning FALSE (with @error set) stops the parse and
 * makes the current lb_multipart_parser_feed() fail with that error. */
typedef gboolean (*LbMultipartPartFunc) (LbMultipartPart *part, gpointer user_data,
                                         GError **error);

/* Part headers beyond this are refused: no legitimate part needs more. */
#define LB_MULTIPART_MAX_HEADER_BYTES (16 * 1024)

/* @boundary as given in the Content-Type; @max_part_size caps each part's body. */
LbMultipartParser *lb_multipart_parser_new (const char *boundary, guint64 max_part_size,
                                            LbMultipartPartFunc func, gpointer user_data,
                                            GError **error);
/* Same, taking the boundary from a multipart Content-Type header value. */
LbMultipartParser *lb_multipart_parser_new_for_content_type (const char *content_type,
                                                             guint64 max_part_size,
                                                             LbMultipartPartFunc func,
                                                             gpointer user_data,
                                                             GError **error);
void lb_multipart_parser_free (LbMultipartParser *self);

/* After a failure every later call fails with the same error. */
gboolean lb_multipart_parser_feed (LbMultipartParser *self, const void *data, gsize length,
                                   GError **error);
/* The input has ended: fails unless the close delimiter has been seen. */
gboolean lb_multipart_parser_finish (LbMultipartParser *self, GError **error);

guint lb_multipart_parser_get_part_count (LbMultipartParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbMultipartParser, lb_multipart_parser_free)

G_END_DECLS
