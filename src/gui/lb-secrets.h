/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords and tokens of archives, kept in the keyring (libsecret's Secret Service),
 * never in settings or files.  Keyed by the archive's address and the user.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void lb_secrets_lookup_async (const char *url, const char *user, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
/* The secret, or NULL (with no error when the keyring has none). */
char *lb_secrets_lookup_finish (GAsyncResult *result, GError **error);

/* @label names the entry in keyring managers ("Lightbox: pacs.example.org"). */
void lb_secrets_store_async (const char *url, const char *user, const char *secret,
                             const char *label, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_secrets_store_finish (GAsyncResult *result, GError **error);

void lb_secrets_clear_async (const char *url, const char *user, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean lb_secrets_clear_finish (GAsyncResult *result, GError **error);

G_END_DECLS
