/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How to reach one DICOMweb archive: the address of its DICOMweb root, credentials, TLS
 * settings, timeouts and how many transfers may run at once.  Configure it on one
 * thread; requests take a copy of the settings when they are made.
 */
#pragma once

#include <glib-object.h>

#include "lb-http-request.h"

G_BEGIN_DECLS

#define LB_TYPE_SERVER (lb_server_get_type ())

G_DECLARE_FINAL_TYPE (LbServer, lb_server, LB, SERVER, GObject)

#define LB_SERVER_DEFAULT_TIMEOUT 30
#define LB_SERVER_DEFAULT_MAX_PARALLEL 4
/* An instance larger than this is refused rather than held in memory. */
#define LB_SERVER_DEFAULT_MAX_PART_SIZE (G_GUINT64_CONSTANT (1) << 30)

/* @base_url: the DICOMweb root, http or https, e.g. "https://pacs.example.org/dicom-web".
 * Credentials in the address are refused: they would end up in logs. */
LbServer *lb_server_new (const char *base_url, GError **error);

/* Without a trailing slash. */
const char *lb_server_get_base_url (LbServer *self);
/* "https://host[:port]": how messages name the archive. */
const char *lb_server_get_origin (LbServer *self);

/* Credentials are copied and wiped from memory when replaced or freed. */
void lb_server_set_basic_auth (LbServer *self, const char *user, const char *password);
void lb_server_set_bearer_token (LbServer *self, const char *token);
void lb_server_clear_auth (LbServer *self);
LbHttpAuth lb_server_get_auth (LbServer *self);
const char *lb_server_get_user (LbServer *self);

void lb_server_set_ca_file (LbServer *self, const char *ca_file);
const char *lb_server_get_ca_file (LbServer *self);
/* Turns TLS certificate checks off for this server only. */
void lb_server_set_insecure (LbServer *self, gboolean insecure);
gboolean lb_server_get_insecure (LbServer *self);
/* Seconds; each applies to every request on its own, not to a whole study. */
void lb_server_set_connect_timeout (LbServer *self, guint seconds);
guint lb_server_get_connect_timeout (LbServer *self);
void lb_server_set_low_speed_timeout (LbServer *self, guint seconds);
guint lb_server_get_low_speed_timeout (LbServer *self);
void lb_server_set_max_parallel (LbServer *self, guint max_parallel);
guint lb_server_get_max_parallel (LbServer *self);
void lb_server_set_max_part_size (LbServer *self, guint64 max_part_size);
guint64 lb_server_get_max_part_size (LbServer *self);

G_END_DECLS
