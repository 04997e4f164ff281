# SPDX-License-Identifier: GPL-3.0-or-later
"""One Orthanc server and the state folder that holds everything it owns.

The state folder holds orthanc.json (which also remembers the port and users between starts),
storage/ (files and index), orthanc.log, orthanc.out (its console) and, while it runs,
orthanc.pid, url and rest.
"""

import errno
import json
import os
import signal
import socket
import subprocess
import time

from . import ArchiveError
from .rest import Connection

ORTHANC = "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
START_TIMEOUT = 30.0
# Orthanc takes ~2.5 s to stop after SIGTERM; past this it is stuck, not slow.
STOP_TIMEOUT = 20.0
# A port picked by the kernel can be taken by someone else before Orthanc binds it.
START_ATTEMPTS = 3


class StateDir:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.config_path = os.path.join(self.path, "orthanc.json")
        self.storage_path = os.path.join(self.path, "storage")
        self.log_path = os.path.join(self.path, "orthanc.log")
        self.console_path = os.path.join(self.path, "orthanc.out")
        self.pid_path = os.path.join(self.path, "orthanc.pid")
        self.url_path = os.path.join(self.path, "url")
        self.rest_path = os.path.join(self.path, "rest")

    def create(self):
        os.makedirs(self.storage_path, mode=0o700, exist_ok=True)
        os.chmod(self.path, 0o700)

    def read_config(self):
        """The config of the last start, or None if this folder never held an archive."""
        try:
            with open(self.config_path, encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise ArchiveError(f"cannot read {self.config_path}: {e}.")

    def write_config(self, port, auth):
        users = {auth[0]: auth[1]} if auth else {}
        config = {
            "Name": "Lightbox test archive",
            "StorageDirectory": self.storage_path,
            "IndexDirectory": self.storage_path,
            "Plugins": [DICOMWEB_PLUGIN],
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/", "EnableWado": False},
            "HttpPort": port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": bool(users),
            "RegisteredUsers": users,
            "DicomServerEnabled": False,
            "WebDavEnabled": False,
            "OrthancExplorerEnabled": False,
            "MetricsEnabled": False,
            "ExecuteLuaEnabled": False,
            "RestApiWriteToFileSystemEnabled": False,
            "SaveJobs": False,
            "OverwriteInstances": True,
            # Test data in a scratch folder: an fsync per stored instance buys nothing here
            # and makes seeding hundreds of slices several times slower.
            "SyncStorageArea": False,
        }
        with open(self.config_path, "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2)
            f.write("\n")

    def config_port(self):
        config = self.read_config()
        return config.get("HttpPort") if config else None

    def config_auth(self):
        config = self.read_config() or {}
        users = config.get("RegisteredUsers") or {}
        return next(iter(users.items())) if config.get("AuthenticationEnabled") else None

    def rest_url(self):
        return f"http://127.0.0.1:{self.config_port()}"

    def dicomweb_url(self):
        return self.rest_url() + "/dicom-web"

    def has_storage(self):
        return os.path.isdir(self.storage_path) and bool(os.listdir(self.storage_path))

    def write_run_files(self, pid):
        for path, text in ((self.pid_path, str(pid)), (self.url_path, self.dicomweb_url()),
                           (self.rest_path, self.rest_url())):
            with open(path, "w", encoding="ascii") as f:
                f.write(text + "\n")

    def remove_run_files(self):
        for path in (self.pid_path, self.url_path, self.rest_path):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    def running_pid(self):
        """The pid of this folder's Orthanc if it is alive, else None."""
        try:
            with open(self.pid_path, encoding="ascii") as f:
                pid = int(f.read().strip())
        except (FileNotFoundError, ValueError):
            return None
        # A pid file can outlive its process and the pid be reused: check it is our Orthanc.
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            return None
        if ORTHANC.encode() not in argv or self.config_path.encode() not in argv:
            return None
        return None if _is_zombie(pid) else pid


def free_port():
    # Bound on all interfaces because that is where Orthanc will bind it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


def start(state, port, auth):
    """Start Orthanc for state; return (Popen, seconds until it answered DICOMweb).

    Without a port, a restart reuses the port of the previous start, so that URLs a test
    kept from before still work.
    """
    state.create()
    if state.running_pid():
        raise ArchiveError(f"an archive is already running on {state.path}; stop it first.")
    fixed_port = port or state.config_port()
    attempts = 1 if fixed_port else START_ATTEMPTS
    while True:
        attempts -= 1
        state.write_config(fixed_port or free_port(), auth)
        began = time.monotonic()
        proc = _spawn(state)
        try:
            _wait_ready(state, proc, auth)
        except _PortInUse:
            if attempts > 0:
                continue
            if fixed_port:
                raise ArchiveError(f"port {fixed_port} is already in use, so Orthanc cannot "
                                   f"listen on it (see {state.log_path}).")
            raise ArchiveError(f"every free port Orthanc tried was taken before it could "
                               f"bind it (see {state.log_path}).")
        except BaseException:
            stop_process(proc)
            raise
        state.write_run_files(proc.pid)
        return proc, time.monotonic() - began


class _PortInUse(Exception):
    pass


def _spawn(state):
    with open(state.console_path, "ab") as console:
        try:
            # A session of its own keeps the terminal's Ctrl+C away from Orthanc: the harness
            # stops it once the command it serves has finished.
            return subprocess.Popen(
                [ORTHANC, f"--logfile={state.log_path}", state.config_path],
                stdin=subprocess.DEVNULL, stdout=console, stderr=console,
                cwd=state.path, start_new_session=True, close_fds=True)
        except OSError as e:
            raise ArchiveError(f"cannot run {ORTHANC} (Debian package orthanc): {e.strerror}.")


def _wait_ready(state, proc, auth):
    conn = Connection(state.rest_url(), auth, timeout=5)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                if _log_mentions(state, "already in use"):
                    raise _PortInUse()
                raise ArchiveError(f"Orthanc stopped while starting (exit status "
                                   f"{proc.returncode}); see {state.log_path}.")
            try:
                status, _ = conn.request("GET", "/dicom-web/studies?limit=1")
            except OSError as e:
                if e.errno not in (errno.ECONNREFUSED, errno.ECONNRESET, None):
                    raise ArchiveError(f"cannot reach Orthanc on {state.rest_url()}: {e}.")
                conn.close()
                time.sleep(0.02)
                continue
            if status == 200:
                return
            raise ArchiveError(f"Orthanc answered HTTP {status} on its DICOMweb root; "
                               f"see {state.log_path}.")
    finally:
        conn.close()
    raise ArchiveError(f"Orthanc did not answer within {START_TIMEOUT:.0f} s; "
                       f"see {state.log_path}.")


def _log_mentions(state, text):
    try:
        with open(state.log_path, encoding="utf-8", errors="replace") as f:
            return text in f.read()
    except FileNotFoundError:
        return False


def stop_process(proc):
    """Stop an Orthanc that this process started, and reap it."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop_pid(pid):
    """Stop an Orthanc started by an earlier `start`; it is not our child, so poll /proc."""
    _signal(pid, signal.SIGTERM)
    if _wait_gone(pid, STOP_TIMEOUT):
        return True
    _signal(pid, signal.SIGKILL)
    _wait_gone(pid, 5.0)
    return False


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _wait_gone(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}") or _is_zombie(pid):
            return True
        time.sleep(0.05)
    return False


def _is_zombie(pid):
    # Whoever inherited a detached Orthanc may reap it late; a zombie holds no port or file.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True
