#!/usr/bin/env bash
# PostgreSQL restarted under a running evserve (hostile/db_restart.py). A private cluster on its
# own port, destroyed at the end even on failure: restarting the shared test cluster would break
# the tests running beside this one.
#
#   db_restart.sh --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR --port PORT --fixture DIR
#
# DIR is a fixed place (in the build directory) so that a run killed before its cleanup (a CTest
# timeout) leaves nothing the next run does not destroy first.
set -euo pipefail
evserve= evload= pgcluster= cluster= pg_port= fixture=
while (($#)); do
  case $1 in
    --evserve) evserve=$2 ;; --evload) evload=$2 ;; --pgcluster) pgcluster=$2 ;; --port) pg_port=$2 ;;
    --cluster-dir) cluster=$2 ;;
    --fixture) fixture=$2 ;;
    *) echo "db_restart.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/db-restart.XXXXXX")
"$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
cleanup() {
  "$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT

# The port may be taken by a neighbour's cluster on a shared machine: try the next ones.
started=
for try_port in $(seq "$pg_port" $((pg_port + 6))); do
  if "$pgcluster" start "$cluster" "$try_port" --throwaway >/dev/null 2>"$work/pgcluster.err"; then
    started=$try_port
    break
  fi
  "$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
done
[[ -n $started ]] || { cat "$work/pgcluster.err" >&2; echo "db_restart.sh: no free port in $pg_port.." >&2; exit 1; }
db_url=$("$pgcluster" createdb "$cluster" gameevents)
"$evload" load --events "$fixture/events.jsonl" --rates "$fixture/exchange_rates.jsonl" --db "$(e2e_role_url "$db_url" ev_loader)" -q \
  --max-reject-ratio 1  # the fixtures are cleaning tests: tiny is mostly rejects by design
python3 "$here/hostile/db_restart.py" --evserve "$evserve" --db-url "$(e2e_role_url "$db_url" ev_reader)" --queries "$fixture/queries.jsonl" \
  --work "$work" --pgcluster "$pgcluster" --cluster-dir "$cluster"
