/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Storing one instance: its file first (lb-blob-store.c makes that atomic), then its row
 * in the index, so that the index never names a file that is not whole.
 */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

/* Study attributes as the index keeps them, in the order of the INSERT below. */
static const guint32 study_tags[] = {
  LB_TAG_PATIENT_NAME,
  LB_TAG_PATIENT_ID,
  LB_TAG_PATIENT_BIRTH_DATE,
  LB_TAG_PATIENT_SEX,
  LB_TAG_STUDY_DATE,
  LB_TAG_STUDY_TIME,
  LB_TAG_ACCESSION_NUMBER,
  LB_TAG_STUDY_DESCRIPTION,
  LB_TAG_REFERRING_PHYSICIAN_NAME,
  LB_TAG_STUDY_ID,
  LB_TAG_REQUESTED_PROCEDURE_PRIORITY,
};

/* Attributes are kept as the first file of a study gave them: a later file with an empty
 * or missing value does not blank what is known. */
#define UPSERT_STUDY                                                                      \
  "INSERT INTO studies (study_uid, server_id, patient_name, patient_id, "                  \
  "patient_birth_date, patient_sex, study_date, study_time, accession_number, "            \
  "study_description, referring_physician_name, study_id, priority, retrieved_at) "        \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "                  \
  "ON CONFLICT (study_uid) DO UPDATE SET "                                                \
  "server_id = COALESCE (server_id, excluded.server_id), "                                \
  "patient_name = COALESCE (patient_name, excluded.patient_name), "                        \
  "patient_id = COALESCE (patient_id, excluded.patient_id), "                              \
  "patient_birth_date = COALESCE (patient_birth_date, excluded.patient_birth_date), "      \
  "patient_sex = COALESCE (patient_sex, excluded.patient_sex), "                           \
  "study_date = COALESCE (study_date, excluded.study_date), "                              \
  "study_time = COALESCE (study_time, excluded.study_time), "                              \
  "accession_number = COALESCE (accession_number, excluded.accession_number), "            \
  "study_description = COALESCE (study_description, excluded.study_description), "         \
  "referring_physician_name = COALESCE (referring_physician_name, "                        \
  "excluded.referring_physician_name), "                                                   \
  "study_id = COALESCE (study_id, excluded.study_id), "                                    \
  "priority = COALESCE (priority, excluded.priority) "                                     \
  "RETURNING id"

static gint64
upsert_study (LbStore *self, gint64 server_id, LbDicomFile *file, const char *study_uid,
              gint64 now, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (self->db, UPSERT_STUDY, error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, study_uid, -1, SQLITE_STATIC);
  if (server_id > 0)
    sqlite3_bind_int64 (stmt, 2, server_id);
  else
    sqlite3_bind_null (stmt, 2);
  for (guint i = 0; i < G_N_ELEMENTS (study_tags); i++)
    {
      g_autofree char *value = lb_dicom_file_dup_string (file, NULL, study_tags[i]);
      lb_database_bind_text (stmt, (int) i + 3, value);
    }
  sqlite3_bind_int64 (stmt, (int) G_N_ELEMENTS (study_tags) + 3, now);
  if (!lb_database_step (self->db, stmt, error))
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
find_or_add_series (LbStore *self, gint64 study_id, LbDicomFile *file, const char *series_uid,
                    GError **error)
{
  g_autoptr (sqlite3_stmt) find =
    lb_database_prepare (self->db, "SELECT id FROM series WHERE series_uid = ?1", error);
  g_autoptr (GError) local_error = NULL;

  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, series_uid, -1, SQLITE_STATIC);
  if (lb_database_step (self->db, find, &local_error))
    return sqlite3_column_int64 (find, 0);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  g_autoptr (sqlite3_stmt) add = lb_database_prepare (
    self->db, "INSERT INTO series (study_id, series_uid, modality, series_number, "
              "series_description, body_part) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  g_autofree char *modality = lb_dicom_file_dup_string (file, NULL, LB_TAG_MODALITY);
  g_autofree char *description = lb_dicom_file_dup_string (file, NULL, LB_TAG_SERIES_DESCRIPTION);
  g_autofree char *body_part = lb_dicom_file_dup_string (file, NULL, LB_TAG_BODY_PART_EXAMINED);
  gint64 number;

  if (add == NULL)
    return 0;
  sqlite3_bind_int64 (add, 1, study_id);
  sqlite3_bind_text (add, 2, series_uid, -1, SQLITE_STATIC);
  lb_database_bind_text (add, 3, modality);
  if (lb_dicom_file_get_int (file, NULL, LB_TAG_SERIES_NUMBER, 0, &number))
    sqlite3_bind_int64 (add, 4, number);
  lb_database_bind_text (add, 5, description);
  lb_database_bind_text (add, 6, body_part);
  if (!lb_database_run (self->db, add, error))
    return 0;

  gint64 id = lb_database_last_insert_rowid (self->db);
  /* A new series may bring a new modality to the study. */
  g_autoptr (sqlite3_stmt) modalities = lb_database_prepare (
    self->db, "UPDATE studies SET modalities = COALESCE ((SELECT '\\' || group_concat (m, '\\') "
              "|| '\\' FROM (SELECT DISTINCT modality AS m FROM series WHERE study_id = ?1 "
              "AND modality IS NOT NULL ORDER BY m)), '') WHERE id = ?1", error);
  if (modalities == NULL)
    return 0;
  sqlite3_bind_int64 (modalities, 1, study_id);
  if (!lb_database_run (self->db, modalities, error))
    return 0;
  return id;
}

gboolean
_lb_store_index_file (LbStore *self, gint64 server_id, LbDicomFile *file, const char *relative,
                      guint64 size, gint64 retrieved_at, GError **error)
{
  g_autofree char *study_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_STUDY_INSTANCE_UID);
  g_autofree char *series_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_SERIES_INSTANCE_UID);
  const char *sop_uid = lb_dicom_file_get_sop_instance_uid (file);

  g_return_val_if_fail (study_uid != NULL && series_uid != NULL && sop_uid != NULL, FALSE);

  gint64 study_id = upsert_study (self, server_id, file, study_uid, retrieved_at, error);
  if (study_id == 0)
    return FALSE;
  gint64 series_id = find_or_add_series (self, study_id, file, series_uid, error);
  if (series_id == 0)
    return FALSE;

  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "INSERT INTO instances (series_id, study_id, sop_instance_uid, sop_class_uid, "
              "transfer_syntax_uid, instance_number, blob_path, size, retrieved_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
              "ON CONFLICT (sop_instance_uid) DO UPDATE SET series_id = excluded.series_id, "
              "study_id = excluded.study_id, sop_class_uid = excluded.sop_class_uid, "
              "transfer_syntax_uid = excluded.transfer_syntax_uid, "
              "instance_number = excluded.instance_number, blob_path = excluded.blob_path, "
              "size = excluded.size, retrieved_at = excluded.retrieved_at", error);
  gint64 number;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, series_id);
  sqlite3_bind_int64 (stmt, 2, study_id);
  sqlite3_bind_text (stmt, 3, sop_uid, -1, SQLITE_STATIC);
  lb_database_bind_text (stmt, 4, lb_dicom_file_get_sop_class_uid (file));
  lb_database_bind_text (stmt, 5, lb_dicom_file_get_transfer_syntax (file));
  if (lb_dicom_file_get_int (file, NULL, LB_TAG_INSTANCE_NUMBER, 0, &number))
    sqlite3_bind_int64 (stmt, 6, number);
  sqlite3_bind_text (stmt, 7, relative, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, (gint64) size);
  sqlite3_bind_int64 (stmt, 9, retrieved_at);
  return lb_database_run (self->db, stmt, error);
}

/* TRUE when the index already has this instance, whole, at @relative. */
static gboolean
already_cached (LbStore *self, const char *sop_uid, const char *relative, guint64 size)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (
    self->db, "SELECT size, blob_path FROM instances WHERE sop_instance_uid = ?1", NULL);
  guint64 on_disk;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sop_uid, -1, SQLITE_STATIC);
  return lb_database_step (self->db, stmt, NULL) &&
         (guint64) sqlite3_column_int64 (stmt, 0) == size &&
         g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), relative) == 0 &&
         lb_blob_store_exists (self->blobs, relative, &on_disk) && on_disk == size;
}

static gboolean
index_one (LbStore *self, gint64 server_id, LbDicomFile *file, const char *relative,
           guint64 size, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));

  if (!lb_database_begin (self->db, LB_DATABASE_NORMAL, error))
    return FALSE;
  if (!_lb_store_index_file (self, server_id, file, relative, size, g_get_real_time (), error))
    {
      lb_database_rollback (self->db);
      return FALSE;
    }
  return lb_database_commit (self->db, error);
}

static gboolean
put_leased (LbStore *self, gint64 server_id, GBytes *bytes, LbDicomFile *file,
            const char *study_uid, LbPutOutcome *outcome, GError **error)
{
  const char *sop_uid = lb_dicom_file_get_sop_instance_uid (file);
  g_autofree char *relative = lb_blob_store_instance_path (study_uid, sop_uid);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autoptr (GError) local_error = NULL;

  if (already_cached (self, sop_uid, relative, size))
    {
      *outcome = LB_PUT_ALREADY_CACHED;
      return TRUE;
    }

  gboolean written =
    lb_blob_store_write (self->blobs, relative, data, size, server_id, TRUE, &local_error);
  /* A full disk or quota: evict other studies, then try once more. */
  if (!written && g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL) &&
      _lb_store_make_room (self, size))
    {
      g_clear_error (&local_error);
      written =
        lb_blob_store_write (self->blobs, relative, data, size, server_id, TRUE, &local_error);
    }
  if (!written)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  gboolean indexed = index_one (self, server_id, file, relative, size, error);
  if (!indexed)
    lb_blob_store_remove (self->blobs, relative);
  lb_blob_store_settle (self->blobs);
  if (!indexed)
    return FALSE;
  *outcome = LB_PUT_STORED;
  _lb_store_changed (self, LB_STORE_CHANGED_STUDIES);
  return TRUE;
}

gboolean
_lb_store_put (LbStore *self, gint64 server_id, GBytes *bytes, LbDicomFile *file,
               LbPutOutcome *outcome, GError **error)
{
  g_autofree char *study_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_STUDY_INSTANCE_UID);
  g_autofree char *series_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_SERIES_INSTANCE_UID);
  const char *sop_uid = lb_dicom_file_get_sop_instance_uid (file);

  if (study_uid == NULL || series_uid == NULL || sop_uid == NULL || *sop_uid == '\0')
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_INVALID,
                   "%s lacks a Study, Series or SOP Instance UID, so it cannot be filed.",
                   lb_dicom_file_get_name (file));
      return FALSE;
    }

  /* While its files are written, the study is in use: room is never made by evicting it. */
  if (!_lb_store_lease (self, study_uid, error))
    return FALSE;
  gboolean ok = put_leased (self, server_id, bytes, file, study_uid, outcome, error);
  _lb_store_release (self, study_uid);
  if (ok && *outcome == LB_PUT_STORED)
    _lb_store_enforce_quota (self, g_bytes_get_size (bytes));
  return ok;
}

gboolean
lb_store_put_instance (LbStore *self, const char *server_url, GBytes *bytes,
                       char **sop_instance_uid, GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (bytes, "The instance", error);
  if (file == NULL)
    return FALSE;

  gint64 server_id;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
    server_id = _lb_store_server_id (self, server_url, error);
  }
  if (server_id < 0)
    return FALSE;

  LbPutOutcome outcome;
  if (!_lb_store_put (self, server_id, bytes, file, &outcome, error))
    return FALSE;
  lb_blob_store_sync_folders (self->blobs);
  if (sop_instance_uid != NULL)
    *sop_instance_uid = g_strdup (lb_dicom_file_get_sop_instance_uid (file));
  return TRUE;
}
