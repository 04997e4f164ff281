/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-blob-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lb-dicomweb-client.h"
#include "lb-store-error.h"

#define LOCK_NAME "lock"
#define JOURNAL_NAME "journal"
#define TEMP_PREFIX "tmp-"
#define RESERVE_NAME "reserve"
#define RESERVE_BYTES (G_GUINT64_CONSTANT (2) << 20)
/* What headroom the cache keeps free: a fiftieth of the disk, within these bounds. */
#define MIN_HEADROOM (G_GUINT64_CONSTANT (1) << 20)
#define MAX_HEADROOM (G_GUINT64_CONSTANT (64) << 20)

struct _LbBlobStore
{
  char *root;
  char *owner;
  char *session;
  int lock_fd;

  GMutex journal_lock;
  int journal_fd;
  guint in_flight;
  /* Folders renamed into since the last sync. */
  GHashTable *dirty_folders;
};

void
lb_dead_session_free (LbDeadSession *session)
{
  if (session == NULL)
    return;
  if (session->lock_fd >= 0)
    close (session->lock_fd);
  g_free (session->owner);
  g_ptr_array_unref (session->added);
  g_array_unref (session->origins);
  g_ptr_array_unref (session->evicted);
  g_free (session);
}

static gboolean io_error (GError **error, int saved_errno, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

static gboolean
io_error (GError **error, int saved_errno, const char *format, ...)
{
  va_list args;

  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    {
      g_set_error_literal (error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL,
                           "The cache disk is full.");
      return FALSE;
    }
  va_start (args, format);
  g_autofree char *what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO, "%s (%s).", what,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
make_private_folder (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    return io_error (error, errno, "Cannot create the cache folder %s", path);
  return TRUE;
}

/* The session folder appears under its final name only once its lock is held, so a
 * session folder without a held lock always means a dead process. */
static gboolean
start_session (LbBlobStore *self, GError **error)
{
  g_autofree char *sessions = g_build_filename (self->root, "sessions", NULL);
  g_autofree char *hidden = g_strdup_printf ("%s/.new-%s", sessions, self->owner);

  if (g_mkdir (hidden, 0700) != 0)
    return io_error (error, errno, "Cannot create the session folder %s", hidden);

  g_autofree char *lock = g_build_filename (hidden, LOCK_NAME, NULL);
  self->lock_fd = g_open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0 || flock (self->lock_fd, LOCK_EX) != 0)
    return io_error (error, errno, "Cannot lock %s", lock);

  self->session = g_build_filename (sessions, self->owner, NULL);
  if (g_rename (hidden, self->session) != 0)
    return io_error (error, errno, "Cannot create the session folder %s", self->session);

  g_autofree char *journal = g_build_filename (self->session, JOURNAL_NAME, NULL);
  self->journal_fd = g_open (journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (self->journal_fd < 0)
    return io_error (error, errno, "Cannot create %s", journal);
  return TRUE;
}

static gboolean remove_tree (const char *path);

/* After a failed start: whatever of the session was made goes, so it can start again. */
static void
remove_partial_session (LbBlobStore *self)
{
  g_autofree char *hidden = g_strdup_printf ("%s/sessions/.new-%s", self->root, self->owner);

  if (self->journal_fd >= 0)
    close (self->journal_fd);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  self->journal_fd = -1;
  self->lock_fd = -1;
  remove_tree (hidden);
  if (self->session != NULL)
    remove_tree (self->session);
  g_clear_pointer (&self->session, g_free);
}

LbBlobStore *
lb_blob_store_new (const char *root, GError **error)
{
  g_autoptr (LbBlobStore) self = g_new0 (LbBlobStore, 1);
  static const char *const folders[] = { "blobs", "outbox", "sessions" };

  self->lock_fd = -1;
  self->journal_fd = -1;
  g_mutex_init (&self->journal_lock);
  self->dirty_folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->root = g_canonicalize_filename (root, NULL);
  self->owner = g_strdup_printf ("%s-%d-%08x", g_get_host_name (), (int) getpid (),
                                 g_random_int ());
  g_strdelimit (self->owner, "/", '_');

  if (!make_private_folder (self->root, error))
    return NULL;
  /* The cache holds patient data: only its owner may enter, whatever made it. */
  if (g_chmod (self->root, 0700) != 0)
    {
      io_error (error, errno, "Cannot make the cache folder %s private", self->root);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (self->root, folders[i], NULL);
      if (!make_private_folder (path, error))
        return NULL;
    }

  g_autoptr (GError) local_error = NULL;
  if (!start_session (self, &local_error))
    {
      /* A session needs a folder and two small files, even on a full disk. */
      if (!g_error_matches (local_error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL) ||
          !lb_blob_store_release_reserve (self))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_clear_error (&local_error);
      remove_partial_session (self);
      if (!start_session (self, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
lb_blob_store_keep_reserve (LbBlobStore *self)
{
  g_autofree char *path = g_build_filename (self->root, RESERVE_NAME, NULL);
  guint64 free_bytes;
  GStatBuf st;

  if ((g_stat (path, &st) == 0 && (guint64) st.st_size == RESERVE_BYTES) ||
      !lb_blob_store_get_space (self, &free_bytes, NULL, NULL) ||
      free_bytes < RESERVE_BYTES + lb_blob_store_get_headroom (self))
    return;

  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  /* Allocated, not sparse: the blocks must be there to give back. */
  if (fd < 0 || posix_fallocate (fd, 0, (off_t) RESERVE_BYTES) != 0 || fsync (fd) != 0)
    {
      g_debug ("cannot keep a reserve in the cache folder");
      g_unlink (path);
    }
  if (fd >= 0)
    close (fd);
}

gboolean
lb_blob_store_release_reserve (LbBlobStore *self)
{
  g_autofree char *path = g_build_filename (self->root, RESERVE_NAME, NULL);

  if (g_unlink (path) != 0)
    return FALSE;
  g_debug ("the disk is full: the cache's reserve was given back");
  return TRUE;
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  return g_rmdir (path) == 0;
}

void
lb_blob_store_free (LbBlobStore *self)
{
  if (self == NULL)
    return;
  if (self->journal_fd >= 0)
    close (self->journal_fd);
  /* A clean exit leaves nothing for others to finish. */
  if (self->session != NULL && self->in_flight == 0)
    remove_tree (self->session);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_mutex_clear (&self->journal_lock);
  g_hash_table_unref (self->dirty_folders);
  g_free (self->session);
  g_free (self->owner);
  g_free (self->root);
  g_free (self);
}

const char *
lb_blob_store_get_root (LbBlobStore *self)
{
  return self->root;
}

const char *
lb_blob_store_get_owner (LbBlobStore *self)
{
  return self->owner;
}

char *
lb_blob_store_absolute (LbBlobStore *self, const char *relative)
{
  return g_build_filename (self->root, relative, NULL);
}

static char *
file_name_for_uid (const char *uid)
{
  if (lb_dicomweb_is_valid_uid (uid))
    return g_strdup (uid);

  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, uid, -1);
  return g_strdup_printf ("x%.40s", digest);
}

char *
lb_blob_store_instance_path (const char *study_uid, const char *sop_instance_uid)
{
  g_autofree char *study = file_name_for_uid (study_uid);
  g_autofree char *sop = file_name_for_uid (sop_instance_uid);

  return g_strdup_printf ("blobs/%s/%s.dcm", study, sop);
}

char *
lb_blob_store_payload_path (const char *sop_instance_uid)
{
  g_autofree char *sop = file_name_for_uid (sop_instance_uid);

  return g_strdup_printf ("outbox/%s.dcm", sop);
}

char *
lb_blob_store_payload_destination_path (const char *payload_path)
{
  g_return_val_if_fail (g_str_has_suffix (payload_path, ".dcm"), NULL);
  return g_strdup_printf ("%.*s.url", (int) strlen (payload_path) - 4, payload_path);
}

gboolean
lb_blob_store_get_space (LbBlobStore *self, guint64 *free_bytes, guint64 *total_bytes,
                         GError **error)
{
  struct statvfs st;

  if (statvfs (self->root, &st) != 0)
    return io_error (error, errno, "Cannot read the free space of %s", self->root);
  if (free_bytes != NULL)
    *free_bytes = (guint64) st.f_bavail * st.f_frsize;
  if (total_bytes != NULL)
    *total_bytes = (guint64) st.f_blocks * st.f_frsize;
  return TRUE;
}

guint64
lb_blob_store_get_headroom (LbBlobStore *self)
{
  guint64 total = 0;

  if (!lb_blob_store_get_space (self, NULL, &total, NULL))
    return MIN_HEADROOM;
  return CLAMP (total / 50, MIN_HEADROOM, MAX_HEADROOM);
}

static gboolean
journal_append (LbBlobStore *self, char kind, const char *relative, gint64 origin,
                GError **error)
{
  g_autofree char *line = g_strdup_printf ("%c %s\t%" G_GINT64_FORMAT "\n", kind, relative,
                                           origin);
  gsize length = strlen (line);

  /* O_APPEND writes of one short line are atomic: a crash leaves whole lines. */
  if (write (self->journal_fd, line, length) != (gssize) length)
    return io_error (error, errno, "Cannot write the session journal of %s", self->session);
  return TRUE;
}

static gboolean
write_all (int fd, const guint8 *data, gsize length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      data += written;
      length -= (gsize) written;
    }
  return TRUE;
}

static gboolean
sync_folder (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok = fd >= 0 && fsync (fd) == 0;

  if (fd >= 0)
    close (fd);
  return ok;
}

gboolean
lb_blob_store_write (LbBlobStore *self, const char *relative, const void *data, gsize length,
                     gint64 origin, gboolean keep_headroom, GError **error)
{
  g_autofree char *target = lb_blob_store_absolute (self, relative);
  g_autofree char *folder = g_path_get_dirname (target);

  if (keep_headroom)
    {
      guint64 free_bytes;
      guint64 headroom = lb_blob_store_get_headroom (self);

      if (!lb_blob_store_get_space (self, &free_bytes, NULL, error))
        return FALSE;
      if (free_bytes < length + headroom)
        {
          g_autofree char *free_text = g_format_size (free_bytes);
          g_autofree char *needed = g_format_size (length + headroom);
          g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL,
                       "The cache disk is full: %s free, %s needed.", free_text, needed);
          return FALSE;
        }
    }
  if (!make_private_folder (folder, error))
    return FALSE;

  g_autofree char *temp = g_build_filename (self->session, TEMP_PREFIX "XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return io_error (error, errno, "Cannot create a file in %s", self->session);

  if (!write_all (fd, data, length) || fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      g_unlink (temp);
      return io_error (error, saved, "Cannot write %s", target);
    }
  close (fd);

  g_mutex_lock (&self->journal_lock);
  gboolean journaled = journal_append (self, 'A', relative, origin, error);
  if (journaled)
    self->in_flight++;
  g_mutex_unlock (&self->journal_lock);
  if (!journaled)
    {
      g_unlink (temp);
      return FALSE;
    }

  /* An eviction in another process may remove the folder once it is empty, between the
   * mkdir above and this rename: make it again and retry. */
  int renamed = g_rename (temp, target);
  for (guint i = 0; renamed != 0 && errno == ENOENT && i < 3; i++)
    {
      if (g_mkdir_with_parents (folder, 0700) == 0)
        renamed = g_rename (temp, target);
    }
  if (renamed != 0)
    {
      int saved = errno;
      g_unlink (temp);
      lb_blob_store_settle (self);
      return io_error (error, saved, "Cannot move a new file to %s", target);
    }
  g_mutex_lock (&self->journal_lock);
  g_hash_table_add (self->dirty_folders, g_steal_pointer (&folder));
  g_mutex_unlock (&self->journal_lock);
  return TRUE;
}

void
lb_blob_store_sync_folders (LbBlobStore *self)
{
  GHashTableIter iter;
  gpointer folder;

  g_mutex_lock (&self->journal_lock);
  GHashTable *dirty = g_steal_pointer (&self->dirty_folders);
  self->dirty_folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_unlock (&self->journal_lock);

  g_hash_table_iter_init (&iter, dirty);
  while (g_hash_table_iter_next (&iter, &folder, NULL))
    if (!sync_folder (folder))
      g_debug ("cannot sync a cache folder: %s", g_strerror (errno));
  g_hash_table_unref (dirty);
}

void
lb_blob_store_settle (LbBlobStore *self)
{
  g_mutex_lock (&self->journal_lock);
  g_assert (self->in_flight > 0);
  /* Everything journaled is now indexed or deleted: the journal may start over. */
  if (--self->in_flight == 0 && ftruncate (self->journal_fd, 0) != 0)
    g_debug ("cannot truncate the session journal: %s", g_strerror (errno));
  g_mutex_unlock (&self->journal_lock);
}

gboolean
lb_blob_store_journal_removals (LbBlobStore *self, GPtrArray *relatives, GError **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->journal_lock);
  for (guint i = 0; i < relatives->len && ok; i++)
    ok = journal_append (self, 'E', g_ptr_array_index (relatives, i), 0, error);
  if (ok)
    self->in_flight++;
  g_mutex_unlock (&self->journal_lock);
  return ok;
}

void
lb_blob_store_remove (LbBlobStore *self, const char *relative)
{
  g_autofree char *path = lb_blob_store_absolute (self, relative);
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("cannot delete a cached file: %s", g_strerror (errno));
  /* Fails while the folder holds other files, as it should. */
  if (g_str_has_prefix (relative, "blobs/") && strchr (relative + 6, '/') != NULL)
    g_rmdir (folder);
}

gboolean
lb_blob_store_exists (LbBlobStore *self, const char *relative, guint64 *size)
{
  g_autofree char *path = lb_blob_store_absolute (self, relative);
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  if (size != NULL)
    *size = (guint64) st.st_size;
  return TRUE;
}

int
lb_blob_store_lock_maintenance (LbBlobStore *self, gboolean wait)
{
  g_autofree char *path = g_build_filename (self->root, "maintenance.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    return -1;
  /* Each call opens its own description, so threads of one process exclude each other
   * as processes do. */
  while (flock (fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0)
    {
      if (errno == EINTR)
        continue;
      close (fd);
      return -1;
    }
  return fd;
}

void
lb_blob_store_unlock_maintenance (LbBlobStore *self, int fd)
{
  if (fd >= 0)
    close (fd);
}

static void
list_into (const char *root, const char *relative, GPtrArray *out)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *full = g_build_filename (root, child, NULL);
      GStatBuf st;

      if (g_lstat (full, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        list_into (root, child, out);
      else if (S_ISREG (st.st_mode))
        g_ptr_array_add (out, g_steal_pointer (&child));
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
lb_blob_store_list (LbBlobStore *self, const char *folder)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  list_into (self->root, folder, out);
  g_ptr_array_sort (out, compare_strings);
  return out;
}

static void
read_journal (const char *session, GPtrArray *added, GArray *origins, GPtrArray *evicted)
{
  g_autofree char *path = g_build_filename (session, JOURNAL_NAME, NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;

  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      char *tab = strchr (line, '\t');
      gint64 origin = 0;

      /* The last line may be cut short by the crash: it ends with a complete origin. */
      if (tab == NULL || !g_ascii_string_to_signed (tab + 1, 10, G_MININT64, G_MAXINT64,
                                                    &origin, NULL))
        continue;
      *tab = '\0';
      /* Only paths this module writes: nothing that could name a file elsewhere. */
      if (strlen (line) < 3 || line[1] != ' ' || strstr (line, "..") != NULL ||
          !(g_str_has_prefix (line + 2, "blobs/") || g_str_has_prefix (line + 2, "outbox/")))
        continue;
      if (line[0] == 'A')
        {
          g_ptr_array_add (added, g_strdup (line + 2));
          if (origins != NULL)
            g_array_append_val (origins, origin);
        }
      else if (line[0] == 'E')
        g_ptr_array_add (evicted, g_strdup (line + 2));
    }
}

static guint
count_temporary_files (const char *session)
{
  g_autoptr (GDir) dir = g_dir_open (session, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, TEMP_PREFIX))
      count++;
  return count;
}

/* -1 when the session's process lives; else a descriptor holding its lock (or -2 when
 * the session has no lock file at all, which only a dead process leaves). */
static int
lock_if_dead (const char *session)
{
  g_autofree char *lock = g_build_filename (session, LOCK_NAME, NULL);
  int fd = g_open (lock, O_RDWR | O_CLOEXEC, 0);

  if (fd < 0)
    return errno == ENOENT ? -2 : -1;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

GPtrArray *
lb_blob_store_take_dead_sessions (LbBlobStore *self)
{
  g_autofree char *sessions = g_build_filename (self->root, "sessions", NULL);
  g_autoptr (GDir) dir = g_dir_open (sessions, 0, NULL);
  GPtrArray *dead = g_ptr_array_new_with_free_func ((GDestroyNotify) lb_dead_session_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *session = g_build_filename (sessions, name, NULL);

      /* A ".new-" folder is a session being born: it gets its lock before its name. */
      if (strcmp (name, self->owner) == 0 || g_str_has_prefix (name, ".new-") ||
          !g_file_test (session, G_FILE_TEST_IS_DIR))
        continue;

      int fd = lock_if_dead (session);
      if (fd == -1)
        continue;

      LbDeadSession *found = g_new0 (LbDeadSession, 1);
      found->owner = g_strdup (name);
      found->lock_fd = fd >= 0 ? fd : -1;
      found->added = g_ptr_array_new_with_free_func (g_free);
      found->origins = g_array_new (FALSE, FALSE, sizeof (gint64));
      found->evicted = g_ptr_array_new_with_free_func (g_free);
      read_journal (session, found->added, found->origins, found->evicted);
      found->temporary_files = count_temporary_files (session);
      g_ptr_array_add (dead, found);
    }
  return dead;
}

void
lb_blob_store_remove_session (LbBlobStore *self, LbDeadSession *session)
{
  g_autofree char *path = g_build_filename (self->root, "sessions", session->owner, NULL);

  remove_tree (path);
}

gboolean
lb_blob_store_owner_is_alive (LbBlobStore *self, const char *owner)
{
  if (strcmp (owner, self->owner) == 0)
    return TRUE;
  if (strchr (owner, '/') != NULL || strstr (owner, "..") != NULL)
    return FALSE;

  g_autofree char *session = g_build_filename (self->root, "sessions", owner, NULL);
  int fd = lock_if_dead (session);

  if (fd == -1)
    return TRUE;
  if (fd >= 0)
    close (fd);
  return FALSE;
}

GHashTable *
lb_blob_store_get_pending (LbBlobStore *self, gboolean include_dead)
{
  g_autofree char *sessions = g_build_filename (self->root, "sessions", NULL);
  g_autoptr (GDir) dir = g_dir_open (sessions, 0, NULL);
  GHashTable *pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *session = g_build_filename (sessions, name, NULL);
      g_autoptr (GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) evicted = g_ptr_array_new_with_free_func (g_free);

      if (!include_dead && !lb_blob_store_owner_is_alive (self, name))
        continue;
      read_journal (session, added, NULL, evicted);
      for (guint i = 0; i < added->len; i++)
        g_hash_table_add (pending, g_strdup (g_ptr_array_index (added, i)));
      for (guint i = 0; i < evicted->len; i++)
        g_hash_table_add (pending, g_strdup (g_ptr_array_index (evicted, i)));
    }
  return pending;
}
