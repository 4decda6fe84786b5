#!/usr/bin/env python3
"""The well-behaved client that runs beside every hostile scenario, in a process of its own (so
the attacker's work does not skew its clock): it asks the fixture's queries one after another,
mostly on one keep-alive connection and every tenth on a fresh one (a newcomer must get in even
when connections are at the cap), compares every answer with the expected data, and measures the
latency of each. It stops when STOP_FILE exists and prints a JSON summary.

  good_client.py PORT QUERIES_JSONL STOP_FILE
"""
import json
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expected  # noqa: E402
import rawhttp  # noqa: E402

REQUEST_TIMEOUT = 30.0  # a request not answered by then is an error, not a slow answer
PAUSE = 0.005           # between requests: a client, not a load generator


def main():
    port, queries, stop_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cases = expected.targets(queries)
    random.Random(5).shuffle(cases)
    latencies, wrong, errors = [], [], []
    fresh_latencies, kept_latencies = [], []  # on a new connection (connect included) / kept alive
    reconnects = 0
    sock = reader = None
    n = 0
    while not os.path.exists(stop_file) or n == 0:
        target, want_status, want = cases[n % len(cases)]
        fresh = n % 10 == 0
        n += 1
        for attempt in range(2):
            try:
                if sock is None or fresh:
                    if sock is not None:
                        sock.close()
                    start = time.monotonic()
                    sock = rawhttp.connect(port, REQUEST_TIMEOUT)
                    reader = rawhttp.Reader(sock)
                else:
                    start = time.monotonic()
                sock.sendall(rawhttp.request_bytes(target))
                status, headers, body = reader.response()
                latencies.append(time.monotonic() - start)
                (fresh_latencies if fresh else kept_latencies).append(latencies[-1])
                problem = expected.mismatch(status, want_status, want, body)
                if problem:
                    wrong.append(f"{target}: {problem}")
                if headers.get("connection", "").lower() == "close":
                    sock.close()
                    sock = None
                break
            except (rawhttp.Closed, ConnectionError, BrokenPipeError) as e:
                # An idle keep-alive connection the server closed: reconnect and ask again, as
                # HTTP clients do for idempotent requests. A fresh connection failing is an error.
                if sock is not None:
                    sock.close()
                sock = None
                if attempt == 0 and not fresh:
                    reconnects += 1
                    continue
                errors.append(f"{target}: {type(e).__name__} {e}")
                break
            except (socket.timeout, OSError, ValueError) as e:
                if sock is not None:
                    sock.close()
                sock = None
                errors.append(f"{target}: {type(e).__name__} {e}")
                break
        time.sleep(PAUSE)
    def pct(values, p):
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000, 2) if values else None

    json.dump({"requests": n, "answered": len(latencies), "wrong": len(wrong), "errors": len(errors),
               "reconnects": reconnects, "p50_ms": pct(latencies, 50), "p99_ms": pct(latencies, 99),
               "max_ms": pct(latencies, 100), "kept_alive_p99_ms": pct(kept_latencies, 99),
               "new_connection_p99_ms": pct(fresh_latencies, 99),
               "first_wrong": wrong[:5], "first_errors": errors[:5]}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
