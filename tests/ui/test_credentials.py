#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An archive that asks for a user and password (HTTP basic auth), set up from the keyboard
in the preferences' Archives page, with a real Secret Service (gnome-keyring) on the test's
own session bus: the worklist lists the archive's studies; the password is in the keyring
under lb-secrets.c's schema and in no setting or other file; a new run of the app signs in
with what the keyring holds; a wrong password gets the app's sentence for a 401, in the
preferences' test and in the worklist's banner, and the right one typed again signs in
again; removing the archive takes its password out of the keyring, and adding it again signs
in at once.  Screenshots of each step are kept in BUILD/tests/ui/artefacts/credentials/."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import pydicom
from pydicom.uid import generate_uid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitest  # noqa: E402 (this folder, put on the path just above)

USER = "reader"
PASSWORD = "Kq7-lightbox-pw"
WRONG_PASSWORD = "Wx3-not-the-pw"
ARCHIVE_NAME = "Reading room archive"
# lb-secrets.c's schema: APP_ID ".Archive", keyed by the archive's address and the user.
SCHEMA = uitest.APP_ID + ".Archive"


def is_button(label):
    """A button whose label (with its mnemonic underline) is @label."""
    return lambda a: a.getRoleName() == "push button" and a.name.replace("_", "").startswith(label)


def is_row(name):
    return lambda a: a.getRoleName() == "list item" and a.name == name


SIGN_IN = lambda a: a.getRoleName() == "combo box" and a.name == "Sign-in"  # noqa: E731
SHOW_PASSWORD = lambda a: a.description == "Show Text"  # noqa: E731


class Preferences:
    """The preferences (Ctrl+comma) on their Archives page.  Focus is looked for in that
    page alone: the other pages have a thousand accessibles, and walking them all after
    each key would take a second."""

    def __init__(self, app):
        self.app = app
        app.keys("ctrl+comma")
        self.window = app.window("Preferences")
        add = uitest.wait_for(
            lambda: app.find_all(lambda a: a.description == "Add an archive", self.window), 30,
            "the Archives page")[0]
        page = add
        while page.getRoleName() != "scroll pane":
            page = page.parent
            assert page is not None, "the Archives page has no scroll pane"
        self.page = page

    def tab_to(self, predicate, what, **kwargs):
        return self.app.tab_to(predicate, what, self.page, **kwargs)

    def wait_toast(self, text, what):
        self.app.wait_label(lambda t: t == text, what, root=self.window)

    def type_password(self, password):
        """From an archive's row: its Password field, emptied, then @password."""
        self.tab_to(SIGN_IN, "the Sign-in choice")
        # User, then Password: entry rows, whose focus GTK 4.8 does not report; the
        # password's Show Text button comes next, and does.
        self.app.keys("Tab", "Tab", "ctrl+a", "BackSpace")
        self.app.type(password)
        self.tab_to(SHOW_PASSWORD, "the password's Show Text button", presses=1, patience=10)

    def press(self, label):
        self.tab_to(is_button(label), f"the {label} button")
        self.app.keys("space")

    def save(self):
        self.press("Save")
        self.wait_toast("Archive saved", "the archive to be saved")

    def close(self):
        # Escape closes the preferences; the first one after a toast may only dismiss it.
        for _ in range(5):
            self.app.keys("Escape")
            try:
                uitest.wait_for(lambda: self.app._frame("Preferences") is None, 3,
                                "the preferences to close")
                return
            except AssertionError:
                pass
        raise AssertionError("Escape never closed the preferences")


class Credentials(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Class cleanups, unlike tearDownClass, also run when setting up fails half-way:
        # no daemon or archive outlives the test.
        cls.tmp = tempfile.mkdtemp(prefix="lb-ui-credentials-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.artefacts = uitest.artefact_dir("credentials")
        cls.keyring = uitest.Keyring(os.path.join(cls.tmp, "keyring"))
        cls.addClassCleanup(cls.keyring.stop)
        cls.archive = uitest.Archive(os.path.join(cls.tmp, "archive"))
        cls.archive.start(auth=(USER, PASSWORD))
        cls.addClassCleanup(cls.archive.stop)
        # Settings in a file (GLib's keyfile backend), so that the test can read what the
        # app wrote; each run of the app has a cache of its own, empty at the start, so
        # that no study it lists can come from a run before.
        cls.config = os.path.join(cls.tmp, "config")
        # Nothing fetched ahead: it would fill each run's cache with the phantoms' 600
        # slices, which this test never opens.
        settings = os.path.join(cls.config, "glib-2.0", "settings")
        os.makedirs(settings)
        with open(os.path.join(settings, "keyfile"), "w", encoding="utf-8") as f:
            f.write("[io/github/lightboxrad/Lightbox]\nprefetch-count=uint32 0\n")
        cls.runs = 0
        cls.app = None
        cls.addClassCleanup(cls.quit_app)
        cls.launch()

    @classmethod
    def quit_app(cls):
        if cls.app is not None:
            cls.app.quit()

    @classmethod
    def launch(cls):
        step = cls.app.step if cls.app is not None else 0
        cls.app = None
        cls.runs += 1
        cls.app = uitest.App(cls.artefacts, [], extra_env=cls.settings_env() | {
            "LB_CACHE_DIR": os.path.join(cls.artefacts, f"cache-{cls.runs}")})
        cls.app.step = step

    @classmethod
    def settings_env(cls):
        return {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": cls.config,
                "GSETTINGS_SCHEMA_DIR": os.path.join(uitest.BUILD_ROOT, "data")}

    # ---- what the reader sees ---------------------------------------------------------

    def banner_shown(self):
        """The offline banner is the only amber band across the top of the window."""
        r, g, b = self.app.pixel(self.app.screenshot("banner-check"), 400, 8)
        return r - b > 25

    def wait_worklist(self, what):
        self.app.wait_label(lambda t: t == "4 of 4 studies", what, root=self.app.frame)
        # The four rows, not only the count.
        self.app.wait_label(lambda t: t == "LBPH-0002", "the row of the CT", root=self.app.frame)
        self.assertFalse(self.banner_shown())

    def in_keyring(self, url=None):
        """The secret the keyring holds under lb-secrets.c's schema for the archive (or
        @url) and user, looked up as any Secret Service client would."""
        return self.keyring.lookup(**{"xdg:schema": SCHEMA, "url": url or self.archive.url,
                                      "user": USER})

    def refused(self):
        """What the app says when the archive refuses the password (lb-http-response.c)."""
        scheme, rest = self.archive.url.split("://", 1)
        origin = f"{scheme}://{rest.split('/', 1)[0]}"
        return f"The archive at {origin} refused the user name or password (HTTP 401)."

    # ---- the steps --------------------------------------------------------------------

    def add_archive(self, password):
        """The archive added in the preferences from the keyboard, as a reader would:
        name, address, User and password, the user, @password, Save."""
        app = self.app
        prefs = Preferences(app)
        prefs.tab_to(lambda a: a.description == "Add an archive", "the Add an archive button")
        app.keys("space")
        prefs.tab_to(is_row("New archive"), "the new archive's row")
        # Name, then address: entry rows (what was typed is checked in the settings).
        app.keys("Tab", "ctrl+a")
        app.type(ARCHIVE_NAME)
        app.keys("Tab", "ctrl+a")
        app.type(self.archive.url)
        prefs.tab_to(SIGN_IN, "the Sign-in choice", presses=1, patience=10)
        # Its choices: None, User and password, Token.
        app.keys("space")
        uitest.wait_for(lambda: [a for a in app.focused(prefs.page)
                                 if a.getRoleName() == "list item"], 30, "the Sign-in choices")
        app.keys("Down", "Return")
        app.wait_label(lambda t: t == "User and password", "User and password to be chosen",
                       root=prefs.page)
        # The focus is back on Sign-in; User and Password are entry rows.
        app.keys("Tab")
        app.type(USER)
        app.keys("Tab")
        app.type(password)
        prefs.tab_to(SHOW_PASSWORD, "the password's Show Text button", presses=1, patience=10)
        app.screenshot("archive-typed")
        prefs.save()
        app.screenshot("archive-saved")
        prefs.close()

    def test_1_archive_set_up_in_preferences(self):
        self.app.wait_label(lambda t: t == "0 of 0 studies", "the empty worklist")
        self.app.screenshot("no-archive")
        self.add_archive(PASSWORD)
        # Signed in with the password the app put in the keyring and read back from it.
        self.wait_worklist("the archive's four studies")
        self.app.screenshot("worklist-signed-in")

    def test_2_password_in_keyring_not_in_settings(self):
        self.assertEqual(self.in_keyring(), PASSWORD)

        # What GSettings holds, as the gsettings tool reads it through the same backend.
        dump = subprocess.run(["gsettings", "list-recursively", uitest.APP_ID],
                              env=dict(os.environ, **self.settings_env()), capture_output=True,
                              text=True, timeout=30, check=True).stdout
        with open(os.path.join(self.artefacts, "gsettings.txt"), "w") as f:
            f.write(dump)
        servers = [line for line in dump.splitlines() if line.split()[1] == "servers"]
        self.assertEqual(len(servers), 1)
        for wanted in (ARCHIVE_NAME, self.archive.url, "'basic'", f"'{USER}'"):
            self.assertIn(wanted, servers[0])
        self.assertNotIn(PASSWORD, dump)

        # The bytes on disc: the settings file (the one the app wrote: it holds the
        # address), and every other file of the app's settings, cache and log.
        keyfile = os.path.join(self.config, "glib-2.0", "settings", "keyfile")
        with open(keyfile, "rb") as f:
            self.assertIn(self.archive.url.encode(), f.read())
        for top in (self.config, self.artefacts):
            for folder, _, files in os.walk(top):
                for name in files:
                    with open(os.path.join(folder, name), "rb") as f:
                        self.assertNotIn(PASSWORD.encode(), f.read(), os.path.join(folder, name))

    def test_3_new_run_signs_in_from_keyring(self):
        # The settings hold no password, the new run's cache no study: only what the
        # keyring holds can sign it in.
        self.app.quit()
        self.launch()
        self.wait_worklist("the archive's four studies, in a new run")
        self.app.screenshot("new-run-signed-in")

    def test_4_wrong_password_said_clearly(self):
        app = self.app
        prefs = Preferences(app)
        prefs.tab_to(is_row(ARCHIVE_NAME), "the archive's row")
        app.keys("space")
        prefs.type_password(WRONG_PASSWORD)
        prefs.press("Test Connection")
        prefs.wait_toast(self.refused(), "the test to say the password is refused")
        app.screenshot("test-connection-refused")
        prefs.save()
        prefs.close()
        self.assertEqual(self.in_keyring(), WRONG_PASSWORD)

        # Saving signs in again, and the banner says why nothing new comes, in the
        # sentence the app has for a 401: not that the archive does not answer.
        app.wait_label(lambda t: t.startswith(self.refused()),
                       "the banner to say the password is refused", root=app.frame)
        self.assertTrue(self.banner_shown())
        app.screenshot("worklist-refused")

        # Still working: the right password, typed again, signs in again.
        self.assertIsNone(app.proc.poll())
        prefs = Preferences(app)
        prefs.tab_to(is_row(ARCHIVE_NAME), "the archive's row")
        app.keys("space")
        prefs.type_password(PASSWORD)
        prefs.save()
        prefs.close()
        uitest.wait_for(lambda: not self.banner_shown(), 60, "the banner to go")
        self.wait_worklist("the archive's four studies, signed in again")
        self.assertEqual(self.in_keyring(), PASSWORD)
        app.screenshot("signed-in-again")

    def test_5_removed_then_added_again(self):
        app = self.app
        prefs = Preferences(app)
        prefs.tab_to(is_row(ARCHIVE_NAME), "the archive's row")
        app.keys("space")
        prefs.press("Remove")
        uitest.wait_for(lambda: self.in_keyring() is None, 30,
                        "the password to leave the keyring")
        prefs.close()
        servers = subprocess.run(["gsettings", "get", uitest.APP_ID, "servers"],
                                 env=dict(os.environ, **self.settings_env()),
                                 capture_output=True, text=True, timeout=30, check=True).stdout
        self.assertEqual(servers.strip(), "@a(sssssb) []")
        app.screenshot("archive-removed")

        # A study the cache cannot have: listed, it can only come from the archive.
        extra = os.path.join(self.tmp, "extra")
        os.makedirs(extra)
        phantom = self.archive.phantom_dir("cr")
        cr = pydicom.dcmread(os.path.join(phantom, sorted(f for f in os.listdir(phantom)
                                                          if f.endswith(".dcm"))[0]))
        cr.StudyInstanceUID = generate_uid()
        cr.SeriesInstanceUID = generate_uid()
        cr.SOPInstanceUID = cr.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        cr.PatientID, cr.AccessionNumber = "LBPH-0005", "LBACC0005"
        cr.save_as(os.path.join(extra, "added.dcm"))
        self.archive.seed(extra)

        # Added again, its password is a new entry of a keyring the app already uses, and
        # the worklist asks for it as soon as the archive is saved: before Save waited for
        # the keyring, the worklist asked first, found nothing and was refused.
        self.add_archive(PASSWORD)
        app.wait_label(lambda t: t == "5 of 5 studies", "the archive's five studies",
                       root=app.frame)
        app.wait_label(lambda t: t == "LBPH-0005", "the row of the study added",
                       root=app.frame)
        self.assertFalse(self.banner_shown())
        self.assertEqual(self.in_keyring(), PASSWORD)
        app.screenshot("added-again-signed-in")

    def test_6_new_address_keeps_the_password(self):
        """The address edited, the password not typed again: it moves with the address in
        the keyring, and a new run signs in with it."""
        app = self.app
        moved = self.archive.url.replace("://127.0.0.1:", "://localhost:")
        self.assertNotEqual(moved, self.archive.url)
        prefs = Preferences(app)
        prefs.tab_to(is_row(ARCHIVE_NAME), "the archive's row")
        app.keys("space")
        app.keys("Tab", "Tab", "ctrl+a")
        app.type(moved)
        app.screenshot("address-edited")
        prefs.save()
        prefs.close()
        uitest.wait_for(lambda: self.in_keyring(moved) == PASSWORD, 30,
                        "the password under the new address")
        uitest.wait_for(lambda: self.in_keyring() is None, 30,
                        "the password to leave the old address")

        self.app.quit()
        self.launch()
        app = self.app
        app.wait_label(lambda t: t == "5 of 5 studies", "the five studies, in a new run",
                       root=app.frame)
        self.assertFalse(self.banner_shown())
        app.screenshot("new-address-signed-in")


if __name__ == "__main__":
    uitest.run_isolated_under_xvfb()
    unittest.main(verbosity=2)
