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

# e2e_parse_options SCRIPT "SPEC" "$@": every argument is `--name value`; SPEC lists the names,
# each `name` (into the variable name, dashes as underscores) or `name=variable`. Every variable
# starts empty; an unknown argument or a missing value is a usage error (exit 2).
e2e_parse_options() {
  local script=$1 spec=$2 item name
  shift 2
  local -A variable_of=()
  for item in $spec; do
    name=${item%%=*}
    if [[ $item == *=* ]]; then variable_of[$name]=${item#*=}; else variable_of[$name]=${name//-/_}; fi
    printf -v "${variable_of[$name]}" '%s' ''
  done
  while (($#)); do
    name=${1#--}
    if [[ $1 != --* || -z ${variable_of[$name]+set} || $# -lt 2 ]]; then
      echo "$script: unknown argument or missing value: $1" >&2
      exit 2
    fi
    printf -v "${variable_of[$name]}" '%s' "$2"
    shift 2
  done
}

# e2e_work_dir LABEL: a scratch directory in $work, removed at exit with evserve ($server_pid,
# killed when set). A script that has more to clean up sets its own EXIT trap after this.
e2e_work_dir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  server_pid=
  trap e2e_cleanup EXIT
}
e2e_cleanup() {
  if [[ -n ${server_pid:-} ]]; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf -- "$work"
}

# e2e_start_private_cluster PGCLUSTER CLUSTER_DIR FIRST_PORT LAST_PORT [PGCLUSTER START OPTIONS…]:
# a throwaway cluster of its own on the first free port of the range (a neighbour's cluster on a
# shared machine may hold one); sets `cluster_port` to its port, or says why and fails. PGCLUSTER_OPTS
# in the environment reaches pgcluster.
e2e_start_private_cluster() {
  local pgcluster=$1 cluster=$2 first=$3 last=$4 try_port errors
  shift 4
  errors=$(mktemp)
  cluster_port=
  for try_port in $(seq "$first" "$last"); do
    if "$pgcluster" start "$cluster" "$try_port" --throwaway "$@" >/dev/null 2>"$errors"; then
      cluster_port=$try_port
      break
    fi
    "$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
  done
  if [[ -z $cluster_port ]]; then
    cat "$errors" >&2
    echo "no free port for a private cluster in $first..$last" >&2
  fi
  rm -f -- "$errors"
  [[ -n $cluster_port ]]
}

# e2e_wrk_verdict LABEL OUT: the summary of a wrk run with status_counter.lua, printed; fails
# (showing wrk's output) unless there were 100 answers or more and every one was a 200.
e2e_wrk_verdict() {
  local label=$1 out=$2 requests not_ok socket_errors
  requests=$(awk '/^requests/ {print $2}' "$out")
  not_ok=$(awk '/^not_ok/ {print $2}' "$out")
  socket_errors=$(awk '/^socket_errors/ {print $2}' "$out")
  echo "$label: $requests requests, $not_ok not 200, $socket_errors socket errors"
  if [[ -z $requests || $requests -lt 100 || $not_ok != 0 || $socket_errors != 0 ]]; then
    cat "$out" >&2
    return 1
  fi
}

# e2e_expected_game_stats FIXTURE_DIR: "daily_active_users logins" of /v1/game/stats, from the
# fixture's queries.jsonl.
e2e_expected_game_stats() {
  python3 -c "import json,sys; q=[json.loads(l) for l in open(sys.argv[1])]; e=[x['expect'] for x in q if x['kind']=='game' and x['params']=={}][0]; print(e['daily_active_users'], e['logins'])" "$1/queries.jsonl"
}
