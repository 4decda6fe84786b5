#!/usr/bin/env bash
# Hostile HTTP against evserve (hostile/*.py): loads a fixture with evload into a fresh database
# of the test cluster, then runs one scenario script, which starts evserve itself (with the
# descriptor limits and timeouts each attack needs) and a good client beside every attack.
#
#   hostile_http.sh --scenario NAME --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR
#                   --fixture DIR --db-name NAME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_parse_options hostile_http.sh "scenario evserve evload pgcluster cluster-dir fixture db-name" "$@"
work=$(mktemp -d "${TMPDIR:-/tmp}/hostile-http.XXXXXX")
trap 'rm -rf -- "$work"' EXIT  # the scenario stops (or kills) every evserve it started

db_url=$(e2e_fresh_database "$pgcluster" "$cluster_dir" "$db_name")
"$evload" load --events "$fixture/events.jsonl" --rates "$fixture/exchange_rates.jsonl" --db "$(e2e_role_url "$db_url" ev_loader)" -q \
  --max-reject-ratio 1  # the fixtures are cleaning tests: tiny is mostly rejects by design
# evserve runs as the read-only role, as in production.
python3 "$here/hostile/$scenario.py" --evserve "$evserve" --db-url "$(e2e_role_url "$db_url" ev_reader)" --queries "$fixture/queries.jsonl" \
  --work "$work"
