#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading offline: a session (store-tool session, on LbSync) keeps working while Orthanc is
stopped, and syncs when it is back.

The session reaches Orthanc through a pass-through fault proxy on a fixed port.  Orthanc is
stopped and the proxy ended: nothing answers at the session's address.  Orthanc is started
again on its storage, a study is added, and only then the proxy listens again, so what the
session finds on reconnecting does not depend on timing."""

import os
import shutil
import tempfile
import time
import unittest

import storetest
from storetest import common

MR = "LBPH-0003"
CR = "LBPH-0004"
# Studies the archive only gets while the session is offline.
LATE_STUDY = os.path.join(storetest.DICOMDIRTESTS, "98892003")


class OfflineTest(storetest.CacheTestCase):
    def setUp(self):
        super().setUp()
        self.state_dir = tempfile.mkdtemp(prefix="lb-store-offline-archive-")
        self.addCleanup(shutil.rmtree, self.state_dir, True)
        self.addCleanup(common.archive, "stop", "--state-dir", self.state_dir, check=False)
        url = common.archive("start", "--phantoms", "--state-dir", self.state_dir,
                             timeout=600).stdout.strip().splitlines()[-1]
        self.rest = url.removesuffix("/dicom-web")
        self.target = self.rest.removeprefix("http://")

    def test_read_offline_and_sync_when_back(self):
        mr, _ = storetest.study_of(self.rest, MR)
        cr, _ = storetest.study_of(self.rest, CR)
        for uid in (mr, cr):
            self.cli("cache", "fetch", "--server", self.rest + "/dicom-web", uid)

        logs = self.scratch()
        proxy = storetest.Proxy(self.target, "--mode", "pass", log_dir=logs)
        port = proxy.port
        session = storetest.Session(self.cache, proxy.url)
        self.addCleanup(session.close)

        session.send("refresh")
        session.state("online")
        rows = session.worklist(lambda rows: len(rows) == 4, "the archive's four studies")["rows"]
        self.assertFalse(any(r["offline"] for r in rows))
        cached = {r["study_instance_uid"]: r["cached_instances"] for r in rows}
        self.assertEqual((cached[mr], cached[cr]), (40, 1))

        # The archive goes away mid-session.
        common.archive("stop", "--state-dir", self.state_dir)
        proxy.stop()
        session.send("refresh")
        session.state("offline")
        rows = session.worklist(lambda rows: {r["study_instance_uid"] for r in rows} == {mr, cr},
                                "the cached studies only")["rows"]
        self.assertTrue(all(r["offline"] for r in rows))

        # Everything cached still opens, here and in another process.
        session.send(f"open {mr}")
        opened = session.wait(lambda e: e["event"] == "opened", "the study opened")
        self.assertIsNone(opened["error"])
        self.cli("cache", "open", cr)

        # A report signed offline waits in the outbox.
        session.send(f"report {mr} No acute findings, read offline.")
        queued = session.wait(lambda e: e["event"] == "queued", "the report queued")
        self.assertIsNone(queued["error"])
        sop = queued["sop_instance_uid"]
        (item,) = self.cli_json("outbox", "ls")
        self.assertEqual(item["sop_instance_uid"], sop)
        self.assertNotEqual(item["state"], "sent")
        # Retries meanwhile keep finding nobody; the session stays offline.
        time.sleep(2)
        while not session.events.empty():
            event = session.events.get()
            self.assertNotIn(event["event"], ("synced",), event)

        # Back: the archive restarts on its storage and gets a new study before anyone can
        # reach it again.
        url = common.archive("start", "--state-dir", self.state_dir,
                             timeout=600).stdout.strip().splitlines()[-1]
        self.assertEqual(url.removesuffix("/dicom-web"), self.rest)
        common.archive("seed", "--seed-dir", LATE_STUDY, "--state-dir", self.state_dir)
        late = {s["MainDicomTags"]["StudyInstanceUID"]
                for s in storetest.rest_json(self.rest, "/studies?expand")} - set(cached)
        self.assertTrue(late)
        proxy = storetest.Proxy(self.target, "--mode", "pass", port=port, log_dir=logs)
        self.addCleanup(proxy.stop)

        found = session.wait_all({
            "the sync": lambda e: e["event"] == "synced",
            "the new studies, online": lambda e: (
                e["event"] == "worklist" and
                late <= {r["study_instance_uid"] for r in e["rows"]} and
                not any(r["offline"] for r in e["rows"])),
        })
        self.assertEqual(found["the sync"]["sent"], 1)

        # Exactly once on the archive.
        self.assertEqual(storetest.count_sop(self.rest + "/dicom-web", mr, sop), 1)
        (item,) = self.cli_json("outbox", "ls", "--all")
        self.assertEqual(item["state"], "sent")
        posts = [r for r in proxy.requests() if r.startswith("POST ")]
        self.assertEqual(len(posts), 1)
        self.assert_consistent()

    def test_refused_user_is_not_asked_again_by_itself(self):
        """A 401 leaves the session offline with the reason, and no timer asks again: each
        try with the same password would count towards a directory's account lockout.  A
        retry the reader asks for does ask."""
        logs = self.scratch()
        proxy = storetest.Proxy(self.target, "--mode", "status", "--status", "401",
                                log_dir=logs)
        self.addCleanup(proxy.stop)
        session = storetest.Session(self.cache, proxy.url)
        self.addCleanup(session.close)

        session.send("refresh")
        session.state("offline")
        # The session retries an unreachable archive after 0.3 s, then 0.6 s, 1 s...
        # (store-tool's delays): three seconds would have seen several tries.
        time.sleep(3)
        self.assertEqual(len(proxy.requests()), 1, proxy.requests())

        session.send("retry")
        deadline = time.monotonic() + 30
        while len(proxy.requests()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)
        self.assertEqual(len(proxy.requests()), 2, proxy.requests())


if __name__ == "__main__":
    common.isolate()
    unittest.main()
