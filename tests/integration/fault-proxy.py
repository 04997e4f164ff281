#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A TCP proxy on 127.0.0.1 that puts network faults between the client under test and Orthanc.

    fault-proxy.py --target HOST:PORT --mode MODE [--after-bytes N] [--count K]
                   [--status CODE] [--port N] [--log FILE]

It prints the port it listens on as the first line of stdout, then serves until killed.
Modes:
  pass              forward everything
  cut               forward, then close both sides once N response bytes of a connection have
                    gone to the client (every connection, or only the K-th with --count K)
  stall             forward N response bytes, then forward nothing more but keep the
                    connection open (every connection, or only the K-th)
  status-then-pass  answer the first K requests with --status (503), then forward
  status            answer every request with --status (500); 401 comes with
                    WWW-Authenticate: Basic realm="x"
With --log, each HTTP request line is appended to FILE as "CONNECTION REQUEST-LINE", so a
test can count requests and connections.  Connections are numbered from 1 as accepted.
"""

import argparse
import http
import socket
import struct
import sys
import threading

# A request head larger than this is not HTTP we know how to frame: forward it raw.
MAX_HEAD = 256 * 1024
# After a canned answer, how long to keep reading what the client still sends, so that
# closing does not reset the connection before the client has read the answer.
LINGER_SECONDS = 1.0


class NotHttp(Exception):
    pass


class Reader:
    """Buffered reads from a socket, enough to find HTTP request boundaries."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        self.buf += data
        return bool(data)

    def until(self, delimiter, limit):
        """Bytes up to and including delimiter; None at a clean end of stream."""
        while delimiter not in self.buf:
            if len(self.buf) > limit:
                raise NotHttp()
            if not self._fill():
                if self.buf:
                    raise NotHttp()
                return None
        end = self.buf.index(delimiter) + len(delimiter)
        data, self.buf = self.buf[:end], self.buf[end:]
        return data

    def some(self, most):
        """Up to most bytes (at least one); EOFError if the stream ends first."""
        if not self.buf and not self._fill():
            raise EOFError()
        data, self.buf = self.buf[:most], self.buf[most:]
        return data

    def take_buffer(self):
        data, self.buf = self.buf, b""
        return data


def parse_head(head):
    """(request line, {lower-case name: value}) of a request head."""
    lines = head.decode("latin-1").split("\r\n")
    if len(lines[0].split(" ")) != 3:
        raise NotHttp()
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


def body_pieces(reader, headers):
    """The raw bytes of a request body, framing included, as they arrive."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size_line = reader.until(b"\r\n", MAX_HEAD)
            if size_line is None:
                raise EOFError()
            yield size_line
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                break
            left = size + 2
            while left:
                piece = reader.some(left)
                left -= len(piece)
                yield piece
        while True:
            trailer = reader.until(b"\r\n", MAX_HEAD)
            if trailer is None:
                raise EOFError()
            yield trailer
            if trailer == b"\r\n":
                return
    left = int(headers.get("content-length", "0") or "0")
    while left > 0:
        piece = reader.some(left)
        left -= len(piece)
        yield piece


class Proxy:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.connections = 0
        self.canned_left = args.count if args.mode == "status-then-pass" else 0
        self.log = open(args.log, "a", encoding="latin-1") if args.log else None

    def serve(self, listener):
        while True:
            client, _ = listener.accept()
            with self.lock:
                self.connections += 1
                number = self.connections
            threading.Thread(target=Session(self, client, number).run, daemon=True).start()

    def log_request(self, number, request_line):
        if self.log:
            with self.lock:
                self.log.write(f"{number} {request_line}\n")
                self.log.flush()

    def answers_canned(self):
        if self.args.mode == "status":
            return True
        with self.lock:
            if self.canned_left > 0:
                self.canned_left -= 1
                return True
        return False

    def faulted(self, number):
        """Whether connection number gets cut or stalled."""
        return self.args.mode in ("cut", "stall") and self.args.count in (None, number)


def note(message):
    print(f"fault-proxy: {message}", file=sys.stderr, flush=True)


class Session:
    """One client connection and, once a request is forwarded, its upstream connection."""

    def __init__(self, proxy, client, number):
        self.proxy = proxy
        self.client = client
        self.number = number
        self.upstream = None
        self.client_gone = threading.Event()

    def run(self):
        reader = Reader(self.client)
        try:
            self._requests(reader)
        except NotHttp:
            if self.proxy.args.mode not in ("status", "status-then-pass"):
                self._forward_raw(reader)
        except (OSError, EOFError, ValueError):
            pass
        finally:
            self.client_gone.set()
            if self.upstream is not None:
                _shutdown(self.upstream, socket.SHUT_WR)
            else:
                _close(self.client)

    def _requests(self, reader):
        while True:
            head = reader.until(b"\r\n\r\n", MAX_HEAD)
            if head is None:
                return
            try:
                request_line, headers = parse_head(head)
            except NotHttp:
                reader.buf = head + reader.buf
                raise
            self.proxy.log_request(self.number, request_line)
            if self.upstream is None and self.proxy.answers_canned():
                self._answer_canned(reader, headers)
                return
            self._connect_upstream()
            self.upstream.sendall(head)
            for piece in body_pieces(reader, headers):
                self.upstream.sendall(piece)

    def _forward_raw(self, reader):
        try:
            self._connect_upstream()
            data = reader.take_buffer()
            while data:
                self.upstream.sendall(data)
                data = self.client.recv(65536)
        except OSError:
            pass

    def _connect_upstream(self):
        if self.upstream is not None:
            return
        host, port = self.proxy.args.target
        try:
            self.upstream = socket.create_connection((host, port))
        except OSError:
            # What a client sees of a server that is down: a reset, not an answer.
            self.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            raise
        self.upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=self._pump_responses, daemon=True).start()

    def _pump_responses(self):
        faulted = self.proxy.faulted(self.number)
        budget = self.proxy.args.after_bytes if faulted else None
        try:
            while True:
                data = self.upstream.recv(65536)
                if not data:
                    break
                if budget is not None and len(data) >= budget:
                    self.client.sendall(data[:budget])
                    self._fault()
                    return
                self.client.sendall(data)
                if budget is not None:
                    budget -= len(data)
        except OSError:
            pass
        _shutdown(self.client, socket.SHUT_RDWR)
        _close(self.client)
        _close(self.upstream)

    def _fault(self):
        mode = self.proxy.args.mode
        note(f"connection {self.number}: {mode} after {self.proxy.args.after_bytes} bytes")
        if mode == "stall":
            # Nothing more goes either way until the client gives up.
            self.client_gone.wait()
        _shutdown(self.client, socket.SHUT_RDWR)
        _close(self.client)
        _close(self.upstream)

    def _answer_canned(self, reader, headers):
        # A client that waits for 100 Continue sends no body: answer at once instead.
        if headers.get("expect", "").lower() != "100-continue":
            for _ in body_pieces(reader, headers):
                pass
        status = self.proxy.args.status
        reason = http.HTTPStatus(status).phrase
        body = f"{status} {reason}\n".encode()
        extra = 'WWW-Authenticate: Basic realm="x"\r\n' if status == 401 else ""
        answer = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n"
                  f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n")
        self.client.sendall(answer.encode() + body)
        _shutdown(self.client, socket.SHUT_WR)
        self.client.settimeout(LINGER_SECONDS)
        try:
            while self.client.recv(65536):
                pass
        except OSError:
            pass


def _shutdown(sock, how):
    try:
        sock.shutdown(how)
    except OSError:
        pass


def _close(sock):
    try:
        sock.close()
    except OSError:
        pass


def _target(text):
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT")
    return host, int(port)


def _parse(argv):
    parser = argparse.ArgumentParser(
        prog="fault-proxy.py", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--target", type=_target, required=True, metavar="HOST:PORT")
    parser.add_argument("--mode", required=True,
                        choices=["pass", "cut", "stall", "status-then-pass", "status"])
    parser.add_argument("--after-bytes", type=int, metavar="N",
                        help="response bytes a connection gets before cut or stall")
    parser.add_argument("--count", type=int, metavar="K",
                        help="cut/stall: only the K-th connection; status-then-pass: K answers")
    parser.add_argument("--status", type=int, metavar="CODE",
                        help="status of canned answers (503 for status-then-pass, else 500)")
    parser.add_argument("--port", type=int, default=0, metavar="N",
                        help="port to listen on (default: a free one)")
    parser.add_argument("--log", metavar="FILE", help="append each request line here")
    args = parser.parse_args(argv)
    if args.mode in ("cut", "stall") and (args.after_bytes is None or args.after_bytes < 0):
        parser.error(f"--mode {args.mode} needs --after-bytes N (N >= 0)")
    if args.mode == "status-then-pass" and (args.count is None or args.count < 1):
        parser.error("--mode status-then-pass needs --count K (K >= 1)")
    if args.count is not None and args.count < 1:
        parser.error("--count must be at least 1")
    if args.status is None:
        args.status = 503 if args.mode == "status-then-pass" else 500
    if args.status not in {s.value for s in http.HTTPStatus} or args.status < 200:
        parser.error(f"--status {args.status} is not a final HTTP status code")
    return args


def main(argv):
    args = _parse(argv)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", args.port))
    except OSError as e:
        print(f"fault-proxy: cannot listen on 127.0.0.1:{args.port}: {e.strerror}.",
              file=sys.stderr)
        return 1
    listener.listen(128)
    print(listener.getsockname()[1], flush=True)
    try:
        Proxy(args).serve(listener)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
