#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time to first image of a 300-slice CT, measured on the screen (lb-screen-wait reads the
X server's screen back until a CT is on it), never by the application's own clock.

  bench/bench-ttfi.py [--runs N] [--build-dir DIR] [folder] [worklist]

folder:   `lightbox FOLDER` from launch to the first image, side by side in the same run
          with Debian's Aeskulap opening the same files.
worklist: Enter on the worklist row of a 300-slice CT in a loopback Orthanc, to the first
          image: cold (nothing cached, a fresh cache) and cached (the same study, the
          workstation started again on the cache the cold run filled); then Ctrl+W and
          Enter again, the study in memory: the cost of the page switch and frame alone.

It isolates itself as root (a loopback-only network namespace) and runs under its own
Xvfb without MIT-SHM: GTK 4.8's cairo renderer would otherwise take a fresh shared memory
segment every frame, and page faults dominate.  Lightbox runs as installed: on a machine
without a GPU (this one) it draws with Cairo and keeps GTK from starting Mesa's software
GL; the "GTK's GL renderer" row forces GTK's default renderer (GSK_RENDERER=gl), which is
what the workstation did before it chose."""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SOURCE_ROOT, "tools", "archive.d"))
from lbarchive import netns  # noqa: E402 (found through the path set just above)

UNDER_X = "LB_TTFI_UNDER_XVFB"
SCREEN = "1400x900x24"
# Where each viewer shows the CT's soft tissue, in the middle of the image: the middle of
# the workstation's viewport in its default 1280x800 window, and of Aeskulap's (smaller)
# image.  The regions are small and of one size: reading the screen back keeps the X
# server busy (2 ms for 400x300 pixels here, and the viewers wait for it too), so a
# small one disturbs what it measures least, and both viewers pay the same.
VIEWPORT = "655,390,120,60"
AESKULAP = "630,440,120,60"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", metavar="folder|worklist",
                        help="what to measure (both when none is named)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build-dir", default=os.environ.get("LB_BUILD_ROOT")
                        or os.path.join(SOURCE_ROOT, "build"))
    args = parser.parse_args()
    for what in args.what:
        if what not in ("folder", "worklist"):
            parser.error(f"say folder or worklist, not {what}")
    args.what = args.what or ["folder", "worklist"]
    return args


def reexec():
    if netns.exposed_as_root():
        netns.reexec_isolated([sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:])
    netns.prepare()
    if not os.environ.get(UNDER_X):
        env = dict(os.environ, **{UNDER_X: "1"})
        argv = ["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN} -nolisten tcp -extension MIT-SHM",
                "dbus-run-session", "--", sys.executable, os.path.abspath(sys.argv[0])]
        os.execvpe("xvfb-run", argv + sys.argv[1:], env)


class Bench:
    def __init__(self, args):
        self.build = os.path.abspath(args.build_dir)
        self.runs = args.runs
        self.wait = os.path.join(self.build, "bench", "lb-screen-wait")
        self.lightbox = os.path.join(self.build, "src", "gui", "lightbox")
        self.scratch = tempfile.mkdtemp(prefix="lb-ttfi-")
        # Settings of this benchmark only: no prefetching, which would make "cold" warm.
        config = os.path.join(self.scratch, "config")
        os.makedirs(os.path.join(config, "glib-2.0", "settings"))
        with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
            f.write("[io/github/lightboxrad/Lightbox]\nprefetch-count=uint32 0\n")
        self.env = dict(os.environ, GSETTINGS_SCHEMA_DIR=os.path.join(self.build, "data"),
                        GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=config)
        for chosen in ("GSK_RENDERER", "GDK_DEBUG"):
            self.env.pop(chosen, None)

    def measure(self, argv, env, region):
        """Milliseconds from the start of argv's command (or key) to a CT on the screen."""
        cmd = [self.wait, "--region", region, "--pixels", "1500"] + argv
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:6])}...: {done.stderr.strip()}")
        pid = None
        for line in done.stderr.splitlines():
            if line.startswith("pid "):
                pid = int(line.split()[1])
        return float(done.stdout.split()[0]), pid

    def stop(self, pid):
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                pass
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)

    # ---- lightbox FOLDER against Aeskulap -------------------------------------------

    def folder(self):
        ct = os.path.join(self.scratch, "ct")
        subprocess.run([os.path.join(self.build, "tools", "make-phantom"), "--kind", "ct",
                        "--slices", "300", "--size", "512x512", "--seed", "1", "--out", ct],
                       check=True, capture_output=True, timeout=300)
        files = sorted(os.path.join(ct, f) for f in os.listdir(ct) if f.endswith(".dcm"))
        with_gl = dict(self.env, GSK_RENDERER="gl")
        rows = {"lightbox FOLDER": [], "lightbox FOLDER (GTK's GL renderer)": [],
                "aeskulap FILES": []}
        for _ in range(self.runs):
            for name, argv, env, region in (
                    ("lightbox FOLDER", ["launch", "--", self.lightbox, ct], self.env, VIEWPORT),
                    ("lightbox FOLDER (GTK's GL renderer)", ["launch", "--", self.lightbox, ct],
                     with_gl, VIEWPORT),
                    ("aeskulap FILES", ["launch", "--", "aeskulap", *files], self.env, AESKULAP)):
                ms, pid = self.measure(argv, env, region)
                rows[name].append(ms)
                self.stop(pid)
                time.sleep(1)
        return rows

    # ---- Enter on the worklist --------------------------------------------------------

    def archive(self, *args):
        done = subprocess.run([os.path.join(SOURCE_ROOT, "tools", "archive"), *args],
                              capture_output=True, text=True, timeout=900, env=self.env)
        if done.returncode != 0:
            raise RuntimeError(f"tools/archive {args[0]}: {done.stderr.strip()}")
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    def open_from_worklist(self, url, cache):
        env = dict(self.env, LB_CACHE_DIR=cache)
        proc = subprocess.Popen([self.lightbox, "--server", url], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "^Lightbox$"],
                       check=True, capture_output=True, timeout=60, env=env)
        time.sleep(3)   # the worklist arrives and the cache opens
        subprocess.run(["xdotool", "type", "--delay", "30", "CT EXPLICIT"], check=True, env=env)
        time.sleep(1)
        ms, _ = self.measure(["key", "Return"], env, VIEWPORT)
        return ms, proc

    def quit(self, proc):
        subprocess.run(["xdotool", "key", "ctrl+q"], env=self.env)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def worklist(self):
        state = os.path.join(self.scratch, "archive")
        url = self.archive("start", "--state-dir", state, "--phantoms", "--build-dir", self.build)
        rows = {"Enter, cold (archive)": [], "Enter, cached": [],
                "Enter again, the study just read": []}
        try:
            for run in range(self.runs):
                cache = os.path.join(self.scratch, f"cache-{run}")
                ms, proc = self.open_from_worklist(url, cache)
                rows["Enter, cold (archive)"].append(ms)
                time.sleep(8)   # the rest of the study streams into the cache
                self.quit(proc)
                ms, proc = self.open_from_worklist(url, cache)
                rows["Enter, cached"].append(ms)
                # Back to the worklist and Enter again: the study and its first image are
                # in memory, so this is what switching to the reading page and drawing the
                # whole window costs here, the floor under "cached".
                time.sleep(2)
                subprocess.run(["xdotool", "key", "ctrl+w"], check=True, env=self.env)
                time.sleep(1)
                ms, _ = self.measure(["key", "Return"], self.env, VIEWPORT)
                rows["Enter again, the study just read"].append(ms)
                self.quit(proc)
        finally:
            self.archive("stop", "--state-dir", state)
        return rows


def report(rows):
    width = max(len(name) for name in rows)
    for name, values in rows.items():
        print(f"{name:<{width}}  median {statistics.median(values):7.1f} ms   "
              f"min {min(values):7.1f}   max {max(values):7.1f}   "
              f"({', '.join(f'{v:.0f}' for v in values)})")


def main():
    args = parse_args()
    reexec()
    bench = Bench(args)
    try:
        with open("/proc/loadavg") as f:
            print(f"load average at start: {f.read().split()[0]}")
        if "folder" in args.what:
            report(bench.folder())
        if "worklist" in args.what:
            report(bench.worklist())
    finally:
        shutil.rmtree(bench.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
