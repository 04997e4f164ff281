# SPDX-License-Identifier: GPL-3.0-or-later
"""Driving the real `lightbox` under Xvfb as a reader would: keys through xdotool, what the
window shows through the accessibility tree (AT-SPI) and screenshots, the image on screen
through the app's own "save image" action over D-Bus.

Each UI test runs isolated (a loopback-only network namespace as root), under
`xvfb-run -a dbus-run-session`, which this module arranges by re-running the test."""

import os
import shutil
import subprocess
import sys
import time

SOURCE_ROOT = os.environ.get("LB_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_ROOT = os.environ.get("LB_BUILD_ROOT") or os.path.join(SOURCE_ROOT, "build")
LIGHTBOX = os.path.join(BUILD_ROOT, "src", "gui", "lightbox")
ARCHIVE = os.path.join(SOURCE_ROOT, "tools", "archive")
APP_ID = "io.github.lightboxrad.Lightbox"
SCREEN = "1400x900x24"
_UNDER_X = "LB_UI_UNDER_XVFB"

sys.path.insert(0, os.path.join(SOURCE_ROOT, "tools", "archive.d"))
from lbarchive import netns  # noqa: E402 (found through the path set just above)


def run_isolated_under_xvfb():
    """Re-run this test in a loopback-only namespace (as root), then under Xvfb and a
    private session bus; returns once it is there."""
    if netns.exposed_as_root():
        netns.reexec_isolated([sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:])
    netns.prepare()
    if not os.environ.get(_UNDER_X):
        env = dict(os.environ)
        env[_UNDER_X] = "1"
        # Xvfb's own complaints go beside the screenshots.
        log = os.path.join(BUILD_ROOT, "tests", "ui", "artefacts", "xvfb.log")
        os.makedirs(os.path.dirname(log), exist_ok=True)
        argv = ["xvfb-run", "-a", "-e", log, "-s", f"-screen 0 {SCREEN} -nolisten tcp",
                "dbus-run-session", "--", sys.executable, os.path.abspath(sys.argv[0])]
        os.execvpe("xvfb-run", argv + sys.argv[1:], env)


def wait_for(predicate, timeout, what):
    """Waits for the app, never judges its speed: the bound only turns a hang into a
    failure that says what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


class Archive:
    """A phantom-seeded Orthanc through tools/archive start/stop, so a test can stop it."""

    def __init__(self, state_dir):
        self.state_dir = state_dir
        self.url = None

    def start(self, seed=True, auth=None):
        """@auth, a (user, password) pair, makes the archive ask for HTTP basic auth."""
        args = [ARCHIVE, "start", "--state-dir", self.state_dir]
        if seed:
            args += ["--phantoms", "--build-dir", BUILD_ROOT]
        if auth is not None:
            args += ["--auth", f"{auth[0]}:{auth[1]}"]
        done = subprocess.run(args, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"tools/archive start failed:\n{done.stderr}")
        self.url = done.stdout.strip().splitlines()[-1]
        return self.url

    def stop(self):
        subprocess.run([ARCHIVE, "stop", "--state-dir", self.state_dir], capture_output=True,
                       timeout=120, check=True)

    def seed(self, directory):
        """Uploads every file below @directory to the running archive."""
        done = subprocess.run([ARCHIVE, "seed", "--state-dir", self.state_dir, "--seed-dir",
                               directory], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"tools/archive seed failed:\n{done.stderr}")

    def phantom_dir(self, name):
        """The folder make-phantom wrote for phantom @name (its files and phantom.json)."""
        cache = os.path.join(BUILD_ROOT, "phantoms")
        found = [os.path.join(cache, d) for d in os.listdir(cache) if d.startswith(name + "-")]
        found.sort(key=os.path.getmtime)
        return found[-1]


def bus_name_owner_pid(name):
    """The process that owns @name on the session bus, or None."""
    done = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                           "--object-path", "/org/freedesktop/DBus", "--method",
                           "org.freedesktop.DBus.GetConnectionUnixProcessID", name],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        return None
    # "(uint32 1234,)"
    return int(done.stdout.strip().strip("(),").split()[-1])


class Keyring:
    """A real Secret Service of the test's own: gnome-keyring-daemon on the test's private
    session bus, its keyrings under @directory, its login keyring made and unlocked with a
    password of the test's, so nothing prompts and the user's keyrings are never seen."""

    SERVICE = "org.freedesktop.secrets"
    UNLOCK_PASSWORD = "lightbox-ui-test-keyring"

    def __init__(self, directory):
        self.directory = directory
        self.env = dict(os.environ)
        for var, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                         ("XDG_RUNTIME_DIR", "run")):
            self.env[var] = os.path.join(directory, sub)
            os.makedirs(self.env[var], mode=0o700, exist_ok=True)
        # Were the name free for a moment, the bus would start gnome-keyring itself, on
        # the real home's keyrings: only a daemon of ours may answer.
        if bus_name_owner_pid(self.SERVICE) is not None:
            raise AssertionError(f"{self.SERVICE} already has an owner on the test's bus")
        self.log = open(os.path.join(directory, "gnome-keyring.log"), "w")
        self.proc = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        try:
            self.proc.stdin.write(self.UNLOCK_PASSWORD.encode())
            self.proc.stdin.close()
            wait_for(lambda: bus_name_owner_pid(self.SERVICE) == self.proc.pid, 60,
                     f"gnome-keyring-daemon to own {self.SERVICE}")
        except BaseException:
            self.stop()
            raise

    def lookup(self, **attributes):
        """The secret stored under exactly these attributes (secret-tool), or None."""
        if bus_name_owner_pid(self.SERVICE) != self.proc.pid:
            raise AssertionError(f"{self.SERVICE} is no longer the test's gnome-keyring-daemon")
        argv = ["secret-tool", "lookup"]
        for key, value in attributes.items():
            argv += [key, value]
        done = subprocess.run(argv, capture_output=True, env=self.env, timeout=30)
        return done.stdout.decode() if done.returncode == 0 else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def display_answers():
    return subprocess.run(["xdpyinfo"], capture_output=True, timeout=30).returncode == 0


class App:
    """One `lightbox` process and what its window shows."""

    def __init__(self, artefacts, args, extra_env=None):
        """@extra_env: variables that replace the defaults below (a settings backend, a
        cache of its own)."""
        self.artefacts = artefacts
        os.makedirs(artefacts, exist_ok=True)
        # Once in a CI run on a loaded machine the app found no display at :100 although
        # xvfb-run had started one: make sure the server answers before the app starts.
        wait_for(display_answers, 60, f"the X server at {os.environ.get('DISPLAY')}")
        env = dict(os.environ)
        env["GSETTINGS_SCHEMA_DIR"] = os.path.join(BUILD_ROOT, "data")
        env["GSETTINGS_BACKEND"] = "memory"
        env["GSK_RENDERER"] = "cairo"
        # Xvfb has no GPU: GTK's probe of Mesa's software GL costs a second at start.
        env["GDK_DEBUG"] = "gl-disable"
        # A cache of the test's own, empty at the start.
        env["LB_CACHE_DIR"] = os.path.join(artefacts, "cache")
        env.update(extra_env or {})
        # Appended to: a test that starts the app again keeps the log of each run.
        log_path = os.path.join(artefacts, "lightbox.log")
        self.log = open(log_path, "a")
        self.step = 0
        self._viewport = None
        import pyatspi
        self.atspi = pyatspi
        # In CI runs the app has (rarely) been refused the display that xdpyinfo had just
        # reached ("cannot open display: :99"), and exited at once.  That is the harness,
        # not the app: start it again, a few times at most, and say so.
        for attempt in range(1, 4):
            start = os.path.getsize(log_path)
            self.proc = subprocess.Popen([LIGHTBOX, *args], env=env, stdout=self.log,
                                         stderr=subprocess.STDOUT)
            self.frame = wait_for(lambda: self._frame() or self.proc.poll() is not None, 60,
                                  "the main window")
            if self.frame is not True:
                break
            with open(log_path, encoding="utf-8", errors="replace") as f:
                f.seek(start)
                said = f.read()
            if "cannot open display" not in said or attempt == 3:
                raise AssertionError(f"lightbox exited ({self.proc.returncode}) before its "
                                     f"window opened: {said.strip()[-300:]}")
            print(f"lightbox could not open the display (try {attempt}); starting it again",
                  file=sys.stderr)
            time.sleep(1)
        # GTK 4.8 does not announce every change of its widget tree: ask it each time
        # instead of trusting libatspi's cache.
        from gi.repository import Atspi
        self._application().set_cache_mask(Atspi.Cache.NONE)

    def _application(self):
        for app in self.atspi.Registry.getDesktop(0):
            if app is not None and app.name == "lightbox":
                return app
        return None

    def _frame(self, name="Lightbox"):
        app = self._application()
        if app is None:
            return None
        for i in range(app.childCount):
            child = app.getChildAtIndex(i)
            if child is not None and child.getRoleName() == "frame" and child.name == name:
                return child
        return None

    def frames(self):
        app = self._application()
        return [app.getChildAtIndex(i) for i in range(app.childCount)] if app else []

    def window(self, name, timeout=30):
        """The top-level window titled @name, once it is there."""
        return wait_for(lambda: self._frame(name), timeout, f"the window “{name}”")

    def focused(self, root=None):
        """The accessibles that have the keyboard focus (GTK 4.8 reports it for buttons,
        rows and combo boxes, not for the text of an entry row)."""
        state = self.atspi.STATE_FOCUSED
        return self.find_all(lambda a: a.getState().contains(state), root)

    def tab_to(self, predicate, what, root=None, presses=40, patience=1):
        """Tab until the focus is on an accessible that @predicate accepts, as a reader
        walks a dialog from the keyboard; fails when @presses Tabs never get there.  A
        small @root keeps each look quick."""
        def seen(accessibles):
            return [(a.getRoleName(), a.name, a.description, a.getIndexInParent())
                    for a in accessibles]

        for _ in range(presses):
            before = seen(self.focused(root))
            self.keys("Tab")
            # The focus moves once GTK has handled the key: look until it has.  Where it
            # is not reported (an entry row, outside @root) the look ends after @patience
            # seconds.
            deadline = time.monotonic() + patience
            while True:
                now = self.focused(root)
                if seen(now) != before or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            found = [a for a in now if predicate(a)]
            if found:
                return found[0]
        raise AssertionError(f"{presses} presses of Tab never reached {what}")

    def find_all(self, predicate, root=None):
        found = []

        def walk(acc):
            try:
                if predicate(acc):
                    found.append(acc)
                for i in range(acc.childCount):
                    walk(acc.getChildAtIndex(i))
            except Exception:
                # Widgets come and go while the tree is walked.
                pass

        walk(root if root is not None else self.frame)
        return found

    def labels(self, root=None):
        """The text of every label in the tree.  GTK 4.8 reports neither SHOWING nor the
        hiding of a stack page, so a test asks for labels only one page has."""
        names = []

        def keep(acc):
            if acc.getRoleName() == "label":
                names.append(acc.name)
            return False

        self.find_all(keep, root)
        return names

    def wait_label(self, predicate, what, timeout=60, root=None):
        return wait_for(lambda: [t for t in self.labels(root) if predicate(t)], timeout, what)

    def viewport(self):
        """The first viewport (the active one in the 1x1 layout), found once."""
        if self._viewport is None:
            found = self.find_all(lambda a: a.name == "Image viewport")
            self._viewport = found[0] if found else None
        return self._viewport

    def viewport_description(self):
        """What the viewport tells assistive technologies: series, image, window."""
        viewport = self.viewport()
        return viewport.description if viewport is not None else ""

    def wait_viewport(self, predicate, what, timeout=60):
        return wait_for(lambda: predicate(self.viewport_description()), timeout, what)

    def extents(self, acc):
        e = acc.queryComponent().getExtents(self.atspi.WINDOW_COORDS)
        return e.x, e.y, e.width, e.height

    def keys(self, *keys, delay=40):
        subprocess.run(["xdotool", "key", "--delay", str(delay), *keys], check=True, timeout=60)

    def type(self, text):
        subprocess.run(["xdotool", "type", "--delay", "40", text], check=True, timeout=60)

    def pixel(self, path, x, y):
        from PIL import Image
        return Image.open(path).convert("RGB").getpixel((x, y))

    def screenshot(self, name):
        self.step += 1
        path = os.path.join(self.artefacts, f"{self.step:02d}-{name}.png")
        subprocess.run(["import", "-window", "root", path], check=True, timeout=60)
        return path

    def activate(self, action, parameter=None):
        """An app.* action over D-Bus (org.gtk.Actions), as a script would."""
        param = f"[<'{parameter}'>]" if parameter is not None else "[]"
        subprocess.run(["gdbus", "call", "--session", "--dest", APP_ID, "--object-path",
                        "/" + APP_ID.replace(".", "/"), "--method", "org.gtk.Actions.Activate",
                        action, param, "{}"], check=True, capture_output=True, timeout=30)

    def save_image(self, name):
        """The active viewport's picture, full size, as its window renders it."""
        path = os.path.join(self.artefacts, f"{name}.png")
        if os.path.exists(path):
            os.unlink(path)
        self.activate("save-image", path)
        wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 60,
                 f"the image saved as {path}")
        time.sleep(0.2)
        from PIL import Image
        return Image.open(path).convert("L")

    def quit(self):
        if self.proc.poll() is None:
            try:
                self.keys("ctrl+q")
                self.proc.wait(timeout=20)
            except Exception:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def artefact_dir(test):
    path = os.path.join(BUILD_ROOT, "tests", "ui", "artefacts", test)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path
