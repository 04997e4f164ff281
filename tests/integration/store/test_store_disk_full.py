#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A full disk: the cache lives on a 24 MiB tmpfs that a 150 MB study cannot fit on.  The
retrieval stops with a clear error after eviction was tried, the index stays intact, and
no saved report is lost.  A report saved on a disk full to the last byte gets room from
eviction, then from the cache's reserve, and when neither is left fails with a sentence
that says so.

Mounting needs root: run as a normal user, the test is skipped with a message saying so.
As root it runs in a mount namespace of its own and a loopback-only network namespace,
under `tools/archive run --phantoms`."""

import errno
import os
import subprocess
import sys
import unittest

import storetest
from storetest import common

MR = "LBPH-0003"
CR = "LBPH-0004"
CT_EXPLICIT = "LBPH-0002"
SIZE = "24m"


def fill(path):
    """Writes @path until the disk is full; returns the bytes written."""
    written = 0
    chunk = b"\0" * (1 << 20)
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                written += f.write(chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
    # The last partial megabyte, in smaller steps.
    with open(path, "ab", buffering=0) as f:
        for size in (65536, 4096, 512):
            while True:
                try:
                    written += f.write(b"\0" * size)
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    break
    return written


@unittest.skipUnless(os.geteuid() == 0, "mounting the small tmpfs this test fills needs root; "
                                        "run the integration suite as root (CI does)")
class DiskFullTest(storetest.CacheTestCase):
    def setUp(self):
        super().setUp()
        self.url = os.environ["LB_ARCHIVE_URL"]
        self.rest = os.environ["LB_ARCHIVE_REST"]
        self.mount = os.path.join(self.scratch_root, "small")
        os.mkdir(self.mount)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs",
                        self.mount], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.mount], check=False)
        self.cache = os.path.join(self.mount, "cache")

    def fetch(self, study_uid, expect=0):
        return self.cli("cache", "fetch", "--server", self.url, study_uid, expect=expect)

    def save_report(self, study_uid, text, expect=0):
        # Signed, so that each save is a version of its own and all must be found.
        return self.tool("save-report", self.cache, study_uid, "final", text, expect=expect)

    def test_full_disk(self):
        mr, _ = storetest.study_of(self.rest, MR)
        cr, _ = storetest.study_of(self.rest, CR)
        ct, _ = storetest.study_of(self.rest, CT_EXPLICIT)
        saved = []

        self.fetch(mr)
        saved.append(self.save_report(mr, "Read before the disk filled.").stdout)
        self.fetch(cr)
        self.assertEqual(set(self.cached()), {mr, cr})

        # 150 MB on 24 MiB: room is made by evicting the CR (the MR has an unsent report),
        # then the retrieval stops with the reason.
        done = self.fetch(ct, expect=1)
        self.assertRegex(done.stderr, r"^lightbox-cli: The cache disk is full: .* free, .* "
                                      r"needed\.\n$")
        rows = self.cached()
        self.assertNotIn(cr, rows)
        self.assertIn(mr, rows)
        self.assertFalse(rows[ct]["complete"])
        self.assertGreater(rows[ct]["instance_count"], 0)
        self.assert_consistent()
        self.assert_reports_kept(saved)

        # The workstation has the store open when the disk fills to the last byte.
        saver = subprocess.Popen([storetest.STORE_TOOL, "save-reports", self.cache, mr],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.addCleanup(saver.kill)
        self.assertEqual(saver.stdout.readline(), "ready\n")
        reserve = os.path.join(self.cache, "reserve")
        self.assertEqual(os.path.getsize(reserve), 2 << 20)

        def save(text):
            saver.stdin.write(f"final {text}\n")
            saver.stdin.flush()
            return saver.stdout.readline()

        # Long reports on a disk kept full to the last byte: each is saved, with room from
        # the index's own free pages, then from evicting the partial CT, then from the
        # reserve, until nothing is left and the refusal says so.
        refusal = None
        for i in range(40):
            fill(os.path.join(self.mount, f"filler-{i}"))
            answer = save(f"Report {i} " + "findings " * 30000)
            if answer.startswith("error: "):
                refusal = answer
                break
            self.assertRegex(answer, r"^report ")
            saved.append(answer)
        self.assertRegex(refusal or "", r"^error: The cache disk is full and nothing more can "
                                        r"be evicted: the report was not saved; free some "
                                        r"space on the disk of .*\.\n$")
        self.assertGreater(len(saved), 2)
        self.assertNotIn(ct, self.cached())
        self.assertFalse(os.path.exists(reserve))
        saver.stdin.close()
        self.assertEqual(saver.wait(timeout=60), 0)
        saver.stdout.close()

        for name in os.listdir(self.mount):
            if name.startswith("filler-"):
                os.unlink(os.path.join(self.mount, name))
        self.assert_consistent()
        self.assert_reports_kept(saved)
        self.cli("cache", "open", mr)
        # With room again, the reserve is back.
        self.assertEqual(os.path.getsize(reserve), 2 << 20)


def private_mounts():
    """As root, re-run in a mount namespace of its own: the tmpfs is never seen outside,
    and goes with the test whatever happens to it."""
    if os.environ.get("LB_STORE_PRIVATE_MOUNTS"):
        return
    os.environ["LB_STORE_PRIVATE_MOUNTS"] = "1"
    os.execvp("unshare", ["unshare", "--mount", "--", sys.executable,
                          os.path.abspath(sys.argv[0])] + sys.argv[1:])


if __name__ == "__main__":
    if os.geteuid() == 0:
        private_mounts()
        common.isolate()
        common.under_archive("--phantoms")
    unittest.main()
