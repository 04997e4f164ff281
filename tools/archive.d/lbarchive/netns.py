# SPDX-License-Identifier: GPL-3.0-or-later
"""Loopback-only network namespaces, so that a test archive can never be reached from outside.

Orthanc's HttpPort always binds 0.0.0.0, and RemoteAccessAllowed is a check inside Orthanc, not
a firewall; as root the harness therefore keeps Orthanc in a namespace that has only `lo`.
"""

import os
import subprocess

from . import ArchiveError

# Set across the re-exec so that a namespace which is still not isolated fails instead of looping.
_REEXEC_MARK = "LB_ARCHIVE_NETNS_REEXEC"


def interfaces():
    # /proc/self/net follows the caller's namespace; /sys/class/net follows the namespace of
    # whoever mounted /sys, so after a bare `unshare -n` it still lists the host's devices.
    with open("/proc/self/net/dev", encoding="ascii") as f:
        rows = f.readlines()[2:]
    return sorted(row.split(":", 1)[0].strip() for row in rows)


def is_isolated():
    return interfaces() == ["lo"]


def exposed_as_root():
    """True when Orthanc started here would listen on the host's interfaces as root."""
    return os.geteuid() == 0 and not is_isolated()


def reexec_isolated(argv):
    """Replace this process by argv inside a new network and mount namespace."""
    if os.environ.get(_REEXEC_MARK):
        raise ArchiveError("unshare -n gave a network namespace that still has interfaces "
                           f"other than lo ({', '.join(interfaces())}).")
    env = dict(os.environ)
    env[_REEXEC_MARK] = "1"
    try:
        os.execvpe("unshare", ["unshare", "--net", "--mount", "--"] + argv, env)
    except OSError as e:
        raise ArchiveError(f"cannot run unshare (util-linux) to isolate the archive: "
                           f"{e.strerror}.")


def prepare():
    """Bring lo up in an isolated namespace owned by root; a no-op anywhere else."""
    if os.geteuid() != 0 or not is_isolated():
        return
    _check_call(["ip", "link", "set", "lo", "up"], "bring up lo")
    if os.environ.pop(_REEXEC_MARK, None):
        # The mount namespace is ours: a fresh sysfs makes /sys/class/net agree with
        # /proc/self/net for the command we run, as `ip netns exec` does.
        _check_call(["mount", "-t", "sysfs", "sysfs", "/sys"], "remount /sys")


def _check_call(argv, what):
    try:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", b"") or b""
        raise ArchiveError(f"cannot {what} in the archive's network namespace: "
                           f"{detail.decode(errors='replace').strip() or e}.")
