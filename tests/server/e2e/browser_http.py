#!/usr/bin/env python3
"""What browsers expect, over raw HTTP against a running evserve (browser_http.sh starts it):
CORS and preflights, ETag and 304, gzip, the dashboard and its immutable assets, and the ETag
across generations (a reload with the same data keeps it, other data changes it).

usage: browser_http.py --port P [--port-list P2 --port-off P3] --reload-same CMD --reload-other CMD
"""
import argparse
import gzip
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile"))
import rawhttp  # noqa: E402

failures = []
passed = 0


def check(condition, message):
    global passed
    if condition:
        passed += 1
    else:
        print(f"FAIL: {message}", flush=True)
        failures.append(message)
    return condition


def head(port, target, headers):
    """HEAD: the headers only (rawhttp's reader would wait for Content-Length bytes of body)."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "Connection: close\r\n"
    with rawhttp.connect(port) as s:
        s.sendall(rawhttp.request_bytes(target, "HEAD", extra))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head_text, _, rest = data.partition(b"\r\n\r\n")
    lines = head_text.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split(" ")[1]), fields, rest


def ask(port, target, method="GET", headers=None):
    if method == "HEAD":
        return head(port, target, headers or {})
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items()) + "Connection: close\r\n"
    answer = rawhttp.exchange(port, rawhttp.request_bytes(target, method, extra))
    if answer is None:
        raise RuntimeError(f"no answer to {method} {target}")
    return answer


def cors_any(port):
    status, h, body = ask(port, "/v1/game/stats", headers={"Origin": "https://elsewhere.example"})
    check(status == 200, f"GET /v1/game/stats: {status}")
    check(h.get("access-control-allow-origin") == "*", f"Access-Control-Allow-Origin: {h.get('access-control-allow-origin')}")
    check("etag" in (h.get("access-control-expose-headers") or "").lower(), "ETag is exposed to scripts")
    check("access-control-allow-credentials" not in h, "no credentials")
    status, h, _ = ask(port, "/v1/game/stats?date=bad", headers={"Origin": "https://elsewhere.example"})
    check(status == 400 and h.get("access-control-allow-origin") == "*", "a 400 is readable cross-origin")
    status, h, body = ask(port, "/v1/game/daily?from=2010-05-08&to=2010-05-09", "OPTIONS", {
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match, authorization"})
    check(status == 204, f"preflight: {status}")
    check(body == b"" and "content-length" not in h, "preflight has no body")
    check(h.get("access-control-allow-methods") == "GET, HEAD, OPTIONS", f"Allow-Methods: {h.get('access-control-allow-methods')}")
    check(h.get("access-control-allow-headers") == "if-none-match, authorization", f"Allow-Headers: {h.get('access-control-allow-headers')}")
    check(h.get("access-control-max-age") == "600", "Max-Age")
    status, _, _ = ask(port, "/no/such/route", "OPTIONS", {"Origin": "https://elsewhere.example"})
    check(status == 404, f"OPTIONS on no route: {status}")
    status, h, _ = ask(port, "/v1/game/stats", "POST")
    check(status == 405 and h.get("allow") == "GET, HEAD, OPTIONS", f"POST: {status} Allow {h.get('allow')}")


def cors_list(port):
    status, h, _ = ask(port, "/v1/game/stats", headers={"Origin": "https://b.example"})
    check(h.get("access-control-allow-origin") == "https://b.example", f"listed origin echoed: {h.get('access-control-allow-origin')}")
    check("Origin" in (h.get("vary") or ""), "Vary: Origin with a list")
    status, h, _ = ask(port, "/v1/game/stats", headers={"Origin": "https://evil.example"})
    check(status == 200 and "access-control-allow-origin" not in h, "an unlisted origin gets no CORS header")
    status, h, _ = ask(port, "/v1/game/stats", "OPTIONS", {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    check(status == 204 and "access-control-allow-methods" not in h, "an unlisted origin's preflight is not granted")
    # Requests Beast cannot parse are answered with the listed origin's CORS headers all the same,
    # so that the page can read why (431 too large a header, 413 too large a body, 400 malformed).
    head = b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nOrigin: https://b.example\r\n"
    unparsed = {
        431: head + b"X-Pad: " + b"a" * 9000 + b"\r\n\r\n",
        413: head.replace(b"GET", b"POST") + b"Content-Length: 20000\r\n\r\n" + b"a" * 20000,
        400: head + b"no colon in this field\r\n\r\n",
    }
    for expected, data in unparsed.items():
        answer = rawhttp.exchange(port, data)
        status, h = (answer[0], answer[1]) if answer else (None, {})
        check(status == expected and h.get("access-control-allow-origin") == "https://b.example"
              and "Origin" in (h.get("vary") or ""),
              f"{expected} for an unparsed request carries CORS: {status} {h.get('access-control-allow-origin')}")


def cors_off(port):
    status, h, _ = ask(port, "/v1/game/stats", headers={"Origin": "https://a.example"})
    check(status == 200 and not any(k.startswith("access-control-") for k in h), "--cors-origin off: no CORS headers")


def conditional(port):
    status, h, body = ask(port, "/v1/game/stats?group_by=country")
    etag = h.get("etag", "")
    check(status == 200 and re.fullmatch(r'W/"[0-9a-f]{16}"', etag), f"ETag: {etag!r}")
    check(h.get("cache-control") == "no-cache", f"Cache-Control: {h.get('cache-control')}")
    status, h2, body2 = ask(port, "/v1/game/stats?group_by=country", headers={"If-None-Match": etag})
    check(status == 304, f"If-None-Match → {status}")
    check(body2 == b"" and "content-length" not in h2 and h2.get("etag") == etag, "304: no body, same ETag")
    status, _, _ = ask(port, "/v1/game/stats?group_by=country", "HEAD", {"If-None-Match": etag})
    check(status == 304, f"HEAD with If-None-Match → {status}")
    status, _, _ = ask(port, "/v1/game/stats?group_by=country", headers={"If-None-Match": '"something-else"'})
    check(status == 200, "another tag → 200")
    status, h, _ = ask(port, "/healthz")
    check("etag" not in h and h.get("cache-control") == "no-store", "probes are not cached")
    return etag


def compression(port):
    target = "/v1/game/daily?from=2010-01-01&to=2010-12-31"
    status, plain_h, plain = ask(port, target)
    check(status == 200 and "content-encoding" not in plain_h, "no gzip without Accept-Encoding")
    check("Accept-Encoding" in (plain_h.get("vary") or ""), "Vary: Accept-Encoding")
    status, h, packed = ask(port, target, headers={"Accept-Encoding": "gzip, deflate, br"})
    check(status == 200 and h.get("content-encoding") == "gzip", f"Content-Encoding: {h.get('content-encoding')}")
    check(gzip.decompress(packed) == plain, "gunzipped equals the identity answer")
    check(len(packed) * 4 < len(plain), f"gzip {len(packed)} bytes vs {len(plain)}")
    check(h.get("etag") == plain_h.get("etag"), "one ETag for both encodings")
    status, hh, head_body = ask(port, target, "HEAD", {"Accept-Encoding": "gzip"})
    check(hh.get("content-length") == str(len(packed)) and head_body == b"", "HEAD: the gzip answer's length, no body")
    status, h, _ = ask(port, "/v1/game/daily?from=2010-01-01&to=2010-12-31", headers={"Accept-Encoding": "gzip;q=0"})
    check("content-encoding" not in h, "gzip;q=0 is refused")
    status, h, _ = ask(port, "/healthz", headers={"Accept-Encoding": "gzip"})
    check("content-encoding" not in h, "small answers are not gzipped")


def dashboard(port):
    status, h, page = ask(port, "/?from=2010-05-08&country=DE", headers={"Accept-Encoding": "gzip"})
    check(status == 200 and h.get("content-type", "").startswith("text/html"), "GET / is the page")
    if h.get("content-encoding") == "gzip":
        page = gzip.decompress(page)
    check(h.get("cache-control") == "no-cache" and h.get("etag"), "the page revalidates")
    status, h304, _ = ask(port, "/", headers={"If-None-Match": h.get("etag", "")})
    check(status == 304, f"the page's If-None-Match → {status}")
    assets = re.findall(rb'(?:src|href)="(/assets/[^"]+)"', page)
    check(len(assets) == 3, f"the page links 3 assets: {assets}")
    for asset in assets:
        asset = asset.decode()
        status, h, body = ask(port, asset)
        check(status == 200 and h.get("cache-control") == "public, max-age=31536000, immutable", f"{asset}: {status} {h.get('cache-control')}")
        check(re.search(r"\.[0-9a-f]{12}\.(js|css)$", asset) is not None, f"{asset} is content-hashed")
        status, hz, packed = ask(port, asset, headers={"Accept-Encoding": "gzip"})
        check(hz.get("content-encoding") == "gzip" and gzip.decompress(packed) == body, f"{asset} gzipped")
    status, _, chart = ask(port, [a.decode() for a in assets if b"/chart." in a][0])
    check(b"Chart" in chart, "Chart.js is embedded")
    status, _, _ = ask(port, "/assets/nothing.js")
    check(status == 404, "unknown asset 404")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--port-list", type=int, required=True)
    ap.add_argument("--port-off", type=int, required=True)
    ap.add_argument("--reload-same", required=True)
    ap.add_argument("--reload-other", required=True)
    a = ap.parse_args()
    cors_any(a.port)
    cors_list(a.port_list)
    cors_off(a.port_off)
    etag = conditional(a.port)
    compression(a.port)
    dashboard(a.port)
    # A new generation with the same data: the answers, and so their ETags, stay; other data: new ETag.
    subprocess.run(a.reload_same, shell=True, check=True)
    status, h, _ = ask(a.port, "/v1/game/stats?group_by=country", headers={"If-None-Match": etag})
    check(status == 304, f"same data reloaded: If-None-Match still 304 ({status})")
    subprocess.run(a.reload_other, shell=True, check=True)
    status, h, _ = ask(a.port, "/v1/game/stats?group_by=country", headers={"If-None-Match": etag})
    check(status == 200 and h.get("etag") != etag, f"other data loaded: 200 with a new ETag ({status} {h.get('etag')})")
    if failures:
        print(f"browser HTTP: {len(failures)} failure(s), {passed} checks passed", flush=True)
        sys.exit(1)
    print(f"browser HTTP: all {passed} checks passed", flush=True)


if __name__ == "__main__":
    main()
