#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cache against the real Orthanc: lightbox-cli cache fetch, resumption after a cut
transfer, eviction under a quota, the outbox after a lost reply, and import.

Runs under `tools/archive run --phantoms --seed-dir dicomdirtests` (it re-runs itself there
when started on its own).  What each test expects comes from Orthanc's REST API, from the
fault proxy's request log or from the files, never from the client under test."""

import hashlib
import io
import json
import os
import re
import shlex
import subprocess
import unittest

import pydicom

import storetest
from storetest import common

# Outbox tests add reports to this study (Doe^Archibald's CT of dicomdirtests); the others
# find their studies as seeded.
REPORTED = ("77654033", "CT")
MR = "LBPH-0003"
CR = "LBPH-0004"
CT_EXPLICIT = "LBPH-0002"
CT_JPEGLS = "LBPH-0001"


def digest(data):
    """What must not change on the way: the data set, pixels included.  The file meta
    header is the archive's to rewrite (Orthanc writes its own implementation UID)."""
    ds = pydicom.dcmread(io.BytesIO(data))
    return (ds.file_meta.TransferSyntaxUID, ds.SOPInstanceUID,
            hashlib.sha256(ds.PixelData if "PixelData" in ds else b"").hexdigest())


class ArchiveCacheTest(storetest.CacheTestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = os.environ["LB_ARCHIVE_URL"]
        cls.rest = os.environ["LB_ARCHIVE_REST"]
        cls.target = cls.rest.removeprefix("http://")

    def study(self, patient_id, modality=None):
        return storetest.study_of(self.rest, patient_id, modality)

    def orthanc_files(self, orthanc_study):
        """SOP Instance UID -> digest of the file Orthanc holds."""
        found = {}
        for instance in storetest.rest_json(self.rest, f"/studies/{orthanc_study}/instances"):
            body = storetest.instance_file(self.rest, instance["ID"])
            found[instance["MainDicomTags"]["SOPInstanceUID"]] = digest(body)
        return found

    def cached_files(self, study_uid):
        """SOP Instance UID -> digest of the cached file."""
        found = {}
        for row in self.cli_json("cache", "show", study_uid):
            with open(row["path"], "rb") as f:
                found[row["sop_instance_uid"]] = digest(f.read())
        return found

    def proxy(self, *args):
        proxy = storetest.Proxy(self.target, *args, log_dir=self.scratch())
        self.addCleanup(proxy.stop)
        return proxy

    def fetch(self, url, study_uid, expect=0):
        return json.loads(self.cli("cache", "fetch", "--server", url, study_uid, "--json",
                                   expect=expect).stdout)


class FetchTest(ArchiveCacheTest):
    def test_fetch_stores_the_archive_files(self):
        uid, orthanc_id = self.study(MR)
        counts = self.fetch(self.url, uid)
        self.assertEqual(counts["expected"], 40)
        self.assertEqual(counts["fetched"], 40)
        self.assertEqual(counts["already_cached"], 0)
        self.assertEqual(self.cached_files(uid), self.orthanc_files(orthanc_id))

        row = self.cached()[uid]
        tags = storetest.rest_json(self.rest, f"/studies/{orthanc_id}")
        self.assertEqual(row["patient_name"], tags["PatientMainDicomTags"]["PatientName"])
        self.assertEqual(row["patient_id"], MR)
        self.assertEqual(row["study_date"], tags["MainDicomTags"]["StudyDate"])
        self.assertEqual(row["modalities"], ["MR"])
        self.assertEqual(row["instance_count"], 40)
        self.assertEqual(row["expected_instances"], 40)
        self.assertTrue(row["complete"])
        self.assertFalse(row["local"])
        sizes = sum(os.path.getsize(r["path"]) for r in self.cli_json("cache", "show", uid))
        self.assertEqual(row["bytes"], sizes)

        # Again: nothing is fetched, one metadata request is all.
        proxy = self.proxy("--mode", "pass")
        again = self.fetch(proxy.url, uid)
        self.assertEqual((again["already_cached"], again["fetched"], again["requests"]), (40, 0, 0))
        self.assertEqual(proxy.requests(), [f"GET /dicom-web/studies/{uid}/metadata HTTP/1.1"])
        self.assert_consistent()

    def test_cached_study_opens(self):
        uid, _ = self.study(CR)
        self.fetch(self.url, uid)
        done = self.cli("cache", "open", uid)
        self.assertRegex(done.stdout, r"^Opened 1 instances; first image 2048x2500 from ")
        self.assertEqual(self.cached()[uid]["reading_state"], "opened")

    def test_unknown_study(self):
        done = self.cli("cache", "fetch", "--server", self.url, "1.2.3.4.5.6", expect=1)
        self.assertEqual(done.stderr, "lightbox-cli: The archive has no study with this UID.\n")
        self.assertEqual(self.cli_json("cache", "ls"), [])

    def test_cache_dir_from_the_environment(self):
        uid, _ = self.study(CR)
        env = dict(os.environ, LB_CACHE_DIR=self.cache)
        done = storetest.run([storetest.CLI, "cache", "fetch", "--server", self.url, uid],
                             env=env)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(uid, self.cached())


class ResumeTest(ArchiveCacheTest):
    def test_cut_transfer_resumes_with_what_is_missing(self):
        uid, orthanc_id = self.study(CT_EXPLICIT)
        everything = set(self.orthanc_files(orthanc_id))

        # The series arrives in one multipart answer, cut after some 40 MB.
        cut = self.proxy("--mode", "cut", "--after-bytes", "40000000")
        done = self.cli("cache", "fetch", "--server", cut.url, uid, expect=1)
        self.assertRegex(done.stderr, r"^lightbox-cli: The connection to the archive at "
                                      r"http://127\.0\.0\.1:\d+ was cut during the transfer\.\n$")
        first = self.cached()[uid]
        self.assertFalse(first["complete"])
        self.assertTrue(0 < first["instance_count"] < 300, first["instance_count"])
        cached = set(self.cached_files(uid))
        self.assertEqual(len(cached), first["instance_count"])
        self.assert_consistent()

        passing = self.proxy("--mode", "pass")
        counts = self.fetch(passing.url, uid)
        missing = everything - cached
        self.assertEqual(counts["already_cached"], len(cached))
        self.assertEqual(counts["fetched"], len(missing))
        self.assertEqual(counts["requests"], len(missing))

        # The metadata, then one request per missing instance, and nothing else.
        requests = passing.requests()
        self.assertEqual(requests[0], f"GET /dicom-web/studies/{uid}/metadata HTTP/1.1")
        pattern = re.compile(rf"GET /dicom-web/studies/{re.escape(uid)}/series/[\d.]+/instances/"
                             r"([\d.]+) HTTP/1\.1$")
        asked = [pattern.match(line) for line in requests[1:]]
        self.assertTrue(all(asked), requests[1:])
        self.assertEqual(len(asked), len(missing))
        self.assertEqual({m.group(1) for m in asked}, missing)

        self.assertTrue(self.cached()[uid]["complete"])
        self.assertEqual(self.cached_files(uid), self.orthanc_files(orthanc_id))
        self.assert_consistent()


class EvictionTest(ArchiveCacheTest):
    def test_quota_keeps_pinned_and_unsent_studies(self):
        mr, _ = self.study(MR)
        cr, _ = self.study(CR)
        ct, _ = self.study(CT_JPEGLS)
        small, _ = self.study("12345678")  # TINY_ALPHA of dicomdirtests
        quota = 16 * 1024 * 1024

        self.assertEqual(self.cli("cache", "quota", "16M").stdout, f"{quota}\n")
        self.fetch(self.url, mr)
        self.cli("cache", "pin", mr)
        self.fetch(self.url, cr)
        saved = self.tool("save-report", self.cache, cr, "draft", "Draft findings").stdout
        self.fetch(self.url, small)
        self.assertEqual(set(self.cached()), {mr, cr, small})

        # The CT goes over the quota: the oldest unprotected study makes room for it.
        self.fetch(self.url, ct)
        rows = self.cached()
        self.assertEqual(set(rows), {mr, cr, ct})
        self.assertTrue(rows[mr]["pinned"])
        self.assertEqual(rows[cr]["unsent_reports"], 1)

        # Not in use any more, the CT goes too; what is left fits.
        done = self.cli("cache", "evict")
        self.assertRegex(done.stdout, r"^Evicted 1 studies, ")
        self.assertIn("Kept: 1 pinned, 0 in use, 1 with reports not yet sent, 0 imported.",
                      done.stdout)
        rows = self.cached()
        self.assertEqual(set(rows), {mr, cr})
        self.assertLessEqual(sum(r["bytes"] for r in rows.values()), quota)

        done = self.cli("cache", "evict", "--to", "0")
        self.assertIn("nothing more may be evicted", done.stdout)
        self.assertEqual(set(self.cached()), {mr, cr})
        self.cli("cache", "pin", "--off", mr)
        self.cli("cache", "evict", "--to", "0")
        self.assertEqual(set(self.cached()), {cr})
        self.assert_consistent()
        self.assert_reports_kept([saved])


class OutboxTest(ArchiveCacheTest):
    def report(self, study_uid, text):
        path = os.path.join(self.scratch(), "report.dcm")
        self.tool("make-sr", self.cache, study_uid, text, path)
        return path

    def outbox(self, *args):
        return self.cli_json("outbox", "ls", *args)

    def test_report_arrives_once(self):
        mr, _ = self.study(*REPORTED)
        self.fetch(self.url, mr)
        path = self.report(mr, "No acute findings.")
        done = self.cli("outbox", "add", "--server", self.url, path)
        sop = re.match(r"queued  ([\d.]+)  ", done.stdout).group(1)
        self.assertIn("Sent 1, failed 0.", done.stdout)
        self.assertEqual(storetest.count_sop(self.url, mr, sop), 1)
        self.assertEqual(self.outbox(), [])
        (item,) = self.outbox("--all")
        self.assertEqual((item["state"], item["attempts"], item["kind"]), ("sent", 1, "report"))

    def test_lost_reply_is_not_sent_twice(self):
        mr, _ = self.study(*REPORTED)
        self.fetch(self.url, mr)
        path = self.report(mr, "Findings for a reply that gets lost.")

        # The archive stores the report, but no answer ever arrives (the HTTP layer's own
        # retries included).
        cut = storetest.Proxy(self.target, "--mode", "cut", "--after-bytes", "1",
                              log_dir=self.scratch())
        done = self.cli("outbox", "add", "--server", cut.url, path, expect=1)
        cut.stop()
        sop = re.match(r"queued  ([\d.]+)  ", done.stdout).group(1)
        self.assertEqual(storetest.count_sop(self.url, mr, sop), 1)
        (item,) = self.outbox()
        self.assertEqual((item["state"], item["attempts"]), ("failed", 1))
        self.assertRegex(item["last_error"], r"cut")
        self.assertTrue(any(r.startswith("POST ") for r in cut.requests()))

        # Retried at the same address: the archive is asked first, and the report is not
        # sent again.
        passing = storetest.Proxy(self.target, "--mode", "pass", port=cut.port,
                                  log_dir=self.scratch())
        self.addCleanup(passing.stop)
        done = self.cli("outbox", "retry")
        self.assertIn("Sent 1, failed 0.", done.stdout)
        self.assertEqual(passing.requests(),
                         [f"GET /dicom-web/studies/{mr}/instances?SOPInstanceUID={sop} HTTP/1.1"])
        self.assertEqual(storetest.count_sop(self.url, mr, sop), 1)
        (item,) = self.outbox("--all")
        self.assertEqual(item["state"], "sent")

    def test_unreachable_archive_keeps_the_report(self):
        mr, _ = self.study(*REPORTED)
        self.fetch(self.url, mr)
        path = self.report(mr, "Findings while the archive is away.")
        down = self.proxy("--mode", "status", "--status", "503")
        done = self.cli("outbox", "add", "--server", down.url, path, expect=1)
        self.assertIn("Sent 0, failed 1.", done.stdout)
        (item,) = self.outbox()
        self.assertEqual(item["state"], "failed")
        self.assertIsNotNone(item["next_try_at"])
        self.assertGreater(self.cached()[mr]["bytes"], 0)


class PrefetchTest(ArchiveCacheTest):
    def test_queue_priority_and_pause(self):
        ctx, _ = self.study(CT_EXPLICIT)
        ctj, _ = self.study(CT_JPEGLS)
        mr, _ = self.study(MR)
        cr, _ = self.study(CR)
        session = storetest.Session(self.cache, self.url)
        self.addCleanup(session.close)
        session.send("refresh")
        session.worklist(lambda rows: {ctx, ctj, mr, cr} <= {r["study_instance_uid"]
                                                              for r in rows}, "the worklist")

        def started():
            return session.wait(lambda e: e["event"] == "prefetch-started",
                                "a prefetch to start")["study_instance_uid"]

        def done():
            event = session.wait(lambda e: e["event"] == "prefetch-done", "a prefetch to end")
            self.assertIsNone(event["error"])
            return event["study_instance_uid"]

        # The first three of this worklist, one study at a time.
        session.send(f"worklist {ctx} {ctj} {mr} {cr}")
        session.send("prefetch 3")
        self.assertEqual(started(), ctx)
        # The radiologist opens a study further down: it goes first, the CT resumes after.
        session.send(f"prioritize {cr}")
        self.assertEqual(started(), cr)
        self.assertEqual(done(), cr)
        for uid in (ctx, ctj, mr):
            self.assertEqual(started(), uid)
            self.assertEqual(done(), uid)
        rows = self.cached()
        self.assertEqual(set(rows), {ctx, ctj, mr, cr})
        self.assertTrue(all(r["complete"] for r in rows.values()))

        # The worklist's rows follow the cache without a new search.
        session.worklist(lambda rows: all(r["complete"] for r in rows
                                          if r["study_instance_uid"] in (ctx, ctj, mr, cr)),
                         "the prefetched studies complete in the worklist")

        # Paused, nothing starts; resumed, the queue goes on.  Complete studies are not
        # queued again.
        tiny, _ = self.study("12345678")
        session.send("pause")
        session.send("prefetch 5")
        session.send(f"worklist {ctx} {ctj} {mr} {cr} {tiny}")
        session.send("status")
        status = session.wait(lambda e: e["event"] == "prefetch-status", "the status")
        self.assertEqual((status["paused"], status["current"], status["pending"]), (True, None, 1))
        session.send("resume")
        self.assertEqual(started(), tiny)
        self.assertEqual(done(), tiny)
        self.assertTrue(self.cached()[tiny]["complete"])
        self.assert_consistent()


    def test_reading_order(self):
        """The reader works down the worklist as shown (STAT first, or filtered): studies are
        fetched ahead in that order, not the archive's, and a new list from the archive
        keeps to it."""
        phantoms = {self.study(name)[0] for name in (CT_EXPLICIT, CT_JPEGLS, MR, CR)}
        session = storetest.Session(self.cache, self.url)
        self.addCleanup(session.close)
        session.send("refresh")
        rows = session.worklist(lambda rows: phantoms <= {r["study_instance_uid"]
                                                          for r in rows}, "the worklist")["rows"]
        archive = [r["study_instance_uid"] for r in rows if r["study_instance_uid"] in phantoms]
        reading = list(reversed(archive))

        def fetched():
            started = session.wait(lambda e: e["event"] == "prefetch-started",
                                   "a prefetch to start")["study_instance_uid"]
            event = session.wait(lambda e: e["event"] == "prefetch-done", "a prefetch to end")
            self.assertEqual(event["study_instance_uid"], started)
            self.assertIsNone(event["error"])
            return started

        session.send("order " + " ".join(reading))
        session.send("prefetch 2")
        self.assertEqual(fetched(), reading[0])
        self.assertEqual(fetched(), reading[1])

        # The archive's list again, in its own order (as a refresh hands it over): the
        # reader's first two are complete, so nothing more is fetched, although the
        # archive's first two are not cached.
        session.worklist(lambda rows: {r["study_instance_uid"] for r in rows if r["complete"]}
                         >= set(reading[:2]), "the rows to show the two studies complete")
        session.send("worklist " + " ".join(archive))
        session.send("status")
        status = session.wait(lambda e: e["event"] == "prefetch-status", "the status")
        self.assertEqual((status["current"], status["pending"]), (None, 0))

        # The reader filters the list down to one study: it is next.
        session.send(f"order {reading[2]}")
        self.assertEqual(fetched(), reading[2])
        self.assertNotIn(reading[3], self.cached())
        self.assert_consistent()


class ImportTest(storetest.CacheTestCase):
    def test_progress_on_a_terminal(self):
        """On a terminal the import counts the files as it reads them (on stderr, where
        the summary on stdout is not disturbed); into a pipe it says only its summary."""
        command = shlex.join([storetest.CLI, "import", "--cache-dir", self.cache,
                              storetest.DICOMDIRTESTS])
        done = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True,
                              text=True, timeout=300)
        # One DICOMDIR of pydicom's is broken: the import says so and ends with status 1.
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        # 81 instances, 2 files that are not DICOM, 7 DICOMDIRs, 1 broken DICOMDIR.
        self.assertIn("Importing: 91 files read, 81 instances imported", done.stdout)
        self.assertIn("Imported 81 instances", done.stdout)

        again = self.cli("import", storetest.DICOMDIRTESTS, expect=1)
        self.assertNotIn("Importing:", again.stdout + again.stderr)

    def test_dicomdir_and_folder(self):
        first = self.cli_json("import", os.path.join(storetest.DICOMDIRTESTS, "DICOMDIR"))
        self.assertEqual((first["imported"], first["missing"], first["broken"]), (31, 0, 0))
        tiny = self.cli_json("import", os.path.join(storetest.DICOMDIRTESTS, "TINY_ALPHA",
                                                    "DICOMDIR"))
        self.assertEqual(tiny["imported"], 50)

        done = self.cli("import", storetest.DICOMDIRTESTS, expect=1)
        self.assertIn("Imported 0 instances (0 bytes); 81 were in the cache already.\n",
                      done.stdout)
        self.assertIn("Skipped 2 files that are not DICOM and 7 DICOMDIR files.\n", done.stdout)
        self.assertIn("DICOMDIR-nooffset", done.stdout)
        self.assertEqual(done.stderr,
                         "lightbox-cli: 1 files could not be imported (1 broken, 0 missing).\n")

        rows = self.cached()
        self.assertEqual(len(rows), 7)
        self.assertEqual(sum(r["instance_count"] for r in rows.values()), 81)
        self.assertTrue(all(r["local"] and r["complete"] for r in rows.values()))
        archibald = [u for u, r in rows.items() if r["patient_id"] == "77654033" and
                     r["modalities"] == ["CR"]]
        self.assertEqual(len(archibald), 1)
        self.cli("cache", "open", archibald[0])
        # Imported studies are the only copy: never evicted.
        self.cli("cache", "evict", "--to", "0")
        self.assertEqual(len(self.cached()), 7)
        self.assert_consistent()


if __name__ == "__main__":
    common.under_archive("--phantoms", "--seed-dir", storetest.DICOMDIRTESTS)
    unittest.main()
