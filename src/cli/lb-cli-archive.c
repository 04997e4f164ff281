/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lb-cli"
#include "config.h"

#include "lb-cli.h"

int
lb_cli_worklist (int argc, char **argv)
{
  return lb_cli_fail ("worklist is not available in this build.");
}

int
lb_cli_fetch (int argc, char **argv)
{
  return lb_cli_fail ("fetch is not available in this build.");
}

int
lb_cli_push (int argc, char **argv)
{
  return lb_cli_fail ("push is not available in this build.");
}
