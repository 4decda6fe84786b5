#!/usr/bin/env bash
# A reload under traffic: while evload reloads the database again and again (alternating two
# fixtures), wrk hammers evserve; every answer must be a 200 and, after the last swap, evserve
# must answer from the last load.
#
#   reload_under_traffic.sh --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR
#                           --fixtures DIR --db-name NAME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_parse_options reload_under_traffic.sh "evserve evload pgcluster cluster-dir fixtures db-name" "$@"
e2e_work_dir reload-traffic

db_url=$(e2e_fresh_database "$pgcluster" "$cluster_dir" "$db_name")
loader_url=$(e2e_role_url "$db_url" ev_loader)
reader_url=$(e2e_role_url "$db_url" ev_reader)
# --force: the reloads alternate a fixture with one far smaller and mostly rejects, on purpose.
load() { "$evload" load --events "$fixtures/$1/events.jsonl" --rates "$fixtures/$1/exchange_rates.jsonl" --db "$loader_url" -q --force; }
load tiny

e2e_start_evserve "$work" "$evserve" "$reader_url" --threads 2 --pool-size 4

# Traffic on the figures that change between the two fixtures, for the whole reload sequence.
for path in "/v1/game/stats" "/v1/game/stats?group_by=country&date=2010-05-09"; do
  PATH_UNDER_TEST=$path wrk -t1 -c8 -d8s -s "$here/status_counter.lua" "http://127.0.0.1:$port" >"$work/wrk-${#path}.out" 2>&1 &
done
sleep 1
reloads=0
for fixture in small tiny small tiny small tiny; do
  load "$fixture"
  reloads=$((reloads + 1))
done
wait_failures=0
for job in $(jobs -p); do
  [[ $job == "$server_pid" ]] && continue
  wait "$job" || wait_failures=$((wait_failures + 1))
done

status=0
for out in "$work"/wrk-*.out; do
  e2e_wrk_verdict "reload_under_traffic: $reloads reloads" "$out" || status=1
done
# After the last swap evserve answers from the last load (tiny: 4 users, 8 logins).
answer=$(curl -fsS "http://127.0.0.1:$port/v1/game/stats")
expected=$(e2e_expected_game_stats "$fixtures/tiny")
got=$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['daily_active_users'], d['logins'])" "$answer")
if [[ $got != "$expected" ]]; then
  echo "reload_under_traffic: after the last reload evserve answered '$got', expected '$expected'" >&2
  status=1
fi
kill -TERM "$server_pid"; wait "$server_pid" || status=1; server_pid=
exit $status
