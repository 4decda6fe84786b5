#!/usr/bin/env python3
"""PostgreSQL restarted under a running evserve (on a private cluster: restarting the shared one
would break the tests beside this one):

  1. evserve answers right, with its pool warm (several connections open).
  2. PostgreSQL stops: stats answer 503 db_unavailable with Retry-After, /readyz 503 not_ready
     with Retry-After, /healthz still 200; every answer prompt.
  3. PostgreSQL starts again: evserve recovers by itself (same process) and answers every
     query of the fixture right.
  4. PostgreSQL restarts in a blink, with no request while it was down (so the pool holds only
     dead connections): the very first request after it is answered right, not with a 503.
  5. SIGTERM: a clean exit.

  db_restart.py --evserve BIN --db-url URL --queries QUERIES_JSONL --work DIR --pgcluster SCRIPT --cluster-dir DIR
"""
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expected  # noqa: E402
import rawhttp  # noqa: E402
import scenario  # noqa: E402
from scenario import check  # noqa: E402

POOL_SIZE = 4


def all_right(port, cases, label):
    wrong = []
    for target, want_status, want in cases:
        status, _, body = rawhttp.get(port, target)
        problem = expected.mismatch(status, want_status, want, body)
        if problem:
            wrong.append(f"{target}: {problem}")
    check(not wrong, f"{label}: {len(wrong)} of {len(cases)} wrong, e.g. {wrong[:3]}")
    print(f"  {label}: {len(cases) - len(wrong)} of {len(cases)} answers right", flush=True)


def warm_pool(port, cases):
    """Enough requests at once that the pool opens all its connections."""
    threads = [threading.Thread(target=lambda c=c: rawhttp.get(port, c[0])) for c in cases[:POOL_SIZE * 4]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def pg(args, command):
    subprocess.run([args.pgcluster, command, args.cluster_dir], check=True, stdout=subprocess.DEVNULL)


def while_down(server, cases):
    user = next(c for c in cases if c[0].startswith("/v1/users/"))[0]
    checks = [("/v1/game/stats", "db_unavailable"), (user, "db_unavailable"), ("/v1/game/stats?group_by=country",
                                                                              "db_unavailable")]
    slowest = 0.0
    for _ in range(3):
        for target, code in checks:
            start = time.monotonic()
            status, headers, body = rawhttp.get(server.port, target)
            slowest = max(slowest, time.monotonic() - start)
            doc = json.loads(body)
            check(status == 503 and doc.get("error") == code, f"down: {target} answered {status} {doc}")
            check(headers.get("retry-after", "").isdigit(), f"down: {target} without Retry-After: {headers}")
        status, headers, body = rawhttp.get(server.port, "/readyz")
        doc = json.loads(body)
        check(status == 503 and doc.get("status") == "not_ready", f"down: /readyz answered {status} {doc}")
        check(headers.get("retry-after", "").isdigit(), f"down: /readyz without Retry-After: {headers}")
        status, _, _ = rawhttp.get(server.port, "/healthz")
        check(status == 200, f"down: /healthz answered {status}")
        time.sleep(0.5)
    print(f"  while down: 503 + Retry-After for stats and /readyz, /healthz 200; slowest answer "
          f"{slowest * 1000:.0f} ms", flush=True)
    check(slowest < 6 * scenario.SLOWDOWN, f"down: an answer took {slowest:.1f} s")


def main():
    args = scenario.arguments("--pgcluster", "--cluster-dir")
    cases = expected.targets(args.queries)

    server = scenario.Evserve(args.evserve, args.db_url, args.work, "db-restart",
                              ["--threads", "2", "--pool-size", str(POOL_SIZE)])
    try:
        print("database up", flush=True)
        warm_pool(server.port, cases)
        all_right(server.port, cases, "before the restart")

        print("database stopped", flush=True)
        pg(args, "stop")
        while_down(server, cases)

        print("database started again", flush=True)
        pg(args, "start")
        start = time.monotonic()
        recovered = None
        while time.monotonic() - start < 30:
            status, _, _ = rawhttp.get(server.port, "/readyz")
            if status == 200:
                recovered = time.monotonic() - start
                break
            time.sleep(0.2)
        check(recovered is not None, "evserve did not become ready within 30 s of the database's return")
        if recovered is not None:
            print(f"  ready again {recovered:.1f} s after the database started", flush=True)
        all_right(server.port, cases, "after the restart")

        print("database restarted with no request while it was down", flush=True)
        warm_pool(server.port, cases)
        pg(args, "stop")
        pg(args, "start")
        target, want_status, want = cases[0]
        status, _, body = rawhttp.get(server.port, target)
        check(expected.mismatch(status, want_status, want, body) is None,
              f"the first request after a quick restart: {status} {body[:200]!r}")
        all_right(server.port, cases, "after the quick restart")
        check(server.alive(), "evserve died")
        server.stop()
    finally:
        server.kill()
    scenario.finish("db_restart")


if __name__ == "__main__":
    main()
