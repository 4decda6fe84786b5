#!/usr/bin/env python3
"""Bearer-token access control (--auth-token-file, --auth-scope), over raw sockets:

  * scope users (the default): the user-level routes answer 401 with WWW-Authenticate: Bearer and
    a JSON error without a token or with a wrong one, 200 with any token of the file; the game
    routes, /healthz, /readyz, /metrics stay open;
  * scope all: every route but /healthz and /readyz needs the token;
  * a token file that is missing or holds no token: evserve refuses to start (exit 2).

  access_control.py --evserve BIN --db-url URL --queries QUERIES_JSONL --work DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawhttp  # noqa: E402
import scenario  # noqa: E402
from scenario import check  # noqa: E402

TOKENS = ["first-token-7f3a9c", "second-token-0b12e4"]
USER = "/v1/users/00000000-0000-0000-0000-000000000000/stats"
QUERY_USER = "/queryUserData?user_id=00000000-0000-0000-0000-000000000000"


def ask(port, target, authorization=None):
    extra = "Connection: close\r\n" + (f"Authorization: {authorization}\r\n" if authorization else "")
    answer = rawhttp.exchange(port, rawhttp.request_bytes(target, extra=extra))
    check(answer is not None, f"{target}: no answer")
    return answer or (None, {}, b"")


def expect_401(port, target, authorization=None):
    status, headers, body = ask(port, target, authorization)
    check(status == 401, f"{target} with {authorization!r}: {status}, expected 401")
    check(headers.get("www-authenticate", "").startswith("Bearer"), f"{target}: WWW-Authenticate {headers}")
    try:
        check(json.loads(body).get("error") == "unauthorized", f"{target}: body {body!r}")
    except ValueError:
        scenario.fail(f"{target}: 401 body is not JSON: {body!r}")
    return headers


def expect_served(port, target, authorization=None):
    status, _, body = ask(port, target, authorization)
    check(status in (200, 404), f"{target} with {authorization!r}: {status} {body[:200]!r}")


def main():
    args = scenario.arguments()

    token_file = os.path.join(args.work, "tokens")
    with open(token_file, "w") as f:
        f.write("# evserve bearer tokens\n\n  " + TOKENS[0] + "  \n" + TOKENS[1] + "\n")

    print("scope users (default)", flush=True)
    server = scenario.Evserve(args.evserve, args.db_url, args.work, "auth-users", ["--auth-token-file", token_file])
    try:
        for target in (USER, QUERY_USER):
            headers = expect_401(server.port, target)
            check("invalid_token" not in headers.get("www-authenticate", ""), "no token: error=invalid_token")
            headers = expect_401(server.port, target, "Bearer wrong-token")
            check("invalid_token" in headers.get("www-authenticate", ""), "wrong token: no error=invalid_token")
            expect_401(server.port, target, "Bearer " + TOKENS[0][:-1])  # a prefix is not the token
            expect_401(server.port, target, "Bearer " + TOKENS[0] + "x")
            expect_401(server.port, target, "Basic " + TOKENS[0])
            expect_401(server.port, target, "Bearer")
            for token in TOKENS:
                expect_served(server.port, target, "Bearer " + token)
            expect_served(server.port, target, "bearer " + TOKENS[1])  # the scheme is case-insensitive
        for target in ("/v1/game/stats", "/v1/game/daily?from=2010-05-08&to=2010-05-10", "/healthz", "/readyz",
                       "/metrics", "/openapi.json", "/v1/loads/latest"):
            expect_served(server.port, target)
        server.stop()
    finally:
        server.kill()

    print("scope all", flush=True)
    server = scenario.Evserve(args.evserve, args.db_url, args.work, "auth-all",
                              ["--auth-token-file", token_file, "--auth-scope", "all"])
    try:
        for target in (USER, QUERY_USER, "/v1/game/stats", "/metrics", "/openapi.json", "/v1/loads/latest"):
            expect_401(server.port, target)
            expect_served(server.port, target, "Bearer " + TOKENS[1])
        for target in ("/healthz", "/readyz"):
            expect_served(server.port, target)
        server.stop()
    finally:
        server.kill()

    print("bad token files", flush=True)
    empty = os.path.join(args.work, "empty-tokens")
    with open(empty, "w") as f:
        f.write("# nothing\n\n")
    for path, what in ((empty, "holds no token"), (os.path.join(args.work, "missing"), "cannot read")):
        run = subprocess.run([args.evserve, "--db", args.db_url, "--listen", "127.0.0.1", "--port", "0",
                              "--auth-token-file", path], capture_output=True, text=True, timeout=30)
        print(f"  {what}: exit {run.returncode}: {run.stderr.strip()}", flush=True)
        check(run.returncode == 2, f"token file that {what}: exit {run.returncode}")
        check(what in run.stderr, f"token file that {what}: {run.stderr!r}")
    run = subprocess.run([args.evserve, "--auth-scope", "everyone"], capture_output=True, text=True, timeout=30)
    check(run.returncode == 2, f"--auth-scope everyone: exit {run.returncode}")
    scenario.finish("access_control")


if __name__ == "__main__":
    main()
