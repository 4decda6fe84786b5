#!/bin/sh
# Run by the postgres image on its first start (compose.yaml mounts it into
# /docker-entrypoint-initdb.d): when EV_REPLICATOR_PASSWORD is set, a role that may stream WAL
# to hot standbys (the `replica` profile), and a pg_hba.conf line letting it connect for
# replication from the Compose network (the image's own line, "host all all all", does not cover
# replication connections). Read at the server's next start, which follows the init scripts.
# --help: the comment above, and nothing else.
case ${1:-} in -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;; esac
set -eu
if [ -z "${EV_REPLICATOR_PASSWORD:-}" ]; then
  echo "compose-replication: EV_REPLICATOR_PASSWORD not set, no replication role" >&2
  exit 0
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v replicator_password="$EV_REPLICATOR_PASSWORD" <<'SQL'
CREATE ROLE ev_replicator WITH LOGIN REPLICATION PASSWORD :'replicator_password';
SQL
echo "host replication ev_replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
