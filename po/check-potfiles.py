#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every source file with strings marked for translation is in po/POTFILES.in, and every
file listed there exists: a string in a file left out never reaches the translators."""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKED = re.compile(r'(^|[^A-Za-z0-9_])(C_|N_|NC_|_) ?\(|translatable="yes"')


def main():
    with open(os.path.join(ROOT, "po", "POTFILES.in"), encoding="utf-8") as f:
        listed = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    marked = set()
    for top, _, files in os.walk(os.path.join(ROOT, "src")):
        for name in files:
            if not name.endswith((".c", ".h", ".ui")):
                continue
            path = os.path.join(top, name)
            with open(path, encoding="utf-8") as f:
                if MARKED.search(f.read()):
                    marked.add(os.path.relpath(path, ROOT))
    problems = [f"{p}: marks strings for translation but is not in po/POTFILES.in"
                for p in sorted(marked - listed)]
    problems += [f"{p}: listed in po/POTFILES.in but does not exist"
                 for p in sorted(listed) if not os.path.exists(os.path.join(ROOT, p))]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
