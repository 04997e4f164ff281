/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-store"
#include "config.h"

#include "lb-schema-private.h"

#include "lb-store-error.h"

/* Times are microseconds since 1970 (g_get_real_time ()); paths are relative to the cache
 * folder, so that the folder can move.  A migration, once released, never changes: a new
 * one is added after it. */
static const char *const migrations[] = {
  /* 1: the first schema. */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE servers ("
  "  id INTEGER PRIMARY KEY,"
  "  url TEXT NOT NULL UNIQUE,"
  "  added_at INTEGER NOT NULL"
  ");"
  /* Studies that have, or had, instances in the cache.  server_id NULL: imported from a
   * folder or media, where the store itself is the archive. */
  "CREATE TABLE studies ("
  "  id INTEGER PRIMARY KEY,"
  "  study_uid TEXT NOT NULL UNIQUE,"
  "  server_id INTEGER REFERENCES servers (id),"
  "  patient_name TEXT,"
  "  patient_id TEXT,"
  "  patient_birth_date TEXT,"
  "  patient_sex TEXT,"
  "  study_date TEXT,"
  "  study_time TEXT,"
  "  accession_number TEXT,"
  "  study_description TEXT,"
  "  referring_physician_name TEXT,"
  "  study_id TEXT,"
  /* Modalities of the cached series, each between backslashes ("\\CT\\SR\\"), so that one
   * LIKE finds a modality. */
  "  modalities TEXT NOT NULL DEFAULT '',"
  /* How many instances the archive listed at the last retrieval; NULL when unknown. */
  "  expected_instances INTEGER,"
  /* Kept by the triggers below, so that listing 10,000 studies reads no instance row. */
  "  series_count INTEGER NOT NULL DEFAULT 0,"
  "  instance_count INTEGER NOT NULL DEFAULT 0,"
  "  bytes INTEGER NOT NULL DEFAULT 0,"
  "  retrieved_at INTEGER NOT NULL,"
  "  last_opened_at INTEGER"
  ");"
  "CREATE INDEX studies_by_date ON studies (study_date DESC, study_time DESC);"
  "CREATE INDEX studies_by_use ON studies (MAX (COALESCE (last_opened_at, 0), retrieved_at));"
  "CREATE TABLE series ("
  "  id INTEGER PRIMARY KEY,"
  "  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,"
  "  series_uid TEXT NOT NULL UNIQUE,"
  "  modality TEXT,"
  "  series_number INTEGER,"
  "  series_description TEXT,"
  "  body_part TEXT"
  ");"
  "CREATE INDEX series_by_study ON series (study_id);"
  "CREATE TABLE instances ("
  "  id INTEGER PRIMARY KEY,"
  "  series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,"
  "  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,"
  "  sop_instance_uid TEXT NOT NULL UNIQUE,"
  "  sop_class_uid TEXT,"
  "  transfer_syntax_uid TEXT,"
  "  instance_number INTEGER,"
  "  blob_path TEXT NOT NULL UNIQUE,"
  "  size INTEGER NOT NULL,"
  "  retrieved_at INTEGER NOT NULL,"
  "  last_opened_at INTEGER"
  ");"
  "CREATE INDEX instances_by_series ON instances (series_id, instance_number);"
  "CREATE INDEX instances_by_study ON instances (study_id);"
  "CREATE TRIGGER instance_added AFTER INSERT ON instances BEGIN"
  "  UPDATE studies SET instance_count = instance_count + 1, bytes = bytes + NEW.size,"
  "    retrieved_at = MAX (retrieved_at, NEW.retrieved_at) WHERE id = NEW.study_id;"
  "END;"
  "CREATE TRIGGER instance_removed AFTER DELETE ON instances BEGIN"
  "  UPDATE studies SET instance_count = instance_count - 1, bytes = bytes - OLD.size"
  "    WHERE id = OLD.study_id;"
  "END;"
  "CREATE TRIGGER instance_changed AFTER UPDATE OF size, study_id ON instances BEGIN"
  "  UPDATE studies SET instance_count = instance_count - 1, bytes = bytes - OLD.size"
  "    WHERE id = OLD.study_id;"
  "  UPDATE studies SET instance_count = instance_count + 1, bytes = bytes + NEW.size"
  "    WHERE id = NEW.study_id;"
  "END;"
  "CREATE TRIGGER series_added AFTER INSERT ON series BEGIN"
  "  UPDATE studies SET series_count = series_count + 1 WHERE id = NEW.study_id;"
  "END;"
  "CREATE TRIGGER series_removed AFTER DELETE ON series BEGIN"
  "  UPDATE studies SET series_count = series_count - 1 WHERE id = OLD.study_id;"
  "END;"
  /* Reading state outlives the cached images: keyed by UID, not by a studies row. */
  "CREATE TABLE study_state ("
  "  study_uid TEXT PRIMARY KEY,"
  "  reading_state INTEGER NOT NULL DEFAULT 0,"
  "  pinned INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER NOT NULL"
  ");"
  /* One row per version.  A draft is updated in place by autosave; signing freezes it,
   * and the next change starts a new version. */
  "CREATE TABLE reports ("
  "  id INTEGER PRIMARY KEY,"
  "  study_uid TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  state INTEGER NOT NULL,"
  "  author TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  sent_at INTEGER,"
  "  UNIQUE (study_uid, version)"
  ");"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  sop_instance_uid TEXT NOT NULL UNIQUE,"
  "  study_uid TEXT NOT NULL,"
  "  destination TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  report_id INTEGER REFERENCES reports (id),"
  "  payload_path TEXT NOT NULL,"
  "  payload_size INTEGER NOT NULL,"
  "  state INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  next_try_at INTEGER NOT NULL,"
  "  sent_at INTEGER"
  ");"
  "CREATE INDEX outbox_by_study ON outbox (study_uid);"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  who TEXT NOT NULL,"
  "  study_uid TEXT,"
  "  action TEXT NOT NULL,"
  "  detail TEXT"
  ");"
  /* A study in use by a live process (open in a viewer, being retrieved) is never
   * evicted.  owner names the process's session folder, whose lock says if it lives. */
  "CREATE TABLE leases ("
  "  study_uid TEXT NOT NULL,"
  "  owner TEXT NOT NULL,"
  "  since INTEGER NOT NULL,"
  "  PRIMARY KEY (study_uid, owner)"
  ");",
  /* 2: the study's Requested Procedure Priority (STAT...), from its first file. */
  "ALTER TABLE studies ADD COLUMN priority TEXT;",
};

int
_lb_schema_get_latest (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

gboolean
_lb_schema_migrate (LbDatabase *db, GError **error)
{
  int latest = _lb_schema_get_latest ();
  int version = lb_database_get_user_version (db, error);

  if (version < 0)
    return FALSE;
  if (version > latest)
    {
      g_set_error (error, LB_STORE_ERROR, LB_STORE_ERROR_TOO_NEW,
                   "The cache was written by a newer version of Lightbox (schema %d; this "
                   "version knows up to %d): update Lightbox, or use another cache folder.",
                   version, latest);
      return FALSE;
    }
  while (version < latest)
    {
      if (!lb_database_begin (db, LB_DATABASE_DURABLE, error))
        return FALSE;
      /* Another process may have migrated while this one waited for the lock. */
      version = lb_database_get_user_version (db, error);
      if (version < 0)
        {
          lb_database_rollback (db);
          return FALSE;
        }
      if (version >= latest)
        {
          lb_database_rollback (db);
          break;
        }
      if (!lb_database_exec (db, migrations[version], error) ||
          !lb_database_set_user_version (db, version + 1, error))
        {
          lb_database_rollback (db);
          return FALSE;
        }
      if (!lb_database_commit (db, error))
        return FALSE;
      g_debug ("cache index migrated to schema %d", version + 1);
      version++;
    }
  return TRUE;
}
