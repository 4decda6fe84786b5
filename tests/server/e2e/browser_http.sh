#!/usr/bin/env bash
# What browsers expect (browser_http.py): CORS, ETag/304, gzip and the dashboard, over raw HTTP,
# with evserve on a fixture loaded by evload; three evserves for the three --cors-origin modes.
#
#   browser_http.sh --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR --fixtures DIR --db-name NAME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_parse_options browser_http.sh "evserve evload pgcluster cluster-dir fixtures db-name" "$@"
work=$(mktemp -d "${TMPDIR:-/tmp}/browser-http.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf -- "$work"
}
trap cleanup EXIT

db_url=$(e2e_fresh_database "$pgcluster" "$cluster_dir" "$db_name")
loader_url=$(e2e_role_url "$db_url" ev_loader)
reader_url=$(e2e_role_url "$db_url" ev_reader)
# --force: fixtures of other sizes and reject rates replace each other on purpose (no quality gate).
load() { "$evload" load --events "$fixtures/$1/events.jsonl" --rates "$fixtures/$1/exchange_rates.jsonl" --db "$loader_url" -q --force; }
load small >/dev/null

mkdir -p "$work/any" "$work/list" "$work/off"
e2e_start_evserve "$work/any" "$evserve" "$reader_url" --threads 1 --pool-size 2
pids+=("$server_pid"); port_any=$port
e2e_start_evserve "$work/list" "$evserve" "$reader_url" --threads 1 --pool-size 2 --cors-origin "https://a.example, https://b.example"
pids+=("$server_pid"); port_list=$port
e2e_start_evserve "$work/off" "$evserve" "$reader_url" --threads 1 --pool-size 2 --cors-origin off
pids+=("$server_pid"); port_off=$port

if "$evserve" --db "$reader_url" --port 0 --cors-origin "not-an-origin" >/dev/null 2>"$work/bad.err"; then
  echo "FAIL: --cors-origin not-an-origin was accepted" >&2; exit 1
fi
grep -q "not an origin" "$work/bad.err" || { cat "$work/bad.err" >&2; echo "FAIL: no clear --cors-origin error" >&2; exit 1; }

load_command() {
  printf "'%s' load --events '%s' --rates '%s' --db '%s' -q --force >/dev/null" "$evload" "$fixtures/$1/events.jsonl" \
    "$fixtures/$1/exchange_rates.jsonl" "$loader_url"
}
python3 "$here/browser_http.py" --port "$port_any" --port-list "$port_list" --port-off "$port_off" \
  --reload-same "$(load_command small)" --reload-other "$(load_command tiny)"
