/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading an LbLoadedStudy: instances are parsed on worker threads and handed to the
 * study in its main context, in batches, so that the main thread only links slices into
 * series.  The first image of a folder is parsed before anything else is looked at:
 * time to first image is one parse, not a listing of the whole folder's headers.
 */
#define G_LOG_DOMAIN "lb-study"
#include "config.h"

#include "lb-loaded-study-private.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "lb-background-private.h"
#include "lb-series.h"
#include "lb-slice.h"

/* The rest of a folder starts after its first image is shown, or after this long. */
#define FIRST_IMAGE_WAIT_US (2 * G_USEC_PER_SEC)

/* One instance, parsed on a worker. */
typedef struct
{
  LbDicomFile *file;    /* NULL when it could not be read */
  GPtrArray *slices;    /* NULL when it is not an image */
  GError *error;
} Parsed;

static void
parsed_free (Parsed *parsed)
{
  g_clear_object (&parsed->file);
  g_clear_pointer (&parsed->slices, g_ptr_array_unref);
  g_clear_error (&parsed->error);
  g_free (parsed);
}

typedef struct
{
  GTask *task;              /* owned until the load is done */
  LbLoadedStudy *study;
  LbFrameCache *cache;      /* NULL: no decoding ahead */
  GHashTable *warmed;       /* series UIDs whose first image was decoded ahead */
  GMainContext *context;
  GCancellable *cancellable;

  GMutex lock;
  GPtrArray *pending;       /* Parsed, waiting for the main context */
  gboolean scheduled;
  gboolean done;            /* the last batch finishes the task */
  GError *error;            /* the load's own failure */

  /* Files and folders. */
  GPtrArray *paths;
  GPtrArray *files;
  gint next_file;
  gint images;
  /* The rest of a folder waits until the main context has taken the first image and
   * had a moment to draw it, and while the study is held (read ahead of the reader). */
  GCond first_taken;
  gboolean first_handed;    /* the batch with the first image was delivered */
  gboolean rest_may_start;
  gboolean held;
  gint64 give_up;           /* of that wait, when not held */
  gulong resume_handler;

  /* DICOMweb: instances handed to the parse pool and not yet parsed. */
  GThreadPool *pool;
  guint in_pool;
  gboolean retrieved;
  LbInstanceBytesFunc bytes_func;
  gpointer bytes_data;
  GDestroyNotify bytes_data_free;
} Loader;

static Loader *
loader_new (LbLoadedStudy *study, GCancellable *cancellable, GTask *task)
{
  Loader *loader = g_atomic_rc_box_new0 (Loader);

  loader->task = g_object_ref (task);
  loader->study = g_object_ref (study);
  if (lb_loaded_study_get_frame_cache (study) != NULL)
    loader->cache = g_object_ref (lb_loaded_study_get_frame_cache (study));
  loader->warmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  loader->context = g_main_context_ref_thread_default ();
  loader->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  g_mutex_init (&loader->lock);
  g_cond_init (&loader->first_taken);
  loader->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) parsed_free);
  return loader;
}

static void
loader_clear (Loader *loader)
{
  g_clear_object (&loader->task);
  g_clear_object (&loader->study);
  g_clear_object (&loader->cache);
  g_hash_table_unref (loader->warmed);
  g_main_context_unref (loader->context);
  g_clear_object (&loader->cancellable);
  g_mutex_clear (&loader->lock);
  g_cond_clear (&loader->first_taken);
  g_ptr_array_unref (loader->pending);
  g_clear_error (&loader->error);
  g_clear_pointer (&loader->paths, g_ptr_array_unref);
  g_clear_pointer (&loader->files, g_ptr_array_unref);
  /* No instance waits in the pool (each holds a reference); its idle threads may be
   * this one, hence no waiting. */
  if (loader->pool != NULL)
    g_thread_pool_free (loader->pool, TRUE, FALSE);
  if (loader->bytes_data_free != NULL)
    loader->bytes_data_free (loader->bytes_data);
}

static Loader *
loader_ref (Loader *loader)
{
  return g_atomic_rc_box_acquire (loader);
}

static void
loader_unref (Loader *loader)
{
  g_atomic_rc_box_release_full (loader, (GDestroyNotify) loader_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loader, loader_unref)

static void
loader_unref_closure (gpointer data, GClosure *closure)
{
  loader_unref (data);
}

static void
add_parsed (LbLoadedStudy *study, Parsed *parsed)
{
  if (parsed->slices != NULL)
    lb_loaded_study_add_instance (study, parsed->file, parsed->slices);
  else if (parsed->file != NULL && !lb_dicom_file_is_image (parsed->file))
    lb_loaded_study_add_skipped (study);
  else
    {
      g_autofree char *series_uid = NULL;

      if (parsed->file != NULL)
        series_uid = lb_dicom_file_dup_string (parsed->file, NULL, LB_TAG_SERIES_INSTANCE_UID);
      lb_loaded_study_add_failed (study, series_uid, parsed->error);
    }
}

static void
finish (Loader *loader)
{
  g_autoptr (GTask) task = g_steal_pointer (&loader->task);

  g_clear_signal_handler (&loader->resume_handler, loader->study);
  _lb_loaded_study_mark_complete (loader->study);
  _lb_loaded_study_end_load (loader->study);
  if (g_cancellable_is_cancelled (loader->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("Loading was cancelled."));
  else if (loader->error != NULL)
    g_task_return_error (task, g_steal_pointer (&loader->error));
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
let_rest_start (gpointer data)
{
  Loader *loader = data;

  g_mutex_lock (&loader->lock);
  loader->rest_may_start = TRUE;
  g_cond_broadcast (&loader->first_taken);
  g_mutex_unlock (&loader->lock);
  return G_SOURCE_REMOVE;
}

/* Any thread: the load was cancelled; a loader waiting for its first image looks up. */
static void
wake (GCancellable *cancellable, Loader *loader)
{
  g_mutex_lock (&loader->lock);
  g_cond_broadcast (&loader->first_taken);
  g_mutex_unlock (&loader->lock);
}

/* Loader thread: waits, briefly at most, for the first image to be on its way to the
 * screen.  Reading the rest of a folder faults in a lot of fresh memory, which slows
 * every other thread of the process, the one drawing the first image too.  A held study
 * waits, without waking, until it is resumed or cancelled. */
static void
wait_for_first_image (Loader *loader)
{
  gulong cancelled = g_cancellable_connect (loader->cancellable, G_CALLBACK (wake), loader, NULL);

  g_mutex_lock (&loader->lock);
  loader->give_up = g_get_monotonic_time () + FIRST_IMAGE_WAIT_US;
  while (!loader->rest_may_start && !g_cancellable_is_cancelled (loader->cancellable) &&
         (loader->held || g_get_monotonic_time () < loader->give_up))
    {
      if (loader->held)
        g_cond_wait (&loader->first_taken, &loader->lock);
      else
        g_cond_wait_until (&loader->first_taken, &loader->lock, loader->give_up);
    }
  g_mutex_unlock (&loader->lock);
  g_cancellable_disconnect (loader->cancellable, cancelled);
}

static void
let_rest_start_after_frame (Loader *loader)
{
  /* Low priority: after the frame that shows the first image. */
  g_idle_add_full (G_PRIORITY_LOW, let_rest_start, loader_ref (loader),
                   (GDestroyNotify) loader_unref);
}

/* Main context: the held study was resumed (the reader opened it). */
static void
on_held_changed (LbLoadedStudy *study, GParamSpec *pspec, Loader *loader)
{
  if (lb_loaded_study_get_held (study))
    return;
  g_clear_signal_handler (&loader->resume_handler, study);
  g_mutex_lock (&loader->lock);
  loader->held = FALSE;
  loader->give_up = g_get_monotonic_time () + FIRST_IMAGE_WAIT_US;
  g_cond_broadcast (&loader->first_taken);
  g_mutex_unlock (&loader->lock);
  if (loader->first_handed)
    let_rest_start_after_frame (loader);
}

/* Main context: everything parsed since the last batch joins the study. */
static gboolean
deliver (gpointer data)
{
  Loader *loader = data;
  g_autoptr (GPtrArray) batch = NULL;
  gboolean done;

  g_mutex_lock (&loader->lock);
  batch = g_steal_pointer (&loader->pending);
  loader->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) parsed_free);
  loader->scheduled = FALSE;
  done = loader->done && loader->task != NULL;
  g_mutex_unlock (&loader->lock);

  gboolean image = FALSE;
  if (!g_cancellable_is_cancelled (loader->cancellable))
    for (guint i = 0; i < batch->len; i++)
      {
        Parsed *parsed = g_ptr_array_index (batch, i);
        image |= parsed->slices != NULL;
        add_parsed (loader->study, parsed);
      }
  if (image && !loader->first_handed)
    {
      loader->first_handed = TRUE;
      if (loader->resume_handler == 0)
        let_rest_start_after_frame (loader);
    }
  if (done)
    finish (loader);
  return G_SOURCE_REMOVE;
}

static void
schedule_locked (Loader *loader)
{
  if (loader->scheduled)
    return;
  loader->scheduled = TRUE;

  GSource *source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver, loader_ref (loader), (GDestroyNotify) loader_unref);
  g_source_set_static_name (source, "[lb] study batch");
  g_source_attach (source, loader->context);
  g_source_unref (source);
}

/* Any thread. */
static void
post (Loader *loader, Parsed *parsed)
{
  g_mutex_lock (&loader->lock);
  g_ptr_array_add (loader->pending, parsed);
  schedule_locked (loader);
  g_mutex_unlock (&loader->lock);
}

/* Any thread: the last batch, then the task's result.  Takes @error. */
static void
post_done (Loader *loader, GError *error)
{
  g_mutex_lock (&loader->lock);
  loader->done = TRUE;
  if (loader->error == NULL)
    loader->error = error;
  else
    g_clear_error (&error);
  schedule_locked (loader);
  g_mutex_unlock (&loader->lock);
}

/* The first image of each series is decoded before it is handed over. */
static void
warm (Loader *loader, LbDicomFile *file, GPtrArray *slices)
{
  if (loader->cache == NULL || slices->len == 0)
    return;

  g_autofree char *series_uid = lb_dicom_file_dup_string (file, NULL, LB_TAG_SERIES_INSTANCE_UID);
  g_mutex_lock (&loader->lock);
  gboolean first = g_hash_table_add (loader->warmed, g_strdup (series_uid != NULL ? series_uid : ""));
  g_mutex_unlock (&loader->lock);
  if (!first)
    return;

  g_autoptr (GError) error = NULL;
  g_autoptr (LbFrameRenderer) renderer = lb_frame_cache_get_renderer (
    loader->cache, g_ptr_array_index (slices, 0), loader->cancellable, &error);
  /* A frame that does not decode says so when a viewport asks for it. */
  if (renderer == NULL)
    g_debug ("first image: %s", error->message);
}

static Parsed *
parse (Loader *loader, LbDicomFile *file, GError *error)
{
  Parsed *parsed = g_new0 (Parsed, 1);

  parsed->file = file;
  parsed->error = error;
  if (file != NULL && lb_dicom_file_is_image (file))
    parsed->slices = lb_slice_new_all (file, &parsed->error);
  if (parsed->slices != NULL)
    warm (loader, file, parsed->slices);
  return parsed;
}

/* ---- files and folders --------------------------------------------------------- */

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_file_names (gconstpointer a, gconstpointer b)
{
  char *const *ka = *(char **const *) a;
  char *const *kb = *(char **const *) b;
  return strcmp (ka[1], kb[1]);
}

/* Every regular file below @path, in natural order of names (IM2 before IM10), so that
 * the first file looked at is the first of its series as a person named them. */
static void
list_folder (GFile *folder, GPtrArray *files, GCancellable *cancellable)
{
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (
    folder, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
    G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  if (children == NULL)
    return;

  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) folders = g_ptr_array_new_with_free_func (g_object_unref);
  GFileInfo *info;
  while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
    {
      g_autoptr (GFileInfo) owned = info;
      GFileType type = g_file_info_get_file_type (info);
      const char *name = g_file_info_get_name (info);
      g_autoptr (GFile) child = g_file_get_child (folder, name);

      if (type == G_FILE_TYPE_DIRECTORY)
        g_ptr_array_add (folders, g_steal_pointer (&child));
      else if (type == G_FILE_TYPE_REGULAR)
        {
          char **entry = g_new0 (char *, 3);
          entry[0] = g_file_get_path (child);
          entry[1] = g_utf8_collate_key_for_filename (name, -1);
          g_ptr_array_add (entries, entry);
        }
    }
  g_ptr_array_sort (entries, compare_file_names);
  for (guint i = 0; i < entries->len; i++)
    {
      char **entry = g_ptr_array_index (entries, i);
      g_ptr_array_add (files, g_strdup (entry[0]));
    }
  for (guint i = 0; i < folders->len; i++)
    list_folder (g_ptr_array_index (folders, i), files, cancellable);
}

/* A file that claims to be DICOM: the magic after the preamble, or the usual suffix. */
static gboolean
claims_dicom (const char *path)
{
  char head[132];
  FILE *f = fopen (path, "rb");
  gboolean magic = FALSE;

  if (f != NULL)
    {
      magic = fread (head, 1, sizeof head, f) == sizeof head && memcmp (head + 128, "DICM", 4) == 0;
      fclose (f);
    }
  return magic || g_str_has_suffix (path, ".dcm") || g_str_has_suffix (path, ".DCM");
}

static Parsed *
parse_path (Loader *loader, const char *path)
{
  GError *error = NULL;
  LbDicomFile *file = lb_dicom_file_new_for_path (path, &error);

  /* A folder from a CD holds autorun files, viewers and READMEs: a file that does not
   * parse and never claimed to be DICOM is not a failure, just not ours. */
  if (file == NULL && !g_error_matches (error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM) &&
      !claims_dicom (path))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_DICOM, "not DICOM");
    }
  return parse (loader, file, error);
}

static gpointer
parse_files (gpointer data)
{
  Loader *loader = data;

  _lb_thread_make_background ();
  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&loader->next_file, 1);
      if (i >= loader->files->len || g_cancellable_is_cancelled (loader->cancellable))
        break;

      Parsed *parsed = parse_path (loader, g_ptr_array_index (loader->files, i));
      if (parsed->file == NULL && g_error_matches (parsed->error, LB_DICOM_ERROR,
                                                   LB_DICOM_ERROR_NOT_DICOM))
        {
          parsed_free (parsed);
          continue;
        }
      if (parsed->slices != NULL)
        g_atomic_int_inc (&loader->images);
      post (loader, parsed);
    }
  return NULL;
}

static gpointer
load_paths_thread (gpointer data)
{
  g_autoptr (Loader) loader = data;

  loader->files = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < loader->paths->len; i++)
    {
      const char *path = g_ptr_array_index (loader->paths, i);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      if (g_file_query_file_type (file, 0, NULL) == G_FILE_TYPE_DIRECTORY)
        list_folder (file, loader->files, loader->cancellable);
      else
        g_ptr_array_add (loader->files, g_strdup (path));

      /* The first image is looked for as soon as there is a file, before any other
       * folder is listed. */
      while (g_atomic_int_get (&loader->images) == 0 &&
             (guint) g_atomic_int_get (&loader->next_file) < loader->files->len)
        {
          guint k = (guint) g_atomic_int_add (&loader->next_file, 1);
          Parsed *parsed = parse_path (loader, g_ptr_array_index (loader->files, k));
          if (parsed->slices != NULL)
            g_atomic_int_inc (&loader->images);
          if (parsed->file == NULL && g_error_matches (parsed->error, LB_DICOM_ERROR,
                                                       LB_DICOM_ERROR_NOT_DICOM))
            parsed_free (parsed);
          else
            post (loader, parsed);
        }
    }

  if (g_atomic_int_get (&loader->images) > 0)
    wait_for_first_image (loader);

  /* The rest on every core but one, behind the main thread. */
  guint cores = g_get_num_processors ();
  guint helpers = cores > 2 ? cores - 2 : 0;
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  for (guint i = 0; i < helpers && (guint) g_atomic_int_get (&loader->next_file) + 1 < loader->files->len; i++)
    g_ptr_array_add (threads, g_thread_new ("lb-parse", parse_files, loader));
  parse_files (loader);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  GError *error = NULL;
  if (g_atomic_int_get (&loader->images) == 0 && !g_cancellable_is_cancelled (loader->cancellable))
    {
      if (loader->paths->len == 1)
        g_set_error (&error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_IMAGE,
                     _("There are no DICOM images in “%s”."),
                     (const char *) g_ptr_array_index (loader->paths, 0));
      else
        g_set_error_literal (&error, LB_DICOM_ERROR, LB_DICOM_ERROR_NOT_IMAGE,
                             _("There are no DICOM images in the files given."));
    }
  post_done (loader, error);
  return NULL;
}

void
lb_loaded_study_load_paths_async (LbLoadedStudy *self, const char *const *paths,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));
  g_return_if_fail (paths != NULL);

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_loaded_study_load_paths_async);

  Loader *loader = loader_new (self, cancellable, task);
  if (lb_loaded_study_get_held (self))
    {
      loader->held = TRUE;
      loader->resume_handler = g_signal_connect_data (self, "notify::held",
                                                      G_CALLBACK (on_held_changed),
                                                      loader_ref (loader),
                                                      loader_unref_closure, 0);
    }
  loader->paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (loader->paths, g_strdup (paths[i]));

  _lb_loaded_study_begin_load (self);
  g_thread_unref (g_thread_new ("lb-load", load_paths_thread, loader));
}

gboolean
lb_loaded_study_load_paths_finish (LbLoadedStudy *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- DICOMweb ------------------------------------------------------------------ */

typedef struct
{
  Loader *loader;
  GBytes *bytes;
  guint index;
} Job;

/* Parse pool thread: one instance from the archive. */
static void
parse_part (gpointer data, gpointer user_data)
{
  Job *job = data;
  g_autoptr (Loader) loader = job->loader;
  g_autoptr (GBytes) bytes = job->bytes;
  guint index = job->index;

  g_free (job);
  /* The first instance is parsed at full priority: it is what the reader waits for. */
  if (index > 0)
    _lb_thread_make_background ();

  if (!g_cancellable_is_cancelled (loader->cancellable))
    {
      if (loader->bytes_func != NULL)
        loader->bytes_func (bytes, loader->bytes_data);

      /* Errors name the instance by its place in the answer: its UIDs are in the bytes
       * that could not be read. */
      g_autofree char *name = g_strdup_printf (_("instance %u from the archive"), index + 1);
      GError *error = NULL;
      LbDicomFile *file = lb_dicom_file_new_for_bytes (bytes, name, &error);
      post (loader, parse (loader, file, error));
    }

  g_mutex_lock (&loader->lock);
  gboolean last = --loader->in_pool == 0 && loader->retrieved;
  g_mutex_unlock (&loader->lock);
  if (last)
    post_done (loader, NULL);
}

/* Network thread: hand the bytes over at once, the network waits for no parse. */
static gboolean
on_part (LbMultipartPart *part, gpointer user_data, GError **error)
{
  Loader *loader = user_data;

  g_mutex_lock (&loader->lock);
  loader->in_pool++;
  g_mutex_unlock (&loader->lock);
  Job *job = g_new (Job, 1);
  job->loader = loader_ref (loader);
  job->bytes = g_bytes_ref (lb_multipart_part_get_body (part));
  job->index = lb_multipart_part_get_index (part);
  return g_thread_pool_push (loader->pool, job, error);
}

static void
on_series (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Loader) loader = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) list = lb_dicomweb_client_search_series_finish (
    LB_DICOMWEB_CLIENT (source), result, &error);

  /* Without the list the series appear as their instances arrive: not a failure. */
  if (list == NULL || g_cancellable_is_cancelled (loader->cancellable))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (LbSeries) info = g_list_model_get_item (list, i);
      LbStudySeries *series = lb_loaded_study_ensure_series (
        loader->study, lb_series_get_series_instance_uid (info));

      lb_study_series_set_info (series, lb_series_get_modality (info),
                                lb_series_get_series_description (info),
                                lb_series_get_series_number (info));
      if (lb_series_get_instance_count (info) > 0)
        lb_study_series_set_expected (series, (guint) lb_series_get_instance_count (info));
    }
}

static void
on_retrieved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (Loader) loader = user_data;
  GError *error = NULL;

  lb_dicomweb_client_retrieve_finish (LB_DICOMWEB_CLIENT (source), result, &error);

  g_mutex_lock (&loader->lock);
  loader->retrieved = TRUE;
  gboolean last = loader->in_pool == 0;
  g_mutex_unlock (&loader->lock);

  /* After a failure what is still being parsed joins the study late. */
  if (error != NULL || last)
    post_done (loader, error);
}

void
lb_loaded_study_load_dicomweb_async (LbLoadedStudy *self, LbDicomwebClient *client,
                                     const char *study_uid, LbInstanceBytesFunc bytes_func,
                                     gpointer bytes_data, GDestroyNotify bytes_data_free,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (LB_IS_LOADED_STUDY (self));
  g_return_if_fail (LB_IS_DICOMWEB_CLIENT (client));
  g_return_if_fail (study_uid != NULL);

  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_loaded_study_load_dicomweb_async);

  Loader *loader = loader_new (self, cancellable, task);
  loader->bytes_func = bytes_func;
  loader->bytes_data = bytes_data;
  loader->bytes_data_free = bytes_data_free;
  /* A core stays free for the main thread, which shows what arrives. */
  loader->pool = g_thread_pool_new (parse_part, NULL, MAX (1, (int) g_get_num_processors () - 1),
                                    FALSE, NULL);

  _lb_loaded_study_begin_load (self);
  lb_dicomweb_client_search_series_async (client, study_uid, NULL, loader->cancellable,
                                          on_series, loader_ref (loader));
  lb_dicomweb_client_retrieve_async (client, study_uid, NULL, NULL, on_part, loader_ref (loader),
                                     (GDestroyNotify) loader_unref, loader->cancellable,
                                     on_retrieved, loader);
}

gboolean
lb_loaded_study_load_dicomweb_finish (LbLoadedStudy *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
