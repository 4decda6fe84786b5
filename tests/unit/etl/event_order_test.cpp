// SPEC §2 steps 3–5 and §3: order, duplicates and the state machine, replayed through the model
// builder; the COPY rows it streams are decoded and asserted row by row.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "unit_support.hpp"

using ge::Table;
using ge_test::kDay0;
using ge_test::kUserA;
using ge_test::kUserB;
using ge_test::kUserC;
using ge_test::lines_of;
using ge_test::login;
using ge_test::logout;
using ge_test::registration;
using ge_test::run_pipeline;
using ge_test::timestamp_text;
using ge_test::transaction;
using Rows = std::vector<std::string>;

namespace {
Rows sorted(Rows rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}
const std::string A(kUserA);
const std::string B(kUserB);
const std::string C(kUserC);
std::string ts(ge::UnixSeconds t) { return timestamp_text(t); }
}  // namespace

TEST_CASE("all twelve cells of the state machine, in time order whatever the file order") {
  const ge::UnixSeconds t = kDay0 + 3600;  // 2010-05-08 01:00:00
  struct Step {
    std::string line;
    std::string expected;
  };
  const std::vector<Step> timeline{
      {login(101, t + 0, kUserA), "not_registered"},                  // unregistered + login
      {logout(102, t + 1, kUserA), "not_registered"},                 // unregistered + logout
      {transaction(103, t + 2, kUserA), "not_registered"},            // unregistered + transaction
      {registration(1, t + 10, kUserA), "accepted"},                  // unregistered + registration
      {registration(2, t + 11, kUserA), "already_registered"},        // logged in + registration
      {login(104, t + 12, kUserA), "already_logged_in"},              // logged in + login
      {transaction(105, t + 13, kUserA, "1.99", "EUR"), "accepted"},  // logged in + transaction
      {logout(106, t + 14, kUserA), "accepted"},                      // logged in + logout
      {registration(3, t + 15, kUserA), "already_registered"},        // logged out + registration
      {logout(107, t + 16, kUserA), "not_logged_in"},                 // logged out + logout
      {transaction(108, t + 17, kUserA), "not_logged_in"},            // logged out + transaction
      {login(109, t + 18, kUserA), "accepted"},                       // logged out + login
  };
  // Written to the file in reverse: line 1 is the last event in time.
  std::vector<std::string> file;
  for (auto it = timeline.rbegin(); it != timeline.rend(); ++it) file.push_back(it->line);
  const auto r = run_pipeline(lines_of(file));
  REQUIRE(r.lines == timeline.size());
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    const std::uint64_t line = timeline.size() - i;
    INFO("event " << i << " on line " << line);
    CHECK(r.at(line) == timeline[i].expected);
  }
  CHECK(r.accepted == 4);
  CHECK(r.rejected() == 8);
  for (const auto& reject : r.rejects) {
    CHECK(reject.field == ge::Field::none);  // state-machine reasons carry no field
    CHECK(reject.has_event_id);
  }

  CHECK(r.table(Table::sessions) == Rows{"1|" + A + "|" + ts(t + 10) + "|106|" + ts(t + 14) + "|4|t",
                                         "109|" + A + "|" + ts(t + 18) + "|NULL|NULL|NULL|f"});
  CHECK(r.table(Table::transactions) == Rows{"105|" + A + "|" + ts(t + 13) + "|1.99|EUR|2.587"});
  CHECK(r.table(Table::users) == Rows{A + "|Horst|DE|iOS|ads|" + ts(t + 10) + "|1|2|1|4|2010-05-08|1|2.587"});
  CHECK(r.table(Table::user_daily) == Rows{A + "|2010-05-08|2|1|4|1|2.587|2010-05-08"});
  CHECK(r.counts.accepted_by_type == std::array<std::uint64_t, 4>{1, 1, 1, 1});
  CHECK(r.counts.logins == 2);
  CHECK(r.counts.sessions_all == 2);
  CHECK(r.counts.sessions_closed == 1);
  CHECK(r.counts.sessions_counted == 1);
  CHECK(r.counts.time_spent_seconds == 4);
}

TEST_CASE("a user whose registration was rejected stays unregistered until an accepted one") {
  const ge::UnixSeconds t = kDay0 + 7200;
  const auto r = run_pipeline(lines_of({
      registration(1, t, kUserB, R"("country": "de", "device_os": "iOS", "marketing_campaign": null)"),
      login(2, t + 10, kUserB),
      registration(3, t + 20, kUserB,
                   R"("country": "US", "name": null, "device_os": "Android", "marketing_campaign": "")"),
      login(4, t + 30, kUserB),
      logout(5, t + 40, kUserB),
  }));
  CHECK(r.at(1) == "invalid_value(country)");
  CHECK(r.at(2) == "not_registered");
  CHECK(r.at(3) == "accepted");
  CHECK(r.at(4) == "already_logged_in");
  CHECK(r.at(5) == "accepted");
  CHECK(r.table(Table::users) == Rows{B + "|NULL|US|Android|NULL|" + ts(t + 20) + "|3|1|1|20|2010-05-08|0|0"});
  CHECK(r.counts.paid_users == 0);
}

TEST_CASE("events in one second sort by type rank, then id") {
  const ge::UnixSeconds ta = kDay0 + 3600;
  const ge::UnixSeconds tb = kDay0 + 7200;
  const ge::UnixSeconds tc = kDay0 + 10800;
  const auto r = run_pipeline(lines_of({
      transaction(40, ta, kUserA, "0.99", "EUR"),  // 1: before A's registration in the file, after it in time
      registration(1, ta, kUserA),                 // 2
      registration(4, tb, kUserB),                 // 3: same second as id 3, larger id: comes second
      logout(23, tb, kUserB),                      // 4: same second, rank 3: closes a 0 s session
      registration(3, tb, kUserB),                 // 5: the registration that counts
      registration(7, tc, kUserC),                 // 6
      logout(71, tc + 100, kUserC),                // 7: rank 3 sorts after the login of the same second
      login(70, tc + 100, kUserC),                 // 8
      logout(72, tc + 50, kUserC),                 // 9
  }));
  CHECK(r.at(1) == "accepted");
  CHECK(r.at(2) == "accepted");
  CHECK(r.at(3) == "already_registered");
  CHECK(r.at(4) == "accepted");
  CHECK(r.at(5) == "accepted");
  CHECK(r.at(6) == "accepted");
  CHECK(r.at(7) == "accepted");
  CHECK(r.at(8) == "accepted");
  CHECK(r.at(9) == "accepted");
  CHECK(sorted(r.table(Table::sessions)) ==
        sorted(Rows{"1|" + A + "|" + ts(ta) + "|NULL|NULL|NULL|f",
                    "3|" + B + "|" + ts(tb) + "|23|" + ts(tb) + "|0|f",  // 0 s: kept, not counted
                    "7|" + C + "|" + ts(tc) + "|72|" + ts(tc + 50) + "|50|t",
                    "70|" + C + "|" + ts(tc + 100) + "|71|" + ts(tc + 100) + "|0|f"}));
  CHECK(r.table(Table::transactions) == Rows{"40|" + A + "|" + ts(ta) + "|0.99|EUR|1.287"});
  CHECK(r.counts.sessions_all == 4);
  CHECK(r.counts.sessions_closed == 3);
  CHECK(r.counts.sessions_counted == 1);
  CHECK(r.counts.logins == 4);
}

TEST_CASE("duplicate_event_id: the first in (timestamp, rank, line) order keeps the id") {
  const ge::UnixSeconds t = kDay0 + 20000;
  const auto r = run_pipeline(lines_of({
      registration(6, t, kUserA),   // 1
      logout(27, t + 50, kUserA),   // 2
      login(14, t + 1000, kUserA),  // 3: later in time: duplicate
      login(14, t + 500, kUserA),   // 4: earlier in time: keeps id 14
      logout(28, t + 560, kUserA),  // 5
      // Same id, same second, different types: the lower rank (login) keeps it.
      transaction(30, t + 600, kUserA),  // 6: duplicate (rank 2)
      login(30, t + 600, kUserA),        // 7: keeps
      // Same id, timestamp and type, same content: the first line keeps it.
      transaction(31, t + 700, kUserA, "4.99", "USD"),  // 8: keeps
      transaction(31, t + 700, kUserA, "4.99", "USD"),  // 9: duplicate
  }));
  CHECK(r.at(3) == "duplicate_event_id(event_id)");
  CHECK(r.at(4) == "accepted");
  CHECK(r.at(5) == "accepted");
  CHECK(r.at(6) == "duplicate_event_id(event_id)");
  CHECK(r.at(7) == "accepted");
  CHECK(r.at(8) == "accepted");
  CHECK(r.at(9) == "duplicate_event_id(event_id)");
  CHECK(r.dedup.duplicates == 3);
  CHECK(r.dedup.ambiguous_same_key_duplicates == 0);
  for (const auto& reject : r.rejects) {
    CHECK(reject.reason == ge::Reason::duplicate_event_id);
    CHECK(reject.has_event_id);
  }
  const auto rejected_ids = [&] {
    std::vector<std::uint64_t> ids;
    for (const auto& reject : r.rejects) ids.push_back(reject.event_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }();
  CHECK(rejected_ids == std::vector<std::uint64_t>{14, 30, 31});
  CHECK(r.table(Table::sessions) == Rows{"6|" + A + "|" + ts(t) + "|27|" + ts(t + 50) + "|50|t",
                                         "14|" + A + "|" + ts(t + 500) + "|28|" + ts(t + 560) + "|60|t",
                                         "30|" + A + "|" + ts(t + 600) + "|NULL|NULL|NULL|f"});
}

TEST_CASE("copies with the same key but other content: the first line keeps the id and it is counted") {
  const ge::UnixSeconds t = kDay0 + 20000;
  const auto r = run_pipeline(lines_of({
      registration(1, t, kUserA),
      transaction(81, t + 10, kUserA, "1.99", "USD"),
      transaction(81, t + 10, kUserA, "0.99", "USD"),
  }));
  CHECK(r.at(2) == "accepted");
  CHECK(r.at(3) == "duplicate_event_id(event_id)");
  CHECK(r.dedup.ambiguous_same_key_duplicates == 1);
  CHECK(r.table(Table::transactions) == Rows{"81|" + A + "|" + ts(t + 10) + "|1.99|USD|1.99"});
}

TEST_CASE("a schema-invalid line does not claim its id, a state-machine reject does") {
  const ge::UnixSeconds t = kDay0 + 30000;
  const auto r = run_pipeline(lines_of({
      registration(5, t, kUserC),                     // 1
      transaction(25, t + 10, kUserC, "5.0", "EUR"),  // 2: invalid amount, does not claim 25
      logout(25, t + 20, kUserC),                     // 3: id 25 is free
      login(95, t + 1, kUserB),                       // 4: B is unregistered: not_registered, but holds 95
      login(96, t + 30, kUserC),                      // 5
      transaction(95, t + 40, kUserC),                // 6: 95 is taken by line 4 (earlier in time)
      transaction(97, t + 50, kUserC),                // 7: keeps 97
      logout(97, t + 60, kUserB),                     // 8: duplicate, although B's event would be refused anyway
  }));
  CHECK(r.at(1) == "accepted");
  CHECK(r.at(2) == "invalid_value(transaction_amount)");
  CHECK(r.at(3) == "accepted");
  CHECK(r.at(4) == "not_registered");
  CHECK(r.at(5) == "accepted");
  CHECK(r.at(6) == "duplicate_event_id(event_id)");
  CHECK(r.at(7) == "accepted");
  CHECK(r.at(8) == "duplicate_event_id(event_id)");
  CHECK(r.table(Table::sessions) == Rows{"5|" + C + "|" + ts(t) + "|25|" + ts(t + 20) + "|20|t",
                                         "96|" + C + "|" + ts(t + 30) + "|NULL|NULL|NULL|f"});
}

TEST_CASE("sessions: split across UTC midnight, 0 s kept but not counted, 1 s counted, open at the end") {
  const auto r = run_pipeline(lines_of({
      registration(1, kDay0 + 86300, kUserA),     // 2010-05-08 23:58:20
      logout(2, kDay0 + 86600, kUserA),           // 2010-05-09 00:03:20: 300 s = 100 + 200
      login(3, kDay0 + 86400 + 3600, kUserA),     // 2010-05-09 01:00:00
      logout(4, kDay0 + 86400 + 3601, kUserA),    // 1 s: counted
      login(5, kDay0 + 2 * 86400 + 100, kUserA),  // 2010-05-10 00:01:40, never closed
      registration(10, kDay0 + 1000, kUserB), logout(11, kDay0 + 1000, kUserB),  // 0 s
      registration(20, kDay0 + 43200, kUserC),                                   // 2010-05-08 12:00
      logout(21, kDay0 + 2 * 86400 + 43200, kUserC),                             // 2010-05-10 12:00: three days
  }));
  CHECK(r.accepted == 9);
  CHECK(r.rejected() == 0);
  CHECK(sorted(r.table(Table::sessions)) ==
        sorted(Rows{"1|" + A + "|2010-05-08 23:58:20+00|2|2010-05-09 00:03:20+00|300|t",
                    "3|" + A + "|2010-05-09 01:00:00+00|4|2010-05-09 01:00:01+00|1|t",
                    "5|" + A + "|2010-05-10 00:01:40+00|NULL|NULL|NULL|f",
                    "10|" + B + "|2010-05-08 00:16:40+00|11|2010-05-08 00:16:40+00|0|f",
                    "20|" + C + "|2010-05-08 12:00:00+00|21|2010-05-10 12:00:00+00|172800|t"}));
  // user_daily: logins and counted sessions on the login's day, time split over the days.
  CHECK(sorted(r.table(Table::user_daily)) == sorted(Rows{
                                                  A + "|2010-05-08|1|1|100|0|0|2010-05-08",
                                                  A + "|2010-05-09|1|1|201|0|0|2010-05-09",
                                                  A + "|2010-05-10|1|0|0|0|0|2010-05-10",
                                                  B + "|2010-05-08|1|0|0|0|0|2010-05-08",
                                                  C + "|2010-05-08|1|1|43200|0|0|2010-05-08",
                                                  // no login on these days: the last one carries forward
                                                  C + "|2010-05-09|0|0|86400|0|0|2010-05-08",
                                                  C + "|2010-05-10|0|0|43200|0|0|2010-05-08",
                                              }));
  CHECK(sorted(r.table(Table::users)) ==
        sorted(Rows{A + "|Horst|DE|iOS|ads|2010-05-08 23:58:20+00|1|3|2|301|2010-05-10|0|0",
                    B + "|Horst|DE|iOS|ads|2010-05-08 00:16:40+00|10|1|0|0|2010-05-08|0|0",
                    C + "|Horst|DE|iOS|ads|2010-05-08 12:00:00+00|20|1|1|172800|2010-05-08|0|0"}));
  // game_daily: day, country, active, paid active, logins, sessions, users with sessions, time,
  // users with time, transactions, revenue, new users, payers.
  CHECK(r.table(Table::game_daily) == Rows{"2010-05-08|DE|3|3|3|2|2|43300|2|0|0|3|0",
                                           "2010-05-09|DE|1|1|1|1|1|86601|2|0|0|0|0",
                                           "2010-05-10|DE|1|1|1|0|0|43200|1|0|0|0|0"});
  CHECK(r.table(Table::game_totals) == Rows{"DE|3|3|3|5|3|2|173101|2|0|0|0"});
  // The cohort of 2010-05-08: A logged in on R + 1; C's session lasted over it without a login.
  CHECK(r.table(Table::game_cohorts) == Rows{"2010-05-08|DE|3|1|0|0|0|0"});
  CHECK(r.table(Table::dataset) == Rows{"1|2023-11-14 22:13:20+00|2010-05-08|2010-05-10"});
  CHECK(r.counts.logins == 5);
  CHECK(r.counts.sessions_all == 5);
  CHECK(r.counts.sessions_closed == 4);
  CHECK(r.counts.sessions_counted == 3);
  CHECK(r.counts.time_spent_seconds == 173101);
  CHECK(r.counts.first_event == kDay0 + 1000);
  CHECK(r.counts.last_event == kDay0 + 2 * 86400 + 43200);
}

TEST_CASE("transactions convert to USD exactly at the rate file's precision") {
  const std::string rates =
      "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n"
      "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}\n"
      "{\"currency\": \"JPY\", \"rate_to_usd\": 0.0067}\n";
  const ge::UnixSeconds t = kDay0 + 100;
  const auto r = run_pipeline(
      lines_of({
          registration(1, t, kUserA, R"("country": "IT", "name": "R", "device_os": "Web", "marketing_campaign": null)"),
          transaction(2, t + 1, kUserA, "0.99", "EUR"),
          transaction(3, t + 2, kUserA, "9.990", "JPY"),
          transaction(4, t + 3, kUserA, "99e-2", "USD"),
          transaction(5, t + 4, kUserA, "0.989999999", "USD"),
      }),
      rates);
  CHECK(r.money_scale == 6);
  CHECK(r.table(Table::transactions) ==
        Rows{"2|" + A + "|" + ts(t + 1) + "|0.99|EUR|1.287", "3|" + A + "|" + ts(t + 2) + "|9.99|JPY|0.066933",
             "4|" + A + "|" + ts(t + 3) + "|0.99|USD|0.99", "5|" + A + "|" + ts(t + 4) + "|0.99|USD|0.99"});
  CHECK(r.revenue.to_string() == "3.333933");
  CHECK(r.revenue.to_string_rounded(2) == "3.33");
  CHECK(r.counts.transactions == 4);
  CHECK(r.table(Table::user_daily) == Rows{A + "|2010-05-08|1|0|0|4|3.333933|2010-05-08"});
}

TEST_CASE("users: identity, names, campaigns, paid users, rejected-only users leave no row") {
  const ge::UnixSeconds t = kDay0 + 500;
  const auto r = run_pipeline(lines_of({
      registration(
          6, t, "F6F6F6F6-683B-11EE-ACA7-8699B86BE788",
          R"("country": "IT", "name": "Renata", "device_os": "Web", "marketing_campaign": "social", "extra": 1)"),
      logout(26, t + 100, "f6f6f6f6-683b-11ee-aca7-8699b86be788"),  // the same user
      registration(3, t, kUserB, R"("country": "US", "name": null, "device_os": "Android", "marketing_campaign": "")"),
      registration(5, t, kUserC, R"("country": "ES", "device_os": "Web", "marketing_campaign": null)"),
      login(15, t + 5, "d4d4d4d4-683b-11ee-aca7-8699b86be788"),              // never registered
      login(16, kDay0 + 5 * 86400, "d4d4d4d4-683b-11ee-aca7-8699b86be788"),  // later, rejected: not the last data day
  }));
  CHECK(r.at(1) == "accepted");
  CHECK(r.at(2) == "accepted");
  CHECK(r.at(5) == "not_registered");
  CHECK(r.at(6) == "not_registered");
  const std::string f = "f6f6f6f6-683b-11ee-aca7-8699b86be788";
  CHECK(sorted(r.table(Table::users)) == sorted(Rows{f + "|Renata|IT|Web|social|" + ts(t) + "|6|1|1|100|2010-05-08|0|0",
                                                     B + "|NULL|US|Android|NULL|" + ts(t) + "|3|1|0|0|2010-05-08|0|0",
                                                     C + "|NULL|ES|Web|NULL|" + ts(t) + "|5|1|0|0|2010-05-08|0|0"}));
  CHECK(r.counts.users == 3);
  CHECK(r.counts.paid_users == 1);
  CHECK(r.counts.users_by_country == std::map<std::string, std::uint64_t>{{"ES", 1}, {"IT", 1}, {"US", 1}});
  CHECK(r.counts.last_event == t + 100);
  CHECK(r.table(Table::game_totals) ==
        Rows{"ES|1|0|1|1|0|0|0|0|0|0|0", "IT|1|1|1|1|1|1|100|1|0|0|0", "US|1|0|1|1|0|0|0|0|0|0|0"});
  CHECK(r.table(Table::game_cohorts) ==
        Rows{"2010-05-08|ES|1|0|0|0|0|0", "2010-05-08|IT|1|0|0|0|0|0", "2010-05-08|US|1|0|0|0|0|0"});
}

TEST_CASE("SPEC §7: new users and payers per day and country, payers of all time, retention cohorts") {
  const ge::UnixSeconds t = kDay0 + 3600;  // 2010-05-08 01:00
  constexpr ge::UnixSeconds d = 86400;
  const auto r = run_pipeline(lines_of({
      registration(1, t, kUserA),  // DE, 2010-05-08
      transaction(2, t + 10, kUserA, "0.99", "USD"),
      transaction(3, t + 20, kUserA, "1.99", "USD"),               // two transactions: one payer
      logout(4, t + 100, kUserA), login(5, t + d, kUserA),         // R + 1
      logout(6, t + d + 10, kUserA), login(7, t + 7 * d, kUserA),  // R + 7
      transaction(8, t + 7 * d + 5, kUserA, "4.99", "USD"), logout(9, t + 7 * d + 10, kUserA),
      registration(10, t + d, kUserB, R"("country": "US", "device_os": "Web", "marketing_campaign": null)"),
      logout(11, t + d + 50, kUserB), login(12, t + 4 * d, kUserB),      // B's R + 3
      logout(13, t + 4 * d + 1, kUserB), login(14, t + 31 * d, kUserB),  // B's R + 30
  }));
  REQUIRE(r.accepted == 14);
  // Only the last two fields of game_daily (new users, payers) are new here.
  Rows tail;
  for (const auto& row : r.table(Table::game_daily)) {
    const auto revenue_end = row.rfind('|', row.rfind('|') - 1);
    tail.push_back(row.substr(0, 13) + row.substr(revenue_end));
  }
  CHECK(tail == Rows{"2010-05-08|DE|1|1", "2010-05-09|DE|0|0", "2010-05-09|US|1|0", "2010-05-12|US|0|0",
                     "2010-05-15|DE|0|1", "2010-06-08|US|0|0"});
  CHECK(r.table(Table::game_totals) == Rows{"DE|1|1|1|3|3|1|120|1|3|7.97|1", "US|1|0|1|3|2|1|51|1|0|0|0"});
  CHECK(r.table(Table::game_cohorts) == Rows{"2010-05-08|DE|1|1|0|1|0|0", "2010-05-09|US|1|0|1|0|0|1"});
}

TEST_CASE("an empty input builds an empty model") {
  const auto r = run_pipeline("\n  \n");
  CHECK(r.lines == 2);
  CHECK(r.blank == 2);
  CHECK(r.accepted == 0);
  CHECK(r.rejected() == 0);
  CHECK(r.table(Table::users).empty());
  CHECK(r.table(Table::sessions).empty());
  CHECK(r.table(Table::dataset) == Rows{"1|2023-11-14 22:13:20+00|NULL|NULL"});
  CHECK_FALSE(r.counts.last_event);
}

TEST_CASE("results do not depend on buffer or COPY block sizes, nor on the order of lines") {
  const std::string content = lines_of({
      registration(1, kDay0 + 86300, kUserA),
      logout(2, kDay0 + 86600, kUserA),
      transaction(9, kDay0 + 86400, kUserA),
      registration(3, kDay0 + 10, kUserB),
      transaction(4, kDay0 + 20, kUserB, "2.99", "EUR"),
      login(5, kDay0 + 30, kUserB),
      logout(6, kDay0 + 40, kUserB),
      logout(6, kDay0 + 40, kUserB),
      login(7, kDay0 + 50, kUserB),
  });
  const auto reference = run_pipeline(content);
  const auto small_chunks = run_pipeline(content, ge_test::kShippedRates, 7);
  CHECK(small_chunks.copy == reference.copy);
  CHECK(small_chunks.outcome == reference.outcome);

  ge_test::TempDir dir;
  const auto path = dir.write("e.jsonl", content);
  const auto rates = ge_test::shipped_rates();
  const auto big_blocks = ge_test::run_pipeline_file(path, rates, ge::LineReader::kDefaultChunkBytes, 1u << 20);
  CHECK(big_blocks.copy == reference.copy);
  CHECK(big_blocks.rows == reference.rows);
  CHECK(reference.rows[static_cast<std::size_t>(Table::users)] == 2);

  // Reversed lines: the same tables (the first line kept among identical copies does not matter).
  std::vector<std::string> lines;
  std::string rest = content;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    lines.insert(lines.begin(), rest.substr(0, nl));
    rest.erase(0, nl + 1);
  }
  const auto reversed = run_pipeline(lines_of(lines));
  for (std::size_t t = 0; t < ge::kTableCount; ++t) {
    INFO(ge::to_string(static_cast<Table>(t)));
    CHECK(sorted(reversed.table(static_cast<Table>(t))) == sorted(reference.table(static_cast<Table>(t))));
  }
}

TEST_CASE("a large shuffled input (parallel sort path): every duplicate found, every session closed") {
  // 25,000 users × 3 events = 75,000 events: above the 65,536 at which the sort runs on two threads.
  constexpr std::uint64_t kUsers = 25000;
  std::vector<std::string> lines;
  lines.reserve(kUsers * 3);
  char user[37];
  for (std::uint64_t i = 0; i < kUsers; ++i) {
    std::snprintf(user, sizeof user, "%08llx-683b-11ee-aca7-8699b86be788", static_cast<unsigned long long>(i));
    const ge::UnixSeconds t = kDay0 + static_cast<ge::UnixSeconds>(i % 1000);
    lines.push_back(registration(i, t, user, R"("country": "DE", "device_os": "Web", "marketing_campaign": null)"));
    lines.push_back(logout(kUsers + i, t + 10, user));
    lines.push_back(logout(kUsers + i, t + 20, user));  // later copy of the same id: the duplicate
  }
  // A fixed pseudo-random shuffle.
  std::uint64_t state = 12345;
  for (std::size_t i = lines.size() - 1; i > 0; --i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::swap(lines[i], lines[(state >> 33) % (i + 1)]);
  }
  const auto r = run_pipeline(lines_of(lines));
  CHECK(r.lines == 3 * kUsers);
  CHECK(r.accepted == 2 * kUsers);
  CHECK(r.dedup.duplicates == kUsers);
  CHECK(r.rejected() == kUsers);
  CHECK(r.counts.users == kUsers);
  CHECK(r.counts.sessions_counted == kUsers);
  CHECK(r.counts.time_spent_seconds == static_cast<std::int64_t>(10 * kUsers));
  std::size_t wrong = 0;
  for (const auto& reject : r.rejects) {
    wrong += reject.reason != ge::Reason::duplicate_event_id || reject.event_id < kUsers;
  }
  CHECK(wrong == 0);
  // The kept copy is the earlier one: every session is 10 s.
  const auto sessions = r.table(Table::sessions);
  CHECK(std::count_if(sessions.begin(), sessions.end(), [](const std::string& row) {
          return row.size() > 4 && row.substr(row.size() - 5) == "|10|t";
        }) == static_cast<std::ptrdiff_t>(kUsers));
}
