#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""lightbox-cli worklist, fetch and push against the real Orthanc DICOMweb archive, directly
and through the fault proxy.

Runs under `tools/archive run --phantoms --seed-dir dicomdirtests` (it re-runs itself there
when started on its own).  What each test expects comes from Orthanc's own REST API or from
the uploaded files, never from the client under test."""

import fnmatch
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.request
import uuid

import pydicom

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import common  # noqa: E402 (the harness helpers, found through the path set above)

BUILD_ROOT = os.environ.get("LB_BUILD_ROOT") or os.path.join(common.SOURCE_ROOT, "build")
CLI = os.path.join(BUILD_ROOT, "src", "cli", "lightbox-cli")
SEED_DIR = common.SMALL_SEED
# Every call to the client is bounded: a hang fails the test instead of blocking the suite.
CLI_TIMEOUT = 120


def run_cli(*args, timeout=CLI_TIMEOUT):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def rest_json(path):
    status, _, body = common.get(os.environ["LB_ARCHIVE_REST"] + path)
    assert status == 200, f"GET {path} answered {status}"
    return json.loads(body)


def rest_file(instance_id):
    """The file Orthanc stores, which is the file that was uploaded."""
    url = f"{os.environ['LB_ARCHIVE_REST']}/instances/{instance_id}/file"
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


class Study:
    """One study as Orthanc's REST API describes it."""

    def __init__(self, rest):
        tags = rest["MainDicomTags"]
        patient = rest["PatientMainDicomTags"]
        self.id = rest["ID"]
        self.uid = tags["StudyInstanceUID"]
        self.date = tags.get("StudyDate", "")
        self.accession = tags.get("AccessionNumber", "")
        self.patient_name = patient.get("PatientName", "")
        self.patient_id = patient.get("PatientID", "")
        self.series = rest_json(f"/studies/{self.id}/series?expand")
        self.modalities = {s["MainDicomTags"].get("Modality") for s in self.series}
        self.instances = rest_json(f"/studies/{self.id}/instances?expand")

    def sop_uids(self, series_uid=None):
        return {i["MainDicomTags"]["SOPInstanceUID"] for i in self.instances
                if series_uid is None or self.series_of(i) == series_uid}

    def series_of(self, instance):
        for s in self.series:
            if s["ID"] == instance["ParentSeries"]:
                return s["MainDicomTags"]["SeriesInstanceUID"]
        return None


def all_studies():
    return [Study(s) for s in rest_json("/studies?expand")]


def uncompressed_pixels(path, scratch):
    """The pixel data bytes of a file, decompressed with DCMTK when it is compressed."""
    ds = pydicom.dcmread(path)
    syntax = ds.file_meta.TransferSyntaxUID
    if not syntax.is_compressed:
        return ds.PixelData
    tool = {"1.2.840.10008.1.2.4.80": "dcmdjpls", "1.2.840.10008.1.2.4.81": "dcmdjpls",
            "1.2.840.10008.1.2.5": "dcmdrle"}.get(syntax, "dcmdjpeg")
    out = os.path.join(scratch, "decompressed.dcm")
    subprocess.run([tool, path, out], check=True, capture_output=True, timeout=60)
    return pydicom.dcmread(out).PixelData


def seed_files_by_uid():
    """SOP Instance UID -> path of every DICOM file that was uploaded from SEED_DIR."""
    found = {}
    for root, _, names in os.walk(SEED_DIR):
        for name in names:
            path = os.path.join(root, name)
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
            except Exception:
                continue
            uid = ds.get("SOPInstanceUID")
            if uid:
                found[str(uid)] = path
    return found


def fetched_uids(folder):
    return {name[:-4] for name in os.listdir(folder) if name.endswith(".dcm")}


class ArchiveTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = os.environ["LB_ARCHIVE_URL"]
        cls.studies = all_studies()

    def scratch(self):
        folder = tempfile.mkdtemp(prefix="lb-net-test-")
        self.addCleanup(shutil.rmtree, folder, True)
        return folder

    def study_named(self, patient_name):
        matches = [s for s in self.studies if s.patient_name == patient_name]
        self.assertEqual(len(matches), 1, patient_name)
        return matches[0]

    def worklist(self, *args, url=None):
        done = run_cli("worklist", "--server", url or self.url, "--json", *args)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)


class WorklistTest(ArchiveTestCase):
    def test_everything(self):
        rows = self.worklist()
        self.assertEqual(sorted(r["study_instance_uid"] for r in rows),
                         sorted(s.uid for s in self.studies))

    def test_filters_return_exactly_the_matching_studies(self):
        cases = [
            (["--patient", "PHANTOM^CT*"],
             lambda s: fnmatch.fnmatchcase(s.patient_name.upper(), "PHANTOM^CT*")),
            # Orthanc matches names case-insensitively; the '^' must reach it unescaped.
            (["--patient", "doe^p*"], lambda s: s.patient_name.upper().startswith("DOE^P")),
            (["--patient", "Doe^Peter"], lambda s: s.patient_name == "Doe^Peter"),
            (["--patient-id", "LBPH-0003"], lambda s: s.patient_id == "LBPH-0003"),
            (["--accession", "LBACC0004"], lambda s: s.accession == "LBACC0004"),
            (["--modality", "MR"], lambda s: "MR" in s.modalities),
            (["--date", "20010101"], lambda s: s.date == "20010101"),
            (["--date", "19900101-20031231"], lambda s: "19900101" <= s.date <= "20031231"),
            (["--date", "-19991231"], lambda s: s.date and s.date <= "19991231"),
            (["--modality", "CT", "--patient", "Doe*"],
             lambda s: "CT" in s.modalities and s.patient_name.startswith("Doe")),
        ]
        for args, wanted in cases:
            with self.subTest(args=args):
                expected = sorted(s.uid for s in self.studies if wanted(s))
                self.assertTrue(expected, "the seed has no study for this filter")
                rows = self.worklist(*args)
                self.assertEqual(sorted(r["study_instance_uid"] for r in rows), expected)

    def test_paging_returns_every_study_once(self):
        seen = []
        for offset in range(0, 10 * len(self.studies), 3):
            rows = self.worklist("--limit", "3", "--offset", str(offset))
            self.assertLessEqual(len(rows), 3)
            if not rows:
                break
            seen += [r["study_instance_uid"] for r in rows]
        self.assertEqual(sorted(seen), sorted(s.uid for s in self.studies))

    def test_json_fields(self):
        mr = self.study_named("PHANTOM^MR")
        rows = self.worklist("--patient-id", "LBPH-0003")
        self.assertEqual(rows, [{
            "study_instance_uid": mr.uid,
            "patient_name": "PHANTOM^MR",
            "patient_id": "LBPH-0003",
            "study_date": mr.date or None,
            "study_time": rows[0]["study_time"],
            "accession_number": "LBACC0003",
            "modalities": ["MR"],
            "study_description": rows[0]["study_description"],
            "priority": "HIGH",
            "series_count": 1,
            "instance_count": len(mr.instances),
        }])
        self.assertEqual(len(mr.instances), 40)

    def test_table(self):
        done = run_cli("worklist", "--server", self.url, "--patient", "Doe*")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertTrue(lines[0].startswith("DATE"))
        doe = [s.uid for s in self.studies if s.patient_name.startswith("Doe")]
        self.assertEqual(len(lines), 1 + len(doe))
        # Orthanc keeps one study per UID and patient, so a UID may have several rows.
        for uid in doe:
            self.assertEqual(sum(line.split()[-1] == uid for line in lines), doe.count(uid))
        # The columns line up: every row starts its UID where the header's column starts.
        column = lines[0].index("STUDY UID")
        for line in lines[1:]:
            self.assertRegex(line[column:], r"^[0-9.]+$")

    def test_nothing_matches(self):
        done = run_cli("worklist", "--server", self.url, "--patient-id", "NO-SUCH-PATIENT")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "No study matches.\n")
        self.assertEqual(self.worklist("--patient-id", "NO-SUCH-PATIENT"), [])

    def test_bad_usage(self):
        for args in (["worklist"], ["worklist", "--server", self.url, "--date", "2001"],
                     ["worklist", "--server", self.url, "--limit", "-1"],
                     ["worklist", "--server", self.url, "--user", "u"],
                     ["worklist", "--server", self.url, "--timeout", "0"],
                     ["fetch", "--server", self.url, "--series", "1.2.3", "1.2.3"],
                     ["fetch", "--server", self.url, "--out", "/tmp/x", "not/a/uid"],
                     ["push", "--server", self.url]):
            with self.subTest(args=args):
                done = run_cli(*args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn("Try 'lightbox-cli", done.stderr)


class FetchTest(ArchiveTestCase):
    def fetch(self, *args, url=None):
        out = self.scratch()
        done = run_cli("fetch", "--server", url or self.url, "--out", out, *args)
        return done, out

    def test_fetch_gives_the_uploaded_files(self):
        study = self.study_named("Citizen^Jan")
        done, out = self.fetch(study.uid)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout, rf"^{len(study.instances)} instances, \d+ bytes, ")
        self.assertEqual(fetched_uids(out), study.sop_uids())

        # These files from pydicom's DICOMDIR tests carry no pixel data: the bytes tell.
        originals = seed_files_by_uid()
        for uid in study.sop_uids():
            with self.subTest(uid=uid):
                with open(os.path.join(out, uid + ".dcm"), "rb") as f, \
                        open(originals[uid], "rb") as g:
                    self.assertEqual(f.read(), g.read())

    def assert_same_pixels(self, study, out, instances, transfer_syntax):
        scratch = self.scratch()
        stored = os.path.join(scratch, "stored.dcm")
        for instance in instances:
            uid = instance["MainDicomTags"]["SOPInstanceUID"]
            with self.subTest(uid=uid):
                fetched = os.path.join(out, uid + ".dcm")
                with open(stored, "wb") as f:
                    f.write(rest_file(instance["ID"]))
                self.assertEqual(str(pydicom.dcmread(fetched).file_meta.TransferSyntaxUID),
                                 transfer_syntax)
                pixels = uncompressed_pixels(fetched, scratch)
                self.assertGreater(len(pixels), 0)
                self.assertEqual(pixels, uncompressed_pixels(stored, scratch))

    def test_fetch_decodes_to_the_uploaded_pixels(self):
        study = self.study_named("PHANTOM^MR")
        done, out = self.fetch(study.uid)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(fetched_uids(out), study.sop_uids())
        self.assert_same_pixels(study, out, study.instances, "1.2.840.10008.1.2.1")

    def test_fetch_compressed_phantom_keeps_its_transfer_syntax(self):
        study = self.study_named("PHANTOM^CT JPEGLS")
        done, out = self.fetch(study.uid)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(len(study.instances), 300)
        self.assertEqual(fetched_uids(out), study.sop_uids())
        self.assert_same_pixels(study, out, study.instances[::30], "1.2.840.10008.1.2.4.80")

    def test_fetch_one_series(self):
        study = max(self.studies, key=lambda s: len(s.series))
        self.assertGreater(len(study.series), 1)
        series_uid = study.series[0]["MainDicomTags"]["SeriesInstanceUID"]
        done, out = self.fetch(study.uid, "--series", series_uid)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(fetched_uids(out), study.sop_uids(series_uid))
        self.assertLess(len(fetched_uids(out)), len(study.instances))

    def test_unknown_study(self):
        done, out = self.fetch("1.2.3.4.5.6.7.8.9")
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stderr, "lightbox-cli: The archive has no study with this UID.\n")
        self.assertEqual(os.listdir(out), [])


class CacheTest(ArchiveTestCase):
    """fetch without --out stores into the cache; worklist --offline lists it."""

    def test_fetch_stores_into_the_cache_and_the_offline_worklist_lists_it(self):
        cache = self.scratch()
        mr = self.study_named("PHANTOM^MR")
        done = run_cli("fetch", "--server", self.url, "--cache-dir", cache, mr.uid)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout, rf"^0 of 40 instances were cached already; fetched 40 ")

        # Again: everything is there, nothing is fetched.
        done = run_cli("fetch", "--server", self.url, "--cache-dir", cache, mr.uid)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout, r"^40 of 40 instances were cached already; fetched 0 ")

        # The offline worklist speaks the online one's JSON, without asking the archive
        # (its --server points nowhere).
        online = self.worklist("--patient-id", "LBPH-0003")
        done = run_cli("worklist", "--offline", "--cache-dir", cache, "--json",
                       "--server", "http://127.0.0.1:9/dicom-web")
        self.assertEqual(done.returncode, 0, done.stderr)
        offline = json.loads(done.stdout)
        self.assertEqual(len(offline), 1)
        for key in ("study_instance_uid", "patient_name", "patient_id", "study_date",
                    "accession_number", "modalities", "priority", "series_count",
                    "instance_count"):
            with self.subTest(key=key):
                self.assertEqual(offline[0][key], online[0][key])

        # Filters apply to the cache as they do online.
        done = run_cli("worklist", "--offline", "--cache-dir", cache, "--json",
                       "--modality", "CT")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout), [])

    def test_series_needs_out(self):
        mr = self.study_named("PHANTOM^MR")
        done = run_cli("fetch", "--server", self.url, "--series", mr.uid, mr.uid)
        self.assertEqual(done.returncode, 2)
        self.assertIn("--series needs --out", done.stderr)


def new_instance(folder, patient_id, study_uid=None):
    """A copy of a pydicom test file that no archive has seen: new UIDs, given patient."""
    ds = pydicom.dcmread(os.path.join(common.PYDICOM_FILES, "CT_small.dcm"))
    ds.PatientID = patient_id
    ds.StudyInstanceUID = study_uid or pydicom.uid.generate_uid()
    ds.SeriesInstanceUID = pydicom.uid.generate_uid()
    ds.SOPInstanceUID = pydicom.uid.generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    path = os.path.join(folder, ds.SOPInstanceUID + ".dcm")
    ds.save_as(path, write_like_original=False)
    return path, ds


class PushTest(ArchiveTestCase):
    def test_round_trip(self):
        folder = self.scratch()
        patient_id = "LBSTOW-" + uuid.uuid4().hex[:8]
        path, ds = new_instance(folder, patient_id)
        done = run_cli("push", "--server", self.url, path)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout,
                         f"stored  {ds.SOPInstanceUID}  {path}\nStored 1 instance.\n")

        rows = self.worklist("--patient-id", patient_id)
        self.assertEqual([r["study_instance_uid"] for r in rows], [ds.StudyInstanceUID])
        out = self.scratch()
        done = run_cli("fetch", "--server", self.url, "--out", out, ds.StudyInstanceUID)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(path, "rb") as f, open(os.path.join(out, ds.SOPInstanceUID + ".dcm"), "rb") as g:
            self.assertEqual(f.read(), g.read())

    def test_files_that_are_not_dicom_are_reported(self):
        folder = self.scratch()
        path, ds = new_instance(folder, "LBSTOW-" + uuid.uuid4().hex[:8])
        text = os.path.join(folder, "notes.txt")
        with open(text, "w") as f:
            f.write("not an image\n")
        done = run_cli("push", "--server", self.url, folder)
        self.assertEqual(done.returncode, 1)
        self.assertIn(f"stored  {ds.SOPInstanceUID}  {path}\n", done.stdout)
        self.assertIn(f"failed  -  {text}: notes.txt ", done.stdout)
        self.assertEqual(done.stderr, "lightbox-cli: 1 of 2 instances were not stored.\n")

    def test_the_archive_refusal_is_reported(self):
        # Sent into another study than its own: Orthanc refuses it in the answer body.
        folder = self.scratch()
        path, ds = new_instance(folder, "LBSTOW-" + uuid.uuid4().hex[:8])
        other = pydicom.uid.generate_uid()
        done = run_cli("push", "--server", self.url, "--study", other, path)
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stdout,
                         f"failed  {ds.SOPInstanceUID}  {path}: the archive failed while "
                         "processing it (0x0110)\n")
        self.assertEqual(self.worklist("--patient-id", ds.PatientID), [])


class FaultTest(ArchiveTestCase):
    def proxy(self, *args):
        """The fault proxy in front of Orthanc; returns the DICOMweb URL through it."""
        target = os.environ["LB_ARCHIVE_REST"].removeprefix("http://")
        log_dir = self.scratch()
        self.log = os.path.join(log_dir, "requests.log")
        proc = subprocess.Popen([sys.executable, common.FAULT_PROXY, "--target", target,
                                 "--log", self.log, *args],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

        def stop():
            proc.kill()
            proc.wait()
            proc.stdout.close()
        self.addCleanup(stop)
        port = int(proc.stdout.readline())
        return f"http://127.0.0.1:{port}/dicom-web"

    def requests(self):
        with open(self.log, encoding="latin-1") as f:
            return [line.split(" ", 1)[1] for line in f.read().splitlines()]

    def test_cut_mid_multipart_reports_what_arrived(self):
        study = self.study_named("PHANTOM^CT EXPLICIT")
        url = self.proxy("--mode", "cut", "--after-bytes", "20000000")
        out = self.scratch()
        done = run_cli("fetch", "--server", url, "--out", out, study.uid)
        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, r"^lightbox-cli: The connection to the archive at "
                                      r"http://127\.0\.0\.1:\d+ was cut during the transfer\.\n$")
        header = re.match(r"(\d+) of 300 instances arrived:\n", done.stdout)
        self.assertIsNotNone(header, done.stdout)
        arrived = set(done.stdout.split()[5:])
        self.assertEqual(int(header.group(1)), len(arrived))
        self.assertTrue(0 < len(arrived) < 300)
        self.assertEqual(fetched_uids(out), arrived)
        self.assertTrue(arrived <= study.sop_uids())
        # Nothing that had reached the caller was fetched again behind its back.
        retrievals = [r for r in self.requests() if r.startswith(f"GET /dicom-web/studies/"
                                                                 f"{study.uid} ")]
        self.assertEqual(len(retrievals), 1)

    def test_stalled_transfer_times_out(self):
        study = self.study_named("PHANTOM^CT EXPLICIT")
        url = self.proxy("--mode", "stall", "--after-bytes", "5000000")
        out = self.scratch()
        done = run_cli("fetch", "--server", url, "--out", out, "--timeout", "2", study.uid)
        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, r"stopped sending data for 2 seconds\.\n$")
        self.assertTrue(0 < len(fetched_uids(out)) < 300)

    def test_503_then_success_is_retried(self):
        url = self.proxy("--mode", "status-then-pass", "--count", "2")
        rows = self.worklist("--patient-id", "LBPH-0003", url=url)
        self.assertEqual([r["patient_id"] for r in rows], ["LBPH-0003"])
        self.assertEqual(len(self.requests()), 3)

    def test_500_is_one_clear_error(self):
        url = self.proxy("--mode", "status", "--status", "500")
        done = run_cli("worklist", "--server", url)
        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, r"^lightbox-cli: The archive at http://127\.0\.0\.1:\d+ "
                                      r"failed with an internal error \(HTTP 500\)\.\n$")
        self.assertEqual(len(self.requests()), 1)

    def test_401(self):
        url = self.proxy("--mode", "status", "--status", "401")
        done = run_cli("worklist", "--server", url)
        self.assertEqual(done.returncode, 1)
        self.assertIn("asks for a user name and password (HTTP 401).", done.stderr)

        password = os.path.join(self.scratch(), "password")
        with open(password, "w") as f:
            f.write("not-the-password\n")
        done = run_cli("worklist", "--server", url, "--user", "reader", "--password-file",
                       password)
        self.assertEqual(done.returncode, 1)
        self.assertIn("refused the user name or password (HTTP 401).", done.stderr)
        self.assertNotIn("not-the-password", done.stderr + done.stdout)

    def test_nothing_listening(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        done = run_cli("worklist", "--server", f"http://127.0.0.1:{port}/dicom-web")
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stderr, f"lightbox-cli: The archive at http://127.0.0.1:{port} "
                                      "cannot be reached or refused the connection.\n")


class AuthTest(ArchiveTestCase):
    """A second archive that requires HTTP basic auth."""

    def test_basic_auth(self):
        state = self.scratch()
        started = common.archive("start", "--state-dir", state, "--auth", "reader:s3cret")
        self.addCleanup(common.archive, "stop", "--state-dir", state)
        url = started.stdout.strip()
        secrets = self.scratch()
        good = os.path.join(secrets, "good")
        bad = os.path.join(secrets, "bad")
        with open(good, "w") as f:
            f.write("s3cret\n")
        with open(bad, "w") as f:
            f.write("wrong")

        done = run_cli("worklist", "--server", url, "--user", "reader", "--password-file", good)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "No study matches.\n")
        done = run_cli("worklist", "--server", url, "--user", "reader", "--password-file", bad)
        self.assertEqual(done.returncode, 1)
        self.assertIn("refused the user name or password (HTTP 401).", done.stderr)
        done = run_cli("worklist", "--server", url)
        self.assertEqual(done.returncode, 1)
        self.assertIn("asks for a user name and password (HTTP 401).", done.stderr)


class TlsTest(ArchiveTestCase):
    """HTTPS through a socat TLS relay (Orthanc's own HTTPS crashes, see NOTES.md)."""

    def test_certificate_checks(self):
        folder = self.scratch()
        key = os.path.join(folder, "key.pem")
        cert = os.path.join(folder, "cert.pem")
        both = os.path.join(folder, "both.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True,
                       timeout=60)
        with open(both, "w") as f:
            for part in (key, cert):
                with open(part) as g:
                    f.write(g.read())
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        target = os.environ["LB_ARCHIVE_REST"].removeprefix("http://")
        relay = subprocess.Popen(["socat", f"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,"
                                  f"fork,cert={both},verify=0", f"TCP:{target}"],
                                 stderr=subprocess.DEVNULL)
        self.addCleanup(relay.wait)
        self.addCleanup(relay.kill)
        common.wait_for(lambda: common.port_open(port), 10, "the TLS relay")
        url = f"https://127.0.0.1:{port}/dicom-web"

        done = run_cli("worklist", "--server", url, "--patient-id", "LBPH-0003")
        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, rf"^lightbox-cli: The certificate of the archive at "
                                      rf"https://127\.0\.0\.1:{port} is not trusted \(.+\)\.\n$")
        rows = self.worklist("--patient-id", "LBPH-0003", "--ca-file", cert, url=url)
        self.assertEqual(len(rows), 1)
        rows = self.worklist("--patient-id", "LBPH-0003", "--insecure", url=url)
        self.assertEqual(len(rows), 1)


if __name__ == "__main__":
    common.under_archive("--phantoms", "--seed-dir", SEED_DIR)
    unittest.main(verbosity=2)
