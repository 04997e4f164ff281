# SPDX-License-Identifier: GPL-3.0-or-later
"""Command line of tools/archive: run, start, stop and seed."""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import ArchiveError, netns, orthanc, phantoms, seed
from .orthanc import StateDir

USAGE = """\
tools/archive run   [SEED] [--auth USER:PASS] [--port N] [--state-dir DIR] -- CMD [ARGS...]
       tools/archive start [SEED] [--auth USER:PASS] [--port N] --state-dir DIR
       tools/archive stop  --state-dir DIR
       tools/archive seed  [SEED] --state-dir DIR
where SEED is any of --seed pydicom, --phantoms [--build-dir DIR], --seed-dir DIR (repeatable)"""


def log(message):
    print(f"archive: {message}", file=sys.stderr, flush=True)


def main(script, argv):
    """Run one action; script is the real path of tools/archive, for re-running itself."""
    try:
        return _dispatch(script, argv)
    except ArchiveError as e:
        log(str(e))
        return 1
    except _Signalled as e:
        return 128 + e.signum


def _dispatch(script, argv):
    # `run` takes everything after `--` as the command, untouched by option parsing.
    ours, cmd = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv \
        else (argv, [])
    parser = _parser()
    args = parser.parse_args(ours)
    args.source_root = os.path.dirname(os.path.dirname(script))
    if args.action == "run":
        if not cmd:
            parser.error("run needs a command after `--`")
        return _run(script, argv, args, cmd)
    if cmd:
        parser.error(f"{args.action} takes no command after `--`")
    # An exception instead of sudden death, so that a half-started Orthanc is stopped.
    _Signals()
    return {"start": _start, "stop": _stop, "seed": _seed}[args.action](args)


def _parser():
    parser = argparse.ArgumentParser(
        prog="tools/archive", usage=USAGE,
        description="A real Orthanc DICOMweb archive on loopback for Lightbox's tests and "
                    "demo. As root it lives in a network namespace that has only lo.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION",
                                    prog="tools/archive")

    seeding = argparse.ArgumentParser(add_help=False)
    seeding.add_argument("--seed", action="append", default=[], choices=["pydicom"],
                         help="upload every file of pydicom's test files")
    seeding.add_argument("--phantoms", action="store_true",
                         help="upload phantom CT, MR and CR studies from tools/make-phantom")
    seeding.add_argument("--seed-dir", action="append", default=[], metavar="DIR",
                         help="upload every file below DIR")
    seeding.add_argument("--build-dir", metavar="DIR",
                         help="build tree holding tools/make-phantom (default: "
                              "$LB_BUILD_ROOT, else build/)")

    server = argparse.ArgumentParser(add_help=False)
    server.add_argument("--auth", type=_user_password, metavar="USER:PASS",
                        help="require HTTP basic auth with this user")
    server.add_argument("--port", type=_port, metavar="N",
                        help="HTTP port (default: the previous one of --state-dir, else free)")

    run = actions.add_parser("run", parents=[seeding, server],
                             usage="tools/archive run [options] -- CMD [ARGS...]",
                             help="start, seed, run a command against the archive, stop")
    run.add_argument("--state-dir", metavar="DIR",
                     help="keep config, log and storage here (default: a temporary folder, "
                          "removed afterwards)")
    start = actions.add_parser("start", parents=[seeding, server],
                               help="start in the background and print the DICOMweb URL")
    start.add_argument("--state-dir", metavar="DIR", required=True)
    stop = actions.add_parser("stop", help="stop an archive made by start")
    stop.add_argument("--state-dir", metavar="DIR", required=True)
    seed_ = actions.add_parser("seed", parents=[seeding], help="seed a running archive")
    seed_.add_argument("--state-dir", metavar="DIR", required=True)
    return parser


def _user_password(text):
    user, sep, password = text.partition(":")
    if not user or not sep:
        raise argparse.ArgumentTypeError("expected USER:PASS")
    return user, password


def _port(text):
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError("expected a TCP port number")
    return int(text)


def _sources(args):
    """What to upload; phantoms are generated here, before Orthanc starts, so that a missing
    generator fails fast and generation is not counted as archive time."""
    sources = []
    if "pydicom" in args.seed:
        sources.append(seed.pydicom_source())
    sources.extend(seed.Source(d, seed.files_under(d)) for d in args.seed_dir)
    if args.phantoms:
        build_dir = phantoms.find_build_dir(args.build_dir, args.source_root)
        sources.extend(phantoms.sources(build_dir, log))
    return sources


def _start_orthanc(state, args):
    proc, seconds = orthanc.start(state, args.port, args.auth)
    log(f"Orthanc ready in {seconds:.2f} s at {state.dicomweb_url()}")
    return proc


def _run(script, argv, args, cmd):
    if netns.exposed_as_root():
        netns.reexec_isolated([sys.executable, script] + argv)
    netns.prepare()
    signals = _Signals()
    temporary = args.state_dir is None
    state = StateDir(args.state_dir or tempfile.mkdtemp(prefix="lb-archive-"))
    proc = None
    keep_state = False
    try:
        sources = _sources(args)
        proc = _start_orthanc(state, args)
        seed.upload(state.rest_url(), args.auth, sources, log)
        status = signals.run_child(cmd, _environment(state, args.auth))
        if proc.poll() is not None:
            keep_state = temporary
            log(f"Orthanc stopped by itself (exit status {proc.returncode}) while the command "
                f"ran; see {state.log_path}.")
        return status
    finally:
        signals.stopping = True
        if proc is not None:
            orthanc.stop_process(proc)
            state.remove_run_files()
        if temporary and not keep_state:
            shutil.rmtree(state.path, ignore_errors=True)


def _environment(state, auth):
    env = dict(os.environ)
    env["LB_ARCHIVE_URL"] = state.dicomweb_url()
    env["LB_ARCHIVE_REST"] = state.rest_url()
    env["LB_ARCHIVE_STATE"] = state.path
    env.pop("LB_ARCHIVE_USER", None)
    env.pop("LB_ARCHIVE_PASSWORD", None)
    if auth:
        env["LB_ARCHIVE_USER"], env["LB_ARCHIVE_PASSWORD"] = auth
    return env


class _Signalled(Exception):
    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """SIGTERM, SIGHUP and SIGINT abort the set-up, and later go to the command `run` runs."""

    def __init__(self):
        self.child = None
        self.stopping = False
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum, frame):
        if self.stopping:
            return
        if self.child is None:
            raise _Signalled(signum)
        # Ctrl+C in a terminal already reached the command, which shares our process group;
        # sending it a second SIGINT could make it give up its own clean-up.
        if signum != signal.SIGINT:
            self.child.send_signal(signum)

    def run_child(self, cmd, env):
        try:
            self.child = subprocess.Popen(cmd, env=env)
        except OSError as e:
            raise ArchiveError(f"cannot run {cmd[0]}: {e.strerror}.")
        status = self.child.wait()
        return 128 - status if status < 0 else status


def _start(args):
    if netns.exposed_as_root():
        raise ArchiveError("refusing to start Orthanc as root outside an isolated network "
                           "namespace, where its port would be open on every interface: use "
                           "`tools/archive run -- CMD`, or `unshare -n` first.")
    netns.prepare()
    state = StateDir(args.state_dir)
    sources = _sources(args)
    reused = state.has_storage()
    proc = _start_orthanc(state, args)
    try:
        if reused:
            log(f"reusing the storage in {state.storage_path}")
        seed.upload(state.rest_url(), args.auth, sources, log)
    except BaseException:
        orthanc.stop_process(proc)
        state.remove_run_files()
        raise
    print(state.dicomweb_url(), flush=True)
    return 0


def _stop(args):
    state = StateDir(args.state_dir)
    pid = state.running_pid()
    if pid is None:
        state.remove_run_files()
        log(f"no archive was running on {state.path}")
        return 0
    began = time.monotonic()
    clean = orthanc.stop_pid(pid)
    state.remove_run_files()
    log(f"Orthanc stopped in {time.monotonic() - began:.2f} s"
        + ("" if clean else " (killed: it ignored SIGTERM)"))
    return 0


def _seed(args):
    state = StateDir(args.state_dir)
    if state.running_pid() is None:
        raise ArchiveError(f"no archive is running on {state.path}; start it first.")
    seed.upload(state.rest_url(), state.config_auth(), _sources(args), log)
    return 0
