/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * make-phantom: writes a synthetic study (CT, MR, CR, DX or mammogram) through the DICOM
 * writer, one file per image, and phantom.json describing what it made, so that tests
 * know the value every pixel should have.  The demo, the archive tests, MPR and the
 * benchmarks all use it.
 */
#define G_LOG_DOMAIN "lb-make-phantom"
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#ifdef __GLIBC__
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lb-dicom-file.h"
#include "lb-dicom-writer.h"
#include "lb-memory.h"
#include "lb-phantom.h"

#define TAG_ACQUISITION_DATE          LB_TAG (0x0008, 0x0022)
#define TAG_ACQUISITION_TIME          LB_TAG (0x0008, 0x0032)
#define TAG_PRESENTATION_INTENT_TYPE  LB_TAG (0x0008, 0x0068)
#define TAG_CODE_VALUE                LB_TAG (0x0008, 0x0100)
#define TAG_CODING_SCHEME_DESIGNATOR  LB_TAG (0x0008, 0x0102)
#define TAG_CODE_MEANING              LB_TAG (0x0008, 0x0104)
#define TAG_STATION_NAME              LB_TAG (0x0008, 0x1010)
#define TAG_MANUFACTURER_MODEL_NAME   LB_TAG (0x0008, 0x1090)
#define TAG_ANATOMIC_REGION_SEQUENCE  LB_TAG (0x0008, 0x2218)
#define TAG_SCANNING_SEQUENCE         LB_TAG (0x0018, 0x0020)
#define TAG_SEQUENCE_VARIANT          LB_TAG (0x0018, 0x0021)
#define TAG_SCAN_OPTIONS              LB_TAG (0x0018, 0x0022)
#define TAG_MR_ACQUISITION_TYPE       LB_TAG (0x0018, 0x0023)
#define TAG_REPETITION_TIME           LB_TAG (0x0018, 0x0080)
#define TAG_ECHO_TIME                 LB_TAG (0x0018, 0x0081)
#define TAG_NUMBER_OF_AVERAGES        LB_TAG (0x0018, 0x0083)
#define TAG_IMAGING_FREQUENCY         LB_TAG (0x0018, 0x0084)
#define TAG_IMAGED_NUCLEUS            LB_TAG (0x0018, 0x0085)
#define TAG_ECHO_NUMBERS              LB_TAG (0x0018, 0x0086)
#define TAG_MAGNETIC_FIELD_STRENGTH   LB_TAG (0x0018, 0x0087)
#define TAG_DATA_COLLECTION_DIAMETER  LB_TAG (0x0018, 0x0090)
#define TAG_ECHO_TRAIN_LENGTH         LB_TAG (0x0018, 0x0091)
#define TAG_SOFTWARE_VERSIONS         LB_TAG (0x0018, 0x1020)
#define TAG_RECONSTRUCTION_DIAMETER   LB_TAG (0x0018, 0x1100)
#define TAG_DISTANCE_SOURCE_DETECTOR  LB_TAG (0x0018, 0x1110)
#define TAG_GANTRY_TILT               LB_TAG (0x0018, 0x1120)
#define TAG_TABLE_HEIGHT              LB_TAG (0x0018, 0x1130)
#define TAG_ROTATION_DIRECTION        LB_TAG (0x0018, 0x1140)
#define TAG_EXPOSURE_TIME             LB_TAG (0x0018, 0x1150)
#define TAG_TUBE_CURRENT              LB_TAG (0x0018, 0x1151)
#define TAG_EXPOSURE                  LB_TAG (0x0018, 0x1152)
#define TAG_CONVOLUTION_KERNEL        LB_TAG (0x0018, 0x1210)
#define TAG_FLIP_ANGLE                LB_TAG (0x0018, 0x1314)
#define TAG_POSITIONER_TYPE           LB_TAG (0x0018, 0x1508)
#define TAG_PATIENT_POSITION          LB_TAG (0x0018, 0x5100)
#define TAG_VIEW_POSITION             LB_TAG (0x0018, 0x5101)
#define TAG_DETECTOR_TYPE             LB_TAG (0x0018, 0x7004)
#define TAG_ACQUISITION_NUMBER        LB_TAG (0x0020, 0x0012)
#define TAG_PATIENT_ORIENTATION       LB_TAG (0x0020, 0x0020)
#define TAG_IMAGE_LATERALITY          LB_TAG (0x0020, 0x0062)
#define TAG_POSITION_REFERENCE        LB_TAG (0x0020, 0x1040)
#define TAG_BURNED_IN_ANNOTATION      LB_TAG (0x0028, 0x0301)
#define TAG_PIXEL_INTENSITY_RELATION  LB_TAG (0x0028, 0x1040)
#define TAG_PIXEL_INTENSITY_SIGN      LB_TAG (0x0028, 0x1041)
#define TAG_BREAST_IMPLANT_PRESENT    LB_TAG (0x0028, 0x1300)
#define TAG_PARTIAL_VIEW              LB_TAG (0x0028, 0x1350)
#define TAG_ORGAN_EXPOSED             LB_TAG (0x0040, 0x0318)
#define TAG_ACQUISITION_CONTEXT       LB_TAG (0x0040, 0x0555)
#define TAG_VIEW_CODE_SEQUENCE        LB_TAG (0x0054, 0x0220)
#define TAG_VIEW_MODIFIER_CODE_SEQUENCE LB_TAG (0x0054, 0x0222)

/* ---- what can be asked for --------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *uid;
  const char *description;
  /* The deepest samples the codec holds; 0 for any. */
  guint max_bits;
} Syntax;

static const Syntax syntaxes[] = {
  { "explicit", "1.2.840.10008.1.2.1", "explicit VR little endian", 0 },
  { "implicit", "1.2.840.10008.1.2", "implicit VR little endian", 0 },
  { "big-endian", "1.2.840.10008.1.2.2", "explicit VR big endian", 0 },
  { "deflate", "1.2.840.10008.1.2.1.99", "deflated explicit VR little endian", 0 },
  { "rle", "1.2.840.10008.1.2.5", "RLE lossless", 0 },
  { "jpeg-lossless", "1.2.840.10008.1.2.4.70", "JPEG lossless SV1", 16 },
  { "jpeg-ls", "1.2.840.10008.1.2.4.80", "JPEG-LS lossless", 16 },
  { "jpeg-ls-near", "1.2.840.10008.1.2.4.81", "JPEG-LS near-lossless", 16 },
  { "j2k", "1.2.840.10008.1.2.4.90", "JPEG 2000 lossless", 0 },
  { "j2k-lossy", "1.2.840.10008.1.2.4.91", "JPEG 2000", 0 },
  { "jpeg-baseline", "1.2.840.10008.1.2.4.50", "JPEG baseline", 8 },
  { "jpeg-extended", "1.2.840.10008.1.2.4.51", "JPEG extended", 12 },
};

typedef struct {
  const char *modality;
  const char *sop_class;
  const char *sop_class_name;
  const char *prefix;
  const char *image_type;
  const char *body_part;
  const char *study_description;
  const char *series_description;
  guint series_number;
  const char *window_centre;
  const char *window_width;
  const char *window_explanation;
} KindInfo;

static const KindInfo kinds[] = {
  [LB_PHANTOM_KIND_CT] = { "CT", "1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", "CT",
                           "ORIGINAL\\PRIMARY\\AXIAL", "CHEST",
                           "CT CHEST ABDOMEN WITH CONTRAST", "Axial soft tissue", 2,
                           "40\\-600", "400\\1500", "SOFT TISSUE\\LUNG" },
  [LB_PHANTOM_KIND_MR] = { "MR", "1.2.840.10008.5.1.4.1.1.4", "MR Image Storage", "MR",
                           "ORIGINAL\\PRIMARY\\OTHER", "HEAD", "MR HEAD WITHOUT CONTRAST",
                           "Sag T1 SE", 3, "700", "1400", "BRAIN" },
  [LB_PHANTOM_KIND_CR] = { "CR", "1.2.840.10008.5.1.4.1.1.1",
                           "Computed Radiography Image Storage", "CR", "ORIGINAL\\PRIMARY",
                           "CHEST", "XR CHEST PA", "Chest PA", 1, "2400", "3200", "CHEST" },
  [LB_PHANTOM_KIND_DX] = { "DX", "1.2.840.10008.5.1.4.1.1.1.1",
                           "Digital X-Ray Image Storage - For Presentation", "DX",
                           "ORIGINAL\\PRIMARY", "CHEST", "XR CHEST PA", "Chest PA", 1, "1700",
                           "3200", "CHEST" },
  [LB_PHANTOM_KIND_MAMMO] = { "MG", "1.2.840.10008.5.1.4.1.1.1.2",
                              "Digital Mammography X-Ray Image Storage - For Presentation",
                              "MG", "ORIGINAL\\PRIMARY", "BREAST", "MG SCREENING", "L CC", 4,
                              "22000", "30000", "BREAST" },
};

/* Everything one run writes, shared by the writing threads (read-only while they run,
 * except the fields under @lock). */
typedef struct {
  LbPhantom *phantom;
  const KindInfo *info;
  const char *ts_uid;
  const char *ts_description;
  gboolean lossy;
  const char *out_dir;
  gboolean seeded;
  guint64 seed;

  gboolean utf8;
  char *patient_name;
  char *patient_id;
  const char *birth_date;
  const char *sex;
  char *age;
  char *accession;
  char *study_uid;
  char *study_date;
  char *study_time;
  char *study_id;
  char *study_description;
  /* Requested Procedure Priority; NULL: not written. */
  char *priority;
  char *series_description;
  char *series_uid;
  char *frame_of_reference_uid;

  GPtrArray *sop_uids;
  GPtrArray *files;
  /* Image Position (Patient) of each slice, as written. */
  GPtrArray *positions;
  GArray *slice_locations;

  gint next;
  gint failed;
  GMutex lock;
  GError *error;
  guint64 bytes;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_object (&plan->phantom);
  g_free (plan->patient_name);
  g_free (plan->patient_id);
  g_free (plan->age);
  g_free (plan->accession);
  g_free (plan->study_uid);
  g_free (plan->study_date);
  g_free (plan->study_time);
  g_free (plan->study_id);
  g_free (plan->study_description);
  g_free (plan->priority);
  g_free (plan->series_description);
  g_free (plan->series_uid);
  g_free (plan->frame_of_reference_uid);
  g_clear_pointer (&plan->sop_uids, g_ptr_array_unref);
  g_clear_pointer (&plan->files, g_ptr_array_unref);
  g_clear_pointer (&plan->positions, g_ptr_array_unref);
  g_clear_pointer (&plan->slice_locations, g_array_unref);
  g_clear_error (&plan->error);
  g_mutex_clear (&plan->lock);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* ---- values ------------------------------------------------------------------------ */

/* A decimal string (DS) holds 16 characters: as many digits as fit. */
static char *
format_ds (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v == 0)
    return g_strdup ("0");
  for (int digits = 12; digits > 1; digits--)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, v);
      if (strlen (buf) <= 16)
        break;
    }
  return g_strdup (buf);
}

/* The value a reader gets back from a DS we wrote: what phantom.json records. */
static double
ds_value (double v)
{
  g_autofree char *s = format_ds (v);
  return g_ascii_strtod (s, NULL);
}

static char *
format_ds_list (const double *v, guint n)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *one = format_ds (v[i]);
      if (i > 0)
        g_string_append_c (s, '\\');
      g_string_append (s, one);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* A 2.25 UID from a name, shaped as a version 5 UUID (ITU-T X.667 asks 2.25 UIDs to be
 * UUIDs): the same name gives the same UID on every run. */
static char *
uid_from_name (const char *name)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;
  char digits[48];
  guint n = 0;
  gboolean more = TRUE;

  g_checksum_update (sum, (const guchar *) "io.github.lightboxrad.Lightbox.phantom:", -1);
  g_checksum_update (sum, (const guchar *) name, -1);
  g_checksum_get_digest (sum, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  /* 128 bits to decimal by repeated division; the version bits make it non-zero. */
  while (more)
    {
      guint rest = 0;
      more = FALSE;
      for (guint b = 0; b < 16; b++)
        {
          guint cur = rest * 256 + digest[b];
          digest[b] = (guint8) (cur / 10);
          rest = cur % 10;
          more = more || digest[b] != 0;
        }
      digits[n++] = (char) ('0' + rest);
    }
  for (guint i = 0; i < n / 2; i++)
    {
      char t = digits[i];
      digits[i] = digits[n - 1 - i];
      digits[n - 1 - i] = t;
    }
  digits[n] = '\0';
  return g_strconcat ("2.25.", digits, NULL);
}

static char *
make_uid (Plan *plan, const char *name)
{
  return plan->seeded ? uid_from_name (name) : lb_dicom_generate_uid ();
}

static gboolean
is_ascii (const char *s)
{
  for (; s && *s; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
valid_uid (const char *uid)
{
  gsize n = strlen (uid);

  if (n == 0 || n > 64 || uid[0] == '.' || uid[n - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      if (uid[i] == '.')
        {
          if (uid[i + 1] == '.' || (uid[i + 1] == '0' && uid[i + 2] != '.' && uid[i + 2] != '\0'))
            return FALSE;
        }
      else if (!g_ascii_isdigit (uid[i]))
        return FALSE;
    }
  return uid[0] != '0' || n == 1 || uid[1] == '.';
}

/* ---- DICOM ------------------------------------------------------------------------- */

/* Values here are checked before writing starts: a refusal is a bug in this file. */
static void
put (LbDicomItem *item, guint32 tag, const char *vr, const char *value)
{
  if (!lb_dicom_item_set (item, tag, vr, value))
    g_error ("cannot set (%04x,%04x) %s to \"%s\"", tag >> 16, tag & 0xffff, vr, value);
}

static LbDicomItem *
new_code (const char *value, const char *scheme, const char *meaning)
{
  LbDicomItem *code = lb_dicom_item_new ();

  put (code, TAG_CODE_VALUE, "SH", value);
  put (code, TAG_CODING_SCHEME_DESIGNATOR, "SH", scheme);
  put (code, TAG_CODE_MEANING, "LO", meaning);
  return code;
}

static void
append (LbDicomItem *parent, guint32 sequence, const LbDicomItem *child)
{
  if (!lb_dicom_item_append (parent, sequence, child))
    g_error ("cannot append to sequence (%04x,%04x)", sequence >> 16, sequence & 0xffff);
}

static void
put_code (LbDicomItem *parent, guint32 sequence, const char *value, const char *scheme,
          const char *meaning)
{
  g_autoptr (LbDicomItem) code = new_code (value, scheme, meaning);

  append (parent, sequence, code);
}

static void
put_geometry (Plan *plan, LbDicomItem *root)
{
  double spacing[3], orientation[6];
  lb_phantom_get_spacing (plan->phantom, spacing);
  lb_phantom_get_orientation (plan->phantom, orientation);
  double pixel_spacing[2] = { spacing[1], spacing[0] };
  g_autofree char *ps = format_ds_list (pixel_spacing, 2);
  g_autofree char *iop = format_ds_list (orientation, 6);
  g_autofree char *thickness = format_ds (lb_phantom_get_slice_thickness (plan->phantom));
  g_autofree char *between = format_ds (spacing[2]);

  put (root, LB_TAG_FRAME_OF_REFERENCE_UID, "UI", plan->frame_of_reference_uid);
  put (root, TAG_POSITION_REFERENCE, "LO", "");
  put (root, TAG_PATIENT_POSITION, "CS", "HFS");
  put (root, LB_TAG_IMAGE_ORIENTATION_PATIENT, "DS", iop);
  put (root, LB_TAG_PIXEL_SPACING, "DS", ps);
  put (root, LB_TAG_SLICE_THICKNESS, "DS", thickness);
  if (plan->info == &kinds[LB_PHANTOM_KIND_MR])
    put (root, LB_TAG_SPACING_BETWEEN_SLICES, "DS", between);
}

static void
put_ct (Plan *plan, LbDicomItem *root)
{
  put_geometry (plan, root);
  put (root, LB_TAG_KVP, "DS", "120");
  put (root, TAG_DATA_COLLECTION_DIAMETER, "DS", "500");
  put (root, TAG_RECONSTRUCTION_DIAMETER, "DS", "360");
  put (root, TAG_GANTRY_TILT, "DS", "0");
  put (root, TAG_TABLE_HEIGHT, "DS", "150");
  put (root, TAG_ROTATION_DIRECTION, "CS", "CW");
  put (root, TAG_EXPOSURE_TIME, "IS", "500");
  put (root, TAG_TUBE_CURRENT, "IS", "250");
  put (root, TAG_EXPOSURE, "IS", "125");
  put (root, TAG_CONVOLUTION_KERNEL, "SH", "STANDARD");
  put (root, LB_TAG_RESCALE_INTERCEPT, "DS", "-1024");
  put (root, LB_TAG_RESCALE_SLOPE, "DS", "1");
  put (root, LB_TAG_RESCALE_TYPE, "LO", "HU");
}

static void
put_mr (Plan *plan, LbDicomItem *root)
{
  put_geometry (plan, root);
  put (root, TAG_SCANNING_SEQUENCE, "CS", "SE");
  put (root, TAG_SEQUENCE_VARIANT, "CS", "NONE");
  put (root, TAG_SCAN_OPTIONS, "CS", "");
  put (root, TAG_MR_ACQUISITION_TYPE, "CS", "2D");
  put (root, TAG_REPETITION_TIME, "DS", "500");
  put (root, TAG_ECHO_TIME, "DS", "15");
  put (root, TAG_NUMBER_OF_AVERAGES, "DS", "1");
  put (root, TAG_IMAGING_FREQUENCY, "DS", "63.87");
  put (root, TAG_IMAGED_NUCLEUS, "SH", "1H");
  put (root, TAG_ECHO_NUMBERS, "IS", "1");
  put (root, TAG_MAGNETIC_FIELD_STRENGTH, "DS", "1.5");
  put (root, TAG_ECHO_TRAIN_LENGTH, "IS", "1");
  put (root, TAG_FLIP_ANGLE, "DS", "90");
}

/* CR, DX and MG: a projection with no patient geometry, measured at the detector. */
static void
put_projection (Plan *plan, LbDicomItem *root)
{
  LbPhantomKind kind = lb_phantom_get_kind (plan->phantom);
  double spacing[3];
  lb_phantom_get_spacing (plan->phantom, spacing);
  double pixel_spacing[2] = { spacing[1], spacing[0] };
  g_autofree char *ps = format_ds_list (pixel_spacing, 2);

  put (root, LB_TAG_IMAGER_PIXEL_SPACING, "DS", ps);
  put (root, LB_TAG_KVP, "DS", kind == LB_PHANTOM_KIND_MAMMO ? "28" : "125");
  put (root, TAG_DISTANCE_SOURCE_DETECTOR, "DS", kind == LB_PHANTOM_KIND_MAMMO ? "660" : "1800");
  put (root, TAG_EXPOSURE_TIME, "IS", "10");
  put (root, TAG_TUBE_CURRENT, "IS", "200");
  put (root, TAG_EXPOSURE, "IS", "2");

  if (kind == LB_PHANTOM_KIND_CR)
    {
      put (root, TAG_VIEW_POSITION, "CS", "PA");
      put (root, TAG_PATIENT_ORIENTATION, "CS", "L\\F");
      return;
    }

  /* DX and MG: the For Presentation modules. */
  put (root, TAG_PRESENTATION_INTENT_TYPE, "CS", "FOR PRESENTATION");
  put (root, TAG_PIXEL_INTENSITY_RELATION, "CS", "LOG");
  /* Dense matter has high values: lower values mean more X-ray intensity. */
  put (root, TAG_PIXEL_INTENSITY_SIGN, "SS", "-1");
  put (root, LB_TAG_RESCALE_INTERCEPT, "DS", "0");
  put (root, LB_TAG_RESCALE_SLOPE, "DS", "1");
  put (root, LB_TAG_RESCALE_TYPE, "LO", "US");
  put (root, LB_TAG_PRESENTATION_LUT_SHAPE, "CS", "IDENTITY");
  put (root, TAG_DETECTOR_TYPE, "CS", "DIRECT");
  /* Type 2: present, and empty as nothing is known. */
  put (root, TAG_ACQUISITION_CONTEXT, "SQ", "");

  if (kind == LB_PHANTOM_KIND_DX)
    {
      put (root, TAG_VIEW_POSITION, "CS", "PA");
      put (root, TAG_PATIENT_ORIENTATION, "CS", "L\\F");
      put (root, TAG_IMAGE_LATERALITY, "CS", "U");
      put (root, TAG_POSITIONER_TYPE, "CS", "COLUMN");
      put_code (root, TAG_ANATOMIC_REGION_SEQUENCE, "51185008", "SCT", "Chest");
      put_code (root, TAG_VIEW_CODE_SEQUENCE, "399348003", "SCT", "postero-anterior");
    }
  else
    {
      put (root, TAG_VIEW_POSITION, "CS", "CC");
      put (root, TAG_PATIENT_ORIENTATION, "CS", "A\\R");
      put (root, TAG_IMAGE_LATERALITY, "CS", "L");
      put (root, TAG_POSITIONER_TYPE, "CS", "MAMMOGRAPHIC");
      put (root, TAG_ORGAN_EXPOSED, "CS", "BREAST");
      put (root, TAG_BREAST_IMPLANT_PRESENT, "CS", "NO");
      put (root, TAG_PARTIAL_VIEW, "CS", "NO");
      put_code (root, TAG_ANATOMIC_REGION_SEQUENCE, "76752008", "SCT", "Breast");
      g_autoptr (LbDicomItem) view = new_code ("399162004", "SCT", "cranio-caudal");
      put (view, TAG_VIEW_MODIFIER_CODE_SEQUENCE, "SQ", "");
      append (root, TAG_VIEW_CODE_SEQUENCE, view);
    }
}

/* What every image of the series shares. */
static void
put_common (Plan *plan, LbDicomItem *root)
{
  const KindInfo *info = plan->info;
  LbPhantomKind kind = lb_phantom_get_kind (plan->phantom);
  g_autofree char *series_number = g_strdup_printf ("%u", info->series_number);

  if (plan->utf8)
    put (root, LB_TAG_SPECIFIC_CHARACTER_SET, "CS", "ISO_IR 192");
  put (root, LB_TAG_IMAGE_TYPE, "CS", info->image_type);
  put (root, LB_TAG_SOP_CLASS_UID, "UI", info->sop_class);
  put (root, LB_TAG_STUDY_DATE, "DA", plan->study_date);
  put (root, LB_TAG_SERIES_DATE, "DA", plan->study_date);
  put (root, TAG_ACQUISITION_DATE, "DA", plan->study_date);
  put (root, LB_TAG_CONTENT_DATE, "DA", plan->study_date);
  put (root, LB_TAG_STUDY_TIME, "TM", plan->study_time);
  put (root, LB_TAG_SERIES_TIME, "TM", plan->study_time);
  put (root, TAG_ACQUISITION_TIME, "TM", plan->study_time);
  put (root, LB_TAG_CONTENT_TIME, "TM", plan->study_time);
  put (root, LB_TAG_ACCESSION_NUMBER, "SH", plan->accession);
  put (root, LB_TAG_MODALITY, "CS", info->modality);
  put (root, LB_TAG_MANUFACTURER, "LO", "Lightbox");
  put (root, LB_TAG_INSTITUTION_NAME, "LO", "Lightbox Phantom Hospital");
  put (root, LB_TAG_REFERRING_PHYSICIAN_NAME, "PN", "Referrer^Rita");
  put (root, TAG_STATION_NAME, "SH", "PHANTOM");
  put (root, LB_TAG_STUDY_DESCRIPTION, "LO", plan->study_description);
  if (plan->priority != NULL)
    put (root, LB_TAG_REQUESTED_PROCEDURE_PRIORITY, "SH", plan->priority);
  put (root, LB_TAG_SERIES_DESCRIPTION, "LO", plan->series_description);
  put (root, TAG_MANUFACTURER_MODEL_NAME, "LO", "make-phantom");
  put (root, LB_TAG_PATIENT_NAME, "PN", plan->patient_name);
  put (root, LB_TAG_PATIENT_ID, "LO", plan->patient_id);
  put (root, LB_TAG_PATIENT_BIRTH_DATE, "DA", plan->birth_date);
  put (root, LB_TAG_PATIENT_SEX, "CS", plan->sex);
  put (root, LB_TAG_PATIENT_AGE, "AS", plan->age);
  put (root, LB_TAG_BODY_PART_EXAMINED, "CS", info->body_part);
  put (root, TAG_SOFTWARE_VERSIONS, "LO", PACKAGE_VERSION);
  put (root, LB_TAG_STUDY_INSTANCE_UID, "UI", plan->study_uid);
  put (root, LB_TAG_SERIES_INSTANCE_UID, "UI", plan->series_uid);
  put (root, LB_TAG_STUDY_ID, "SH", plan->study_id);
  put (root, LB_TAG_SERIES_NUMBER, "IS", series_number);
  put (root, TAG_ACQUISITION_NUMBER, "IS", "1");
  put (root, TAG_BURNED_IN_ANNOTATION, "CS", "NO");
  /* The writer turns this into 01 when it compresses with loss. */
  put (root, LB_TAG_LOSSY_IMAGE_COMPRESSION, "CS", "00");
  put (root, LB_TAG_WINDOW_CENTER, "DS", info->window_centre);
  put (root, LB_TAG_WINDOW_WIDTH, "DS", info->window_width);
  put (root, LB_TAG_WINDOW_EXPLANATION, "LO", info->window_explanation);

  if (kind == LB_PHANTOM_KIND_CT)
    put_ct (plan, root);
  else if (kind == LB_PHANTOM_KIND_MR)
    put_mr (plan, root);
  else
    put_projection (plan, root);
}

static void
fail (Plan *plan, GError *error)
{
  g_mutex_lock (&plan->lock);
  if (plan->error == NULL)
    plan->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&plan->lock);
  g_atomic_int_set (&plan->failed, 1);
}

/* One writing thread: takes the next slice until there are none, so the files are the
 * same whatever the number of threads. */
static gpointer
write_slices (gpointer data)
{
  Plan *plan = data;
  LbPhantom *phantom = plan->phantom;
  guint columns = lb_phantom_get_columns (phantom);
  guint rows = lb_phantom_get_rows (phantom);
  guint slices = lb_phantom_get_slices (phantom);
  g_autoptr (LbDicomWriter) writer = lb_dicom_writer_new ();
  LbDicomItem *root = lb_dicom_writer_get_root (writer);
  gsize size = (gsize) columns * rows * sizeof (guint16);
  g_autofree guint16 *pixels = g_malloc (size);
  guint bits = lb_phantom_get_bits_stored (phantom);
  LbDicomPixelFormat format = {
    .columns = columns,
    .rows = rows,
    .frames = 1,
    .samples_per_pixel = 1,
    .bits_allocated = 16,
    .bits_stored = bits,
    .is_signed = FALSE,
    .photometric = lb_phantom_get_photometric (phantom),
  };

  put_common (plan, root);
  for (;;)
    {
      guint k = (guint) g_atomic_int_add (&plan->next, 1);
      GError *error = NULL;

      if (k >= slices || g_atomic_int_get (&plan->failed))
        break;

      g_autofree char *number = g_strdup_printf ("%u", k + 1);
      put (root, LB_TAG_SOP_INSTANCE_UID, "UI", g_ptr_array_index (plan->sop_uids, k));
      put (root, LB_TAG_INSTANCE_NUMBER, "IS", number);
      if (!lb_phantom_is_projection (phantom))
        {
          g_autofree char *location = format_ds (g_array_index (plan->slice_locations, double, k));
          put (root, LB_TAG_IMAGE_POSITION_PATIENT, "DS", g_ptr_array_index (plan->positions, k));
          put (root, LB_TAG_SLICE_LOCATION, "DS", location);
        }

      lb_phantom_render_slice (phantom, k, pixels);
      g_autofree char *path = g_build_filename (plan->out_dir,
                                                g_ptr_array_index (plan->files, k), NULL);
      if (!lb_dicom_writer_set_pixels (writer, &format, pixels, size, &error) ||
          !lb_dicom_writer_write_file (writer, path, plan->ts_uid, &error))
        {
          fail (plan, error);
          break;
        }

      GStatBuf st;
      if (g_stat (path, &st) == 0)
        {
          g_mutex_lock (&plan->lock);
          plan->bytes += (guint64) st.st_size;
          g_mutex_unlock (&plan->lock);
        }
    }
  return NULL;
}

static gboolean
write_all (Plan *plan, guint jobs, GError **error)
{
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();

  jobs = CLAMP (jobs, 1, MAX (lb_phantom_get_slices (plan->phantom), 1));
  for (guint i = 1; i < jobs; i++)
    g_ptr_array_add (threads, g_thread_new ("phantom-writer", write_slices, plan));
  write_slices (plan);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  if (plan->error)
    {
      g_propagate_error (error, g_steal_pointer (&plan->error));
      return FALSE;
    }
  return TRUE;
}

/* ---- phantom.json ------------------------------------------------------------------ */

static void
add_doubles (JsonBuilder *b, const char *member, const double *v, guint n)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, v[i]);
  json_builder_end_array (b);
}

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *member, double value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_double_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *member, gboolean value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
}

static const char *
shape_name (LbPhantomShape shape)
{
  switch (shape)
    {
    case LB_PHANTOM_SHAPE_ELLIPSOID:
      return "ellipsoid";
    case LB_PHANTOM_SHAPE_ELLIPTIC_CYLINDER:
      return "elliptic-cylinder";
    case LB_PHANTOM_SHAPE_BOX:
    default:
      return "box";
    }
}

/* Fractional (i, j, k) of a point, for axis-aligned images. */
static void
point_to_index (LbPhantom *phantom, const double p[3], double index[3])
{
  double origin[3], spacing[3], orientation[6], slice[3];

  lb_phantom_get_origin (phantom, origin);
  lb_phantom_get_spacing (phantom, spacing);
  lb_phantom_get_orientation (phantom, orientation);
  lb_phantom_get_slice_direction (phantom, slice);
  const double *axes[3] = { orientation, orientation + 3, slice };
  for (guint n = 0; n < 3; n++)
    {
      double d = 0;
      for (guint a = 0; a < 3; a++)
        d += (p[a] - origin[a]) * axes[n][a];
      index[n] = d / spacing[n];
    }
}

static void
add_object (JsonBuilder *b, LbPhantom *phantom, const LbPhantomObject *o)
{
  json_builder_begin_object (b);
  add_string (b, "name", o->name);
  add_string (b, "shape", shape_name (o->shape));
  add_doubles (b, "centre", o->centre, 3);
  add_doubles (b, "half_size", o->half, 3);
  add_double (b, "value", o->value);
  if (o->test_object)
    {
      double index[3];
      guint dims[3] = { lb_phantom_get_columns (phantom), lb_phantom_get_rows (phantom),
                        lb_phantom_get_slices (phantom) };
      gboolean inside = TRUE;

      point_to_index (phantom, o->centre, index);
      for (guint a = 0; a < 3; a++)
        inside = inside && index[a] >= -0.5 && index[a] <= dims[a] - 0.5;
      add_doubles (b, "centre_index", index, 3);
      add_bool (b, "in_image", inside);
    }
  json_builder_end_object (b);
}

static JsonNode *
describe (Plan *plan)
{
  LbPhantom *phantom = plan->phantom;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  double spacing[3], origin[3], orientation[6], slice[3], intercept, slope;
  gboolean projection = lb_phantom_is_projection (phantom);
  LbPhantomKind kind = lb_phantom_get_kind (phantom);

  lb_phantom_get_spacing (phantom, spacing);
  lb_phantom_get_origin (phantom, origin);
  lb_phantom_get_orientation (phantom, orientation);
  lb_phantom_get_slice_direction (phantom, slice);
  lb_phantom_get_rescale (phantom, &intercept, &slope);
  for (guint a = 0; a < 3; a++)
    {
      spacing[a] = ds_value (spacing[a]);
      origin[a] = ds_value (origin[a]);
    }

  json_builder_begin_object (b);
  add_string (b, "generator", "make-phantom " PACKAGE_VERSION);
  add_string (b, "kind", lb_phantom_kind_to_string (kind));
  add_string (b, "modality", plan->info->modality);
  add_string (b, "sop_class_uid", plan->info->sop_class);
  add_string (b, "sop_class_name", plan->info->sop_class_name);

  json_builder_set_member_name (b, "transfer_syntax");
  json_builder_begin_object (b);
  add_string (b, "uid", plan->ts_uid);
  add_string (b, "description", plan->ts_description);
  add_bool (b, "lossy", plan->lossy);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "seed");
  if (plan->seeded)
    json_builder_add_int_value (b, (gint64) plan->seed);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "patient");
  json_builder_begin_object (b);
  add_string (b, "name", plan->patient_name);
  add_string (b, "id", plan->patient_id);
  add_string (b, "birth_date", plan->birth_date);
  add_string (b, "sex", plan->sex);
  add_string (b, "age", plan->age);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "study");
  json_builder_begin_object (b);
  add_string (b, "instance_uid", plan->study_uid);
  add_string (b, "date", plan->study_date);
  add_string (b, "time", plan->study_time);
  add_string (b, "id", plan->study_id);
  add_string (b, "accession_number", plan->accession);
  add_string (b, "description", plan->study_description);
  if (plan->priority != NULL)
    add_string (b, "priority", plan->priority);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "series");
  json_builder_begin_object (b);
  add_string (b, "instance_uid", plan->series_uid);
  add_int (b, "number", plan->info->series_number);
  add_string (b, "description", plan->series_description);
  add_string (b, "body_part", plan->info->body_part);
  if (!projection)
    add_string (b, "frame_of_reference_uid", plan->frame_of_reference_uid);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "geometry");
  json_builder_begin_object (b);
  add_string (b, "coordinates", projection ? "detector" : "patient");
  add_int (b, "columns", lb_phantom_get_columns (phantom));
  add_int (b, "rows", lb_phantom_get_rows (phantom));
  add_int (b, "slices", lb_phantom_get_slices (phantom));
  add_doubles (b, "spacing", spacing, 3);
  if (!projection)
    {
      add_double (b, "slice_thickness", ds_value (lb_phantom_get_slice_thickness (phantom)));
      add_doubles (b, "orientation", orientation, 6);
      add_doubles (b, "slice_direction", slice, 3);
      add_doubles (b, "origin", origin, 3);
      add_string (b, "index_to_position",
                  "origin + i * spacing[0] * orientation[0:3] + j * spacing[1] * "
                  "orientation[3:6] + k * spacing[2] * slice_direction");
    }
  else
    {
      add_doubles (b, "origin", origin, 3);
      add_string (b, "index_to_position",
                  "(i * spacing[0], j * spacing[1]) mm from the centre of the first pixel, "
                  "x to the right and y down");
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "pixels");
  json_builder_begin_object (b);
  add_int (b, "bits_allocated", 16);
  add_int (b, "bits_stored", lb_phantom_get_bits_stored (phantom));
  add_bool (b, "signed", FALSE);
  add_string (b, "photometric", lb_phantom_get_photometric (phantom));
  add_double (b, "rescale_intercept", intercept);
  add_double (b, "rescale_slope", slope);
  add_string (b, "units", kind == LB_PHANTOM_KIND_CT ? "HU" : "stored");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "windows");
  json_builder_begin_array (b);
  {
    g_auto (GStrv) centres = g_strsplit (plan->info->window_centre, "\\", -1);
    g_auto (GStrv) widths = g_strsplit (plan->info->window_width, "\\", -1);
    g_auto (GStrv) names = g_strsplit (plan->info->window_explanation, "\\", -1);
    for (guint i = 0; centres[i] && widths[i] && names[i]; i++)
      {
        json_builder_begin_object (b);
        add_double (b, "center", g_ascii_strtod (centres[i], NULL));
        add_double (b, "width", g_ascii_strtod (widths[i], NULL));
        add_string (b, "explanation", names[i]);
        json_builder_end_object (b);
      }
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "noise");
  json_builder_begin_object (b);
  add_string (b, "distribution", "triangular, integer, independent per voxel");
  add_int (b, "amplitude", lb_phantom_get_noise_amplitude (phantom));
  add_string (b, "units", "stored values");
  json_builder_end_object (b);

  add_double (b, "background", lb_phantom_get_background (phantom));
  add_string (b, "objects_rule",
              "the value at a point is that of the last object containing it, or the "
              "background; each voxel adds noise to the value at its centre");

  json_builder_set_member_name (b, "objects");
  json_builder_begin_array (b);
  for (guint i = 0; i < lb_phantom_get_n_objects (phantom); i++)
    add_object (b, phantom, lb_phantom_get_object (phantom, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "test_objects");
  json_builder_begin_array (b);
  for (guint i = 0; i < lb_phantom_get_n_objects (phantom); i++)
    {
      const LbPhantomObject *o = lb_phantom_get_object (phantom, i);
      if (o->test_object)
        add_object (b, phantom, o);
    }
  json_builder_end_array (b);

  if (!projection)
    {
      json_builder_set_member_name (b, "spheres");
      json_builder_begin_array (b);
      for (guint i = 0; i < lb_phantom_get_n_objects (phantom); i++)
        {
          const LbPhantomObject *o = lb_phantom_get_object (phantom, i);
          if (!o->test_object || o->shape != LB_PHANTOM_SHAPE_ELLIPSOID)
            continue;
          json_builder_begin_object (b);
          add_string (b, "name", o->name);
          add_doubles (b, "centre", o->centre, 3);
          add_double (b, "radius", o->half[0]);
          add_double (b, "value", o->value);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_set_member_name (b, "instances");
  json_builder_begin_array (b);
  for (guint k = 0; k < lb_phantom_get_slices (phantom); k++)
    {
      json_builder_begin_object (b);
      add_string (b, "file", g_ptr_array_index (plan->files, k));
      add_string (b, "sop_instance_uid", g_ptr_array_index (plan->sop_uids, k));
      add_int (b, "instance_number", k + 1);
      if (!projection)
        {
          g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (plan->positions, k), "\\", 3);
          double position[3];
          for (guint a = 0; a < 3; a++)
            position[a] = g_ascii_strtod (parts[a], NULL);
          add_doubles (b, "image_position", position, 3);
          add_double (b, "slice_location",
                      ds_value (g_array_index (plan->slice_locations, double, k)));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  add_int (b, "bytes", (gint64) plan->bytes);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
write_description (Plan *plan, GError **error)
{
  g_autoptr (JsonNode) root = describe (plan);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *path = g_build_filename (plan->out_dir, "phantom.json", NULL);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_file (generator, path, error);
}

/* ---- the command line -------------------------------------------------------------- */

static G_GNUC_PRINTF (1, 2) int
usage_error (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("make-phantom: %s\nTry make-phantom --help.\n", message);
  return 2;
}

static const Syntax *
find_syntax (const char *name_or_uid)
{
  for (guint i = 0; i < G_N_ELEMENTS (syntaxes); i++)
    if (g_strcmp0 (name_or_uid, syntaxes[i].name) == 0 ||
        g_strcmp0 (name_or_uid, syntaxes[i].uid) == 0)
      return &syntaxes[i];
  return NULL;
}

/* FALSE, with the usage message printed, when @value cannot be written as one value of
 * a text VR of @max characters. */
static gboolean
check_text (const char *what, const char *value, guint max)
{
  if (value == NULL)
    return TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    usage_error ("%s is not valid UTF-8.", what);
  else if (g_utf8_strlen (value, -1) > max)
    usage_error ("%s is longer than the %u characters DICOM allows.", what, max);
  else if (strchr (value, '\\') != NULL)
    usage_error ("%s contains a backslash, which DICOM reserves.", what);
  else
    return TRUE;
  return FALSE;
}

static gboolean
parse_date (const char *s, GDate *date)
{
  if (s == NULL || strlen (s) != 8)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  guint year = (guint) g_ascii_strtoull (s, NULL, 10) / 10000;
  guint month = (guint) (g_ascii_strtoull (s, NULL, 10) / 100 % 100);
  guint day = (guint) (g_ascii_strtoull (s, NULL, 10) % 100);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static const char description[] =
  "Kinds:\n"
  "  ct     axial chest and abdomen CT, 512x512x300, 0.703 mm pixels, 1 mm slices,\n"
  "         12-bit unsigned, rescale -1024/1 (HU), windows 40/400 and -600/1500\n"
  "  mr     sagittal T1-like head MR, 256x256x40, 0.94 mm pixels, 4 mm apart, 16-bit\n"
  "  cr     PA chest radiograph, 2048x2500, 0.17 mm, 12-bit MONOCHROME1\n"
  "  dx     the same chest as DX For Presentation, MONOCHROME2\n"
  "  mammo  left CC mammogram, 3328x4096 (4096 rows), 0.07 mm, 16-bit MONOCHROME2\n"
  "\n"
  "Transfer syntaxes: explicit (default), implicit, big-endian, deflate, rle,\n"
  "jpeg-lossless, jpeg-ls, jpeg-ls-near, j2k, j2k-lossy, jpeg-baseline (8-bit only),\n"
  "jpeg-extended (up to 12-bit), or a transfer syntax UID.\n"
  "\n"
  "With --seed the run is reproducible: the same arguments write the same bytes.  The\n"
  "study UID then derives from the seed, patient ID, accession and study date; the\n"
  "series, frame of reference and instance UIDs from every argument; the default study\n"
  "date is 20240315.  Without --seed, UIDs are new and the date is today's.\n"
  "\n"
  "Writes DIR/<MODALITY><n>.dcm and DIR/phantom.json: geometry, UIDs and every object\n"
  "of the model with its value, for tests to compute the expected value at any point.";

int
main (int argc, char **argv)
{
  g_autofree char *kind_name = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *size = NULL;
  g_autofree char *syntax_name = NULL;
  g_autofree char *patient_name = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *accession = NULL;
  g_autofree char *study_uid = NULL;
  g_autofree char *study_date = NULL;
  g_autofree char *study_description = NULL;
  g_autofree char *priority = NULL;
  g_autofree char *seed_text = NULL;
  gint slices = -1;
  gint jobs = 0;
  double slice_spacing = 0;
  g_autoptr (GError) error = NULL;

  const GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name, "ct, mr, cr, dx or mammo (ct)", "KIND" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, "Folder to write into (created)", "DIR" },
    { "slices", 0, 0, G_OPTION_ARG_INT, &slices, "Number of slices (ct, mr)", "N" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Columns x rows; the field of view stays", "WxH" },
    { "spacing", 0, 0, G_OPTION_ARG_DOUBLE, &slice_spacing,
      "Slice spacing in mm (ct: also the thickness)", "MM" },
    { "transfer-syntax", 0, 0, G_OPTION_ARG_STRING, &syntax_name, "Name or UID (explicit)",
      "TS" },
    { "patient-name", 0, 0, G_OPTION_ARG_STRING, &patient_name, "Patient's name",
      "Family^Given" },
    { "patient-id", 0, 0, G_OPTION_ARG_STRING, &patient_id, "Patient ID", "ID" },
    { "accession", 0, 0, G_OPTION_ARG_STRING, &accession, "Accession number", "A" },
    { "study-uid", 0, 0, G_OPTION_ARG_STRING, &study_uid, "Study Instance UID", "UID" },
    { "study-date", 0, 0, G_OPTION_ARG_STRING, &study_date, "Study date", "YYYYMMDD" },
    { "study-description", 0, 0, G_OPTION_ARG_STRING, &study_description,
      "Study description", "TEXT" },
    { "priority", 0, 0, G_OPTION_ARG_STRING, &priority,
      "Requested procedure priority: STAT, HIGH, MEDIUM, ROUTINE or LOW", "P" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Make the run reproducible", "N" },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "Writing threads (one per CPU)", "N" },
    { NULL },
  };

  lb_memory_tune_for_imaging ();

  setlocale (LC_ALL, "");
  /* Numbers in messages and files stay in the C format whatever the user's locale. */
  setlocale (LC_NUMERIC, "C");

  g_autoptr (GOptionContext) context = g_option_context_new ("- write a synthetic DICOM study");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s.", error->message);
  if (argc > 1)
    return usage_error ("unexpected argument \"%s\".", argv[1]);

  LbPhantomKind kind = LB_PHANTOM_KIND_CT;
  if (kind_name && !lb_phantom_kind_from_string (kind_name, &kind))
    return usage_error ("unknown kind \"%s\": use ct, mr, cr, dx or mammo.", kind_name);
  if (out_dir == NULL)
    return usage_error ("--out DIR is required.");
  gboolean projection = kind != LB_PHANTOM_KIND_CT && kind != LB_PHANTOM_KIND_MR;

  guint columns = 0, rows = 0;
  if (size)
    {
      char *end = NULL;
      guint64 w = g_ascii_strtoull (size, &end, 10);
      guint64 h = end && (*end == 'x' || *end == 'X') ? g_ascii_strtoull (end + 1, &end, 10) : 0;
      if (end == NULL || *end != '\0' || w < 8 || h < 8 || w > 16384 || h > 16384)
        return usage_error ("--size must be WIDTHxHEIGHT, each from 8 to 16384 (got \"%s\").",
                            size);
      columns = (guint) w;
      rows = (guint) h;
    }
  if (slices == 0 || slices < -1 || slices > 5000)
    return usage_error ("--slices must be from 1 to 5000.");
  if (slices == -1)
    slices = 0;
  if (projection && slices > 1)
    return usage_error ("a %s phantom is a single image: --slices applies to ct and mr.",
                        kind_name);
  if (slice_spacing < 0 || slice_spacing > 100 || (projection && slice_spacing > 0))
    return usage_error ("--spacing must be from 0 to 100 mm, for ct and mr only.");
  if (jobs < 0)
    return usage_error ("--jobs must be positive.");

  guint64 seed = 0;
  if (seed_text)
    {
      char *end = NULL;
      errno = 0;
      seed = g_ascii_strtoull (seed_text, &end, 10);
      if (errno != 0 || end == seed_text || *end != '\0' || seed_text[0] == '-')
        return usage_error ("--seed must be a whole number (got \"%s\").", seed_text);
    }

  const Syntax *syntax = find_syntax (syntax_name ? syntax_name : "explicit");
  const char *ts_uid = syntax ? syntax->uid : syntax_name;
  if (syntax == NULL && !valid_uid (syntax_name))
    return usage_error ("unknown transfer syntax \"%s\": give a name (explicit, implicit, "
                        "big-endian, deflate, rle, jpeg-lossless, jpeg-ls, jpeg-ls-near, j2k, "
                        "j2k-lossy, jpeg-baseline, jpeg-extended) or a UID.",
                        syntax_name);

  if (!check_text ("--patient-name", patient_name, 64) ||
      !check_text ("--patient-id", patient_id, 64) ||
      !check_text ("--accession", accession, 16) ||
      !check_text ("--study-description", study_description, 64))
    return 2;
  static const char *const priorities[] = { "STAT", "HIGH", "MEDIUM", "ROUTINE", "LOW", NULL };
  if (priority && !g_strv_contains (priorities, priority))
    return usage_error ("--priority must be STAT, HIGH, MEDIUM, ROUTINE or LOW (got \"%s\").",
                        priority);
  if (study_uid && !valid_uid (study_uid))
    return usage_error ("--study-uid \"%s\" is not a valid UID (digits and dots, up to 64).",
                        study_uid);
  GDate date;
  g_date_clear (&date, 1);
  if (study_date && !parse_date (study_date, &date))
    return usage_error ("--study-date must be a real date written YYYYMMDD (got \"%s\").",
                        study_date);

  lb_dicom_init ();

  g_auto (Plan) plan = {
    .info = &kinds[kind],
    .ts_uid = ts_uid,
    .ts_description = syntax ? syntax->description : ts_uid,
    .out_dir = out_dir,
    .seeded = seed_text != NULL,
    .seed = seed,
    .birth_date = "19620315",
    .sex = "F",
  };
  g_mutex_init (&plan.lock);
  plan.phantom = lb_phantom_new (kind, columns, rows, (guint) slices, slice_spacing, seed);
  plan.lossy = lb_transfer_syntax_is_lossy (ts_uid);

  guint bits = lb_phantom_get_bits_stored (plan.phantom);
  if (syntax && syntax->max_bits && bits > syntax->max_bits)
    return usage_error ("%s holds samples of up to %u bits, and the %s phantom has %u-bit "
                        "samples; use jpeg-ls-near or j2k-lossy for a lossy copy.",
                        syntax->name, syntax->max_bits, lb_phantom_kind_to_string (kind), bits);

  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  if (study_date == NULL && plan.seeded)
    parse_date ("20240315", &date);
  else if (study_date == NULL)
    g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (now),
                    (GDateMonth) g_date_time_get_month (now),
                    (GDateYear) g_date_time_get_year (now));
  plan.study_date = g_strdup_printf ("%04u%02u%02u", g_date_get_year (&date),
                                     g_date_get_month (&date), g_date_get_day (&date));
  plan.study_time = plan.seeded ? g_strdup ("093000") : g_date_time_format (now, "%H%M%S");
  plan.age = g_strdup_printf ("%03uY", g_date_get_year (&date) - 1962 -
                                         (g_date_get_month (&date) < 3 ||
                                          (g_date_get_month (&date) == 3 &&
                                           g_date_get_day (&date) < 15)));

  plan.patient_name = g_strdup (patient_name ? patient_name : "Phantom^Lightbox");
  plan.patient_id = g_strdup (patient_id ? patient_id : "LBPHANTOM01");
  if (accession)
    plan.accession = g_strdup (accession);
  else if (plan.seeded)
    {
      g_autofree char *name = g_strdup_printf ("accession|%" G_GUINT64_FORMAT "|%s", seed,
                                               plan.patient_id);
      g_autofree char *uid = uid_from_name (name);
      plan.accession = g_strdup_printf ("PH%.8s", uid + strlen (uid) - 8);
    }
  else
    plan.accession = g_strdup_printf ("PH%08u", (guint) g_random_int_range (0, 100000000));
  plan.study_description =
    g_strdup (study_description ? study_description : plan.info->study_description);
  plan.priority = g_strdup (priority);
  plan.utf8 = !is_ascii (plan.patient_name) || !is_ascii (plan.patient_id) ||
              !is_ascii (plan.accession) || !is_ascii (plan.study_description);
  plan.study_id = g_strdup_printf ("%.16s", plan.accession);

  if (study_uid)
    plan.study_uid = g_strdup (study_uid);
  else
    {
      g_autofree char *name = g_strdup_printf ("study|%" G_GUINT64_FORMAT "|%s|%s|%s", seed,
                                               plan.patient_id, plan.accession,
                                               plan.study_date);
      plan.study_uid = make_uid (&plan, name);
    }

  double spacing[3];
  lb_phantom_get_spacing (plan.phantom, spacing);
  guint n = lb_phantom_get_slices (plan.phantom);
  if (kind == LB_PHANTOM_KIND_CT)
    plan.series_description = g_strdup_printf ("%s %.3g mm", plan.info->series_description,
                                               lb_phantom_get_slice_thickness (plan.phantom));
  else
    plan.series_description = g_strdup (plan.info->series_description);

  /* Everything that shapes the files names the series, so two different runs never share
   * a UID, and two identical runs always do. */
  g_autofree char *recipe = g_strdup_printf (
    "series|%s|%s|%ux%ux%u|%.17g|%s|%s|%s|%s|%s|%s|%" G_GUINT64_FORMAT,
    lb_phantom_kind_to_string (kind), ts_uid, lb_phantom_get_columns (plan.phantom),
    lb_phantom_get_rows (plan.phantom), n, spacing[2], plan.study_uid, plan.patient_name,
    plan.patient_id, plan.accession, plan.study_date, plan.study_description, seed);
  plan.series_uid = make_uid (&plan, recipe);
  g_autofree char *for_name = g_strconcat ("frame-of-reference|", plan.series_uid, NULL);
  plan.frame_of_reference_uid = make_uid (&plan, for_name);

  plan.sop_uids = g_ptr_array_new_with_free_func (g_free);
  plan.files = g_ptr_array_new_with_free_func (g_free);
  plan.positions = g_ptr_array_new_with_free_func (g_free);
  plan.slice_locations = g_array_new (FALSE, FALSE, sizeof (double));
  double orientation[6];
  lb_phantom_get_orientation (plan.phantom, orientation);
  const double *r = orientation, *c = orientation + 3;
  double normal[3] = { r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2],
                       r[0] * c[1] - r[1] * c[0] };
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *name = g_strdup_printf ("instance|%s|%u", plan.series_uid, k + 1);
      double p[3];
      lb_phantom_voxel_to_patient (plan.phantom, 0, 0, k, p);
      g_ptr_array_add (plan.sop_uids, make_uid (&plan, name));
      g_ptr_array_add (plan.files, g_strdup_printf ("%s%06u.dcm", plan.info->prefix, k + 1));
      g_ptr_array_add (plan.positions, format_ds_list (p, 3));
      /* Slice Location: the position along the normal, which for axial CT is z. */
      double location = p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
      g_array_append_val (plan.slice_locations, location);
    }

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;
      g_printerr ("make-phantom: cannot create the folder %s: %s.\n", out_dir,
                  g_strerror (saved));
      return 1;
    }

  gint64 start = g_get_monotonic_time ();
  if (!write_all (&plan, jobs > 0 ? (guint) jobs : g_get_num_processors (), &error) ||
      !write_description (&plan, &error))
    {
      g_printerr ("make-phantom: %s\n", error->message);
      return 1;
    }
  double seconds = (g_get_monotonic_time () - start) / 1e6;

  g_print ("make-phantom: wrote %u %s image%s of %ux%u (%s) to %s: %.1f MB in %.2f s; "
           "study %s\n",
           n, plan.info->modality, n == 1 ? "" : "s", lb_phantom_get_columns (plan.phantom),
           lb_phantom_get_rows (plan.phantom), plan.ts_description, out_dir,
           plan.bytes / 1e6, seconds, plan.study_uid);
  return 0;
}
