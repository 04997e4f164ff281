/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one door to GDCM.  Plain C, opaque handles, fixed-width integers; every C++
 * exception is caught inside.  Only src/core/dicom/ includes this header: the rest of
 * Lightbox sees LbDicomFile and LB_DICOM_ERROR.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  LB_GDCM_OK = 0,
  LB_GDCM_ERR_IO,          /* the file could not be opened or read */
  LB_GDCM_ERR_NOT_DICOM,   /* no DICOM structure found */
  LB_GDCM_ERR_CORRUPT,     /* DICOM, but broken or cut short */
  LB_GDCM_ERR_UNSUPPORTED, /* a transfer syntax or pixel layout GDCM cannot decode */
  LB_GDCM_ERR_DECODE,      /* the codec failed on this pixel data */
  LB_GDCM_ERR_NO_MEMORY,
  LB_GDCM_ERR_INTERNAL,
} LbGdcmStatus;

typedef struct _LbGdcmReader LbGdcmReader;
/* A data set inside a reader (the root, or a sequence item).  Borrowed: valid while the
 * reader that returned it lives. */
typedef struct _LbGdcmDataSet LbGdcmDataSet;

/* A data set being built for writing: the root of a writer, or a free-standing item. */
typedef struct _LbGdcmItem LbGdcmItem;

typedef struct {
  uint32_t columns;
  uint32_t rows;
  uint32_t frames;
  uint16_t samples_per_pixel;
  uint16_t bits_allocated;
  uint16_t bits_stored;
  uint16_t high_bit;
  uint16_t pixel_representation;
  uint16_t planar_configuration;
  const char *photometric;
} LbGdcmPixelFormat;

typedef struct {
  int present;           /* the data set has (7FE0,0010) */
  int encapsulated;      /* fragments (compressed); else native bytes below */
  const uint8_t *native; /* borrowed, host byte order for 16/32-bit words */
  uint64_t native_length;
  uint32_t fragments;
} LbGdcmPixelData;

/* Sets GDCM's global state.  Call once before any other thread uses GDCM. */
void lb_gdcm_init (void);

/* Parses a whole file held in memory; the bytes are read during the call and need not
 * outlive it.  On failure returns NULL and sets *status and a malloc'ed *message
 * (English, for logs and for the decoder to wrap). */
LbGdcmReader *lb_gdcm_reader_open_memory (const void *data, size_t length, LbGdcmStatus *status,
                                          char **message);
void lb_gdcm_reader_free (LbGdcmReader *reader);

const char *lb_gdcm_reader_get_transfer_syntax (LbGdcmReader *reader);
const LbGdcmDataSet *lb_gdcm_reader_get_dataset (LbGdcmReader *reader);
const LbGdcmDataSet *lb_gdcm_reader_get_meta (LbGdcmReader *reader);

int lb_gdcm_dataset_has (const LbGdcmDataSet *ds, uint32_t tag);
/* The value as text, with numbers in binary VRs written out and multiple values joined
 * by backslashes; trailing padding removed.  NULL when absent or empty.  free() it. */
char *lb_gdcm_dataset_get_string (LbGdcmReader *reader, const LbGdcmDataSet *ds, uint32_t tag);
/* The value's bytes, host order for 16/32-bit VRs.  Returns 0 when absent or not a
 * plain value (a sequence, say). */
int lb_gdcm_dataset_get_bytes (const LbGdcmDataSet *ds, uint32_t tag, const uint8_t **data,
                               uint64_t *length);
/* Two-letter VR as stored (explicit files) or from the dictionary; "" when unknown. */
void lb_gdcm_dataset_get_vr (const LbGdcmDataSet *ds, uint32_t tag, char vr[3]);
uint32_t lb_gdcm_dataset_get_item_count (LbGdcmReader *reader, const LbGdcmDataSet *ds,
                                         uint32_t tag);
const LbGdcmDataSet *lb_gdcm_dataset_get_item (LbGdcmReader *reader, const LbGdcmDataSet *ds,
                                               uint32_t tag, uint32_t index);

void lb_gdcm_reader_get_pixel_data (LbGdcmReader *reader, LbGdcmPixelData *out);

/* The bytes of frame @index of encapsulated pixel data: its fragment, or its fragments
 * joined into a malloc'ed *@joined the caller frees.  When the fragments cannot be told
 * apart by frame, all of them, and *@whole is set.  Returns 0 without pixel fragments. */
int lb_gdcm_reader_get_frame_bytes (LbGdcmReader *reader, uint32_t frames, uint32_t index,
                                    const uint8_t **data, uint64_t *length, uint8_t **joined,
                                    int *whole);

/* Decodes frame @index of encapsulated pixel data into @out, which holds exactly
 * columns x rows x samples x bits_allocated/8 bytes.  The codec may change the colour
 * model (a JPEG 2000 YBR_ICT frame comes out RGB) and the sample layout: the
 * photometric interpretation and planar configuration of the output are written to
 * @out_photometric and @out_planar.  Not thread-safe per reader: callers serialise
 * decodes of one reader. */
LbGdcmStatus lb_gdcm_reader_decode_frame (LbGdcmReader *reader, const LbGdcmPixelFormat *format,
                                          uint32_t index, void *out, uint64_t out_length,
                                          char out_photometric[32], uint16_t *out_planar,
                                          char **message);

/* Writing.  A writer owns a root item; free-standing items are built bottom-up and
 * copied into a parent's sequence. */
typedef struct _LbGdcmWriter LbGdcmWriter;

LbGdcmWriter *lb_gdcm_writer_new (void);
void lb_gdcm_writer_free (LbGdcmWriter *writer);
LbGdcmItem *lb_gdcm_writer_get_root (LbGdcmWriter *writer);

LbGdcmItem *lb_gdcm_item_new (void);
void lb_gdcm_item_free (LbGdcmItem *item);
/* @vr is the two-letter VR; numbers for binary VRs (US, SS, UL, SL, FL, FD) are given
 * as text, several separated by backslashes.  Returns 0 on a bad value. */
int lb_gdcm_item_set_string (LbGdcmItem *item, uint32_t tag, const char *vr, const char *value);
int lb_gdcm_item_set_bytes (LbGdcmItem *item, uint32_t tag, const char *vr, const void *data,
                            uint64_t length);
/* Creates the sequence when absent; the child is copied. */
int lb_gdcm_item_append (LbGdcmItem *parent, uint32_t sequence_tag, const LbGdcmItem *child);

/* Sets native pixel data (host byte order).  The photometric interpretation and pixel
 * module attributes are written from @format. */
int lb_gdcm_writer_set_pixels (LbGdcmWriter *writer, const LbGdcmPixelFormat *format,
                               const void *data, uint64_t length);

/* Writes the root (with any pixels, compressed to @transfer_syntax) with a file meta
 * header.  Lossy syntaxes get Lossy Image Compression attributes. */
LbGdcmStatus lb_gdcm_writer_write_file (LbGdcmWriter *writer, const char *path,
                                        const char *transfer_syntax, char **message);
/* Same, into a malloc'ed buffer. */
LbGdcmStatus lb_gdcm_writer_write_memory (LbGdcmWriter *writer, const char *transfer_syntax,
                                          uint8_t **out, uint64_t *out_length, char **message);

/* A new globally unique UID (up to 64 characters). */
void lb_gdcm_generate_uid (char out[65]);

#ifdef __cplusplus
}
#endif
