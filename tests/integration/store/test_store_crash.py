#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Crash safety: store-tool crash-writer stores instances, saves and signs reports, queues
them and evicts under a small quota, until it is killed with SIGKILL at a random moment;
hundreds of times, sometimes two writers at once, sometimes with a check running beside
them.  Every report a writer said it saved must be in the store, every report it said it
queued in the outbox, and lightbox-cli cache verify must find nothing to repair.

LB_STORE_CRASH_KILLS sets the number of kills (default 300)."""

import os
import random
import signal
import subprocess
import time
import unittest

import storetest

KILLS = int(os.environ.get("LB_STORE_CRASH_KILLS", "300"))
CHECK_EVERY = 50


class CrashTest(storetest.CacheTestCase):
    def start_writer(self, seed):
        return subprocess.Popen([storetest.STORE_TOOL, "crash-writer", self.cache, str(seed)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def kill(self, writer):
        """SIGKILL; returns the lines the writer finished printing."""
        writer.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=60)
        # Anything but our SIGKILL is a failure of the writer itself.
        self.assertEqual(writer.returncode, -signal.SIGKILL, err)
        return [line + "\n" for line in out.split("\n")[:-1]]

    def test_no_report_lost_across_kills(self):
        rng = random.Random(int(os.environ.get("LB_STORE_CRASH_SEED", "1")))
        confirmed = []
        kills = 0
        seed = 0

        # The first writer makes the cache; later ones find what the last one left.
        while kills < KILLS:
            writers = [self.start_writer(seed := seed + 1)]
            if rng.random() < 0.2:
                writers.append(self.start_writer(seed := seed + 1))
            checker = None
            if rng.random() < 0.1:
                # A check beside live writers must not take their work for faults.
                checker = subprocess.Popen([storetest.CLI, "cache", "verify", "--cache-dir",
                                            self.cache],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True)
            time.sleep(rng.uniform(0.02, 0.5))
            for writer in writers:
                confirmed += self.kill(writer)
                kills += 1
            if checker is not None:
                out, err = checker.communicate(timeout=storetest.TIMEOUT)
                self.assertEqual(checker.returncode, 0, out + err)
            if kills % CHECK_EVERY < len(writers):
                self.assert_consistent()
                self.assert_reports_kept(confirmed)

        self.assert_consistent()
        self.assert_reports_kept(confirmed)
        reports = [line for line in confirmed if line.startswith("report ")]
        queued = [line for line in confirmed if line.startswith("queued ")]
        # The kills landed while work was being done, not only at start-up.  How much work
        # fits between kills depends on the machine's load, so only its presence is asserted.
        self.assertGreater(len(reports), 0)
        self.assertGreater(len(queued), 0)
        rows = self.cli_json("cache", "ls")
        self.assertTrue(rows)
        print(f"{kills} kills, {len(reports)} report saves and {len(queued)} queued reports "
              f"confirmed, {len(rows)} studies cached", flush=True)


if __name__ == "__main__":
    unittest.main()
