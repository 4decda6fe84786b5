#!/usr/bin/env python3
"""Hostile requests, one evserve, a good client beside it all along:

  * malformed request lines and headers: a 4xx (and a close) or a bare close, never a 5xx,
    never a hang, and the documented code where there is one (400, 405, 413, 414, 431);
  * oversized headers: 431;
  * percent-encoded SQL in every parameter (and as a parameter's name) of every endpoint: 400
    naming that parameter, or a 404 not_found; never a 5xx, never slow (no pg_sleep ran), and the
    database unchanged (every table's rows fingerprinted before and after);
  * afterwards /metrics shows no 5xx at all, evserve is alive, and SIGTERM ends it cleanly.

  hostile_requests.py --evserve BIN --db-url URL --queries QUERIES_JSONL --work DIR
"""
import json
import os
import socket
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawhttp  # noqa: E402
import scenario  # noqa: E402
from scenario import check  # noqa: E402

READ_TIMEOUT_MS = 2000

# (what, bytes, acceptable statuses; None in the set: a bare close is fine too)
MALFORMED = [
    ("not HTTP at all", b"THIS IS NOT HTTP\r\n\r\n", {400}),
    ("binary garbage", bytes(range(256)) + b"\r\n\r\n", {400, None}),
    ("NUL in the request line", b"GET /v1/game/stats\x00 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("no version (HTTP/0.9)", b"GET /v1/game/stats\r\n\r\n", {400}),
    ("unknown version", b"GET /v1/game/stats HTTP/9.9\r\nHost: x\r\n\r\n", {400, 505}),
    ("extra word in the request line", b"GET /v1/game/stats HTTP/1.1 extra\r\nHost: x\r\n\r\n", {400}),
    ("two spaces", b"GET  /v1/game/stats HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("bare LF line ends", b"GET /v1/game/stats HTTP/1.1\nHost: x\n\n", {200, 400}),
    ("CR without LF", b"GET /v1/game/stats HTTP/1.1\rHost: x\r\r", {400, None}),
    ("empty request line", b"\r\n\r\n\r\n", {400, None}),
    ("absolute-form target", b"GET http://evil.example/v1/game/stats HTTP/1.1\r\nHost: x\r\n\r\n", {200}),
    ("asterisk target", b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", {405}),
    ("authority-form target", b"CONNECT evil.example:443 HTTP/1.1\r\nHost: x\r\n\r\n", {405}),
    ("lower-case method", b"get /v1/game/stats HTTP/1.1\r\nHost: x\r\n\r\n", {400, 405}),
    ("unknown method", b"BREW /v1/game/stats HTTP/1.1\r\nHost: x\r\n\r\n", {400, 405}),
    ("a 10 KB method", b"G" * 10000 + b" / HTTP/1.1\r\nHost: x\r\n\r\n", {400, 431}),
    ("POST with a body", b"POST /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", {405}),
    ("DELETE", b"DELETE /v1/users/00000000-0000-0000-0000-000000000000/stats HTTP/1.1\r\nHost: x\r\n\r\n", {405}),
    ("space in the target", b"GET /v1/game/stats?date=2010 05 08 HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("raw non-ASCII target", "GET /v1/game/stats?country=\u00c4\u00d6 HTTP/1.1\r\nHost: x\r\n\r\n".encode(), {400}),
    ("bad percent escape", b"GET /v1/game/stats?date=%zz HTTP/1.1\r\nHost: x\r\n\r\n", {400}),
    ("header without a colon", b"GET /v1/game/stats HTTP/1.1\r\nHost x\r\n\r\n", {400}),
    ("header name with a space", b"GET /v1/game/stats HTTP/1.1\r\nHo st: x\r\n\r\n", {400}),
    ("NUL in a header value", b"GET /v1/game/stats HTTP/1.1\r\nHost: x\x00y\r\n\r\n", {400}),
    ("negative Content-Length", b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", {400}),
    ("huge Content-Length", b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
     {400, 413}),
    ("two different Content-Lengths",
     b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", {400}),
    ("Content-Length and chunked (smuggling)",
     b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     {400}),
    ("bad chunk size", b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", {400}),
    ("body over 16 KiB", b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n" + b"a" * 20000,
     {413}),
    ("target over 2 KiB", b"GET /v1/game/stats?date=" + b"9" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {414}),
    ("one 9 KB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", {431}),
    ("2000 small headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(2000))
     + b"\r\n", {431}),
    ("a 60 KB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 60000 + b"\r\n\r\n", {431}),
]

# Sent on, and read after: the server may cut the connection before the client is done sending.
HUGE_HEADER = ("a 4 MB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (4 << 20) + b"\r\n\r\n",
               {431, None})

SQL = [
    "' OR '1'='1",
    "1'; DROP TABLE ev_live.users; --",
    "\"; DROP SCHEMA ev_live CASCADE; --",
    "2010-05-08'; DELETE FROM ev_live.users; --",
    "2010-05-08' OR 1=1 --",
    "DE' UNION SELECT version() --",
    "DE'||(SELECT pg_terminate_backend(pg_backend_pid()))||'",
    "'; SELECT pg_sleep(10); --",
    "$1",
    "1 OR 1=1",
    "(SELECT 1)",
    "country; TRUNCATE ev_live.game_daily",
    "%27%20OR%201%3D1",  # double-encoded: still %-escapes after one decoding
    "DE\x00' OR 1=1",
    "00000000-0000-0000-0000-000000000000' OR '1'='1",
    "\u00c4'; DROP TABLE ev_live.dataset; --",
]

VALID_USER = "00000000-0000-0000-0000-000000000000"
# (path template, {parameter: a valid value}); "{user_id}" in the path is a parameter too.
ENDPOINTS = [
    ("/v1/users/{user_id}/stats", {"date": "2010-05-09"}),
    ("/queryUserData", {"user_id": VALID_USER, "date": "2010-05-09"}),
    ("/v1/game/stats", {"date": "2010-05-09", "country": "DE", "group_by": "country"}),
    ("/queryGameData", {"date": "2010-05-09", "country": "DE", "group_by": "country"}),
    ("/v1/game/daily", {"from": "2010-05-08", "to": "2010-05-10", "country": "DE"}),
    ("/v1/loads/latest", {}),
    ("/healthz", {}),
    ("/readyz", {}),
    ("/metrics", {}),
    ("/openapi.json", {}),
]


def quote(text):
    return urllib.parse.quote(text, safe="")


def build(path, params, user_id=VALID_USER):
    target = path.replace("{user_id}", quote(user_id))
    query = "&".join(f"{k}={v}" for k, v in params)
    return target + ("?" + query if query else "")


def injections():
    """(target, the parameter at fault) for each payload in each parameter of each endpoint."""
    for path, valid in ENDPOINTS:
        others = {k: v for k, v in valid.items() if not (k == "group_by" and "country" in valid)}
        for payload in SQL:
            if "{user_id}" in path:
                yield build(path, [(k, quote(v)) for k, v in others.items()], user_id=payload), "user_id"
            for name in valid:
                base = {k: v for k, v in others.items() if k != name}
                if name == "country":
                    base.pop("group_by", None)
                params = [(k, quote(v)) for k, v in base.items()] + [(name, quote(payload))]
                yield build(path, params), name
            # The payload as a parameter name: unknown, named in the answer.
            yield build(path, [(k, quote(v)) for k, v in others.items()] + [(quote(payload), "1")]), payload


def answer_of(port, data, send_all=True):
    """(status or None for a bare close, seconds)."""
    start = time.monotonic()
    s = rawhttp.connect(port, timeout=15)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # cut off mid-send: what was answered, if anything, is still to be read
        try:
            status, _, _ = rawhttp.Reader(s).response()
        except (rawhttp.Closed, ConnectionResetError):
            status = None
        # After an error answer the server must close: a further request gets nothing.
        return status, time.monotonic() - start
    finally:
        s.close()


def malformed(server):
    print(f"malformed requests: {len(MALFORMED) + 1} kinds", flush=True)
    for what, data, allowed in MALFORMED + [HUGE_HEADER]:
        try:
            status, seconds = answer_of(server.port, data)
        except socket.timeout:
            scenario.fail(f"{what}: no answer and no close within 15 s")
            continue
        print(f"  {what}: {status or 'closed'} in {seconds * 1000:.0f} ms", flush=True)
        check(status in allowed, f"{what}: got {status}, expected one of {sorted(allowed, key=str)}")
        check(status is None or status < 500, f"{what}: a {status}")
        check(seconds < READ_TIMEOUT_MS / 1000 + 5 * scenario.SLOWDOWN, f"{what}: took {seconds:.1f} s")
        check(server.alive(), f"evserve died on: {what}")


def sql_in_every_parameter(server):
    cases = list(injections())
    print(f"percent-encoded SQL: {len(cases)} requests ({len(SQL)} payloads x every parameter of "
          f"{len(ENDPOINTS)} endpoints, and as parameter names)", flush=True)
    counts = {}
    slowest = 0.0
    for target, parameter in cases:
        start = time.monotonic()
        status, _, body = rawhttp.get(server.port, target)
        slowest = max(slowest, time.monotonic() - start)
        counts[status] = counts.get(status, 0) + 1
        try:
            doc = json.loads(body)
        except ValueError:
            scenario.fail(f"{target}: body is not JSON: {body[:100]!r}")
            continue
        if status == 404:
            check(doc.get("error") == "not_found", f"{target}: 404 with {doc}")
        elif check(status == 400, f"{target}: status {status} ({doc})"):
            check(doc.get("error") == "bad_request", f"{target}: error {doc.get('error')}")
            # Names are shown printable (non-ASCII as '?', at most 64 bytes).
            raw = parameter.encode()
            shown = "".join(chr(b) if 0x20 <= b < 0x7f else "?" for b in raw[:64]) + ("..." if len(raw) > 64 else "")
            check(doc.get("parameter") in (parameter, shown),
                  f"{target}: 400 names {doc.get('parameter')!r}, expected {parameter!r}")
    print(f"  statuses {dict(sorted(counts.items()))}; slowest answer {slowest * 1000:.1f} ms", flush=True)
    check(slowest < 5, f"an injected request took {slowest:.1f} s (did pg_sleep run?)")


def main():
    args = scenario.arguments()

    before = scenario.db_fingerprint(args.db_url)
    server = scenario.Evserve(args.evserve, args.db_url, args.work, "hostile-requests",
                              ["--threads", "2", "--pool-size", "4", "--read-timeout-ms", str(READ_TIMEOUT_MS)])
    try:
        good = scenario.GoodClient(server.port, args.queries, args.work, "malformed requests")
        malformed(server)
        good.finish()
        good = scenario.GoodClient(server.port, args.queries, args.work, "SQL injection")
        sql_in_every_parameter(server)
        good.finish()
        scenario.check_no_5xx(server)
        server.stop()
    finally:
        server.kill()
    check(scenario.db_fingerprint(args.db_url) == before, "the database changed")
    print("  database unchanged (every table's rows fingerprinted before and after)")
    scenario.finish("hostile_requests")


if __name__ == "__main__":
    main()
