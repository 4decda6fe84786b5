#!/usr/bin/env bash
# evserve on a hot standby (scripts/pgcluster standby), through a multi-host connection string
# that prefers the standby and falls back to the primary:
#
#   1. every query of every fixture answered right from the standby (each fixture loaded on the
#      primary, then replayed), and no evserve connection on the primary;
#   2. six reloads on the primary under traffic on the standby: only 200s, and each new load
#      visible through evserve within seconds;
#   3. replay paused on the standby while a load lands on the primary: /readyz 503 replica_lag
#      (--max-replica-lag-ms), the statistics still answered; resumed: ready, the new load live;
#   4. the standby stopped under traffic: evserve reads the primary; started again: evserve goes
#      back to the standby by itself, no request answered other than 200 throughout.
#
#   standby.sh --evserve BIN --evload BIN --checker BIN --pgcluster SCRIPT --cluster-dir DIR
#              --port PORT --fixtures DIR
#
# Two private clusters (DIR/primary, DIR/standby) on PORT and a port after it (or the next free
# ones), destroyed at the end even on failure. DIR is a fixed place in the build directory so that
# a run killed before its cleanup leaves nothing the next run does not destroy first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_parse_options standby.sh "evserve evload checker pgcluster cluster-dir=base port=pg_port fixtures" "$@"
primary=$base/primary
standby=$base/standby
work=$(mktemp -d "${TMPDIR:-/tmp}/standby-e2e.XXXXXX")
server_pid=
wrk_pid=
destroy_clusters() {
  "$pgcluster" destroy "$standby" >/dev/null 2>&1 || true
  "$pgcluster" destroy "$primary" >/dev/null 2>&1 || true
}
cleanup() {
  [[ -n $wrk_pid ]] && kill -KILL "$wrk_pid" 2>/dev/null || true
  [[ -n $server_pid ]] && kill -KILL "$server_pid" 2>/dev/null || true
  destroy_clusters
  rm -rf -- "$work"
}
trap cleanup EXIT
destroy_clusters
started=$(date +%s.%N)
say() { printf 'standby: [%5.1f s] %s\n' "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$*"; }
fail() {
  echo "standby: FAIL: $*" >&2
  if [[ -s $work/evserve.err ]]; then echo "--- evserve stderr (end):" >&2; tail -n 20 "$work/evserve.err" >&2; fi
  exit 1
}

# The ports may be taken by a neighbour's cluster on a shared machine: try the next ones.
start_on_free_port() {  # start_on_free_port FIRST_PORT COMMAND… : prints the port used
  local first=$1 p
  shift
  for p in $(seq "$first" $((first + 2))); do
    if "$@" "$p" --throwaway >/dev/null 2>"$work/pgcluster.err"; then
      echo "$p"
      return 0
    fi
  done
  cat "$work/pgcluster.err" >&2
  return 1
}
primary_port=$(start_on_free_port "$pg_port" "$pgcluster" start "$primary") || fail "no free port for the primary"
primary_url=$("$pgcluster" createdb "$primary" gameevents)
standby_port=$(start_on_free_port $((primary_port + 1)) "$pgcluster" standby "$standby" "$primary") ||
  fail "cannot start a standby of $primary"
standby_url=${primary_url/:$primary_port\//:$standby_port/}
loader_url=$(e2e_role_url "$primary_url" ev_loader)
say "primary on $primary_port, standby on $standby_port"

# Prefer the standby, fall back to the primary.
reader="host=127.0.0.1,127.0.0.1 port=$standby_port,$primary_port dbname=gameevents user=ev_reader target_session_attrs=prefer-standby"
max_lag_ms=1500
e2e_start_evserve "$work" "$evserve" "$reader" --threads 2 --pool-size 4 --max-replica-lag-ms $max_lag_ms \
  --replica-check-ms 200 || fail "evserve did not start"
base_url=http://127.0.0.1:$port

# json_field JSON PATH…: the value at PATH (keys), "None" when absent.
json_field() {
  python3 -c 'import json,sys
v=json.loads(sys.argv[1])
for k in sys.argv[2:]:
    v=v.get(k) if isinstance(v, dict) else None
print(v)' "$@"
}
readyz() { curl -sS "$base_url/readyz"; }
metric() { curl -fsS "$base_url/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }
load() {
  # --force: fixtures of other sizes and reject rates replace each other on purpose (no quality gate).
  "$evload" load --events "$fixtures/$1/events.jsonl" --rates "$fixtures/$1/exchange_rates.jsonl" --db "$loader_url" -q --force \
    >"$work/evload.out" 2>&1 || { cat "$work/evload.out" >&2; fail "evload load $1 failed"; }
  psql -X -At -d "$primary_url" -c "SELECT max(run_id) FROM evmeta.load_runs WHERE status = 'succeeded'"
}
evserve_backends() {  # evserve_backends URL: evserve's pool connections on that server
  psql -X -At -d "$1" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'evserve'"
}
# wait_until SECONDS WHAT COMMAND…: polls COMMAND every 0.1 s until it succeeds.
wait_until() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + seconds))
  until "$@"; do
    (($(date +%s) < deadline)) || fail "$what: not within $seconds s"
    sleep 0.1
  done
}
live_on_standby() {  # live_on_standby RUN: /readyz ready, on the standby, RUN live there
  local body
  body=$(readyz)
  [[ $(json_field "$body" status) == ready && $(json_field "$body" database role) == standby &&
     $(json_field "$body" dataset run_id) == "$1" && $(json_field "$body" database live_run_id) == "$1" ]]
}
role_is() { [[ $(json_field "$(readyz)" database role) == "$1" ]]; }
no_evserve_on_primary() { [[ $(evserve_backends "$primary_url") == 0 ]]; }

# wrk on /v1/game/stats in the background until stop_traffic, counting answers other than 200.
start_traffic() {
  # --timeout 30s: on a shared machine a request may take over wrk's default 2 s; only answers
  # other than 200 and broken connections fail the test.
  PATH_UNDER_TEST=/v1/game/stats wrk -t1 -c8 -d300s --timeout 30s -s "$here/status_counter.lua" "$base_url" >"$work/wrk.out" 2>&1 &
  wrk_pid=$!
  sleep 0.5
}
stop_traffic() {  # stop_traffic LABEL: fails unless every answer was a 200
  kill -INT "$wrk_pid" 2>/dev/null || true  # wrk prints its summary on SIGINT
  wait "$wrk_pid" || true
  wrk_pid=
  local summary verdict=0
  summary=$(e2e_wrk_verdict "$1" "$work/wrk.out") || verdict=1
  say "$summary"
  ((verdict == 0)) || fail "$1: answers other than 200 under traffic"
}
# The figures /v1/game/stats must show for FIXTURE (from its queries.jsonl).
expected_stats() { e2e_expected_game_stats "$fixtures/$1"; }
stats_are() {
  local body
  body=$(curl -fsS "$base_url/v1/game/stats") || return 1
  [[ $(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['daily_active_users'], d['logins'])" "$body") == "$1" ]]
}

# 1. Every fixture, answered from the standby.
for fixture in tiny small nordeus-like; do
  [[ -f $fixtures/$fixture/queries.jsonl ]] || continue
  run=$(load "$fixture")
  wait_until 30 "run $run of $fixture live on the standby" live_on_standby "$run"
  "$checker" --host 127.0.0.1 --port "$port" --queries "$fixtures/$fixture/queries.jsonl" >"$work/check.out" 2>&1 ||
    { cat "$work/check.out" >&2; fail "$fixture: wrong answers from the standby"; }
  role_is standby || fail "$fixture: evserve left the standby during the checks"
  no_evserve_on_primary || fail "$fixture: evserve has connections on the primary"
  say "$fixture: every query answered right from the standby ($(tail -n 1 "$work/check.out"))"
done

# 2. Six reloads on the primary under traffic on the standby.
start_traffic
reloads=0
for fixture in small tiny small tiny small tiny; do
  load_started=$(date +%s.%N)
  run=$(load "$fixture")
  load_seconds=$(awk -v a="$load_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  expected=$(expected_stats "$fixture")
  wait_until 30 "reload $((reloads + 1)) ($fixture, run $run) visible through evserve" stats_are "$expected"
  visible_seconds=$(awk -v a="$load_started" -v b="$(date +%s.%N)" -v l="$load_seconds" 'BEGIN { printf "%.1f", b - a - l }')
  live_on_standby "$run" || fail "reload $((reloads + 1)): /readyz does not show run $run live on the standby"
  reloads=$((reloads + 1))
  say "reload $reloads ($fixture): evload ${load_seconds} s, run $run answered from the standby ${visible_seconds} s later"
done
stop_traffic "$reloads reloads under traffic on the standby"
no_evserve_on_primary || fail "evserve reached the primary during the reloads"

# 3. Replay paused: /readyz fails above --max-replica-lag-ms, the statistics are still answered.
psql -X -q -d "$standby_url" -c "SELECT pg_wal_replay_pause()" >/dev/null
before=$(json_field "$(readyz)" dataset run_id)
run=$(load small)
lag_too_high() {
  local body
  body=$(readyz)
  [[ $(json_field "$body" status) == not_ready && $(json_field "$body" reason) == replica_lag ]]
}
wait_until 30 "/readyz 503 replica_lag while replay is paused" lag_too_high
status=$(curl -sS -o "$work/readyz.json" -w '%{http_code}' "$base_url/readyz")
[[ $status == 503 ]] || fail "/readyz answered $status while the lag is above the limit"
lag=$(json_field "$(cat "$work/readyz.json")" database replay_lag_ms)
((lag > max_lag_ms)) || fail "replica_lag with a lag of $lag ms"
[[ $(metric evserve_db_replay_paused) == 1 ]] || fail "evserve_db_replay_paused is not 1"
stats_are "$(expected_stats tiny)" || fail "the statistics are not answered (old data) while replay is paused"
[[ $(json_field "$(curl -sS "$base_url/v1/loads/latest")" run_id) == "$before" ]] ||
  fail "/v1/loads/latest on the paused standby is not the run live there"
say "replay paused, run $run loaded on the primary: /readyz 503 replica_lag at $lag ms (limit $max_lag_ms), statistics still answered from run $before"
psql -X -q -d "$standby_url" -c "SELECT pg_wal_replay_resume()" >/dev/null
wait_until 30 "ready again with run $run once replay resumed" live_on_standby "$run"
stats_are "$(expected_stats small)" || fail "run $run not answered after the replay resumed"
say "replay resumed: ready, run $run live on the standby"

# 4. The standby stopped and started again under traffic.
start_traffic
"$pgcluster" stop "$standby" >/dev/null
wait_until 30 "evserve on the primary once the standby stopped" role_is primary
stats_are "$(expected_stats small)" || fail "wrong answer from the primary"
say "standby stopped: evserve reads the primary"
sleep 1
"$pgcluster" start "$standby" >/dev/null
wait_until 30 "evserve back on the standby" role_is standby
wait_until 30 "evserve's connections off the primary" no_evserve_on_primary
stop_traffic "standby stopped and started again"
[[ $(metric evserve_db_server_changes_total) -ge 2 ]] || fail "evserve_db_server_changes_total below 2"
"$checker" --host 127.0.0.1 --port "$port" --queries "$fixtures/small/queries.jsonl" >"$work/check.out" 2>&1 ||
  { cat "$work/check.out" >&2; fail "wrong answers after the standby came back"; }
say "standby back: evserve reads it again, every query of small right"

kill -TERM "$server_pid"
wait "$server_pid" || fail "evserve did not exit cleanly on SIGTERM"
server_pid=
say "passed"
