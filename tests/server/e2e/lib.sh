# Shared by the end-to-end scripts beside it (source it; it defines functions only).

# e2e_fresh_database PGCLUSTER CLUSTER_DIR NAME: drops NAME if it exists, creates it, prints its URI.
e2e_fresh_database() {
  local pgcluster=$1 cluster_dir=$2 name=$3 base_url
  base_url=$("$pgcluster" url "$cluster_dir")
  psql -X -q -v ON_ERROR_STOP=1 -d "$base_url" -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  "$pgcluster" createdb "$cluster_dir" "$name"
}

# e2e_role_url URL ROLE: the same URI connecting as ROLE (the roles of sql/roles.sql, which
# pgcluster createdb applies): evload runs as ev_loader, evserve as the read-only ev_reader.
e2e_role_url() {
  printf '%s\n' "$1" | sed "s|://[^@/]*@|://$2@|"
}

# e2e_start_evserve WORK_DIR EVSERVE DB_URL [EVSERVE OPTIONS…]: starts evserve on a free port of
# 127.0.0.1 with its output in WORK_DIR/evserve.{out,err}; sets server_pid and port, or fails.
e2e_start_evserve() {
  local work=$1 evserve=$2 db_url=$3
  shift 3
  # Created here, not by the background job's redirection: that job may not have run yet when the
  # first sed below reads the file, and a sed that fails ends the script (set -e) — a CI flake.
  : >"$work/evserve.out"
  : >"$work/evserve.err"
  "$evserve" --db "$db_url" --listen 127.0.0.1 --port 0 "$@" >>"$work/evserve.out" 2>>"$work/evserve.err" &
  server_pid=$!
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's|^evserve: listening on http://[^:]*:\([0-9]*\).*|\1|p' "$work/evserve.err")
    [[ -n $port ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/evserve.err" >&2
  echo "evserve did not start" >&2
  return 1
}
