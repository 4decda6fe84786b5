#!/usr/bin/env python3
"""HTTP/1.1 framing (RFC 9112), each finding of the adversarial probe of issue 15 over a raw
socket, a good client beside it all along (docs/api.md, "HTTP framing"):

  * Transfer-Encoding not ending in chunked ("chunked, gzip", "identity"): 400 and close; the
    body is never run as a second request (request smuggling past a proxy guarding /metrics);
  * HTTP/1.1 without Host, or with two Host fields: 400; HTTP/1.0 without Host: served;
  * an absolute-form target (GET http://x/v1/game/stats): served as its path;
  * one empty line before the request line: ignored;
  * Expect: 100-continue with a body: 100 Continue at once, then the answer once the body is in;
  * CONNECT and OPTIONS *: 405 with Allow;
  * error messages in words, without Boost.URL's ("mismatch", "leftover").

  http_framing.py --evserve BIN --db-url URL --queries QUERIES_JSONL --work DIR
"""
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawhttp  # noqa: E402
import scenario  # noqa: E402
from scenario import check  # noqa: E402


def answers(port, data, want=2, timeout=5):
    """Every response to `data` on one connection, and whether the server closed it after them."""
    s = rawhttp.connect(port, timeout=timeout)
    out = []
    closed = False
    try:
        s.sendall(data)
        reader = rawhttp.Reader(s)
        while len(out) < want:
            try:
                out.append(reader.response())
            except (rawhttp.Closed, ConnectionResetError):
                closed = True
                break
            except socket.timeout:
                break
        if not closed:
            closed = rawhttp.wait_closed(s, 2) is not None
    finally:
        s.close()
    return out, closed


def smuggling(port):
    for coding in ("chunked, gzip", "identity", "gzip", "chunked\r\nTransfer-Encoding: gzip"):
        what = f"Transfer-Encoding: {coding!r} then GET /metrics"
        data = (f"GET /healthz HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: {coding}\r\n\r\n"
                "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n").encode()
        got, closed = answers(port, data)
        statuses = [status for status, _, _ in got]
        print(f"  {what}: {statuses}, closed={closed}", flush=True)
        check(statuses == [400], f"{what}: answered {statuses}, expected one 400")
        check(closed, f"{what}: the connection stayed open")
        check(all(b"evserve_http_requests_total" not in body for _, _, body in got), f"{what}: /metrics leaked")
        if got:
            check(got[0][1].get("connection") == "close", f"{what}: no Connection: close")
            check(json.loads(got[0][2]).get("error") == "bad_request", f"{what}: {got[0][2]!r}")
    # A valid chunked body (the last coding is chunked) is still read as one.
    data = b"GET /healthz HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    got, _ = answers(port, data, want=1)
    check([s for s, _, _ in got] == [200], f"valid chunked body: {[s for s, _, _ in got]}")


def host_header(port):
    cases = [
        ("HTTP/1.1 without Host", b"GET /healthz HTTP/1.1\r\n\r\n", 400),
        ("two different Host fields", b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("the same Host twice", b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
        ("HTTP/1.0 without Host", b"GET /healthz HTTP/1.0\r\n\r\n", 200),
    ]
    for what, data, want in cases:
        got, _ = answers(port, data, want=1)
        statuses = [s for s, _, _ in got]
        print(f"  {what}: {statuses}", flush=True)
        check(statuses == [want], f"{what}: got {statuses}, expected {want}")
        if want == 400 and got:
            check("Host" in json.loads(got[0][2]).get("message", ""), f"{what}: {got[0][2]!r}")


def absolute_form(port):
    direct = rawhttp.get(port, "/v1/game/stats?date=2010-05-09")
    for target in ("http://x/v1/game/stats?date=2010-05-09", "HTTP://evserve.example:8086/v1/game/stats?date=2010-05-09"):
        got, _ = answers(port, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), want=1)
        print(f"  absolute-form {target}: {[s for s, _, _ in got]}", flush=True)
        check(len(got) == 1 and got[0][0] == 200, f"absolute-form {target}: {got}")
        check(got and got[0][2] == direct[2], f"absolute-form {target}: another answer than its path's")


def empty_line_first(port):
    for prefix in (b"\r\n", b"\n"):
        got, _ = answers(port, prefix + b"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", want=1)
        print(f"  {prefix!r} before the request line: {[s for s, _, _ in got]}", flush=True)
        check([s for s, _, _ in got] == [200], f"{prefix!r} before the request line: {got}")


def expect_continue(port):
    s = rawhttp.connect(port, timeout=5)
    try:
        start = time.monotonic()
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        interim = b""
        while b"\r\n\r\n" not in interim:
            chunk = s.recv(4096)
            if not chunk:
                break
            interim += chunk
        waited = time.monotonic() - start
        print(f"  Expect: 100-continue: {interim.splitlines()[0] if interim else b'nothing'!r} in {waited * 1000:.0f} ms",
              flush=True)
        check(interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), f"Expect: 100-continue: got {interim!r}")
        check(waited < 2 * scenario.SLOWDOWN, f"Expect: 100-continue: the 100 took {waited:.1f} s")
        s.sendall(b"hello")
        reader = rawhttp.Reader(s)
        reader.buf = interim.split(b"\r\n\r\n", 1)[1]
        status, _, body = reader.response()
        check(status == 200 and b'"ok"' in body, f"Expect: 100-continue: then {status} {body!r}")
    except socket.timeout:
        scenario.fail("Expect: 100-continue: no answer within 5 s")
    finally:
        s.close()


def special_forms(port):
    for what, data in (("CONNECT", b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n"),
                       ("OPTIONS *", b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")):
        got, _ = answers(port, data, want=1)
        print(f"  {what}: {[s for s, _, _ in got]}", flush=True)
        check(len(got) == 1 and got[0][0] == 405, f"{what}: {got}")
        if got:
            check("allow" in got[0][1], f"{what}: no Allow header")
            check(json.loads(got[0][2]).get("error") == "method_not_allowed", f"{what}: {got[0][2]!r}")


def human_messages(port):
    for target in ("/v1/game/stats?date=%zz", "/v1/game/stats?date=a%20b&x=%", "/v1/game/stats?country=\x7f",
                   "//a/../v1/game/stats", "/v1/game/stats#frag", "/v1/ga me/stats", "/v1/game/stats?%"):
        data = b"GET " + target.encode() + b" HTTP/1.1\r\nHost: a\r\n\r\n"
        got, _ = answers(port, data, want=1)
        for status, _, body in got:
            text = body.decode(errors="replace")
            print(f"  {target!r}: {status} {text}", flush=True)
            check(status < 500, f"{target!r}: {status}")
            for word in ("mismatch", "leftover", "boost", "Boost"):
                check(word not in text, f"{target!r}: the message says {word!r}: {text}")


def main():
    args = scenario.arguments()

    server = scenario.Evserve(args.evserve, args.db_url, args.work, "http-framing",
                              ["--threads", "2", "--pool-size", "4", "--read-timeout-ms", "30000"])
    try:
        good = scenario.GoodClient(server.port, args.queries, args.work, "framing")
        print("request smuggling through Transfer-Encoding", flush=True)
        smuggling(server.port)
        print("Host", flush=True)
        host_header(server.port)
        print("absolute-form targets", flush=True)
        absolute_form(server.port)
        print("empty lines before the request", flush=True)
        empty_line_first(server.port)
        print("Expect: 100-continue", flush=True)
        expect_continue(server.port)
        print("CONNECT and OPTIONS *", flush=True)
        special_forms(server.port)
        print("error messages", flush=True)
        human_messages(server.port)
        good.finish()
        check(server.alive(), "evserve died")
        scenario.check_no_5xx(server)
        server.stop()
    finally:
        server.kill()
    scenario.finish("http_framing")


if __name__ == "__main__":
    main()
