#!/usr/bin/env bash
# The dashboard's browser test (dashboard_test.mjs): a private PostgreSQL cluster (this test stops
# it to see the 503 message, so not the shared test cluster) and a hot standby of it, the fixture
# loaded by evload, evserve on it (and a second one with bearer tokens on every route, a third on
# the standby), and headless Chromium driven by puppeteer-core from npm (pinned by
# package-lock.json, installed with `npm ci --ignore-scripts` into the build directory; it never
# downloads a browser).
#
#   run.sh --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR --port PORT --fixture DIR
#          --node-dir DIR --screenshots DIR [--timing-runs N]
#
# --timing-runs N: instead of the test, page_timing.mjs: the time to a fully drawn page, N cold and
# warm loads and their medians, with the requests' waterfall (make bench-dashboard).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../server/e2e/lib.sh
. "$here/../server/e2e/lib.sh"
e2e_parse_options run.sh "evserve evload pgcluster cluster-dir=cluster port=pg_port fixture node-dir screenshots timing-runs" "$@"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (make deps installs nodejs and npm)" >&2; exit 1; }
done
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "run.sh: $chromium is missing (make deps installs chromium)" >&2; exit 1; }

# puppeteer-core, as the lockfile pins it; again only when the lockfile changed.
mkdir -p "$node_dir"
cp "$here/package.json" "$here/package-lock.json" "$here/dashboard_test.mjs" "$here/page_timing.mjs" "$node_dir/"
stamp=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ ! -d $node_dir/node_modules || $(cat "$node_dir/.lock-stamp" 2>/dev/null) != "$stamp" ]]; then
  (cd "$node_dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
  echo "$stamp" >"$node_dir/.lock-stamp"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/browser-test.XXXXXX")
server_pid=
other_pids=()
standby_cluster=$cluster-standby
"$pgcluster" destroy "$standby_cluster" >/dev/null 2>&1 || true
"$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
cleanup() {
  local pid
  for pid in $server_pid "${other_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  "$pgcluster" destroy "$standby_cluster" >/dev/null 2>&1 || true
  "$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT

e2e_start_private_cluster "$pgcluster" "$cluster" "$pg_port" $((pg_port + 4))
db_url=$("$pgcluster" createdb "$cluster" gameevents)
"$evload" load --events "$fixture/events.jsonl" --rates "$fixture/exchange_rates.jsonl" --db "$(e2e_role_url "$db_url" ev_loader)" -q

if [[ -z $timing_runs ]]; then
  # evserve with bearer tokens on every data route (--auth-scope all): the page asks for a token.
  mkdir -p "$work/auth" "$work/standby"
  token=browser-test-$RANDOM$RANDOM
  printf '# the browser test\n%s\n' "$token" >"$work/auth/tokens"
  e2e_start_evserve "$work/auth" "$evserve" "$(e2e_role_url "$db_url" ev_reader)" --threads 1 --pool-size 2 \
    --auth-token-file "$work/auth/tokens" --auth-scope all
  other_pids+=("$server_pid")
  auth_port=$port
  # A hot standby of the cluster and evserve on it with a replay lag limit: the test pauses replay
  # and reloads the primary, and /readyz there answers 503 replica_lag while the data routes answer.
  standby_port=
  for try_port in $(seq $((cluster_port + 1)) $((pg_port + 5))); do
    if "$pgcluster" standby "$standby_cluster" "$cluster" "$try_port" --throwaway >/dev/null 2>"$work/pgcluster.err"; then
      standby_port=$try_port
      break
    fi
    "$pgcluster" destroy "$standby_cluster" >/dev/null 2>&1 || true
  done
  [[ -n $standby_port ]] || { cat "$work/pgcluster.err" >&2; echo "run.sh: no free port for the standby" >&2; exit 1; }
  standby_url=${db_url/:$cluster_port\//:$standby_port/}
  e2e_start_evserve "$work/standby" "$evserve" "$(e2e_role_url "$standby_url" ev_reader)" --threads 1 --pool-size 2 \
    --max-replica-lag-ms 300 --replica-check-ms 100
  other_pids+=("$server_pid")
  standby_http_port=$port
  lag_standby="psql -X -q -d '$standby_url' -c 'SELECT pg_wal_replay_pause()' >/dev/null && '$evload' load --events '$fixture/events.jsonl' --rates '$fixture/exchange_rates.jsonl' --db '$(e2e_role_url "$db_url" ev_loader)' -q --force >/dev/null"
fi
e2e_start_evserve "$work" "$evserve" "$(e2e_role_url "$db_url" ev_reader)" --threads 1 --pool-size 4 --pool-timeout-ms 2000

if [[ -n $timing_runs ]]; then
  CHROMIUM=$chromium node "$node_dir/page_timing.mjs" --url "http://127.0.0.1:$port" --runs "$timing_runs"
  exit
fi

# The output is also kept beside the screenshots (browser-test.log), for .ci/run to show.
mkdir -p "$screenshots"
set -o pipefail
CHROMIUM=$chromium node "$node_dir/dashboard_test.mjs" --url "http://127.0.0.1:$port" --fixture "$fixture" \
  --screenshots "$screenshots" --stop-db "'$pgcluster' stop '$cluster' >/dev/null" \
  --auth-url "http://127.0.0.1:$auth_port" --auth-token "$token" \
  --standby-url "http://127.0.0.1:$standby_http_port" --lag-standby "$lag_standby" 2>&1 | tee "$screenshots/browser-test.log"
