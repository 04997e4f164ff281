# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeding: upload files through Orthanc's REST `POST /instances`.

The harness uses the REST API because it is fast and independent of the code under test,
which speaks DICOMweb.
"""

import collections
import concurrent.futures
import json
import os
import threading
import time

from . import ArchiveError
from .rest import Connection

PYDICOM_TEST_FILES = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
# Orthanc parses and indexes each upload on its own threads; on two cores more than a few
# uploads in flight only queue up.
UPLOAD_THREADS = 4


class Source:
    """A named set of files to upload."""

    def __init__(self, name, paths):
        self.name = name
        self.paths = paths


def files_under(folder):
    """Every regular file below folder, in a stable order."""
    if not os.path.isdir(folder):
        raise ArchiveError(f"{folder} is not a folder, so it cannot be seeded.")
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(names)
                     if os.path.isfile(os.path.join(root, n)))
    return found


def pydicom_source():
    if not os.path.isdir(PYDICOM_TEST_FILES):
        raise ArchiveError(f"pydicom's test files are not in {PYDICOM_TEST_FILES}; "
                           "install the Debian package python3-pydicom.")
    return Source("pydicom", files_under(PYDICOM_TEST_FILES))


def upload(rest_url, auth, sources, log):
    """Upload every file of sources, and log how many instances each stored.

    pydicom's test files include files broken on purpose and files that are not DICOM at all:
    Orthanc refuses those, and they are counted, not fatal.  All sources share one pool, so
    that a file Orthanc takes seconds to refuse overlaps the other sources' uploads."""
    local = threading.local()
    connections = []
    lock = threading.Lock()

    def one(path):
        if not hasattr(local, "conn"):
            local.conn = Connection(rest_url, auth)
            with lock:
                connections.append(local.conn)
        with open(path, "rb") as f:
            body = f.read()
        try:
            status, answer = local.conn.request("POST", "/instances", body,
                                                {"Content-Type": "application/dicom"})
        except OSError as e:
            raise ArchiveError(f"uploading {path} to {rest_url} failed: {e}.")
        if status in (401, 403):
            raise ArchiveError(f"Orthanc refused the harness's credentials (HTTP {status}).")
        if status != 200:
            return 0, _reason(status, answer)
        return _stored(answer), None

    began = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(UPLOAD_THREADS)
    try:
        pending = [(s, [pool.submit(one, p) for p in s.paths]) for s in sources]
        results = [(s, [f.result() for f in futures]) for s, futures in pending]
    finally:
        # After Ctrl+C or a failed upload, uploads not yet started are dropped and those under
        # way end when Orthanc is stopped: some files take Orthanc seconds to refuse.
        pool.shutdown(wait=False, cancel_futures=True)
    for conn in connections:
        conn.close()

    for source, answers in results:
        stored = sum(n for n, _ in answers)
        reasons = collections.Counter(reason for _, reason in answers if reason)
        refused = sum(reasons.values())
        why = ", ".join(f"{r}: {n}" for r, n in sorted(reasons.items()))
        log(f"{source.name}: seeded {stored} instance{'' if stored == 1 else 's'}, "
            f"{refused} refused" + (f" ({why})" if why else ""))
    if sources:
        log(f"seeding took {time.monotonic() - began:.2f} s")


def _reason(status, answer):
    """Orthanc's name for why it refused a file (broken files are refused with 400 or 404)."""
    try:
        return json.loads(answer).get("Message") or f"HTTP {status}"
    except (ValueError, AttributeError):
        return f"HTTP {status}"


def _stored(answer):
    """How many instances one accepted upload stored (a ZIP holds several)."""
    try:
        reply = json.loads(answer)
    except ValueError:
        raise ArchiveError("Orthanc accepted an upload but its answer is not JSON.")
    items = reply if isinstance(reply, list) else [reply]
    return sum(1 for i in items if i.get("Status") in ("Success", "AlreadyStored"))
