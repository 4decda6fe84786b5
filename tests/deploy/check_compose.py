#!/usr/bin/env python3
"""Validates compose.yaml with Debian's docker-compose (no Docker engine needed) and checks the
stack's promises in the normalised configuration: postgres healthy before the others start, the
roles' SQL run at initialisation, evload a read-only-data one-shot job as ev_loader, evserve on
8086 as ev_reader with a /readyz healthcheck, both built from the Dockerfile; and, in the
`replica` profile only, a streaming hot standby of postgres (its own volume, the replication role
created at initialisation) with a second evserve on 8087 that prefers it and gates on its lag.

usage: check_compose.py PROJECT_DIR
"""
import subprocess
import sys
from pathlib import Path

import yaml

failures: list[str] = []


def expect(condition: bool, what: str) -> None:
    print(("ok: " if condition else "FAIL: ") + what)
    if not condition:
        failures.append(what)


def compose(project: Path, *args: str, env_file: bool = True) -> subprocess.CompletedProcess:
    command = ["docker-compose", "--project-directory", str(project), "-f", str(project / "compose.yaml")]
    if env_file:
        command += ["--env-file", str(project / ".env.example")]
    return subprocess.run(command + list(args), capture_output=True, text=True)


def mounts(service: dict) -> list[tuple[str, str, bool]]:
    """(source, target, read_only) of each volume entry, short or long syntax."""
    out = []
    for v in service.get("volumes", []):
        if isinstance(v, str):
            parts = v.split(":")
            out.append((parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
        else:
            out.append((v.get("source", ""), v["target"], bool(v.get("read_only"))))
    return out


def user_of(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[0]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    project = Path(sys.argv[1]).resolve()

    quiet = compose(project, "config", "-q")
    expect(quiet.returncode == 0, "docker-compose -f compose.yaml config -q accepts the file" +
           (": " + quiet.stderr.strip() if quiet.returncode else ""))
    if quiet.returncode:
        return 1
    without_secrets = compose(project, "config", "-q", env_file=False)
    expect(without_secrets.returncode != 0, "it refuses to run without the passwords (no default secrets)")

    config = yaml.safe_load(compose(project, "config").stdout)
    services = config.get("services", {})
    names = {"postgres", "evload", "evserve", "replica", "evserve-replica"}
    expect(set(services) == names, f"services are {sorted(names)}: {sorted(services)}")
    postgres, evload, evserve = (services.get(n, {}) for n in ("postgres", "evload", "evserve"))
    replica, evserve_replica = services.get("replica", {}), services.get("evserve-replica", {})

    expect(str(postgres.get("image", "")).startswith("postgres:15"), "postgres runs the official PostgreSQL 15 image")
    expect("healthcheck" in postgres, "postgres has a healthcheck")
    pg_mounts = mounts(postgres)
    expect(any(t == "/var/lib/postgresql/data" and s in config.get("volumes", {}) for s, t, _ in pg_mounts),
           "postgres keeps its data in a named volume")
    expect(any(s.endswith("sql/roles.sql") and t.startswith("/docker-entrypoint-initdb.d/") for s, t, _ in pg_mounts),
           "sql/roles.sql runs when the database is initialised")

    for name, service in (("evload", evload), ("evserve", evserve), ("evserve-replica", evserve_replica)):
        build = service.get("build", {})
        expect(Path(build.get("context", "")).resolve() == project and build.get("dockerfile") == "Dockerfile",
               f"{name} is built from the project's Dockerfile")
        upstream = "replica" if name == "evserve-replica" else "postgres"
        expect(service.get("depends_on", {}).get(upstream, {}).get("condition") == "service_healthy",
               f"{name} waits for {upstream} to be healthy")

    expect(evload.get("entrypoint") == ["evload"], "the evload service runs evload")
    expect("jobs" in evload.get("profiles", []), "evload is a job (a profile of its own), not started by `up`")
    expect(any(t == "/data" and ro for _, t, ro in mounts(evload)), "evload sees data/ read-only at /data")
    expect(user_of(evload.get("environment", {}).get("DATABASE_URL", "://@")) == "ev_loader", "evload connects as ev_loader")
    command = evload.get("command", [])
    expect(command[:1] == ["load"] and "/data/events.jsonl" in command, "evload's default command loads /data/events.jsonl")

    expect(evserve.get("entrypoint") == ["evserve"], "the evserve service runs evserve")
    expect(user_of(evserve.get("environment", {}).get("DATABASE_URL", "://@")) == "ev_reader",
           "evserve connects as the read-only ev_reader")
    ports = [str(p.get("published", "")) + ":" + str(p.get("target", "")) if isinstance(p, dict) else str(p)
             for p in evserve.get("ports", [])]
    expect("8086:8086" in ports, f"evserve is published on 8086: {ports}")
    expect("/readyz" in " ".join(evserve.get("healthcheck", {}).get("test", [])), "evserve's healthcheck asks /readyz")

    # The replica profile: nothing of it starts with a plain `up`.
    for name, service in (("replica", replica), ("evserve-replica", evserve_replica)):
        expect(service.get("profiles") == ["replica"], f"{name} belongs to the replica profile only")
    for name in ("postgres", "evserve"):
        expect(not services.get(name, {}).get("profiles"), f"{name} starts with a plain `up` (no profile)")
    expect(any(s.endswith("scripts/compose-replication.sh") and t.startswith("/docker-entrypoint-initdb.d/")
               for s, t, _ in pg_mounts), "the replication role is created when the database is initialised")
    expect(str(replica.get("image", "")) == str(postgres.get("image", "")), "replica runs the primary's image")
    expect(replica.get("depends_on", {}).get("postgres", {}).get("condition") == "service_healthy",
           "replica waits for postgres to be healthy")
    replica_mounts = mounts(replica)
    expect(any(t == "/var/lib/postgresql/data" and s in config.get("volumes", {}) and s != "pgdata"
               for s, t, _ in replica_mounts), "replica keeps its data in a named volume of its own")
    expect(any(s.endswith("scripts/compose-replica.sh") and ro for s, _, ro in replica_mounts)
           and "compose-replica.sh" in " ".join(replica.get("entrypoint", [])),
           "replica starts through scripts/compose-replica.sh (pg_basebackup -R on first start)")
    expect(replica.get("user") == "postgres", "replica runs as the postgres user")
    expect("healthcheck" in replica, "replica has a healthcheck")
    replica_url = evserve_replica.get("environment", {}).get("DATABASE_URL", "://@")
    expect(user_of(replica_url) == "ev_reader", "evserve-replica connects as the read-only ev_reader")
    hosts = replica_url.split("@", 1)[-1].split("/", 1)[0]
    expect(hosts.startswith("replica:") and ",postgres:" in hosts and "target_session_attrs=prefer-standby" in replica_url,
           f"evserve-replica prefers the standby and falls back to the primary: {hosts}")
    command = evserve_replica.get("command", [])
    expect("--max-replica-lag-ms" in command, "evserve-replica's /readyz gates on the replay lag")
    ports = [str(p.get("published", "")) + ":" + str(p.get("target", "")) if isinstance(p, dict) else str(p)
             for p in evserve_replica.get("ports", [])]
    expect("8087:8086" in ports, f"evserve-replica is published on 8087: {ports}")
    expect("/readyz" in " ".join(evserve_replica.get("healthcheck", {}).get("test", [])),
           "evserve-replica's healthcheck asks /readyz")

    print(f"{len(failures)} failure(s)" if failures else "compose.yaml: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
