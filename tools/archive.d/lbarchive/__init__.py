# SPDX-License-Identifier: GPL-3.0-or-later
"""The real Orthanc archive that Lightbox's tests and demo run against (see tools/archive)."""


class ArchiveError(Exception):
    """A failure the harness reports as one sentence, without a traceback."""
