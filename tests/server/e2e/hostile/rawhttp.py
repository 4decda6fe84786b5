"""Raw-socket HTTP/1.1 for the hostile tests: send any bytes, read responses without trusting them.

Stdlib only. A response is (status, headers dict with lower-case names, body bytes); bodies are
read by Content-Length (evserve always sends one).
"""
import socket
import time


class Closed(Exception):
    """The server closed the connection before a whole response arrived."""


def connect(port, timeout=10.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Reader:
    """Reads responses from one socket, in order (pipelining)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed()
        self.buf += chunk

    def response(self):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError(f"not an HTTP status line: {lines[0]!r}")
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body


def request_bytes(target, method="GET", extra=""):
    return f"{method} {target} HTTP/1.1\r\nHost: evserve\r\n{extra}\r\n".encode("latin-1")


def exchange(port, data, timeout=10.0):
    """Sends data on a fresh connection and reads one response; None when the server only closed."""
    with connect(port, timeout) as s:
        s.sendall(data)
        try:
            return Reader(s).response()
        except (Closed, ConnectionResetError):
            return None


def get(port, target, timeout=10.0):
    answer = exchange(port, request_bytes(target, extra="Connection: close\r\n"), timeout)
    if answer is None:
        raise Closed(f"no answer to {target}")
    return answer


def wait_closed(sock, seconds):
    """Reads (and drops) until the peer closes; returns the seconds it took, None if it did not."""
    start = time.monotonic()
    sock.settimeout(0.5)
    while time.monotonic() - start < seconds:
        try:
            if not sock.recv(65536):
                return time.monotonic() - start
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
    return None
