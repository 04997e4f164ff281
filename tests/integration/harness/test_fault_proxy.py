#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/integration/fault-proxy.py in front of the real Orthanc: each mode does what it says.

Runs under `tools/archive run` (it re-runs itself there when started on its own)."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import common

QIDO = "/dicom-web/studies"
# Orthanc writes the Host header into the URLs of its answers: the same Host header through
# the proxy and without it makes the same bytes.
SAME_HOST = {"Host": "127.0.0.1", "Accept": "application/dicom+json"}


def raw_get(port, path, timeout=10):
    """Send one GET on a fresh socket and return the socket, for reading the answer by hand."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Accept: application/dicom+json\r\n\r\n".encode())
    return sock


def read_to_end(sock):
    data = b""
    while True:
        piece = sock.recv(65536)
        if not piece:
            return data
        data += piece


def read_until_complete(sock):
    """Read one HTTP answer that has a Content-Length, or until the stream ends."""
    data = b""
    while True:
        if b"\r\n\r\n" in data:
            head, body = data.split(b"\r\n\r\n", 1)
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length" and len(body) >= int(value):
                    return data
        piece = sock.recv(65536)
        if not piece:
            return data
        data += piece


class FaultProxyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.target = os.environ["LB_ARCHIVE_REST"].removeprefix("http://")
        # The answer every test compares with: what Orthanc sends without a proxy.
        with raw_get(int(cls.target.rsplit(":", 1)[1]), QIDO) as sock:
            cls.direct = read_until_complete(sock)

    def proxy(self, *args, target=None):
        """Start the proxy with args; return its port (the log is self.log)."""
        log_dir = tempfile.mkdtemp(prefix="lb-proxy-test-")
        self.addCleanup(shutil.rmtree, log_dir, True)
        self.log = os.path.join(log_dir, "requests.log")
        proc = subprocess.Popen([sys.executable, common.FAULT_PROXY, "--target",
                                 target or self.target, "--log", self.log, *args],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

        def stop():
            proc.kill()
            proc.wait()
            proc.stdout.close()
        self.addCleanup(stop)
        return int(proc.stdout.readline())

    def logged(self):
        with open(self.log, encoding="latin-1") as f:
            return f.read().splitlines()

    def request(self, port, method="GET", path=QIDO, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request(method, path, body=body, headers={**SAME_HOST, **(headers or {})})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def test_pass_forwards_and_logs_each_request(self):
        port = self.proxy("--mode", "pass")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.addCleanup(conn.close)
        for _ in range(2):
            conn.request("GET", QIDO, headers=SAME_HOST)
            response = conn.getresponse()
            self.assertEqual(response.status, 200)
            self.assertEqual(response.read(), self.direct_body())
        # A body sent with chunked framing arrives whole (a search: the archive stays as is).
        query = b'{"Level": "Study", "Query": {}}'
        conn.request("POST", "/tools/find", body=iter([query[:10], query[10:]]),
                     headers={"Content-Type": "application/json"}, encode_chunked=True)
        response = conn.getresponse()
        self.assertEqual(response.status, 200)
        self.assertTrue(json.loads(response.read()))
        self.assertEqual(self.logged(), [f"1 GET {QIDO} HTTP/1.1", f"1 GET {QIDO} HTTP/1.1",
                                         "1 POST /tools/find HTTP/1.1"])

    def direct_body(self):
        return self.direct.split(b"\r\n\r\n", 1)[1]

    def test_cut_closes_each_connection_after_n_bytes(self):
        n = 1000
        self.assertGreater(len(self.direct), n)
        port = self.proxy("--mode", "cut", "--after-bytes", str(n))
        for _ in range(2):
            with raw_get(port, QIDO) as sock:
                self.assertEqual(read_to_end(sock), self.direct[:n])

    def test_cut_only_the_kth_connection(self):
        port = self.proxy("--mode", "cut", "--after-bytes", "300", "--count", "2")
        lengths = []
        for _ in range(3):
            with raw_get(port, QIDO) as sock:
                lengths.append(len(read_until_complete(sock)))
        self.assertEqual(lengths, [len(self.direct), 300, len(self.direct)])

    def test_stall_sends_n_bytes_then_nothing_but_stays_open(self):
        n = 500
        port = self.proxy("--mode", "stall", "--after-bytes", str(n))
        with raw_get(port, QIDO, timeout=1.5) as sock:
            got = b""
            while len(got) < n:
                got += sock.recv(65536)
            self.assertEqual(got, self.direct[:n])
            # Open (no end of stream) yet silent.
            with self.assertRaises(socket.timeout):
                sock.recv(65536)

    def test_status_then_pass(self):
        port = self.proxy("--mode", "status-then-pass", "--count", "2")
        answers = [self.request(port) for _ in range(3)]
        self.assertEqual([a[0] for a in answers], [503, 503, 200])
        status, headers, body = answers[0]
        self.assertEqual(headers["Connection"], "close")
        self.assertEqual(int(headers["Content-Length"]), len(body))
        self.assertEqual(answers[2][2], self.direct_body())
        self.assertEqual(len(self.logged()), 3)

    def test_status_500_always(self):
        port = self.proxy("--mode", "status", "--status", "500")
        for _ in range(3):
            self.assertEqual(self.request(port)[0], 500)

    def test_status_401_asks_for_basic_auth_after_reading_the_body(self):
        port = self.proxy("--mode", "status", "--status", "401")
        status, headers, _ = self.request(port, "POST", "/dicom-web/studies",
                                          body=b"x" * 200000,
                                          headers={"Content-Type": "application/dicom"})
        self.assertEqual(status, 401)
        self.assertEqual(headers["WWW-Authenticate"], 'Basic realm="x"')
        # A client waiting for 100 Continue is answered without sending its body.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /dicom-web/studies HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n")
            began = time.monotonic()
            self.assertTrue(read_to_end(sock).startswith(b"HTTP/1.1 401 Unauthorized\r\n"))
            self.assertLess(time.monotonic() - began, 0.9)

    def test_a_stopped_archive_resets_connections(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        port = self.proxy("--mode", "pass", target=f"127.0.0.1:{closed}")
        with self.assertRaises((ConnectionResetError, http.client.RemoteDisconnected)):
            self.request(port)

    def test_bad_usage(self):
        for args in (["--mode", "cut"], ["--mode", "status-then-pass"],
                     ["--mode", "status", "--status", "99"]):
            done = subprocess.run([sys.executable, common.FAULT_PROXY, "--target",
                                   self.target, *args], capture_output=True, timeout=10)
            self.assertEqual(done.returncode, 2, args)


if __name__ == "__main__":
    common.under_archive("--seed-dir", common.SMALL_SEED)
    unittest.main(verbosity=2)
