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
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_parse_options db_restart.sh "evserve evload pgcluster port=pg_port cluster-dir=cluster fixture" "$@"
work=$(mktemp -d "${TMPDIR:-/tmp}/db-restart.XXXXXX")
"$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
cleanup() {
  "$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT

e2e_start_private_cluster "$pgcluster" "$cluster" "$pg_port" $((pg_port + 6))
db_url=$("$pgcluster" createdb "$cluster" gameevents)
"$evload" load --events "$fixture/events.jsonl" --rates "$fixture/exchange_rates.jsonl" --db "$(e2e_role_url "$db_url" ev_loader)" -q \
  --max-reject-ratio 1  # the fixtures are cleaning tests: tiny is mostly rejects by design
python3 "$here/hostile/db_restart.py" --evserve "$evserve" --db-url "$(e2e_role_url "$db_url" ev_reader)" --queries "$fixture/queries.jsonl" \
  --work "$work" --pgcluster "$pgcluster" --cluster-dir "$cluster"
