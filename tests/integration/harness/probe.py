#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command the harness tests give `tools/archive run`: prints what it sees, as JSON.

Exits with the status given as its one argument (0 without), so a test can check that
`run` passes the command's status on."""

import json
import os
import sys

import common

env = {k: v for k, v in os.environ.items() if k.startswith("LB_ARCHIVE_")}
auth = (env["LB_ARCHIVE_USER"], env["LB_ARCHIVE_PASSWORD"]) if "LB_ARCHIVE_USER" in env \
    else None
url = env["LB_ARCHIVE_URL"]
with open(os.path.join(env["LB_ARCHIVE_STATE"], "orthanc.pid"), encoding="ascii") as f:
    pid = int(f.read())

qido_status, _, _ = common.get(url + "/studies")
status, _, body = common.get(url + "/studies?includefield=00201208", auth)
# Patient ID -> instances in that patient's study, for the tests that know their seed.
studies = {}
if status == 200:
    for study in json.loads(body):
        patient = study.get("00100020", {}).get("Value", [""])[0]
        studies[patient] = study.get("00201208", {}).get("Value", [0])[0]

print(json.dumps({
    "env": env,
    "pid": pid,
    "qido_without_auth": qido_status,
    "qido_with_auth": status,
    "studies": studies,
    "instances": common.count_instances(env["LB_ARCHIVE_REST"], auth),
    "interfaces": common.netns.interfaces(),
    "sys_class_net": sorted(os.listdir("/sys/class/net")),
}))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
