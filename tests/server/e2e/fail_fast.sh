#!/usr/bin/env bash
# evserve at start-up and its messages (issue 15), against a private cluster whose pg_hba asks
# every role but postgres for a SCRAM password:
#   * a refused login (wrong password, in the URI, a password= keyword or $PGPASSWORD; an unknown
#     role) exits 3 at once with the cause; a malformed connection string exits 2;
#   * a database that is down keeps evserve up: /readyz 503 naming the cause, 503s that log one
#     line per window ("repeated N times") — recovery is server-e2e: database restart's;
#   * no password anywhere: every line evserve printed, every body it sent (/readyz, /metrics,
#     errors) is grepped for the test passwords;
#   * versions: evserve --version and evload --version print the same version, which /healthz,
#     the Server header, evserve_build_info and the OpenAPI document carry too; --help exits 0
#     and a usage error exits 2 for both programs;
#   * --listen takes a host name; a port in use is one sentence (no library source path), exit 1.
#
#   fail_fast.sh --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR --port PORT
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
e2e_parse_options fail_fast.sh "evserve evload pgcluster cluster-dir=cluster port=pg_port" "$@"
work=$(mktemp -d "${TMPDIR:-/tmp}/fail-fast.XXXXXX")
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

right='R1ght-Pw-5e7b1c'
wrong='Wr0ng-Pw-9f1c3d'
env_wrong='Env-Pw-4a4a2b'
down_pw='D0wn-Pw-8c8c1e'

# The cluster: trust for postgres (the test's own administration), SCRAM for every other role.
"$pgcluster" destroy "$cluster" >/dev/null 2>&1 || true
mkdir -p "$cluster"
cat >"$work/pg_hba.conf" <<'HBA'
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
chmod 644 "$work/pg_hba.conf"
PGCLUSTER_OPTS="-c hba_file=$work/pg_hba.conf" e2e_start_private_cluster "$pgcluster" "$cluster" "$pg_port" $((pg_port + 4))
admin=$("$pgcluster" createdb "$cluster" failfast)
psql -X -q -v ON_ERROR_STOP=1 -d "$admin" -c "CREATE ROLE ev_locked LOGIN PASSWORD '$right'" >/dev/null
host_url="postgresql://ev_locked:%s@127.0.0.1:$cluster_port/failfast"

# run NAME EXPECTED_EXIT [ENV=…] -- ARGS: runs evserve to its end (30 s at most), output in $work/NAME.
run() {
  local name=$1 want=$2 code=0
  shift 2
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" timeout 30 "$evserve" --listen 127.0.0.1 --port 0 "$@" >"$work/$name.out" 2>"$work/$name.err" || code=$?
  if ((code == want)); then ok "$name: exit $code: $(head -c 300 "$work/$name.err" | tr '\n' ' ')"; else
    fail "$name: exit $code, expected $want: $(cat "$work/$name.err")"; fi
}

# A refused login will not heal: exit 3 at once, the cause named.
run wrong-password-uri 3 -- --db "$(printf "$host_url" "$wrong")"
grep -q "password authentication failed" "$work/wrong-password-uri.err" || fail "wrong password: cause not named"
run wrong-password-keyword 3 -- --db "host=127.0.0.1 port=$cluster_port dbname=failfast user=ev_locked password=$wrong"
run wrong-password-env 3 PGPASSWORD="$env_wrong" -- --db "postgresql://ev_locked@127.0.0.1:$cluster_port/failfast"
run wrong-password-envvar 3 DATABASE_URL="$(printf "$host_url" "$wrong")" --
run unknown-role 3 -- --db "postgresql://nobody_here:$wrong@127.0.0.1:$cluster_port/failfast"
# A malformed connection string is a usage error.
run malformed-scheme 2 -- --db "postgresq://ev_locked:$wrong@127.0.0.1:$cluster_port/failfast"
run malformed-keyword 2 -- --db "host=127.0.0.1 password=$wrong port"
# The right password starts it (so the exits above were about the login).
"$evserve" --db "$(printf "$host_url" "$right")" --listen 127.0.0.1 --port 0 >"$work/right.out" 2>"$work/right.err" &
pids+=($!)
for _ in $(seq 1 200); do grep -qE "^evserve: (database|warning|PostgreSQL)" "$work/right.err" && break; sleep 0.1; done
grep -q "database reachable" "$work/right.err" && ok "right password: serving" || fail "right password: $(cat "$work/right.err")"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

# Down, transient: evserve stays up, names the cause, rate-limits its log.
down_port=$((cluster_port + 1))
"$pgcluster" stop "$cluster" >/dev/null
"$evserve" --db "postgresql://ev_locked:$down_pw@127.0.0.1:$cluster_port/failfast" --listen localhost --port 0 \
  --pool-timeout-ms 3000 >"$work/down.out" 2>"$work/down.err" &
pids+=($!)
server=${pids[-1]}
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's|^evserve: listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/down.err")
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] && ok "--listen localhost: listening on 127.0.0.1:$port" || fail "--listen localhost: $(cat "$work/down.err")"
status=$(curl -s -o "$work/readyz.body" -w '%{http_code}' "http://127.0.0.1:$port/readyz")
[[ $status == 503 ]] && grep -q "Connection refused" "$work/readyz.body" && ok "/readyz names the cause: $(cat "$work/readyz.body")" ||
  fail "/readyz while down: $status $(cat "$work/readyz.body")"
for i in $(seq 1 30); do
  curl -s -o "$work/stats-$i.body" -w '%{http_code}\n' "http://127.0.0.1:$port/v1/game/stats" >>"$work/down.statuses"
done
[[ $(sort -u "$work/down.statuses") == 503 ]] && ok "30 requests while down: 503" || fail "while down: $(sort "$work/down.statuses" | uniq -c)"
lines=$(grep -c "database unavailable" "$work/down.err" || true)
((lines >= 1 && lines <= 3)) && ok "log while down: $lines 'database unavailable' line(s) for 30 requests" ||
  fail "log while down: $lines lines: $(cat "$work/down.err")"
curl -s "http://127.0.0.1:$port/metrics" >"$work/metrics.body"
kill "$server"; wait "$server" 2>/dev/null || true

# Versions: one string everywhere.
version=$("$evserve" --version) || fail "evserve --version: exit $?"
[[ $version =~ ^evserve\ ([0-9]+\.[0-9]+\.[0-9]+)$ ]] && v=${BASH_REMATCH[1]} || { fail "evserve --version: '$version'"; v=none; }
[[ $("$evload" --version) == "evload $v" ]] && ok "evload --version: evload $v" || fail "evload --version: $("$evload" --version)"
"$evserve" --db "postgresql://ev_locked:$down_pw@127.0.0.1:$down_port/failfast" --listen 127.0.0.1 --port 0 \
  >"$work/version.out" 2>"$work/version.err" &
pids+=($!)
server=${pids[-1]}
for _ in $(seq 1 100); do
  port=$(sed -n 's|^evserve: listening on http://[^:]*:\([0-9]*\).*|\1|p' "$work/version.err")
  [[ -n $port ]] && break
  sleep 0.1
done
curl -s -D "$work/healthz.headers" "http://127.0.0.1:$port/healthz" >"$work/healthz.body"
grep -q "\"version\":\"$v\"" "$work/healthz.body" && ok "/healthz: $(cat "$work/healthz.body")" || fail "/healthz: $(cat "$work/healthz.body")"
grep -qi "^Server: evserve/$v" "$work/healthz.headers" && ok "Server: evserve/$v" || fail "Server header: $(cat "$work/healthz.headers")"
curl -s "http://127.0.0.1:$port/metrics" | grep -q "^evserve_build_info{version=\"$v\"} 1$" && ok "evserve_build_info" ||
  fail "no evserve_build_info{version=\"$v\"}"
curl -s "http://127.0.0.1:$port/openapi.json" | python3 -c "import json,sys; sys.exit(json.load(sys.stdin)['info']['version'] != '$v')" &&
  ok "OpenAPI info.version $v" || fail "OpenAPI version"
# A port in use: one sentence, no library source path.
code=0
timeout 10 "$evserve" --listen 127.0.0.1 --port "$port" >"$work/in-use.out" 2>"$work/in-use.err" || code=$?
if ((code == 1)) && [[ $(wc -l <"$work/in-use.err") == 1 ]] && grep -q "port is in use" "$work/in-use.err" &&
    ! grep -qiE "boost|/usr/|\.hpp|\.ipp" "$work/in-use.err"; then ok "port in use: $(cat "$work/in-use.err")"
else fail "port in use: exit $code: $(cat "$work/in-use.err")"; fi
kill "$server"; wait "$server" 2>/dev/null || true
for program in "$evserve" "$evload"; do
  name=$(basename "$program")
  "$program" --help >"$work/$name-help.out" 2>&1 && grep -q -- "--version" "$work/$name-help.out" && ok "$name --help" ||
    fail "$name --help"
  code=0; "$program" --no-such-option >/dev/null 2>&1 || code=$?
  ((code == 2)) && ok "$name --no-such-option: exit 2" || fail "$name --no-such-option: exit $code"
done
for args in "--port 70000" "--threads 0" "--port" "--auth-scope everyone" "extra-argument"; do
  code=0
  # shellcheck disable=SC2086
  "$evserve" $args >/dev/null 2>&1 || code=$?
  ((code == 2)) && ok "evserve $args: exit 2" || fail "evserve $args: exit $code"
done

# No password in anything evserve printed or sent.
for secret in "$wrong" "$env_wrong" "$down_pw" "$right"; do
  if grep -rl -- "$secret" "$work" --exclude=pg_hba.conf >"$work/leaks" 2>/dev/null; then
    fail "a password appears in: $(tr '\n' ' ' <"$work/leaks")"
  fi
done
((failures == 0)) && ok "no test password in $(ls "$work" | wc -l) captured outputs and bodies"
((failures == 0)) || exit 1
echo "fail fast: all checks passed"
