// The shared fixtures (hand-written tiny, generated small and nordeus-like) through the whole
// cleaning pipeline in process: report.json and rejected.jsonl must come out as listed.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "etl/load_report.hpp"
#include "unit_support.hpp"

namespace json = boost::json;

namespace {
std::string fixture(const std::string& name, const std::string& file) {
  return std::string(GE_FIXTURES_DIR) + "/" + name + "/" + file;
}

ge::LoadReport report_of(const ge_test::PipelineResult& r) {
  ge::LoadReport report;
  report.mode = "check";
  report.record(r.cleaned);  // as evload check fills it in
  return report;
}

// Compares expected ⊆ actual, numbers by value whatever their JSON kind.
void compare_json(const json::value& expected, const json::value& actual, const std::string& where) {
  INFO(where << ": expected " << json::serialize(expected) << ", got " << json::serialize(actual));
  if (expected.is_number()) {
    REQUIRE(actual.is_number());
    CHECK(actual.to_number<double>() == Approx(expected.to_number<double>()).margin(1e-9));
  } else if (expected.is_object()) {
    REQUIRE(actual.is_object());
    for (const auto& [key, value] : expected.as_object()) {
      std::string path = where;
      path += '.';
      path += key;
      const auto* found = actual.as_object().if_contains(key);
      CHECK(found != nullptr);
      if (found) compare_json(value, *found, path);
    }
    // No extra non-zero entries either (e.g. a reason the fixture does not expect).
    for (const auto& [key, value] : actual.as_object()) {
      if (!expected.as_object().contains(key) && value.is_number() && where != "report") {
        CHECK(value.to_number<double>() == 0.0);
      }
    }
  } else {
    CHECK(expected == actual);
  }
}

std::vector<std::string> physical_lines(const std::string& content) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < content.size()) {
    auto nl = content.find('\n', start);
    if (nl == std::string::npos) nl = content.size();
    lines.push_back(content.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

void check_fixture(const std::string& name) {
  INFO("fixture " << name);
  const auto rates = ge::ExchangeRates::load(fixture(name, "exchange_rates.jsonl"));
  const auto result =
      ge_test::run_pipeline_file(fixture(name, "events.jsonl"), rates, ge::LineReader::kDefaultChunkBytes, 1u << 16);
  const ge::LoadReport report = report_of(result);
  CHECK(report.lines_accounted_for());
  CHECK(result.oversized == 0);

  const json::value expected = json::parse(ge_test::read_file(fixture(name, "report.json")));
  compare_json(expected, ge::to_json(report), "report");

  // rejected.jsonl: line, reason, detail. Identical lines are interchangeable: compare each line
  // through the first line with the same bytes.
  const auto lines = physical_lines(ge_test::read_file(fixture(name, "events.jsonl")));
  REQUIRE(lines.size() == result.lines);
  std::map<std::string, std::uint64_t> first_with_bytes;
  std::vector<std::uint64_t> canonical(lines.size() + 1);
  for (std::uint64_t n = 1; n <= lines.size(); ++n) {
    canonical[n] = first_with_bytes.emplace(lines[n - 1], n).first->second;
  }
  using Entry = std::tuple<std::uint64_t, std::string, std::string>;
  std::multiset<Entry> want;
  for (const auto& text : physical_lines(ge_test::read_file(fixture(name, "rejected.jsonl")))) {
    if (text.empty()) continue;
    const auto row = json::parse(text).as_object();
    const auto line = row.at("line").to_number<std::uint64_t>();
    REQUIRE(line <= lines.size());
    want.emplace(canonical[line], std::string(row.at("reason").as_string()),
                 row.at("detail").is_null() ? std::string() : std::string(row.at("detail").as_string()));
  }
  std::multiset<Entry> got;
  for (const auto& r : result.rejects) {
    got.emplace(canonical[r.line], std::string(ge::to_string(r.reason)), std::string(ge::to_string(r.field)));
  }
  std::vector<Entry> missing, extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
  for (const auto& [line, reason, detail] : missing)
    FAIL_CHECK("expected but not rejected: line " << line << " " << reason << " " << detail);
  for (const auto& [line, reason, detail] : extra)
    FAIL_CHECK("rejected but not expected: line " << line << " " << reason << " " << detail);
  CHECK(want.size() == got.size());
}
}  // namespace

TEST_CASE("fixture tiny: report and rejects as worked out by hand") { check_fixture("tiny"); }
TEST_CASE("fixture small: report and rejects") { check_fixture("small"); }
TEST_CASE("fixture nordeus-like: report and rejects") { check_fixture("nordeus-like"); }

TEST_CASE("fixture tiny: the README's notes, line by line") {
  const auto rates = ge::ExchangeRates::load(fixture("tiny", "exchange_rates.jsonl"));
  const auto r = ge_test::run_pipeline_file(fixture("tiny", "events.jsonl"), rates);
  CHECK(r.lines == 52);
  CHECK(r.blank == 2);
  CHECK(r.accepted == 18);
  CHECK(r.rejected() == 32);
  const std::map<std::uint64_t, std::string> expected{
      {1, "accepted"},
      {2, "accepted"},
      {3, "accepted"},
      {4, "not_logged_in"},
      {5, "not_logged_in"},
      {6, "already_registered"},
      {7, "accepted"},
      {8, "already_logged_in"},
      {10, "accepted"},
      {12, "blank"},
      {13, "accepted"},
      {14, "accepted"},
      {15, "already_registered"},
      {16, "accepted"},
      {17, "accepted"},
      {18, "accepted"},
      {19, "accepted"},
      {20, "accepted"},
      {21, "invalid_value(transaction_amount)"},
      {22, "accepted"},
      {23, "accepted"},
      {24, "accepted"},
      {25, "duplicate_event_id(event_id)"},
      {26, "accepted"},
      {27, "accepted"},
      {28, "invalid_value(country)"},
      {29, "not_registered"},
      {30, "not_registered"},
      {31, "not_registered"},
      {32, "not_registered"},
      {33, "missing_field(marketing_campaign)"},
      {34, "malformed_json"},
      {35, "malformed_json"},
      {36, "malformed_json"},
      {37, "missing_field(event_id)"},
      {38, "wrong_type(event_timestamp)"},
      {39, "wrong_type(event_id)"},
      {40, "wrong_type(event_id)"},
      {41, "invalid_value(event_id)"},
      {42, "invalid_value(event_timestamp)"},
      {43, "unknown_event_type(event_type)"},
      {44, "wrong_type(event_data)"},
      {45, "invalid_value(user_id)"},
      {46, "missing_field(user_id)"},
      {47, "invalid_value(device_os)"},
      {48, "wrong_type(name)"},
      {49, "wrong_type(transaction_amount)"},
      {50, "invalid_value(transaction_currency)"},
      {51, "invalid_value(name)"},
      {52, "blank"},
  };
  for (const auto& [line, outcome] : expected) {
    INFO("line " << line);
    CHECK(r.at(line) == outcome);
  }
  // Lines 9 and 11 are the same line: one is kept, the other is the duplicate.
  const std::multiset<std::string> pair{r.at(9), r.at(11)};
  CHECK(pair == std::multiset<std::string>{"accepted", "duplicate_event_id(event_id)"});

  CHECK(r.counts.users == 4);
  CHECK(r.counts.paid_users == 2);
  CHECK(r.counts.logins == 8);
  CHECK(r.counts.sessions_all == 8);
  CHECK(r.counts.sessions_closed == 7);
  CHECK(r.counts.sessions_counted == 6);
  CHECK(r.counts.time_spent_seconds == 8261);
  CHECK(r.counts.transactions == 3);
  CHECK(r.revenue.to_string() == "8.864");
  CHECK(r.revenue.to_string_rounded(2) == "8.86");
  REQUIRE(r.counts.last_event);
  CHECK(ge::format_day(ge::day_of(*r.counts.last_event)) == "2010-05-10");

  // A2 across midnight: 100 s on 05-08, 200 s on 05-09, counted on the login day.
  const std::string a = "a1a1a1a1-683b-11ee-aca7-8699b86be788";
  const auto daily = r.table(ge::Table::user_daily);
  CHECK(std::count(daily.begin(), daily.end(), a + "|2010-05-08|2|2|700|2|6.277|2010-05-08") == 1);
  CHECK(std::count(daily.begin(), daily.end(), a + "|2010-05-09|0|0|200|0|0|2010-05-08") == 1);
  // F registered with an upper-case id: one user, stored lower-case.
  const auto users = r.table(ge::Table::users);
  CHECK(std::count_if(users.begin(), users.end(), [](const std::string& row) {
          return row.rfind("f6f6f6f6-683b-11ee-aca7-8699b86be788|Renata Mascagni|IT|Web|", 0) == 0;
        }) == 1);
}
