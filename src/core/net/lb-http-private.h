/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcurl handles for lb-http.c, the one file that includes curl.
 */
#pragma once

#include <curl/curl.h>
#include <glib.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURLM, curl_multi_cleanup)

G_END_DECLS
