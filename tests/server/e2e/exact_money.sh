#!/usr/bin/env bash
# Money leaves evserve exact (issue 15): a real load whose one transaction is 9.99 at the legal
# 18-digit rate 999999999999999999 makes amount_usd 9989999999999999990.01 in PostgreSQL; the
# game stats (all time, by day, by country, daily) and the user stats must say exactly that,
# never 9.99e+18 (a double keeps 15-17 digits), and /v1/loads/latest must show no exponent.
#
#   exact_money.sh --evserve BIN --evload BIN --pgcluster SCRIPT --cluster-dir DIR --db-name NAME
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_parse_options exact_money.sh "evserve evload pgcluster cluster-dir db-name" "$@"
e2e_work_dir exact-money

user=b2b2b2b2-683b-11ee-aca7-8699b86be788
cat >"$work/events.jsonl" <<JSON
{"event_id": 1, "event_type": "registration", "event_timestamp": 1273280400, "event_data": {"user_id": "$user", "country": "DE", "name": "Rich Player", "device_os": "iOS", "marketing_campaign": null}}
{"event_id": 2, "event_type": "login", "event_timestamp": 1273280500, "event_data": {"user_id": "$user"}}
{"event_id": 3, "event_type": "transaction", "event_timestamp": 1273280600, "event_data": {"user_id": "$user", "transaction_currency": "XAU", "transaction_amount": 9.99}}
JSON
cat >"$work/rates.jsonl" <<'JSON'
{"currency": "USD", "rate_to_usd": "1"}
{"currency": "XAU", "rate_to_usd": "999999999999999999"}
JSON
exact=9989999999999999990.01

db_url=$(e2e_fresh_database "$pgcluster" "$cluster_dir" "$db_name")
# --force: the login right after the registration is already_logged_in, a third of these lines.
"$evload" load --events "$work/events.jsonl" --rates "$work/rates.jsonl" --db "$(e2e_role_url "$db_url" ev_loader)" -q --force
in_db=$(psql -X -At -d "$db_url" -c "SELECT sum(revenue_usd) FROM ev_live.user_daily")
[[ $in_db == "$exact" ]] || { echo "FAIL: PostgreSQL holds $in_db, expected $exact" >&2; exit 1; }

e2e_start_evserve "$work" "$evserve" "$(e2e_role_url "$db_url" ev_reader)"
failures=0
expect_exact() {
  local target=$1 body
  body=$(curl -sS "http://127.0.0.1:$port$target")
  if [[ $body != *"\"revenue_usd\":$exact"[,}]* ]]; then
    echo "FAIL: $target: $body" >&2
    failures=$((failures + 1))
  else
    echo "ok: $target says $exact"
  fi
  if grep -qE '[:,[][[:space:]]*-?[0-9.]+[eE][+-]?[0-9]' <<<"$body"; then
    echo "FAIL: $target: a number in exponent form: $body" >&2
    failures=$((failures + 1))
  fi
}
expect_exact "/v1/game/stats"
expect_exact "/v1/game/stats?date=2010-05-08"
expect_exact "/v1/game/stats?country=DE"
expect_exact "/v1/game/stats?group_by=country"
expect_exact "/v1/game/daily?from=2010-05-08&to=2010-05-08"
expect_exact "/queryGameData?date=2010-05-08&country=DE"
expect_exact "/v1/users/$user/stats"
expect_exact "/v1/users/$user/stats?date=2010-05-08"
latest=$(curl -sS "http://127.0.0.1:$port/v1/loads/latest")
if grep -qE '[:,[][[:space:]]*-?[0-9.]+[eE][+-]?[0-9]' <<<"$latest"; then
  echo "FAIL: /v1/loads/latest: a number in exponent form: $latest" >&2
  failures=$((failures + 1))
fi
kill "$server_pid"
wait "$server_pid" || true
server_pid=
((failures == 0)) || exit 1
echo "exact money: every answer says $exact"
