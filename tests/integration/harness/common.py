# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the tests of the archive harness and the fault proxy."""

import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse

SOURCE_ROOT = os.environ.get("LB_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ARCHIVE = os.path.join(SOURCE_ROOT, "tools", "archive")
FAULT_PROXY = os.path.join(SOURCE_ROOT, "tests", "integration", "fault-proxy.py")
PYDICOM_FILES = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
# 91 small files, 10 of which Orthanc refuses: quick to seed, unlike the whole of pydicom's
# test files, where one broken file makes Orthanc allocate 1.2 GB and take seconds.
SMALL_SEED = os.path.join(PYDICOM_FILES, "dicomdirtests")
SMALL_SEED_INSTANCES = 81

sys.path.insert(0, os.path.join(SOURCE_ROOT, "tools", "archive.d"))
from lbarchive import netns  # noqa: E402 (found through the path set just above)


def isolate():
    """As root, re-run this test in a loopback-only namespace, as CI does."""
    if netns.exposed_as_root():
        netns.reexec_isolated([sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:])
    netns.prepare()


def under_archive(*archive_args):
    """Re-run this test under `tools/archive run ARGS --` unless it already runs under one."""
    if "LB_ARCHIVE_REST" not in os.environ:
        argv = [ARCHIVE, "run", *archive_args, "--", sys.executable,
                os.path.abspath(sys.argv[0])] + sys.argv[1:]
        os.execv(ARCHIVE, argv)


def archive(*args, timeout=120, check=True):
    """Run tools/archive; return the CompletedProcess (text)."""
    done = subprocess.run([ARCHIVE, *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"tools/archive {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stderr}")
    return done


def get(url, auth=None, timeout=30):
    """GET url; return (status, headers, body bytes)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"Accept": "application/dicom+json"}
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    try:
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""),
                     headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def count_instances(rest_url, auth=None):
    status, _, body = get(rest_url + "/statistics", auth)
    assert status == 200, f"GET /statistics answered {status}"
    return json.loads(body)["CountInstances"]


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def process_gone(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
