/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importing a folder or media into the store.  A DICOMDIR names its files in the
 * Directory Record Sequence; media written on another system may spell the names in
 * another case, so a name that is not found as written is looked up case-insensitively.
 * Imported studies have no archive but the store: eviction never touches them.
 */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-store-private.h"

#include <string.h>

#define TAG_MEDIA_STORAGE_SOP_CLASS_UID LB_TAG (0x0002, 0x0002)
#define TAG_FILE_SET_ID LB_TAG (0x0004, 0x1130)
#define TAG_DIRECTORY_RECORD_SEQUENCE LB_TAG (0x0004, 0x1220)
#define TAG_REFERENCED_FILE_ID LB_TAG (0x0004, 0x1500)
#define MEDIA_STORAGE_DIRECTORY "1.2.840.10008.1.3.10"

void
lb_import_summary_clear (LbImportSummary *summary)
{
  g_clear_pointer (&summary->problems, g_ptr_array_unref);
  memset (summary, 0, sizeof *summary);
}

static gboolean
is_directory_file (LbDicomFile *file)
{
  g_autofree char *media_class =
    lb_dicom_file_dup_string (file, NULL, TAG_MEDIA_STORAGE_SOP_CLASS_UID);

  return g_strcmp0 (media_class, MEDIA_STORAGE_DIRECTORY) == 0 ||
         g_strcmp0 (lb_dicom_file_get_sop_class_uid (file), MEDIA_STORAGE_DIRECTORY) == 0 ||
         lb_dicom_file_has (file, NULL, TAG_DIRECTORY_RECORD_SEQUENCE) ||
         lb_dicom_file_has (file, NULL, TAG_FILE_SET_ID);
}

/* The parser reads a file without the "DICM" preamble as a bare data set, the way old
 * media wrote them, so a text file fails as a damaged data set.  In a folder, such a
 * file is taken for what it most likely is: not DICOM. */
static gboolean
has_preamble (GBytes *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return length >= 132 && memcmp (data + 128, "DICM", 4) == 0;
}

static void
add_problem (LbImportSummary *summary, const char *path, const char *reason)
{
  g_ptr_array_add (summary->problems, g_strdup_printf ("%s: %s", path, reason));
}

/* One import under way. */
typedef struct
{
  LbStore *store;
  LbImportSummary *summary;
  LbImportProgressFunc progress;
  gpointer progress_data;
  GCancellable *cancellable;
} Import;

/* FALSE only for what stops the whole import (the cache cannot be written).  @named: a
 * DICOMDIR names the file, so it is DICOM whatever its first bytes. */
static gboolean
take_file (LbStore *self, const char *path, gboolean named, LbImportSummary *summary,
           GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local_error);

  if (mapped == NULL)
    {
      summary->broken++;
      add_problem (summary, path, local_error->message);
      return TRUE;
    }

  g_autoptr (GBytes) bytes = g_mapped_file_get_bytes (mapped);
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_bytes (bytes, name, &local_error);
  LbPutOutcome outcome;

  if (file == NULL)
    {
      if (g_error_matches (local_error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM) ||
          (!named && g_error_matches (local_error, LB_DICOM_ERROR, LB_DICOM_ERROR_CORRUPT) &&
           !has_preamble (bytes)))
        summary->not_dicom++;
      else
        {
          summary->broken++;
          add_problem (summary, path, local_error->message);
        }
      return TRUE;
    }
  if (is_directory_file (file))
    {
      summary->directories++;
      return TRUE;
    }
  if (!_lb_store_put (self, 0, bytes, file, &outcome, &local_error))
    {
      if (local_error->domain == LB_STORE_ERROR && local_error->code != LB_STORE_ERROR_INVALID)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      summary->broken++;
      add_problem (summary, path, local_error->message);
      return TRUE;
    }
  if (outcome == LB_PUT_STORED)
    {
      summary->imported++;
      summary->bytes += g_bytes_get_size (bytes);
    }
  else
    summary->already_cached++;
  return TRUE;
}

static gboolean
import_file (Import *import, const char *path, gboolean named, GError **error)
{
  gboolean ok = take_file (import->store, path, named, import->summary, error);

  if (ok && import->progress != NULL)
    import->progress (import->summary, import->progress_data);
  return ok;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
import_folder (Import *import, const char *folder, GError **error)
{
  LbImportSummary *summary = import->summary;
  g_autoptr (GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr (GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      summary->broken++;
      add_problem (summary, folder, "the folder cannot be read");
      return TRUE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (children, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (children, compare_strings);

  for (guint i = 0; i < children->len; i++)
    {
      const char *child = g_ptr_array_index (children, i);

      if (g_cancellable_set_error_if_cancelled (import->cancellable, error))
        return FALSE;
      /* Links could lead out of the folder, or round in circles. */
      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (!import_folder (import, child, error))
            return FALSE;
        }
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR) &&
               !import_file (import, child, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/* @folder/@component, or the entry of @folder with that name in another case. */
static char *
find_component (const char *folder, const char *component)
{
  g_autofree char *exact = g_build_filename (folder, component, NULL);
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_file_test (exact, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&exact);
  dir = g_dir_open (folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_ascii_strcasecmp (name, component) == 0)
      return g_build_filename (folder, name, NULL);
  return NULL;
}

static gboolean
import_dicomdir (Import *import, const char *path, LbDicomFile *dicomdir, GError **error)
{
  LbImportSummary *summary = import->summary;
  g_autofree char *root = g_path_get_dirname (path);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint records = lb_dicom_file_get_item_count (dicomdir, NULL, TAG_DIRECTORY_RECORD_SEQUENCE);

  for (guint i = 0; i < records; i++)
    {
      const LbDataSet *record =
        lb_dicom_file_get_item (dicomdir, NULL, TAG_DIRECTORY_RECORD_SEQUENCE, i);
      g_auto (GStrv) components =
        lb_dicom_file_dup_strings (dicomdir, record, TAG_REFERENCED_FILE_ID);
      g_autofree char *found = NULL;
      gboolean escapes = FALSE;

      if (g_cancellable_set_error_if_cancelled (import->cancellable, error))
        return FALSE;
      if (components == NULL)
        continue;
      found = g_strdup (root);
      for (guint c = 0; components[c] != NULL && found != NULL; c++)
        {
          /* A file ID names a file below the DICOMDIR's folder, never above it. */
          if (strcmp (components[c], "..") == 0 || strcmp (components[c], ".") == 0 ||
              strchr (components[c], '/') != NULL)
            {
              escapes = TRUE;
              break;
            }
          char *next = find_component (found, components[c]);
          g_free (found);
          found = next;
        }

      g_autofree char *named = g_build_filenamev (components);
      g_autofree char *shown = g_build_filename (root, named, NULL);
      if (escapes)
        {
          summary->broken++;
          add_problem (summary, shown, "the DICOMDIR names a file outside its folder");
          continue;
        }
      if (found == NULL || !g_file_test (found, G_FILE_TEST_IS_REGULAR))
        {
          summary->missing++;
          add_problem (summary, shown, "named by the DICOMDIR but not found");
          continue;
        }
      if (g_hash_table_add (seen, found))
        g_ptr_array_add (files, g_steal_pointer (&found));
    }

  for (guint i = 0; i < files->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (import->cancellable, error) ||
          !import_file (import, g_ptr_array_index (files, i), TRUE, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
lb_store_import (LbStore *self, const char *path, LbImportProgressFunc progress,
                 gpointer progress_data, LbImportSummary *summary, GCancellable *cancellable,
                 GError **error)
{
  g_return_val_if_fail (LB_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL && summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);
  summary->problems = g_ptr_array_new_with_free_func (g_free);

  Import import = {
    .store = self,
    .summary = summary,
    .progress = progress,
    .progress_data = progress_data,
    .cancellable = cancellable,
  };
  gboolean ok;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    ok = import_folder (&import, path, error);
  else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (LbDicomFile) file = lb_dicom_file_new_for_path (path, &local_error);

      if (file != NULL && lb_dicom_file_has (file, NULL, TAG_DIRECTORY_RECORD_SEQUENCE))
        ok = import_dicomdir (&import, path, file, error);
      else
        ok = import_file (&import, path, FALSE, error);
    }
  else
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_NOT_FOUND,
                   "%s is neither a folder nor a file that can be read.", path);
      return FALSE;
    }

  lb_blob_store_sync_folders (self->blobs);
  if (summary->imported > 0)
    {
      g_autofree char *detail = g_strdup_printf ("%u instances", summary->imported);
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (lb_database_get_mutex (self->db));
      _lb_store_audit (self, NULL, "import", detail, NULL);
    }
  _lb_store_enforce_quota (self, 0);
  return ok;
}

static void
import_summary_free (LbImportSummary *summary)
{
  lb_import_summary_clear (summary);
  g_free (summary);
}

static gpointer
import_job (LbStore *self, gpointer data, GCancellable *cancellable, GError **error)
{
  LbImportSummary *summary = g_new0 (LbImportSummary, 1);

  if (!lb_store_import (self, data, NULL, NULL, summary, cancellable, error))
    {
      import_summary_free (summary);
      return NULL;
    }
  return summary;
}

void
lb_store_import_async (LbStore *self, const char *path, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LB_IS_STORE (self));
  g_return_if_fail (path != NULL);

  _lb_store_run_async (self, import_job, g_strdup (path), g_free,
                       (GDestroyNotify) import_summary_free, lb_store_import_async, cancellable,
                       callback, user_data);
}

gboolean
lb_store_import_finish (LbStore *self, GAsyncResult *result, LbImportSummary *summary,
                        GError **error)
{
  LbImportSummary *found = _lb_store_run_finish (self, result, lb_store_import_async, error);

  if (found == NULL)
    return FALSE;
  if (summary != NULL)
    {
      *summary = *found;
      g_free (found);
    }
  else
    import_summary_free (found);
  return TRUE;
}
