#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/archive against the real Orthanc: run, start/stop/seed, basic auth, isolation as root,
phantoms."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import unittest

import common

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe.py")
IS_ROOT = os.geteuid() == 0


def probe_run(*archive_args, status=0, expect=0):
    """`tools/archive run ARGS -- probe.py`; return the probe's report."""
    done = common.archive("run", *archive_args, "--", sys.executable, PROBE, str(status),
                          check=False)
    if done.returncode != expect:
        raise AssertionError(f"run exited {done.returncode}, not {expect}:\n{done.stderr}")
    return json.loads(done.stdout)


def in_namespace_with_a_veth(argv):
    """Run argv as root in a new network namespace that has more than lo, as the host has."""
    script = ('ip link add lbtest0 type veth peer name lbtest1 || exit 77; exec "$@"')
    done = subprocess.run(["unshare", "--net", "--", "sh", "-c", script, "sh", *argv],
                          capture_output=True, text=True, timeout=120)
    if done.returncode == 77:
        raise unittest.SkipTest("this kernel cannot make a veth pair")
    return done


class Run(unittest.TestCase):
    def test_exports_the_archive_and_cleans_up(self):
        report = probe_run("--seed-dir", common.SMALL_SEED)
        env = report["env"]
        self.assertRegex(env["LB_ARCHIVE_URL"], r"^http://127\.0\.0\.1:\d+/dicom-web$")
        self.assertEqual(env["LB_ARCHIVE_URL"], env["LB_ARCHIVE_REST"] + "/dicom-web")
        self.assertNotIn("LB_ARCHIVE_USER", env)
        self.assertEqual(report["qido_without_auth"], 200)
        self.assertEqual(report["instances"], common.SMALL_SEED_INSTANCES)
        self.assertTrue(report["studies"])
        # Once run has returned, nothing of the archive is left.
        self.assertTrue(common.process_gone(report["pid"]))
        self.assertFalse(os.path.exists(env["LB_ARCHIVE_STATE"]))
        port = int(env["LB_ARCHIVE_REST"].rsplit(":", 1)[1])
        self.assertFalse(common.port_open(port))

    def test_seeds_pydicom_counting_what_orthanc_refuses(self):
        # pydicom's SC_rgb_jpeg.dcm claims a 1.3 GB element and Orthanc takes seconds to
        # refuse it, many more while other suites load the machine.
        done = common.archive("run", "--seed", "pydicom", "--", "true", timeout=300)
        seeded = re.search(r"pydicom: seeded (\d+) instances, (\d+) refused", done.stderr)
        self.assertIsNotNone(seeded, done.stderr)
        stored, refused = int(seeded[1]), int(seeded[2])
        self.assertGreater(stored, 100)
        self.assertGreater(refused, 0)
        self.assertEqual(stored + refused, sum(len(files) for _, _, files
                                                in os.walk(common.PYDICOM_FILES)))

    def test_passes_the_command_status_on(self):
        probe_run(status=3, expect=3)

    def test_basic_auth(self):
        report = probe_run("--auth", "alice:s3cret pass")
        self.assertEqual(report["env"]["LB_ARCHIVE_USER"], "alice")
        self.assertEqual(report["env"]["LB_ARCHIVE_PASSWORD"], "s3cret pass")
        self.assertEqual(report["qido_without_auth"], 401)
        self.assertEqual(report["qido_with_auth"], 200)

    def test_sigterm_stops_the_command_and_orthanc(self):
        state = tempfile.mkdtemp(prefix="lb-harness-test-")
        self.addCleanup(shutil.rmtree, state, True)
        pid_file = os.path.join(state, "orthanc.pid")
        run = subprocess.Popen([common.ARCHIVE, "run", "--state-dir", state, "--",
                                "sleep", "60"], stderr=subprocess.DEVNULL)
        self.addCleanup(run.kill)
        common.wait_for(lambda: os.path.exists(pid_file), 30, "Orthanc to start")
        with open(pid_file, encoding="ascii") as f:
            pid = int(f.read())
        run.send_signal(signal.SIGTERM)
        self.assertEqual(run.wait(30), 128 + signal.SIGTERM)
        self.assertTrue(common.process_gone(pid))
        self.assertFalse(os.path.exists(pid_file))
        # A state folder the caller chose is kept, storage and log included.
        self.assertTrue(os.path.exists(os.path.join(state, "orthanc.log")))

    def test_a_missing_command_is_a_usage_error(self):
        self.assertEqual(common.archive("run", check=False).returncode, 2)

    @unittest.skipUnless(IS_ROOT, "only root can make network namespaces here")
    def test_as_root_on_a_network_it_isolates_itself(self):
        done = in_namespace_with_a_veth([common.ARCHIVE, "run", "--", sys.executable, PROBE])
        self.assertEqual(done.returncode, 0, done.stderr)
        report = json.loads(done.stdout)
        self.assertEqual(report["interfaces"], ["lo"])
        self.assertEqual(report["sys_class_net"], ["lo"])
        self.assertEqual(report["qido_without_auth"], 200)


class StartStop(unittest.TestCase):
    def setUp(self):
        self.state = tempfile.mkdtemp(prefix="lb-harness-test-")
        self.addCleanup(shutil.rmtree, self.state, True)
        self.addCleanup(common.archive, "stop", "--state-dir", self.state, check=False)

    def read(self, name):
        with open(os.path.join(self.state, name), encoding="ascii") as f:
            return f.read().strip()

    def test_restart_keeps_storage_and_port(self):
        url = common.archive("start", "--state-dir", self.state,
                             "--seed-dir", common.SMALL_SEED).stdout.strip()
        self.assertRegex(url, r"^http://127\.0\.0\.1:\d+/dicom-web$")
        self.assertEqual(self.read("url"), url)
        rest = self.read("rest")
        pid = int(self.read("orthanc.pid"))
        self.assertEqual(common.count_instances(rest), common.SMALL_SEED_INSTANCES)

        seeded = common.archive("seed", "--state-dir", self.state, "--seed-dir",
                                common.SMALL_SEED)
        self.assertIn(f"seeded {common.SMALL_SEED_INSTANCES} instances", seeded.stderr)
        self.assertEqual(common.count_instances(rest), common.SMALL_SEED_INSTANCES)

        again = common.archive("start", "--state-dir", self.state, check=False)
        self.assertEqual(again.returncode, 1)
        self.assertIn("already running", again.stderr)

        common.archive("stop", "--state-dir", self.state)
        self.assertTrue(common.process_gone(pid))
        self.assertFalse(common.port_open(int(rest.rsplit(":", 1)[1])))
        for name in ("url", "rest", "orthanc.pid"):
            self.assertFalse(os.path.exists(os.path.join(self.state, name)), name)

        self.assertEqual(common.archive("start", "--state-dir", self.state).stdout.strip(), url)
        self.assertEqual(common.count_instances(rest), common.SMALL_SEED_INSTANCES)
        status, _, _ = common.get(url + "/studies")
        self.assertEqual(status, 200)

    def test_auth_is_kept_for_seeding(self):
        common.archive("start", "--state-dir", self.state, "--auth", "bob:pw")
        common.archive("seed", "--state-dir", self.state, "--seed-dir", common.SMALL_SEED)
        self.assertEqual(common.count_instances(self.read("rest"), ("bob", "pw")),
                         common.SMALL_SEED_INSTANCES)
        self.assertEqual(common.get(self.read("url") + "/studies")[0], 401)

    def test_stop_and_seed_without_an_archive(self):
        self.assertEqual(common.archive("stop", "--state-dir", self.state).returncode, 0)
        done = common.archive("seed", "--state-dir", self.state, "--seed-dir",
                              common.SMALL_SEED, check=False)
        self.assertEqual(done.returncode, 1)
        self.assertIn("no archive is running", done.stderr)

    @unittest.skipUnless(IS_ROOT, "the refusal is for root only")
    def test_start_refuses_as_root_outside_an_isolated_namespace(self):
        done = in_namespace_with_a_veth([common.ARCHIVE, "start", "--state-dir", self.state])
        self.assertEqual(done.returncode, 1)
        self.assertIn("refusing to start Orthanc as root outside an isolated network "
                      "namespace", done.stderr)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1)
        self.assertFalse(os.path.exists(os.path.join(self.state, "orthanc.pid")))


FAKE_MAKE_PHANTOM = textwrap.dedent("""\
    #!/bin/sh
    # Stands in for make-phantom: one DICOM file and the model file, and a note of the call.
    echo "$@" >> "$(dirname "$0")/calls"
    while [ $# -gt 0 ]; do [ "$1" = --out ] && out=$2; shift; done
    cp {ct} "$out/CT1.dcm" && echo '{{}}' > "$out/phantom.json"
    """)


class Phantoms(unittest.TestCase):
    def setUp(self):
        self.build = tempfile.mkdtemp(prefix="lb-harness-build-")
        self.addCleanup(shutil.rmtree, self.build, True)

    def test_missing_generator_is_one_clear_sentence(self):
        done = common.archive("run", "--phantoms", "--build-dir", self.build, "--", "true",
                              check=False)
        self.assertEqual(done.returncode, 1)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
        self.assertIn("needs tools/make-phantom, which is not built", done.stderr)

    def test_generated_once_then_cached(self):
        tools = os.path.join(self.build, "tools")
        os.makedirs(tools)
        fake = os.path.join(tools, "make-phantom")
        with open(fake, "w", encoding="utf-8") as f:
            f.write(FAKE_MAKE_PHANTOM.format(
                ct=os.path.join(common.PYDICOM_FILES, "CT_small.dcm")))
        os.chmod(fake, 0o755)
        stale = os.path.join(self.build, "phantoms", "cr-0123456789abcdef")
        os.makedirs(stale)
        first = common.archive("run", "--phantoms", "--build-dir", self.build, "--", "true")
        # A phantom made by an older generator goes once the new one is there.
        self.assertFalse(os.path.exists(stale))
        second = common.archive("run", "--phantoms", "--build-dir", self.build, "--", "true")
        with open(os.path.join(tools, "calls"), encoding="utf-8") as f:
            calls = f.read().splitlines()
        self.assertEqual(len(calls), 4)
        self.assertTrue(any(re.search(r"--kind ct .*--transfer-syntax jpeg-ls", c)
                            for c in calls), calls)
        self.assertEqual(first.stderr.count("generated in"), 4)
        self.assertNotIn("generated in", second.stderr)
        # phantom.json stays out of the archive: nothing is refused.
        self.assertEqual(second.stderr.count("seeded 1 instance, 0 refused"), 4, second.stderr)

    @unittest.skipUnless(os.access(os.path.join(os.environ.get("LB_BUILD_ROOT", "/nonexistent"),
                                                "tools", "make-phantom"), os.X_OK),
                         "make-phantom is not built in $LB_BUILD_ROOT")
    def test_real_phantoms(self):
        report = probe_run("--phantoms")
        self.assertEqual(report["studies"], {"LBPH-0001": 300, "LBPH-0002": 300,
                                             "LBPH-0003": 40, "LBPH-0004": 1})


if __name__ == "__main__":
    common.isolate()
    unittest.main(verbosity=2)
