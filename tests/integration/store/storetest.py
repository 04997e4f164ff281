# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the store's integration tests: lightbox-cli and store-tool on a cache folder of
the test's own, the fault proxy, and what Orthanc's REST API says."""

import http.client
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import common  # noqa: E402 (the harness helpers, found through the path set above)

BUILD_ROOT = os.environ.get("LB_BUILD_ROOT") or os.path.join(common.SOURCE_ROOT, "build")
CLI = os.path.join(BUILD_ROOT, "src", "cli", "lightbox-cli")
STORE_TOOL = os.path.join(BUILD_ROOT, "tests", "integration", "store", "store-tool")
DICOMDIRTESTS = common.SMALL_SEED
# Every call is bounded: a hang fails the test instead of blocking the suite.
TIMEOUT = 300
# How long a session may take to report an event.
WAIT = 60


def run(argv, timeout=TIMEOUT, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, **kwargs)


class CacheTestCase(unittest.TestCase):
    """Each test has its own cache folder, given to every command with --cache-dir."""

    def setUp(self):
        self.scratch_root = tempfile.mkdtemp(prefix="lb-store-it-")
        self.addCleanup(shutil.rmtree, self.scratch_root, True)
        self.cache = os.path.join(self.scratch_root, "cache")

    def scratch(self):
        return tempfile.mkdtemp(dir=self.scratch_root)

    def cli(self, *args, expect=0, cache=None):
        """lightbox-cli ARGS --cache-dir CACHE; checks the exit status."""
        done = run([CLI, *args, "--cache-dir", cache or self.cache])
        if expect is not None:
            self.assertEqual(done.returncode, expect,
                             f"lightbox-cli {' '.join(args)}:\n{done.stdout}{done.stderr}")
        return done

    def cli_json(self, *args, expect=0):
        return json.loads(self.cli(*args, "--json", expect=expect).stdout)

    def tool(self, *args, expect=0):
        done = run([STORE_TOOL, *args])
        if expect is not None:
            self.assertEqual(done.returncode, expect,
                             f"store-tool {' '.join(args)}:\n{done.stdout}{done.stderr}")
        return done

    def cached(self):
        """study UID -> the cache ls --json row."""
        return {row["study_instance_uid"]: row for row in self.cli_json("cache", "ls")}

    def assert_consistent(self):
        done = self.cli("cache", "verify")
        self.assertRegex(done.stdout, r"The cache is consistent: \d+ stud")

    def assert_reports_kept(self, report_lines):
        log = os.path.join(self.scratch(), "reports.txt")
        with open(log, "w", encoding="utf-8") as f:
            f.write("".join(report_lines))
        done = self.tool("check-reports", self.cache, log)
        self.assertRegex(done.stdout, r"checked \d+, lost 0\n$")


class Session:
    """store-tool session: commands on stdin, one JSON event per line on stdout."""

    def __init__(self, cache, url):
        self.proc = subprocess.Popen([STORE_TOOL, "session", cache, url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.events = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.events.put(json.loads(line))
        self.events.put(None)

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def wait(self, predicate, what):
        """The first event (skipping others) for which predicate holds."""
        deadline = time.monotonic() + WAIT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {WAIT} s waiting for {what}")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if event is None:
                raise AssertionError(f"the session ended while waiting for {what}")
            if predicate(event):
                return event

    def wait_all(self, predicates):
        """Events matching each of {what: predicate}, in whatever order they come."""
        found = {}
        while len(found) < len(predicates):
            missing = {w: p for w, p in predicates.items() if w not in found}
            event = self.wait(lambda e: any(p(e) for p in missing.values()),
                              " and ".join(missing))
            for what, predicate in missing.items():
                if predicate(event):
                    found[what] = event
        return found

    def state(self, name):
        return self.wait(lambda e: e["event"] == "state" and e["state"] == name, f"state {name}")

    def worklist(self, predicate, what):
        return self.wait(lambda e: e["event"] == "worklist" and predicate(e["rows"]), what)

    def close(self):
        if self.proc.poll() is None:
            self.send("quit")
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()


class Proxy:
    """tests/integration/fault-proxy.py in front of Orthanc, logging every request."""

    def __init__(self, target, *args, port=None, log_dir):
        self.log = os.path.join(log_dir, f"requests-{len(os.listdir(log_dir))}.log")
        argv = [sys.executable, common.FAULT_PROXY, "--target", target, "--log", self.log, *args]
        if port is not None:
            argv += ["--port", str(port)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        self.port = int(self.proc.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}/dicom-web"

    def requests(self):
        """Request lines, without the connection numbers."""
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="latin-1") as f:
            return [line.split(" ", 1)[1] for line in f.read().splitlines()]

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()


def rest_json(rest_url, path):
    status, _, body = common.get(rest_url + path)
    assert status == 200, f"GET {path} answered {status}"
    return json.loads(body)


def instance_file(rest_url, instance_id):
    """The DICOM file Orthanc holds for one of its instance IDs."""
    parts = urllib.parse.urlsplit(f"{rest_url}/instances/{instance_id}/file")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        # Orthanc answers the harness's usual Accept (DICOM JSON) with JSON, not the file.
        conn.request("GET", parts.path, headers={"Accept": "application/dicom"})
        response = conn.getresponse()
        assert response.status == 200, f"GET {parts.path} answered {response.status}"
        return response.read()
    finally:
        conn.close()


def study_of(rest_url, patient_id, modality=None):
    """(study UID, Orthanc's study ID) of the one study of a patient (with that modality)."""
    studies = []
    for study in rest_json(rest_url, "/studies?expand"):
        if study["PatientMainDicomTags"].get("PatientID") != patient_id:
            continue
        series = rest_json(rest_url, f"/studies/{study['ID']}/series?expand")
        if modality is None or any(s["MainDicomTags"].get("Modality") == modality
                                   for s in series):
            studies.append(study)
    assert len(studies) == 1, f"{len(studies)} studies of {patient_id}"
    return studies[0]["MainDicomTags"]["StudyInstanceUID"], studies[0]["ID"]


def count_sop(dicomweb_url, study_uid, sop_uid):
    """How many instances the archive finds with this SOP Instance UID (QIDO-RS)."""
    status, _, body = common.get(f"{dicomweb_url}/studies/{study_uid}/instances"
                                 f"?SOPInstanceUID={sop_uid}")
    if status == 204 or not body:
        return 0
    assert status == 200, f"QIDO answered {status}"
    return len(json.loads(body))
