/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One archive the reader has set up: a name, the DICOMweb root, how to sign in and how
 * to check its certificate.  Kept in the "servers" setting; the password or token lives
 * in the keyring (lb-secrets.h), never in settings.
 */
#pragma once

#include <gio/gio.h>

#include "lb-server.h"

G_BEGIN_DECLS

#define LB_TYPE_SERVER_CONFIG (lb_server_config_get_type ())

G_DECLARE_FINAL_TYPE (LbServerConfig, lb_server_config, LB, SERVER_CONFIG, GObject)

LbServerConfig *lb_server_config_new (const char *name, const char *url);

const char *lb_server_config_get_name (LbServerConfig *self);
void lb_server_config_set_name (LbServerConfig *self, const char *name);
const char *lb_server_config_get_url (LbServerConfig *self);
void lb_server_config_set_url (LbServerConfig *self, const char *url);
LbHttpAuth lb_server_config_get_auth (LbServerConfig *self);
void lb_server_config_set_auth (LbServerConfig *self, LbHttpAuth auth);
const char *lb_server_config_get_user (LbServerConfig *self);
void lb_server_config_set_user (LbServerConfig *self, const char *user);
const char *lb_server_config_get_ca_file (LbServerConfig *self);
void lb_server_config_set_ca_file (LbServerConfig *self, const char *ca_file);
gboolean lb_server_config_get_insecure (LbServerConfig *self);
void lb_server_config_set_insecure (LbServerConfig *self, gboolean insecure);

/* The archives of the "servers" setting, as a GListStore of LbServerConfig. */
GListStore *lb_server_config_load_all (GSettings *settings);
void lb_server_config_save_all (GSettings *settings, GListModel *servers);

/* An LbServer for this configuration with @secret (password or token, may be NULL). */
LbServer *lb_server_config_make_server (LbServerConfig *self, const char *secret, GError **error);

G_END_DECLS
