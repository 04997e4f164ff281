/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-secrets.h"

#include <libsecret/secret.h>

static const SecretSchema *
schema (void)
{
  static const SecretSchema the_schema = {
    APP_ID ".Archive", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &the_schema;
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
lb_secrets_lookup_async (const char *url, const char *user, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_lookup (schema (), cancellable, on_looked_up, task,
                          "url", url, "user", user != NULL ? user : "", NULL);
}

char *
lb_secrets_lookup_finish (GAsyncResult *result, GError **error)
{
  char *secret = g_task_propagate_pointer (G_TASK (result), error);
  /* Handed on as an ordinary string; the caller wipes it with the server's copy. */
  char *copy = g_strdup (secret);

  secret_password_free (secret);
  return copy;
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lb_secrets_store_async (const char *url, const char *user, const char *secret, const char *label,
                        GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_store (schema (), SECRET_COLLECTION_DEFAULT, label, secret, cancellable,
                         on_stored, task, "url", url, "user", user != NULL ? user : "", NULL);
}

gboolean
lb_secrets_store_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_cleared (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lb_secrets_clear_async (const char *url, const char *user, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_clear (schema (), cancellable, on_cleared, task,
                         "url", url, "user", user != NULL ? user : "", NULL);
}

gboolean
lb_secrets_clear_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
