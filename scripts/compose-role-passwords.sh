#!/bin/sh
# Run by the postgres image on its first start (compose.yaml mounts it into
# /docker-entrypoint-initdb.d after sql/roles.sql): gives the two roles the passwords from the
# environment, so evload and evserve can log in over the network (scram-sha-256).
# --help: the comment above, and nothing else (no build, no cluster, no load).
case ${1:-} in -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;; esac
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v loader_password="$EV_LOADER_PASSWORD" -v reader_password="$EV_READER_PASSWORD" <<'SQL'
ALTER ROLE ev_loader PASSWORD :'loader_password';
ALTER ROLE ev_reader PASSWORD :'reader_password';
SQL
