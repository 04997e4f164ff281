/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Archives page of the preferences: one expander row per archive with its address,
 * sign-in (the password or token goes to the keyring), certificate settings, a test of the
 * connection, and Save and Remove.
 */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-preferences-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lb-dicomweb-client.h"
#include "lb-secrets.h"
#include "lb-server-config.h"

typedef struct
{
  LbPreferencesWindow *window;
  LbServerConfig *config;
  AdwExpanderRow *row;
  AdwEntryRow *name;
  AdwEntryRow *url;
  AdwComboRow *auth;
  AdwEntryRow *user;
  AdwPasswordEntryRow *secret;
  AdwActionRow *ca_row;
  GtkSwitch *insecure;
  char *ca_file;
} ServerRow;

static void
server_row_free (ServerRow *row)
{
  g_clear_object (&row->config);
  g_free (row->ca_file);
  g_free (row);
}

static void
toast (LbPreferencesWindow *self, const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Archives added but not yet saved with an address that is one stay out. */
static void
write_servers (GSettings *settings, GListModel *servers)
{
  g_autoptr (GListStore) valid = g_list_store_new (LB_TYPE_SERVER_CONFIG);

  for (guint i = 0; i < g_list_model_get_n_items (servers); i++)
    {
      g_autoptr (LbServerConfig) config = g_list_model_get_item (servers, i);
      g_autoptr (LbServer) server = lb_server_new (lb_server_config_get_url (config), NULL);
      if (server != NULL)
        g_list_store_append (valid, config);
    }
  lb_server_config_save_all (settings, G_LIST_MODEL (valid));
}

static void
save_all (LbPreferencesWindow *self)
{
  write_servers (self->settings, G_LIST_MODEL (self->servers));
}

/* The fields of @row as a configuration, or NULL (and a toast) when the address is not
 * one. */
static LbServerConfig *
read_fields (ServerRow *row)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (row->url));
  g_autoptr (GError) error = NULL;
  g_autoptr (LbServer) check = lb_server_new (url, &error);

  if (check == NULL)
    {
      toast (row->window, error->message);
      return NULL;
    }

  LbServerConfig *config = lb_server_config_new (gtk_editable_get_text (GTK_EDITABLE (row->name)),
                                                 lb_server_get_base_url (check));
  lb_server_config_set_auth (config, adw_combo_row_get_selected (row->auth));
  lb_server_config_set_user (config, gtk_editable_get_text (GTK_EDITABLE (row->user)));
  lb_server_config_set_ca_file (config, row->ca_file);
  lb_server_config_set_insecure (config, gtk_switch_get_active (row->insecure));
  return config;
}

/* An archive saved with a new password or token, or whose address or user changed (the
 * keyring keeps a secret under both).  The worklist follows the "servers" setting and
 * reads the keyring as soon as it changes, so the setting is written only once the
 * keyring holds the secret under the new key: written at once, the worklist signed in
 * with none (or the old one) and was refused.  The window may be closed meanwhile; the
 * setting is still written. */
typedef struct
{
  GWeakRef window;
  GSettings *settings;
  GListStore *servers;
  char *url;
  char *user;
  char *label;
  /* Where the secret was kept before, when that is not where it goes now; else NULL. */
  char *old_url;
  char *old_user;
} SecretSave;

static void
secret_save_done (SecretSave *save, const GError *error)
{
  g_autoptr (LbPreferencesWindow) self = g_weak_ref_get (&save->window);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("The password could not be kept in the keyring: %s"), error->message);
      if (self != NULL)
        toast (self, message);
      else
        g_warning ("%s", message);
    }
  else if (save->old_url != NULL)
    lb_secrets_clear_async (save->old_url, save->old_user, NULL, NULL, NULL);
  write_servers (save->settings, G_LIST_MODEL (save->servers));

  g_weak_ref_clear (&save->window);
  g_object_unref (save->settings);
  g_object_unref (save->servers);
  g_free (save->url);
  g_free (save->user);
  g_free (save->label);
  g_free (save->old_url);
  g_free (save->old_user);
  g_free (save);
}

static void
on_secret_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  lb_secrets_store_finish (result, &error);
  secret_save_done (data, error);
}

static void
store_secret (SecretSave *save, const char *secret)
{
  /* Not cancelled with the window: closing it right after Save must keep the password. */
  lb_secrets_store_async (save->url, save->user, secret, save->label, NULL, on_secret_stored,
                          save);
}

static void
on_old_secret (GObject *source, GAsyncResult *result, gpointer data)
{
  SecretSave *save = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = lb_secrets_lookup_finish (result, &error);

  if (secret != NULL)
    store_secret (save, secret);
  else
    secret_save_done (save, error);
}

static void
on_save (GtkButton *button, ServerRow *row)
{
  g_autoptr (LbServerConfig) config = read_fields (row);
  g_autoptr (LbServerConfig) old = g_object_ref (row->config);
  guint position;

  if (config == NULL || !g_list_store_find (row->window->servers, row->config, &position))
    return;

  g_list_store_splice (row->window->servers, position, 1, (gpointer *) &config, 1);
  g_set_object (&row->config, config);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), lb_server_config_get_name (config));
  adw_expander_row_set_subtitle (row->row, lb_server_config_get_url (config));

  const char *secret = gtk_editable_get_text (GTK_EDITABLE (row->secret));
  const char *url = lb_server_config_get_url (config);
  const char *user = lb_server_config_get_user (config);
  gboolean had_secret = lb_server_config_get_auth (old) != LB_HTTP_AUTH_NONE;
  gboolean has_secret = lb_server_config_get_auth (config) != LB_HTTP_AUTH_NONE;
  gboolean moved = g_strcmp0 (lb_server_config_get_url (old), url) != 0 ||
                   g_strcmp0 (lb_server_config_get_user (old), user) != 0;

  if (!has_secret || (*secret == '\0' && !(had_secret && moved)))
    {
      /* No secret any more, or the one kept stays where it is. */
      if (had_secret && !has_secret)
        lb_secrets_clear_async (lb_server_config_get_url (old), lb_server_config_get_user (old),
                                NULL, NULL, NULL);
      save_all (row->window);
      toast (row->window, _("Archive saved"));
      return;
    }

  SecretSave *save = g_new0 (SecretSave, 1);
  g_weak_ref_init (&save->window, row->window);
  save->settings = g_object_ref (row->window->settings);
  save->servers = g_object_ref (row->window->servers);
  save->url = g_strdup (url);
  save->user = g_strdup (user);
  save->label = g_strdup_printf (_("Lightbox: %s"), lb_server_config_get_name (config));
  if (had_secret && moved)
    {
      save->old_url = g_strdup (lb_server_config_get_url (old));
      save->old_user = g_strdup (lb_server_config_get_user (old));
    }
  if (*secret != '\0')
    {
      store_secret (save, secret);
      gtk_editable_set_text (GTK_EDITABLE (row->secret), "");
    }
  else
    /* A new address or user, the same password: it moves with them. */
    lb_secrets_lookup_async (save->old_url, save->old_user, NULL, on_old_secret, save);
  toast (row->window, _("Archive saved"));
}

static void
on_remove (GtkButton *button, ServerRow *row)
{
  LbPreferencesWindow *self = row->window;
  guint position;

  if (g_list_store_find (self->servers, row->config, &position))
    g_list_store_remove (self->servers, position);
  if (lb_server_config_get_auth (row->config) != LB_HTTP_AUTH_NONE)
    lb_secrets_clear_async (lb_server_config_get_url (row->config),
                            lb_server_config_get_user (row->config), NULL, NULL, NULL);
  g_ptr_array_remove (self->server_rows, row->row);
  adw_preferences_group_remove (self->servers_group, GTK_WIDGET (row->row));
  save_all (self);
}

/* ---- testing --------------------------------------------------------------------- */

typedef struct
{
  LbPreferencesWindow *window;
  LbDicomwebClient *client;
  GtkButton *button;
} Test;

static void
test_free (Test *test)
{
  g_clear_object (&test->window);
  g_clear_object (&test->client);
  g_clear_object (&test->button);
  g_free (test);
}

static void
on_tested (GObject *source, GAsyncResult *result, gpointer data)
{
  Test *test = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) studies = lb_dicomweb_client_search_studies_finish (
    LB_DICOMWEB_CLIENT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (test->button), TRUE);
      toast (test->window, studies != NULL ? _("The archive answered.") : error->message);
    }
  test_free (test);
}

static void
run_test (ServerRow *row, GtkButton *button, const char *secret)
{
  g_autoptr (LbServerConfig) config = read_fields (row);
  g_autoptr (GError) error = NULL;

  if (config == NULL)
    return;
  g_autoptr (LbServer) server = lb_server_config_make_server (config, secret, &error);
  if (server == NULL)
    {
      toast (row->window, error->message);
      return;
    }

  Test *test = g_new0 (Test, 1);
  test->window = g_object_ref (row->window);
  test->client = lb_dicomweb_client_new (server);
  test->button = g_object_ref (button);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);

  g_autoptr (LbQidoQuery) query = lb_qido_query_new ();
  lb_qido_query_set_limit (query, 1);
  lb_dicomweb_client_search_studies_async (test->client, query, row->window->cancellable,
                                           on_tested, test);
}

typedef struct
{
  ServerRow *row;
  GtkButton *button;
} PendingTest;

static void
on_test_secret (GObject *source, GAsyncResult *result, gpointer data)
{
  PendingTest *pending = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = lb_secrets_lookup_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    run_test (pending->row, pending->button, secret);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (pending);
}

static void
on_test (GtkButton *button, ServerRow *row)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (row->secret));

  if (adw_combo_row_get_selected (row->auth) == LB_HTTP_AUTH_NONE || *typed != '\0')
    {
      run_test (row, button, typed);
      return;
    }
  /* Saved before: the keyring has it, under the address as saved (without the trailing
   * '/' the reader may have typed). */
  g_autoptr (LbServerConfig) config = read_fields (row);
  if (config == NULL)
    return;
  PendingTest *pending = g_new0 (PendingTest, 1);
  pending->row = row;
  pending->button = button;
  lb_secrets_lookup_async (lb_server_config_get_url (config), lb_server_config_get_user (config),
                           row->window->cancellable, on_test_secret, pending);
}

/* ---- the CA file ----------------------------------------------------------------- */

static void
show_ca_file (ServerRow *row)
{
  adw_action_row_set_subtitle (row->ca_row, row->ca_file != NULL && *row->ca_file != '\0'
                                              ? row->ca_file
                                              : _("The system’s certificate authorities"));
}

static void
on_ca_chosen (GtkNativeDialog *dialog, int response, gpointer data)
{
  ServerRow *row = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_free (row->ca_file);
      row->ca_file = g_file_get_path (file);
      show_ca_file (row);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_choose_ca (GtkButton *button, ServerRow *row)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
    _("Certificate Authority"), GTK_WINDOW (row->window), GTK_FILE_CHOOSER_ACTION_OPEN,
    _("_Choose"), _("_Cancel"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_ca_chosen), row);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_clear_ca (GtkButton *button, ServerRow *row)
{
  g_clear_pointer (&row->ca_file, g_free);
  show_ca_file (row);
}

/* ---- rows ------------------------------------------------------------------------ */

static void
on_auth_changed (AdwComboRow *auth, GParamSpec *pspec, ServerRow *row)
{
  guint kind = adw_combo_row_get_selected (auth);

  gtk_widget_set_visible (GTK_WIDGET (row->user), kind == LB_HTTP_AUTH_BASIC);
  gtk_widget_set_visible (GTK_WIDGET (row->secret), kind != LB_HTTP_AUTH_NONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->secret),
                                 kind == LB_HTTP_AUTH_BEARER ? _("Token") : _("Password"));
}

static GtkWidget *
button (const char *label, const char *style)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  if (style != NULL)
    gtk_widget_add_css_class (widget, style);
  return widget;
}

static AdwExpanderRow *
add_row (LbPreferencesWindow *self, LbServerConfig *config)
{
  ServerRow *row = g_new0 (ServerRow, 1);
  row->window = self;
  row->config = g_object_ref (config);
  row->ca_file = g_strdup (lb_server_config_get_ca_file (config));

  row->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), lb_server_config_get_name (config));
  adw_expander_row_set_subtitle (row->row, lb_server_config_get_url (config));
  g_object_set_data_full (G_OBJECT (row->row), "lb-server-row", row,
                          (GDestroyNotify) server_row_free);

  row->name = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->name), _("Name"));
  gtk_editable_set_text (GTK_EDITABLE (row->name), lb_server_config_get_name (config));

  row->url = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->url),
                                 _("DICOMweb address (https://pacs.example.org/dicom-web)"));
  gtk_editable_set_text (GTK_EDITABLE (row->url), lb_server_config_get_url (config));

  const char *kinds[] = { _("None"), _("User and password"), _("Token"), NULL };
  row->auth = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->auth), _("Sign-in"));
  adw_combo_row_set_model (row->auth, G_LIST_MODEL (gtk_string_list_new (kinds)));
  adw_combo_row_set_selected (row->auth, lb_server_config_get_auth (config));

  row->user = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->user), _("User"));
  gtk_editable_set_text (GTK_EDITABLE (row->user),
                         lb_server_config_get_user (config) != NULL
                           ? lb_server_config_get_user (config) : "");

  row->secret = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());

  row->ca_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->ca_row), _("Certificate authority"));
  GtkWidget *choose = button (_("C_hoose…"), "flat");
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Use the system’s certificate authorities"));
  adw_action_row_add_suffix (row->ca_row, choose);
  adw_action_row_add_suffix (row->ca_row, clear);
  show_ca_file (row);

  GtkWidget *insecure_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (insecure_row), _("Skip certificate checks"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (insecure_row),
                               _("Anyone between here and the archive could read the images"));
  row->insecure = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->insecure), GTK_ALIGN_CENTER);
  gtk_switch_set_active (row->insecure, lb_server_config_get_insecure (config));
  adw_action_row_add_suffix (ADW_ACTION_ROW (insecure_row), GTK_WIDGET (row->insecure));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (insecure_row), GTK_WIDGET (row->insecure));

  GtkWidget *actions = adw_action_row_new ();
  GtkWidget *test = button (_("_Test Connection"), NULL);
  GtkWidget *save = button (_("_Save"), "suggested-action");
  GtkWidget *remove = button (_("_Remove"), "destructive-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), test);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), remove);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), save);

  adw_expander_row_add_row (row->row, GTK_WIDGET (row->name));
  adw_expander_row_add_row (row->row, GTK_WIDGET (row->url));
  adw_expander_row_add_row (row->row, GTK_WIDGET (row->auth));
  adw_expander_row_add_row (row->row, GTK_WIDGET (row->user));
  adw_expander_row_add_row (row->row, GTK_WIDGET (row->secret));
  adw_expander_row_add_row (row->row, GTK_WIDGET (row->ca_row));
  adw_expander_row_add_row (row->row, insecure_row);
  adw_expander_row_add_row (row->row, actions);

  g_signal_connect (row->auth, "notify::selected", G_CALLBACK (on_auth_changed), row);
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_ca), row);
  g_signal_connect (clear, "clicked", G_CALLBACK (on_clear_ca), row);
  g_signal_connect (test, "clicked", G_CALLBACK (on_test), row);
  g_signal_connect (save, "clicked", G_CALLBACK (on_save), row);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove), row);
  on_auth_changed (row->auth, NULL, row);

  g_ptr_array_add (self->server_rows, row->row);
  adw_preferences_group_add (self->servers_group, GTK_WIDGET (row->row));
  return row->row;
}

void
_lb_preferences_add_server (LbPreferencesWindow *self)
{
  g_autoptr (LbServerConfig) config = lb_server_config_new (_("New archive"), "https://");

  /* Kept only when saved with an address that is one. */
  g_list_store_append (self->servers, config);
  adw_expander_row_set_expanded (add_row (self, config), TRUE);
}

void
_lb_preferences_servers_init (LbPreferencesWindow *self)
{
  self->servers = lb_server_config_load_all (self->settings);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->servers)); i++)
    {
      g_autoptr (LbServerConfig) config = g_list_model_get_item (G_LIST_MODEL (self->servers), i);
      add_row (self, config);
    }
}
