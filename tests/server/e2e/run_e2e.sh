#!/usr/bin/env bash
# End-to-end test of evserve over one fixture: load the fixture into a fresh database of a
# running cluster, start evserve on a free port, ask it every query of queries.jsonl and
# analytics.jsonl (on the /v1 and the compatibility endpoints, and as format=csv) plus the HTTP
# protocol checks, then stop it with SIGTERM and
# require a clean exit.
#
#   run_e2e.sh --evserve BIN --checker BIN --pgcluster SCRIPT --cluster-dir DIR --db-name NAME
#              --fixture DIR (--evload BIN | --serving-sql FILE --sql-dir DIR)
#
# --evload loads events.jsonl/exchange_rates.jsonl with `evload load`; --serving-sql instead
# runs a psql script that builds ev_live directly (tests/server/data/tiny_ev_live.sql, so the
# server can be tested without evload). The cluster must be running (pgcluster start DIR).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_parse_options run_e2e.sh "evserve checker pgcluster cluster-dir db-name fixture evload serving-sql sql-dir" "$@"
for v in evserve checker pgcluster cluster_dir db_name fixture; do
  [[ -n ${!v} ]] || { echo "run_e2e.sh: --${v//_/-} is required" >&2; exit 2; }
done
[[ -n $evload || -n $serving_sql ]] || { echo "run_e2e.sh: --evload or --serving-sql is required" >&2; exit 2; }
e2e_work_dir evserve-e2e

# A fresh database per run: drop the previous one if any.
db_url=$(e2e_fresh_database "$pgcluster" "$cluster_dir" "$db_name")
loader_url=$(e2e_role_url "$db_url" ev_loader)
reader_url=$(e2e_role_url "$db_url" ev_reader)
echo "run_e2e: database $db_url"

if [[ -n $evload ]]; then
  echo "run_e2e: evload load $fixture"
  "$evload" load --events "$fixture/events.jsonl" --rates "$fixture/exchange_rates.jsonl" --db "$loader_url" --max-reject-ratio 1 \
    >"$work/evload.out" 2>&1 || { cat "$work/evload.out" >&2; echo "run_e2e: evload failed" >&2; exit 1; }
else
  echo "run_e2e: building ev_live from $serving_sql"
  psql -X -q -v ON_ERROR_STOP=1 -v tables_sql="$sql_dir/g10_tables.sql" -v indexes_sql="$sql_dir/g20_indexes.sql" \
    -d "$loader_url" -f "$serving_sql" >/dev/null 2>"$work/psql.err" || { cat "$work/psql.err" >&2; exit 1; }
fi

status=0
stop_evserve() {
  kill -TERM "$server_pid"
  local exit_code=0
  wait "$server_pid" || exit_code=$?
  server_pid=
  if ((exit_code != 0)); then
    echo "run_e2e: evserve exited with $exit_code after SIGTERM" >&2
    status=1
  fi
}
metric() { curl -fsS "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }

# SPEC §7 expectations, when the fixture has them.
analytics=()
[[ -f $fixture/analytics.jsonl ]] && analytics=(--queries "$fixture/analytics.jsonl")

# Twice: with the query pipelines (the default), then with every query on a connection of its own.
for depth in 64 0; do
  e2e_start_evserve "$work" "$evserve" "$reader_url" --threads 2 --pool-size 4 --query-pipeline-depth "$depth" || exit 1
  echo "run_e2e: evserve on port $port, --query-pipeline-depth $depth"
  "$checker" --host 127.0.0.1 --port "$port" --queries "$fixture/queries.jsonl" "${analytics[@]}" --protocol || status=1
  pipelined=$(metric evserve_db_pipeline_queries_total)
  in_flight=$(metric evserve_db_pipeline_in_flight)
  echo "run_e2e: queries through the pipelines: $pipelined (in flight now: $in_flight)"
  if ((depth > 0 && ${pipelined:-0} == 0)) || ((depth == 0 && ${pipelined:-1} != 0)) || [[ $in_flight != 0 ]]; then
    echo "run_e2e: the pipelines served $pipelined queries with --query-pipeline-depth $depth" >&2
    status=1
  fi
  stop_evserve
done
if ((status != 0)); then
  echo "--- evserve stderr:" >&2
  tail -n 30 "$work/evserve.err" >&2
fi
exit $status
