# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain HTTP to Orthanc's REST API on loopback, with optional basic auth."""

import base64
import http.client
import urllib.parse


def auth_header(auth):
    """The Authorization header value for a (user, password) pair, or None."""
    if not auth:
        return None
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
    return f"Basic {token}"


class Connection:
    """One keep-alive connection, reopened once when the server has closed it meanwhile."""

    def __init__(self, base_url, auth=None, timeout=60):
        parts = urllib.parse.urlsplit(base_url)
        self._host = parts.hostname
        self._port = parts.port
        self._timeout = timeout
        self._auth = auth_header(auth)
        self._conn = None

    def request(self, method, path, body=None, headers=None):
        """Send one request; return (status, body bytes)."""
        all_headers = dict(headers or {})
        if self._auth:
            all_headers["Authorization"] = self._auth
        try:
            return self._send(method, path, body, all_headers)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # Orthanc may close an idle keep-alive connection between two requests.
            self.close()
            return self._send(method, path, body, all_headers)

    def _send(self, method, path, body, headers):
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        self._conn.request(method, path, body=body, headers=headers)
        response = self._conn.getresponse()
        return response.status, response.read()

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
