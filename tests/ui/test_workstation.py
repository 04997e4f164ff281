#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reading workstation against a real Orthanc seeded with the phantoms, driven from the
keyboard: the worklist filter narrows to the right row, Enter opens the CT, the arrow keys
scroll it, digit keys switch presets, the picture on screen and the one the viewport
renders hold the grey the window gives the phantom's known HU values, the shortcuts window
opens, the offline banner comes and goes with the archive, and the CT opens again from
the cache, its first image read ahead while its row was selected.  Screenshots of each step
are kept in BUILD/tests/ui/artefacts/workstation/."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitest  # noqa: E402 (this folder, put on the path just above)

# The phantom CT's built-in presets: 4 is soft tissue (400/40), 7 lung (1500/-600).
SOFT_TISSUE = (40.0, 400.0)
LUNG = (-600.0, 1500.0)


def window_grey(hu, centre, width):
    """PS3.3 C.11.2.1.2 LINEAR, to 8 bits: what the viewport must show for @hu."""
    if hu <= centre - 0.5 - (width - 1) / 2:
        return 0.0
    if hu > centre - 0.5 + (width - 1) / 2:
        return 255.0
    return ((hu - (centre - 0.5)) / (width - 1) + 0.5) * 255


def patch_mean(image, x, y, radius=2):
    values = [image.getpixel((x + dx, y + dy)) for dx in range(-radius, radius + 1)
              for dy in range(-radius, radius + 1)]
    return sum(values) / len(values)


class Workstation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.state = tempfile.mkdtemp(prefix="lb-ui-archive-")
        cls.archive = uitest.Archive(cls.state)
        cls.archive.start()
        with open(os.path.join(cls.archive.phantom_dir("ct-explicit"), "phantom.json")) as f:
            cls.phantom = json.load(f)
        cls.app = uitest.App(uitest.artefact_dir("workstation"), ["--server", cls.archive.url])

    @classmethod
    def tearDownClass(cls):
        cls.app.quit()
        cls.archive.stop()

    def sphere(self, name):
        for s in self.phantom["test_objects"]:
            if s["name"] == name:
                return s
        raise KeyError(name)

    def test_1_worklist_filter_narrows(self):
        app = self.app
        app.wait_label(lambda t: t == "4 of 4 studies", "the four phantom studies")
        app.wait_label(lambda t: t == "LBPH-0004", "the rows")
        shot = app.screenshot("worklist")
        # Dark for the reading room, with no desktop preference set: the empty list
        # below the rows.
        self.assertLess(max(app.pixel(shot, 640, 600)), 60)
        # Read in order of urgency: the STAT CT first, then the HIGH MR, then the routine
        # studies, whose priority cells stay empty.
        labels = app.labels()
        rows = [label for label in labels if label.startswith("LBPH-")]
        self.assertEqual(rows[:2], ["LBPH-0001", "LBPH-0003"], labels)
        self.assertEqual(sorted(rows[2:]), ["LBPH-0002", "LBPH-0004"], labels)
        self.assertLess(labels.index("STAT"), labels.index("LBPH-0001"))
        self.assertLess(labels.index("LBPH-0001"), labels.index("High"))
        self.assertLess(labels.index("High"), labels.index("LBPH-0003"))
        app.type("explicit")
        app.wait_label(lambda t: t == "1 of 4 studies", "the filter to leave one study")
        # The count changes before the view lays out its rows: wait for the one row.
        app.wait_label(lambda t: t == "LBPH-0002", "the row of the CT")
        # The rows of the other studies are gone from the view, not only scrolled away.
        labels = app.labels()
        for other in ("LBPH-0001", "LBPH-0003", "LBPH-0004"):
            self.assertNotIn(other, labels)
        app.screenshot("worklist-filtered")

    def test_2_open_scroll_presets(self):
        app = self.app
        app.keys("Return")
        app.wait_viewport(lambda d: "Axial soft tissue 1 mm, image 1 of 300" in d,
                          "the CT's first image")
        app.wait_label(lambda t: t == "300 images", "the whole series", timeout=120)
        app.screenshot("opened")

        sphere = self.sphere("sphere-100")
        centre = sphere["centre_index"]
        i, j = round(centre[0]), round(centre[1])
        self.assertEqual(int(centre[2]), 149)

        # Home, then 15 x (Shift+Down) = image 151: the slice just below the sphere's centre.
        app.keys("Home", *(["shift+Down"] * 15))
        app.wait_viewport(lambda d: "image 151 of 300" in d, "image 151")
        image = app.save_image("slice-151-soft-tissue")
        self.assertEqual(image.size, (512, 512))
        want = window_grey(sphere["value"], *SOFT_TISSUE)
        self.assertAlmostEqual(patch_mean(image, i, j), want, delta=3)

        # Fifty images up the sphere is gone: the right lung is there, black in this window.
        app.keys(*(["shift+Up"] * 5))
        app.wait_viewport(lambda d: "image 101 of 300" in d, "image 101")
        image = app.save_image("slice-101-soft-tissue")
        self.assertLess(patch_mean(image, i, j), 3)

        app.keys(*(["shift+Down"] * 5), "7")
        app.wait_viewport(lambda d: "window 1500/-600" in d, "the lung preset")
        image = app.save_image("slice-151-lung")
        exported = patch_mean(image, i, j)
        self.assertAlmostEqual(exported, window_grey(sphere["value"], *LUNG), delta=3)
        shot = app.screenshot("lung-preset")

        # The screen shows what the viewport rendered: the sphere's centre mapped through
        # the fitted view onto the screenshot.
        from PIL import Image
        vx, vy, vw, vh = app.extents(app.viewport())
        scale = min(vw / 512, vh / 512)
        sx = round(vx + vw / 2 + (i + 0.5 - 256) * scale)
        sy = round(vy + vh / 2 + (j + 0.5 - 256) * scale)
        screen = Image.open(shot).convert("L")
        self.assertAlmostEqual(patch_mean(screen, sx, sy, 1), exported, delta=6)

        # 0 is the full range of the frame: the overlay's width is no preset's.
        app.keys("0")
        app.wait_viewport(lambda d: "window" in d and "1500/-600" not in d and "400/40" not in d,
                          "the full-range window")
        app.keys("4")
        app.wait_viewport(lambda d: "window 400/40" in d, "the soft-tissue preset")
        app.screenshot("soft-tissue-preset")

    def test_3_shortcuts_window(self):
        app = self.app
        app.keys("ctrl+question")
        window = uitest.wait_for(
            lambda: [f for f in app.frames() if f is not None and f.name != "Lightbox"
                     and app.find_all(lambda a: a.name == "Next image", f)], 30,
            "the shortcuts window")
        self.assertTrue(window)
        app.screenshot("shortcuts")
        app.keys("Escape")
        uitest.wait_for(lambda: all(f.name == "Lightbox" for f in app.frames() if f is not None),
                        30, "the shortcuts window to close")

    def banner_shown(self):
        """The banner is the only amber band across the top of the window."""
        r, g, b = self.app.pixel(self.app.screenshot("banner-check"), 400, 8)
        return r - b > 25

    def test_4_offline_banner(self):
        app = self.app
        app.keys("ctrl+w")
        self.assertFalse(self.banner_shown())
        self.archive.stop()
        app.keys("F5")
        uitest.wait_for(self.banner_shown, 60, "the offline banner")
        app.screenshot("offline")
        self.archive.start(seed=False)
        app.keys("F5")
        uitest.wait_for(lambda: not self.banner_shown(), 60, "the banner to go")
        app.screenshot("online-again")

    def test_5_reopen_from_cache(self):
        """The CT came whole into the cache while it was read: with its row selected the
        worklist reads its first image ahead, and Enter shows that image, then the rest
        of the series, with the same grey as from the archive."""
        app = self.app
        app.wait_label(lambda t: t == "LBPH-0002", "the row of the CT")
        app.wait_label(lambda t: t == "Cached", "the CT's row to say it is cached")
        app.keys("Return")
        app.wait_viewport(lambda d: "Axial soft tissue 1 mm, image 1 of 300" in d,
                          "the CT's first image, from the cache")
        app.wait_label(lambda t: t == "300 images", "the whole series from the cache")
        sphere = self.sphere("sphere-100")
        i, j = round(sphere["centre_index"][0]), round(sphere["centre_index"][1])
        app.keys("Home", *(["shift+Down"] * 15))
        app.wait_viewport(lambda d: "image 151 of 300" in d, "image 151")
        image = app.save_image("cached-slice-151-soft-tissue")
        self.assertAlmostEqual(patch_mean(image, i, j), window_grey(sphere["value"], *SOFT_TISSUE),
                               delta=3)
        app.screenshot("reopened-from-cache")


if __name__ == "__main__":
    uitest.run_isolated_under_xvfb()
    unittest.main(verbosity=2)
