/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-database-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lb-store-error.h"

struct _LbDatabase
{
  sqlite3 *handle;
  char *path;
  GMutex mutex;
  gboolean durable;
};

static gboolean
fail (LbDatabase *self, int code, GError **error)
{
  lb_database_set_error (self, code, error);
  return FALSE;
}

void
lb_database_set_error (LbDatabase *self, int code, GError **error)
{
  const char *detail = self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (code);

  switch (code & 0xff)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL,
                           "The cache disk is full: the cache index could not be updated.");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_CORRUPT,
                   "The cache index %s is damaged (%s).", self->path, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_BUSY,
                   "Another Lightbox process kept the cache index locked for more than %d "
                   "seconds.", LB_DATABASE_BUSY_TIMEOUT_MS / 1000);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "The cache index %s cannot be opened for writing (%s): check the "
                   "permissions of its folder.", self->path, detail);
      break;
    case SQLITE_IOERR:
      /* SQLite reports a full disk met while writing the WAL or growing the shared
       * memory file as an I/O error; the system's errno says which it was. */
      if (self->handle != NULL && (sqlite3_system_errno (self->handle) == ENOSPC ||
                                   sqlite3_system_errno (self->handle) == EDQUOT))
        {
          g_set_error_literal (error, LB_STORE_ERROR, LB_STORE_ERROR_DISK_FULL,
                               "The cache disk is full: the cache index could not be "
                               "updated.");
          break;
        }
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "The cache index %s could not be read or written (%s).", self->path,
                   detail);
      break;
    default:
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_FAILED,
                   "The cache index %s failed (%s).", self->path, detail);
      break;
    }
}

LbDatabase *
lb_database_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  LbDatabase *self = g_new0 (LbDatabase, 1);
  g_autoptr (LbDatabase) owned = self;

  self->path = g_strdup (path);
  g_mutex_init (&self->mutex);

  /* SQLite creates files 0644 less the umask, and its -wal and -shm files copy the
   * database's mode: creating the database 0600 first keeps all three private. */
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_IO,
                   "The cache index %s cannot be created (%s).", path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  int rc = sqlite3_open_v2 (path, &self->handle,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            NULL);
  if (rc != SQLITE_OK)
    {
      fail (self, rc, error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, LB_DATABASE_BUSY_TIMEOUT_MS);

  /* journal_mode answers with a row; the others answer nothing.  A file that is not a
   * database fails here, on its first read. */
  if (!lb_database_exec (self, "PRAGMA journal_mode=WAL", error) ||
      !lb_database_exec (self, "PRAGMA synchronous=NORMAL", error) ||
      !lb_database_exec (self, "PRAGMA foreign_keys=ON", error))
    return NULL;
  return g_steal_pointer (&owned);
}

void
lb_database_free (LbDatabase *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->handle, sqlite3_close_v2);
  g_mutex_clear (&self->mutex);
  g_free (self->path);
  g_free (self);
}

const char *
lb_database_get_path (LbDatabase *self)
{
  return self->path;
}

GMutex *
lb_database_get_mutex (LbDatabase *self)
{
  return &self->mutex;
}

gboolean
lb_database_exec (LbDatabase *self, const char *sql, GError **error)
{
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || fail (self, rc, error);
}

sqlite3_stmt *
lb_database_prepare (LbDatabase *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      fail (self, rc, error);
      return NULL;
    }
  return stmt;
}

gboolean
lb_database_step (LbDatabase *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    fail (self, rc, error);
  return FALSE;
}

gboolean
lb_database_run (LbDatabase *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW || fail (self, rc, error);
}

gboolean
lb_database_begin (LbDatabase *self, LbDatabaseDurability durability, GError **error)
{
  /* synchronous cannot change inside a transaction: set it for this one before BEGIN. */
  if (durability == LB_DATABASE_DURABLE)
    {
      if (!lb_database_exec (self, "PRAGMA synchronous=FULL", error))
        return FALSE;
      self->durable = TRUE;
    }
  if (!lb_database_exec (self, "BEGIN IMMEDIATE", error))
    {
      if (self->durable)
        {
          lb_database_exec (self, "PRAGMA synchronous=NORMAL", NULL);
          self->durable = FALSE;
        }
      return FALSE;
    }
  return TRUE;
}

static void
end_durable (LbDatabase *self)
{
  if (self->durable)
    {
      lb_database_exec (self, "PRAGMA synchronous=NORMAL", NULL);
      self->durable = FALSE;
    }
}

gboolean
lb_database_commit (LbDatabase *self, GError **error)
{
  gboolean ok = lb_database_exec (self, "COMMIT", error);

  /* A failed COMMIT may leave the transaction open (SQLITE_BUSY, SQLITE_FULL): end it, so
   * the next caller starts clean and nothing half-done is kept. */
  if (!ok && !sqlite3_get_autocommit (self->handle))
    lb_database_exec (self, "ROLLBACK", NULL);
  end_durable (self);
  return ok;
}

void
lb_database_rollback (LbDatabase *self)
{
  if (!sqlite3_get_autocommit (self->handle))
    lb_database_exec (self, "ROLLBACK", NULL);
  end_durable (self);
}

gboolean
lb_database_check (LbDatabase *self, gboolean quick, gboolean *ok, char **problem,
                   GError **error)
{
  g_autoptr (sqlite3_stmt) stmt =
    lb_database_prepare (self, quick ? "PRAGMA quick_check(1)" : "PRAGMA integrity_check(1)",
                         error);
  if (stmt == NULL)
    return FALSE;
  if (!lb_database_step (self, stmt, error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      *ok = FALSE;
      if (problem != NULL)
        *problem = g_strdup ("no answer");
      return TRUE;
    }

  const char *answer = (const char *) sqlite3_column_text (stmt, 0);
  *ok = g_strcmp0 (answer, "ok") == 0;
  if (problem != NULL)
    *problem = *ok ? NULL : g_strdup (answer != NULL ? answer : "no answer");
  return TRUE;
}

int
lb_database_get_user_version (LbDatabase *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = lb_database_prepare (self, "PRAGMA user_version", error);

  if (stmt == NULL || !lb_database_step (self, stmt, error))
    return -1;
  return sqlite3_column_int (stmt, 0);
}

gboolean
lb_database_set_user_version (LbDatabase *self, int version, GError **error)
{
  /* PRAGMA takes no parameters; @version is a number of our own. */
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version=%d", version);

  return lb_database_exec (self, sql, error);
}

gint64
lb_database_last_insert_rowid (LbDatabase *self)
{
  return sqlite3_last_insert_rowid (self->handle);
}

int
lb_database_changes (LbDatabase *self)
{
  return sqlite3_changes (self->handle);
}

char *
lb_database_dup_text (sqlite3_stmt *stmt, int column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

int
lb_database_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text == NULL || *text == '\0')
    return sqlite3_bind_null (stmt, index);
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}
