/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite adapter: the only place that opens a database, and the only header that
 * includes sqlite3.h (files of the store module include it; nothing outside does).  One
 * connection per LbDatabase; callers hold its mutex for the whole of a statement or a
 * transaction, so that threads never interleave inside one transaction.  SQLite result
 * codes become LB_STORE_ERROR sentences here, once.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct _LbDatabase LbDatabase;

typedef enum {
  /* synchronous=NORMAL: a commit survives a crash of the process, not always a power cut. */
  LB_DATABASE_NORMAL,
  /* synchronous=FULL: reports and the outbox, which must survive a power cut too. */
  LB_DATABASE_DURABLE,
} LbDatabaseDurability;

/* How long a statement waits for another process's transaction before failing. */
#define LB_DATABASE_BUSY_TIMEOUT_MS 10000

/* Opens (creating it 0600 when missing) and sets WAL, synchronous=NORMAL, foreign keys and
 * the busy timeout.  A damaged file fails with LB_STORE_ERROR_CORRUPT. */
LbDatabase *lb_database_open (const char *path, GError **error);
void lb_database_free (LbDatabase *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbDatabase, lb_database_free)

const char *lb_database_get_path (LbDatabase *self);
/* Lock with g_mutex_locker_new() around every use of the connection. */
GMutex *lb_database_get_mutex (LbDatabase *self);

gboolean lb_database_exec (LbDatabase *self, const char *sql, GError **error);
sqlite3_stmt *lb_database_prepare (LbDatabase *self, const char *sql, GError **error);
/* TRUE when a row is ready, FALSE at the end or on failure (then @error is set). */
gboolean lb_database_step (LbDatabase *self, sqlite3_stmt *stmt, GError **error);
/* Steps a statement that returns no rows. */
gboolean lb_database_run (LbDatabase *self, sqlite3_stmt *stmt, GError **error);

/* BEGIN IMMEDIATE: a writer takes the write lock at once, so two processes never deadlock
 * upgrading read transactions. */
gboolean lb_database_begin (LbDatabase *self, LbDatabaseDurability durability, GError **error);
gboolean lb_database_commit (LbDatabase *self, GError **error);
void lb_database_rollback (LbDatabase *self);

/* PRAGMA quick_check (or integrity_check): TRUE when it ran; *@ok says what it found, and
 * @problem (may be NULL) gets its first complaint. */
gboolean lb_database_check (LbDatabase *self, gboolean quick, gboolean *ok, char **problem,
                            GError **error);
int lb_database_get_user_version (LbDatabase *self, GError **error);
gboolean lb_database_set_user_version (LbDatabase *self, int version, GError **error);
gint64 lb_database_last_insert_rowid (LbDatabase *self);
int lb_database_changes (LbDatabase *self);

/* Sets @error from the connection's last failure, @code being the result of the call. */
void lb_database_set_error (LbDatabase *self, int code, GError **error);
/* A text column as a new string (NULL for NULL). */
char *lb_database_dup_text (sqlite3_stmt *stmt, int column);
/* Binds @text, or NULL when @text is NULL or empty. */
int lb_database_bind_text (sqlite3_stmt *stmt, int index, const char *text);

G_END_DECLS
