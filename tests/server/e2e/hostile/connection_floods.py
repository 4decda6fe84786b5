#!/usr/bin/env python3
"""Connection floods against evserve, a good client beside each (correct answers, latency
printed, a generous bound asserted), evserve alive throughout and exiting cleanly on SIGTERM:

  idle       10,000 idle connections, descriptors enough for all: every one is held.
  cap        10,000 idle connections against 2,048 descriptors: evserve stays at its cap by
             closing the connections idle the longest; newcomers (the good client) get in.
  emfile     the descriptor limit drops under a running evserve (prlimit), then 1,000
             connections: accept() fails with EMFILE; evserve must neither spin nor die, and
             keeps answering (it closes idle connections to get descriptors back).
  slowloris  400 clients trickling their headers or body a byte at a time: all cut at the read
             deadline.
  pipelined  8 clients pipelining thousands of requests without reading: cut at the write
             deadline, memory bounded; and one client pipelining 2,000 requests that does read
             gets them all, right and in order.

  connection_floods.py --evserve BIN --db-url URL --queries QUERIES_JSONL --work DIR
"""
import os
import random
import resource
import select
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expected  # noqa: E402
import rawhttp  # noqa: E402
import scenario  # noqa: E402
from scenario import check  # noqa: E402

IDLE_CONNECTIONS = 10_000
SLOW_READ_TIMEOUT_MS = 2000


def abortive_close(sock):
    """Close with RST: no TIME_WAIT left behind for 10,000 loopback ports on a shared machine."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def open_idle(port, n):
    socks = []
    start = time.monotonic()
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(("127.0.0.1", port))
        socks.append(s)
    return socks, time.monotonic() - start


def closed_by_server(socks):
    """How many of the sockets the server has closed (readable with nothing to read, or reset)."""
    poller = select.poll()
    by_fd = {}
    for s in socks:
        poller.register(s.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        by_fd[s.fileno()] = s
    closed = 0
    for fd, _ in poller.poll(0):
        try:
            if by_fd[fd].recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                closed += 1
        except ConnectionResetError:
            closed += 1
        except BlockingIOError:
            pass
    return closed


def ask_on(sock, case):
    target, want_status, want = case
    sock.settimeout(10)
    sock.sendall(rawhttp.request_bytes(target))
    status, _, body = rawhttp.Reader(sock).response()
    return expected.mismatch(status, want_status, want, body)


def phase_idle(args, cases):
    print(f"idle: {IDLE_CONNECTIONS} idle connections, descriptors enough for all", flush=True)
    server = scenario.Evserve(args.evserve, args.db_url, args.work, "idle", ["--threads", "2", "--pool-size", "4"],
                              nofile=IDLE_CONNECTIONS + 2000)
    socks = []
    try:
        good = scenario.GoodClient(server.port, args.queries, args.work, "10,000 idle connections")
        rss_before = server.rss_mib()
        socks, took = open_idle(server.port, IDLE_CONNECTIONS)
        time.sleep(2)
        active = server.metric("evserve_http_connections_active")
        closed = closed_by_server(socks)
        print(f"  opened {len(socks)} in {took:.1f} s; evserve holds {active:.0f} connections, closed {closed}; "
              f"RSS {rss_before:.1f} -> {server.rss_mib():.1f} MiB", flush=True)
        check(active >= IDLE_CONNECTIONS, f"idle: evserve holds only {active:.0f} connections")
        check(closed == 0, f"idle: evserve closed {closed} idle connections with descriptors to spare")
        # The oldest and the newest of them still work.
        for s in (socks[0], socks[-1]):
            problem = ask_on(s, cases[0])
            check(problem is None, f"idle: a held connection answered wrongly: {problem}")
        good.finish()
        check(server.alive(), "idle: evserve died")
        for s in socks:
            abortive_close(s)
        socks = []
        server.stop()  # the shutdown also closes whatever idle connections remain
    finally:
        for s in socks:
            abortive_close(s)
        server.kill()


def phase_cap(args, cases):
    nofile = 2048
    print(f"cap: {IDLE_CONNECTIONS} idle connections against {nofile} descriptors", flush=True)
    server = scenario.Evserve(args.evserve, args.db_url, args.work, "cap", ["--threads", "2", "--pool-size", "4"],
                              nofile=nofile)
    socks = []
    try:
        good = scenario.GoodClient(server.port, args.queries, args.work, "the connection cap")
        socks, took = open_idle(server.port, IDLE_CONNECTIONS)
        time.sleep(2)
        active = server.metric("evserve_http_connections_active")
        evicted = server.metric("evserve_http_connections_evicted_total")
        shed = server.metric("evserve_http_connections_shed_total")
        closed = closed_by_server(socks)
        fds = server.open_descriptors()
        print(f"  opened {len(socks)} in {took:.1f} s; evserve holds {active:.0f}, closed {evicted:.0f} idle ones "
              f"(client saw {closed} closed), refused {shed:.0f}; {fds} descriptors open of {nofile}; "
              f"RSS {server.rss_mib():.1f} MiB", flush=True)
        check(fds <= nofile, f"cap: {fds} descriptors")
        check(active < nofile, f"cap: {active:.0f} connections held with {nofile} descriptors")
        check(evicted >= IDLE_CONNECTIONS - nofile, f"cap: only {evicted:.0f} idle connections were closed")
        check(closed >= IDLE_CONNECTIONS - nofile, f"cap: the client saw only {closed} closed")
        check(server.metric("evserve_http_accept_errors_total") == 0, "cap: accept() failed below the cap")
        problem = ask_on(socks[-1], cases[1])  # the newest connection is among those kept
        check(problem is None, f"cap: the newest connection answered wrongly: {problem}")
        good.finish()
        for s in socks:
            abortive_close(s)
        socks = []
        server.stop()
    finally:
        for s in socks:
            abortive_close(s)
        server.kill()


def phase_emfile(args, cases):
    nofile = 256
    flood = 1000
    print(f"emfile: open-files limit lowered to {nofile} under a running evserve, then {flood} connections", flush=True)
    server = scenario.Evserve(args.evserve, args.db_url, args.work, "emfile", ["--threads", "2", "--pool-size", "4"],
                              nofile=4096)
    socks = []
    try:
        good = scenario.GoodClient(server.port, args.queries, args.work, "EMFILE")
        time.sleep(0.5)  # the good client's database connection is open before descriptors run out
        resource.prlimit(server.proc.pid, resource.RLIMIT_NOFILE, (nofile, nofile))
        socks, took = open_idle(server.port, flood)
        time.sleep(1)
        cpu_before = server.cpu_seconds()
        window = 3.0
        time.sleep(window)
        cpu = server.cpu_seconds() - cpu_before
        errors = server.metric("evserve_http_accept_errors_total")
        evicted = server.metric("evserve_http_connections_evicted_total")
        log_lines = server.stderr().count("evserve: accept:")
        print(f"  {flood} connections opened in {took:.1f} s; {errors:.0f} failed accepts, {evicted:.0f} idle "
              f"connections closed for descriptors, {log_lines} log lines; evserve CPU {cpu:.2f} s in {window:.0f} s "
              f"afterwards", flush=True)
        check(server.alive(), "emfile: evserve died")
        check(errors > 0, "emfile: accept() never failed (the limit did not bite; the test proves nothing)")
        check(evicted > 0, "emfile: no idle connection was closed to get descriptors back")
        # Spinning on accept() burns a core; a paused listener burns next to nothing.
        check(cpu < 0.5 * window, f"emfile: evserve used {cpu:.2f} s of CPU in {window:.0f} s: spinning?")
        check(log_lines <= 20, f"emfile: {log_lines} 'accept' log lines (rate limit: one a second)")
        good.finish()
        problem = ask_on(rawhttp.connect(server.port), cases[2])
        check(problem is None, f"emfile: a newcomer answered wrongly: {problem}")
        for s in socks:
            abortive_close(s)
        socks = []
        server.stop()
    finally:
        for s in socks:
            abortive_close(s)
        server.kill()


def phase_slowloris(server):
    headers, bodies = 300, 100
    print(f"slowloris: {headers} clients trickling headers, {bodies} trickling a body; read deadline "
          f"{SLOW_READ_TIMEOUT_MS} ms", flush=True)
    socks = []
    for i in range(headers + bodies):
        s = rawhttp.connect(server.port)
        if i < headers:
            s.sendall(b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:
            s.sendall(b"GET /v1/game/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n")
        s.setblocking(False)
        socks.append(s)
    start = time.monotonic()
    cut_at = {}
    give_up = SLOW_READ_TIMEOUT_MS / 1000 + 10 * scenario.SLOWDOWN
    while len(cut_at) < len(socks) and time.monotonic() - start < give_up:
        for s in socks:
            if s in cut_at:
                continue
            try:
                s.send(b"a")  # one byte, every 200 ms: never a whole request
                data = s.recv(4096)
                if data == b"" or data.startswith(b"HTTP/1.1 408"):
                    cut_at[s] = time.monotonic() - start
            except BlockingIOError:
                pass
            except (ConnectionResetError, BrokenPipeError):
                cut_at[s] = time.monotonic() - start
        time.sleep(0.2)
    for s in socks:
        abortive_close(s)
    latest = max(cut_at.values()) if cut_at else None
    print(f"  {len(cut_at)} of {len(socks)} cut; the last after {latest:.2f} s" if latest else "  none cut", flush=True)
    check(len(cut_at) == len(socks), f"slowloris: {len(socks) - len(cut_at)} trickling clients were never cut")
    if latest is not None:
        check(latest < SLOW_READ_TIMEOUT_MS / 1000 + 8 * scenario.SLOWDOWN,
              f"slowloris: the last was cut after {latest:.1f} s")


def phase_pipelined_flood(server):
    # A small request for a large answer (the OpenAPI document), so that the unread answers fill
    # the socket buffers quickly; evserve must stop reading, and cut the client at the deadline.
    flooders, per_send = 8, 200
    request = rawhttp.request_bytes("/openapi.json")
    print(f"pipelined flood: {flooders} clients pipelining GET /openapi.json in batches of {per_send} "
          f"without reading a byte", flush=True)
    rss_before = server.rss_mib()
    results = []

    def flood():
        s = rawhttp.connect(server.port)
        s.setblocking(False)
        sent = 0
        start = time.monotonic()
        outcome = None
        batch = request * per_send
        pending = memoryview(batch)
        while time.monotonic() - start < SLOW_READ_TIMEOUT_MS / 1000 + 20 * scenario.SLOWDOWN:
            try:
                n = s.send(pending)
                sent += n
                pending = pending[n:] if n < len(pending) else memoryview(batch)
            except BlockingIOError:
                time.sleep(0.01)
            except (ConnectionResetError, BrokenPipeError):
                outcome = time.monotonic() - start
                break
        abortive_close(s)
        results.append((sent // len(request), outcome))

    threads = [threading.Thread(target=flood) for _ in range(flooders)]
    for t in threads:
        t.start()
    peak = rss_before
    while any(t.is_alive() for t in threads):
        peak = max(peak, server.rss_mib())
        time.sleep(0.1)
    for t in threads:
        t.join()
    cut = [o for _, o in results if o is not None]
    print(f"  requests pushed per client: {sorted(n for n, _ in results)}; {len(cut)} of {flooders} cut, the last "
          f"after {max(cut) if cut else 0:.1f} s; RSS {rss_before:.1f} MiB, peak {peak:.1f} MiB", flush=True)
    check(len(cut) == flooders, f"pipelined flood: {flooders - len(cut)} flooders were never cut off")
    check(peak - rss_before < 256, f"pipelined flood: RSS grew {peak - rss_before:.0f} MiB")


def phase_pipelined_reader(server, cases):
    n = 2000
    print(f"pipelined reader: {n} requests written in one go, answers read as they come", flush=True)
    chosen = [random.Random(7).choice(cases) for _ in range(n)]
    s = rawhttp.connect(server.port, timeout=30)
    writer = threading.Thread(target=lambda: s.sendall(b"".join(rawhttp.request_bytes(c[0]) for c in chosen)))
    start = time.monotonic()
    writer.start()
    reader = rawhttp.Reader(s)
    wrong = []
    answered = 0
    try:
        for target, want_status, want in chosen:
            status, _, body = reader.response()
            answered += 1
            problem = expected.mismatch(status, want_status, want, body)
            if problem:
                wrong.append(f"{target}: {problem}")
    except (rawhttp.Closed, OSError) as e:
        wrong.append(f"after {answered} answers: {type(e).__name__} {e}")
    writer.join()
    s.close()
    print(f"  {answered} answers in {time.monotonic() - start:.1f} s, {len(wrong)} wrong", flush=True)
    check(answered == n and not wrong, f"pipelined reader: {wrong[:3]}")


def main():
    args = scenario.arguments(optional=[("--phases", "idle,cap,emfile,slow")])
    have = scenario.raise_nofile(IDLE_CONNECTIONS + 1000)
    if have < IDLE_CONNECTIONS + 1000:
        scenario.fail(f"this test needs {IDLE_CONNECTIONS + 1000} open files (ulimit -n); the hard limit allows {have}")
        scenario.finish("connection_floods")
    cases = expected.targets(args.queries)
    phases = args.phases.split(",")
    if "idle" in phases:
        phase_idle(args, cases)
    if "cap" in phases:
        phase_cap(args, cases)
    if "emfile" in phases:
        phase_emfile(args, cases)
    if "slow" in phases:
        server = scenario.Evserve(args.evserve, args.db_url, args.work, "slow",
                                  ["--threads", "2", "--pool-size", "4", "--read-timeout-ms", str(SLOW_READ_TIMEOUT_MS)])
        try:
            good = scenario.GoodClient(server.port, args.queries, args.work, "slowloris")
            phase_slowloris(server)
            good.finish()
            good = scenario.GoodClient(server.port, args.queries, args.work, "pipelined floods")
            phase_pipelined_flood(server)
            phase_pipelined_reader(server, cases)
            good.finish()
            server.stop()
        finally:
            server.kill()
    scenario.finish("connection_floods")


if __name__ == "__main__":
    main()
