#!/bin/bash
# The `replica` service of compose.yaml: a streaming hot standby of the `postgres` service. On
# its first start (an empty volume) it copies the primary with pg_basebackup -R (which writes
# standby.signal and primary_conninfo) through the replication slot $REPLICA_SLOT, which keeps
# the primary's WAL for it while it is down; then it runs postgres with the standby settings
# docs/operations.md ("Hot standbys") explains. Runs as the postgres user (compose.yaml).
# --help: the comment above, and nothing else.
case ${1:-} in -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;; esac
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
: "${PRIMARY_HOST:=postgres}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICA_SLOT:=replica1}"
: "${EV_REPLICATOR_PASSWORD:?set EV_REPLICATOR_PASSWORD}"
export PGPASSWORD=$EV_REPLICATOR_PASSWORD

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  until pg_isready -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -q; do sleep 1; done
  # The slot may exist already (a replica volume removed and created again): keep it.
  psql "host=$PRIMARY_HOST port=$PRIMARY_PORT user=ev_replicator replication=true" -X -q \
    -c "CREATE_REPLICATION_SLOT $REPLICA_SLOT PHYSICAL RESERVE_WAL" >/dev/null 2>&1 || true
  pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U ev_replicator -D "$PGDATA" -R -X stream -c fast \
    -S "$REPLICA_SLOT" --progress
fi
chmod 0700 "$PGDATA"
unset PGPASSWORD  # primary_conninfo (postgresql.auto.conf, written by -R) holds what the standby needs
# Overridable from compose.yaml's command (each a -c name=value).
exec postgres -c hot_standby=on -c hot_standby_feedback=on -c max_standby_streaming_delay=1s "$@"
