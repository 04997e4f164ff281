/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The files of the cache: instances under blobs/STUDY/SOP.dcm, outbox payloads under
 * outbox/, and one session folder per process under sessions/.
 *
 * A file is written to a temporary file in the writer's session folder, fsynced, named
 * in the session's journal and renamed into place; only then may the index point at it.
 * A crash therefore leaves at most a temporary file (never indexed) or a complete file
 * the journal names.  Folders are fsynced in batches (lb_blob_store_sync_folders), not
 * after each rename: that costs four times the file's own fsync, and a rename lost to a
 * power cut leaves an index row without its file, which every reader checks for and
 * every retrieval and check repairs; it never leaves a row naming a partial file.
 *
 * Each session folder holds a lock that its process keeps while it lives, so another
 * process can tell a crashed writer's leftovers from work in progress, and finish them:
 * adopt what was renamed, delete the rest.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _LbBlobStore LbBlobStore;

/* What a crashed process left: the files it had renamed into place (perhaps not indexed),
 * with the origin each was written with, and the files it was evicting (perhaps not
 * deleted). */
typedef struct
{
  char *owner;
  GPtrArray *added;
  GArray *origins;
  GPtrArray *evicted;
  guint temporary_files;
  int lock_fd;
} LbDeadSession;

void lb_dead_session_free (LbDeadSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbDeadSession, lb_dead_session_free)

/* Creates @root (0700) and its sub-folders, and this process's session. */
LbBlobStore *lb_blob_store_new (const char *root, GError **error);
void lb_blob_store_free (LbBlobStore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbBlobStore, lb_blob_store_free)

const char *lb_blob_store_get_root (LbBlobStore *self);
/* The name of this process's session, as leases record it. */
const char *lb_blob_store_get_owner (LbBlobStore *self);
char *lb_blob_store_absolute (LbBlobStore *self, const char *relative);

/* Relative paths.  UIDs of digits and dots name files as they are; anything else (media
 * from the wild) is hashed, so no UID can climb out of its folder. */
char *lb_blob_store_instance_path (const char *study_uid, const char *sop_instance_uid);
char *lb_blob_store_payload_path (const char *sop_instance_uid);
/* The destination of an outbox payload is kept next to it, so that the outbox can be
 * rebuilt from the files if the index is lost. */
char *lb_blob_store_payload_destination_path (const char *payload_path);

/* Free and total bytes of the cache's file system. */
gboolean lb_blob_store_get_space (LbBlobStore *self, guint64 *free_bytes, guint64 *total_bytes,
                                  GError **error);
/* Room kept free for the index and reports: instance writes stop short of it. */
guint64 lb_blob_store_get_headroom (LbBlobStore *self);

/* Other programs may still fill the disk to the last byte.  A file of reserved space
 * ("reserve", a few MiB) is kept in the cache folder and given back when the index must
 * open or a report must be saved and nothing else frees room; it is made again once
 * there is room. */
void lb_blob_store_keep_reserve (LbBlobStore *self);
/* TRUE when there was a reserve to give back. */
gboolean lb_blob_store_release_reserve (LbBlobStore *self);

/* Writes @data to @relative as described above; @origin (a number of the caller's, such
 * as the server it came from) is journaled with it.  With @keep_headroom, refuses
 * (LB_STORE_ERROR_DISK_FULL) when it would leave less than the headroom free.  Every
 * successful write must be followed by lb_blob_store_settle() once the index has the
 * file (or never will). */
gboolean lb_blob_store_write (LbBlobStore *self, const char *relative, const void *data,
                              gsize length, gint64 origin, gboolean keep_headroom,
                              GError **error);
void lb_blob_store_settle (LbBlobStore *self);
/* Makes the renames so far durable: fsyncs every folder written to since the last call. */
void lb_blob_store_sync_folders (LbBlobStore *self);

/* Names files in the journal before the index forgets them; lb_blob_store_settle() after
 * they are deleted. */
gboolean lb_blob_store_journal_removals (LbBlobStore *self, GPtrArray *relatives, GError **error);
/* Deletes a file and its folder when that becomes empty; a file already gone is fine. */
void lb_blob_store_remove (LbBlobStore *self, const char *relative);
gboolean lb_blob_store_exists (LbBlobStore *self, const char *relative, guint64 *size);

/* Eviction and checking, in every process, take turns under this lock.  Returns the
 * lock's descriptor, or -1 when @wait is FALSE and another holds it. */
int lb_blob_store_lock_maintenance (LbBlobStore *self, gboolean wait);
void lb_blob_store_unlock_maintenance (LbBlobStore *self, int fd);

/* Relative paths of every file under @folder ("blobs" or "outbox"), sorted. */
GPtrArray *lb_blob_store_list (LbBlobStore *self, const char *folder);

/* Sessions whose process is gone, each locked by this process until freed or removed. */
GPtrArray *lb_blob_store_take_dead_sessions (LbBlobStore *self);
void lb_blob_store_remove_session (LbBlobStore *self, LbDeadSession *session);
gboolean lb_blob_store_owner_is_alive (LbBlobStore *self, const char *owner);
/* Paths that sessions have journaled and may not have indexed yet: a check must leave
 * them alone.  Live sessions only (this one included), or dead ones too: a process may
 * die while a check runs, and what it left is finished later, as housekeeping. */
GHashTable *lb_blob_store_get_pending (LbBlobStore *self, gboolean include_dead);

G_END_DECLS
