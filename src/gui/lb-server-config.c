/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-gui"
#include "config.h"

#include "lb-server-config.h"

struct _LbServerConfig
{
  GObject parent_instance;

  char *name;
  char *url;
  LbHttpAuth auth;
  char *user;
  char *ca_file;
  gboolean insecure;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_URL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (LbServerConfig, lb_server_config, G_TYPE_OBJECT)

static void
lb_server_config_finalize (GObject *object)
{
  LbServerConfig *self = LB_SERVER_CONFIG (object);

  g_free (self->name);
  g_free (self->url);
  g_free (self->user);
  g_free (self->ca_file);

  G_OBJECT_CLASS (lb_server_config_parent_class)->finalize (object);
}

static void
lb_server_config_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LbServerConfig *self = LB_SERVER_CONFIG (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_server_config_class_init (LbServerConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_server_config_finalize;
  object_class->get_property = lb_server_config_get_property;

  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  props[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lb_server_config_init (LbServerConfig *self)
{
}

LbServerConfig *
lb_server_config_new (const char *name, const char *url)
{
  LbServerConfig *self = g_object_new (LB_TYPE_SERVER_CONFIG, NULL);

  self->name = g_strdup (name != NULL ? name : "");
  self->url = g_strdup (url != NULL ? url : "");
  return self;
}

#define STRING_ACCESSORS(field, prop)                                           \
  const char *                                                                  \
  lb_server_config_get_##field (LbServerConfig *self)                           \
  {                                                                             \
    g_return_val_if_fail (LB_IS_SERVER_CONFIG (self), NULL);                    \
    return self->field;                                                         \
  }                                                                             \
  void                                                                          \
  lb_server_config_set_##field (LbServerConfig *self, const char *value)        \
  {                                                                             \
    g_return_if_fail (LB_IS_SERVER_CONFIG (self));                              \
    if (g_strcmp0 (self->field, value) == 0)                                    \
      return;                                                                   \
    g_free (self->field);                                                       \
    self->field = g_strdup (value != NULL ? value : "");                        \
    if (prop != PROP_0)                                                         \
      g_object_notify_by_pspec (G_OBJECT (self), props[prop]);                  \
  }

STRING_ACCESSORS (name, PROP_NAME)
STRING_ACCESSORS (url, PROP_URL)
STRING_ACCESSORS (user, PROP_0)
STRING_ACCESSORS (ca_file, PROP_0)

#undef STRING_ACCESSORS

LbHttpAuth
lb_server_config_get_auth (LbServerConfig *self)
{
  g_return_val_if_fail (LB_IS_SERVER_CONFIG (self), LB_HTTP_AUTH_NONE);
  return self->auth;
}

void
lb_server_config_set_auth (LbServerConfig *self, LbHttpAuth auth)
{
  g_return_if_fail (LB_IS_SERVER_CONFIG (self));
  self->auth = auth;
}

gboolean
lb_server_config_get_insecure (LbServerConfig *self)
{
  g_return_val_if_fail (LB_IS_SERVER_CONFIG (self), FALSE);
  return self->insecure;
}

void
lb_server_config_set_insecure (LbServerConfig *self, gboolean insecure)
{
  g_return_if_fail (LB_IS_SERVER_CONFIG (self));
  self->insecure = insecure;
}

static const char *const auth_names[] = {
  [LB_HTTP_AUTH_NONE] = "none",
  [LB_HTTP_AUTH_BASIC] = "basic",
  [LB_HTTP_AUTH_BEARER] = "bearer",
};

GListStore *
lb_server_config_load_all (GSettings *settings)
{
  GListStore *store = g_list_store_new (LB_TYPE_SERVER_CONFIG);
  g_autoptr (GVariant) value = g_settings_get_value (settings, "servers");
  GVariantIter iter;
  const char *name, *url, *auth, *user, *ca_file;
  gboolean insecure;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s&s&sb)", &name, &url, &auth, &user, &ca_file,
                              &insecure))
    {
      g_autoptr (LbServerConfig) config = lb_server_config_new (name, url);
      for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
        if (g_str_equal (auth, auth_names[i]))
          config->auth = i;
      lb_server_config_set_user (config, user);
      lb_server_config_set_ca_file (config, ca_file);
      config->insecure = insecure;
      g_list_store_append (store, config);
    }
  return store;
}

void
lb_server_config_save_all (GSettings *settings, GListModel *servers)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssssb)"));
  for (guint i = 0; i < g_list_model_get_n_items (servers); i++)
    {
      g_autoptr (LbServerConfig) config = g_list_model_get_item (servers, i);
      g_variant_builder_add (&builder, "(sssssb)", config->name, config->url,
                             auth_names[config->auth], config->user != NULL ? config->user : "",
                             config->ca_file != NULL ? config->ca_file : "", config->insecure);
    }
  g_settings_set_value (settings, "servers", g_variant_builder_end (&builder));
}

LbServer *
lb_server_config_make_server (LbServerConfig *self, const char *secret, GError **error)
{
  g_return_val_if_fail (LB_IS_SERVER_CONFIG (self), NULL);

  g_autoptr (LbServer) server = lb_server_new (self->url, error);
  if (server == NULL)
    return NULL;
  if (self->auth == LB_HTTP_AUTH_BASIC && self->user != NULL && *self->user != '\0')
    lb_server_set_basic_auth (server, self->user, secret != NULL ? secret : "");
  else if (self->auth == LB_HTTP_AUTH_BEARER && secret != NULL)
    lb_server_set_bearer_token (server, secret);
  if (self->ca_file != NULL && *self->ca_file != '\0')
    lb_server_set_ca_file (server, self->ca_file);
  lb_server_set_insecure (server, self->insecure);
  return g_steal_pointer (&server);
}
