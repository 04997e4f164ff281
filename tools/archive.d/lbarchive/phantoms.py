# SPDX-License-Identifier: GPL-3.0-or-later
"""Phantom studies from the project's generator (tools/make-phantom), cached in the build tree.

Generating 600 CT slices takes far longer than uploading them, so each phantom is kept in
BUILD/phantoms/ under a key made of its arguments and the generator's own bytes: a rebuilt
generator or a changed argument makes a new phantom, anything else reuses the old one.
"""

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time

from . import ArchiveError
from .seed import Source, files_under


class Phantom:
    def __init__(self, name, kind, slices, transfer_syntax, patient_name, patient_id,
                 accession, priority=None):
        self.name = name
        self.kind = kind
        self.slices = slices
        self.transfer_syntax = transfer_syntax
        self.patient_name = patient_name
        self.patient_id = patient_id
        self.accession = accession
        self.priority = priority


# One compressed and one uncompressed 300-slice 512x512 CT (a different patient each, so they
# are different studies), an MR series and a CR image; one STAT and one HIGH priority, so
# that the worklist has urgent studies to put first.
PHANTOMS = [
    Phantom("ct-jpegls", "ct", 300, "jpeg-ls", "PHANTOM^CT JPEGLS", "LBPH-0001", "LBACC0001",
            "STAT"),
    Phantom("ct-explicit", "ct", 300, "explicit", "PHANTOM^CT EXPLICIT", "LBPH-0002",
            "LBACC0002"),
    Phantom("mr", "mr", 40, "explicit", "PHANTOM^MR", "LBPH-0003", "LBACC0003", "HIGH"),
    Phantom("cr", "cr", 1, "explicit", "PHANTOM^CR", "LBPH-0004", "LBACC0004"),
]
# make-phantom's --seed makes UIDs and bytes reproducible, so a regenerated phantom is the
# same study as the one an archive already holds.
SEED = 1


def make_phantom_argv(exe, phantom, out_dir):
    """The generator's command line, kept in one place because its CLI is young."""
    argv = [exe, "--kind", phantom.kind, "--transfer-syntax", phantom.transfer_syntax,
            "--out", out_dir, "--seed", str(SEED), "--patient-name", phantom.patient_name,
            "--patient-id", phantom.patient_id, "--accession", phantom.accession]
    if phantom.priority:
        argv += ["--priority", phantom.priority]
    if phantom.kind in ("ct", "mr"):
        argv += ["--slices", str(phantom.slices)]
    if phantom.kind == "ct":
        argv += ["--size", "512x512"]
    return argv


def find_build_dir(build_dir, source_root):
    """--build-dir, else $LB_BUILD_ROOT, else the conventional build/ of the source tree."""
    return build_dir or os.environ.get("LB_BUILD_ROOT") or os.path.join(source_root, "build")


def find_make_phantom(build_dir):
    exe = os.path.join(build_dir, "tools", "make-phantom")
    if not os.access(exe, os.X_OK):
        raise ArchiveError(f"--phantoms needs tools/make-phantom, which is not built in "
                           f"{build_dir}: run `meson compile -C {build_dir}` or pass "
                           "--build-dir.")
    return exe


def sources(build_dir, log):
    """Make (or reuse) every phantom; return one seed Source per phantom."""
    exe = find_make_phantom(build_dir)
    with open(exe, "rb") as f:
        exe_digest = hashlib.sha256(f.read()).digest()
    cache = os.path.join(build_dir, "phantoms")
    os.makedirs(cache, exist_ok=True)
    return [Source(f"phantom {p.name}", _images(_cached(exe, exe_digest, p, cache, log)))
            for p in PHANTOMS]


def _images(folder):
    # Beside the images the generator writes phantom.json, the model tests read: not DICOM.
    return [p for p in files_under(folder) if p.endswith(".dcm")]


def _cached(exe, exe_digest, phantom, cache, log):
    key = hashlib.sha256(exe_digest)
    key.update("\0".join(make_phantom_argv("", phantom, "")).encode())
    folder = os.path.join(cache, f"{phantom.name}-{key.hexdigest()[:16]}")
    if os.path.isdir(folder):
        return folder
    # Built beside the final name and renamed, so that a run killed half-way, or two test
    # runs making the same phantom at once, never leave a partial phantom behind.
    scratch = tempfile.mkdtemp(prefix=f".{phantom.name}-", dir=cache)
    try:
        began = time.monotonic()
        argv = make_phantom_argv(exe, phantom, scratch)
        try:
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as e:
            raise ArchiveError(f"cannot run {exe}: {e.strerror}.")
        if done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip().splitlines()
            raise ArchiveError(f"make-phantom failed for phantom {phantom.name} (exit status "
                               f"{done.returncode}): "
                               f"{detail[-1].rstrip('.') if detail else 'no message'}.")
        if not _images(scratch):
            raise ArchiveError(f"make-phantom wrote no file for phantom {phantom.name}.")
        log(f"phantom {phantom.name}: generated in {time.monotonic() - began:.2f} s")
        try:
            os.rename(scratch, folder)
        except OSError:
            if not os.path.isdir(folder):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _prune(cache, phantom, folder)
    return folder


def _prune(cache, phantom, keep):
    """Remove the phantom's older versions: each rebuild of the generator makes a new one,
    and a 300-slice CT is 50-150 MB."""
    stale = re.compile(re.escape(phantom.name) + r"-[0-9a-f]{16}")
    for name in os.listdir(cache):
        path = os.path.join(cache, name)
        if stale.fullmatch(name) and path != keep:
            shutil.rmtree(path, ignore_errors=True)
