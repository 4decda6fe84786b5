// Every fixture of tests/fixtures loads into a real PostgreSQL with exactly the expected
// cleaning report, rejects and model.
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "support.hpp"

namespace json = boost::json;
using namespace ge::test;

namespace {
// The physical lines of a file as SPEC §1.1 numbers them (BOM of line 1 dropped, '\r' kept).
std::vector<std::string> physical_lines(const std::string& content) {
  std::vector<std::string> lines;
  std::size_t start = content.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (start < content.size()) {
    auto end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    lines.push_back(content.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

struct RejectEntry {
  std::string reason;
  std::string detail;
};

std::map<std::uint64_t, RejectEntry> expected_rejects(const std::filesystem::path& dir) {
  std::map<std::uint64_t, RejectEntry> rejects;
  for (const auto& value : read_json_lines(dir / "rejected.jsonl")) {
    const auto& object = value.as_object();
    const auto& detail = object.at("detail");
    rejects[static_cast<std::uint64_t>(object.at("line").to_number<std::int64_t>())] = RejectEntry{
        std::string(object.at("reason").as_string()), detail.is_null() ? "" : std::string(detail.as_string())};
  }
  return rejects;
}

std::map<std::uint64_t, RejectEntry> written_rejects(const std::filesystem::path& csv,
                                                     std::vector<std::uint64_t>& order) {
  std::map<std::uint64_t, RejectEntry> rejects;
  std::istringstream in(read_file(csv));
  std::string row;
  std::getline(in, row);
  REQUIRE(row == "file,line_no,event_id,reason,detail");
  while (std::getline(in, row)) {
    std::vector<std::string> cells;
    std::stringstream cells_in(row);
    std::string cell;
    while (std::getline(cells_in, cell, ',')) cells.push_back(cell);
    if (row.back() == ',') cells.emplace_back();
    REQUIRE(cells.size() == 5);  // file,line_no,event_id,reason,detail (the fixture paths have no comma)
    const auto line = std::stoull(cells[1]);
    order.push_back(line);
    rejects[line] = RejectEntry{cells[3], cells[4]};
  }
  return rejects;
}

void require_report_matches(const json::object& expected, const json::object& got) {
  for (const auto& [key, want] : expected) {
    INFO("report field " << key);
    REQUIRE(got.contains(key));
    const json::value& have = got.at(key);
    if (want.is_object()) {
      // Every expected entry matches; any extra entry we report must be a zero.
      for (const auto& [inner_key, inner_want] : want.as_object()) {
        INFO("entry " << inner_key);
        REQUIRE(have.as_object().contains(inner_key));
        REQUIRE(have.as_object().at(inner_key).to_number<std::int64_t>() == inner_want.to_number<std::int64_t>());
      }
      for (const auto& [inner_key, inner_have] : have.as_object()) {
        if (!want.as_object().contains(inner_key)) REQUIRE(inner_have.to_number<std::int64_t>() == 0);
      }
    } else if (want.is_double() || have.is_double()) {
      REQUIRE(have.to_number<double>() == Approx(want.to_number<double>()).margin(1e-9));
    } else {
      REQUIRE(have == want);
    }
  }
}
}  // namespace

TEST_CASE("fixtures load with the expected report and model") {
  for (const auto& dir : fixture_dirs()) {
    const std::string fixture = dir.filename().string();
    SECTION("fixture " + fixture) {
      std::string label = fixture;
      for (char& c : label)
        if (c == '-') c = '_';
      TestDatabase db(label);
      const auto out = scratch_dir("fixture-" + fixture);
      const auto result = run_evload({"load", "--events", (dir / "events.jsonl").string(), "--rates",
                                      (dir / "exchange_rates.jsonl").string(), "--db", db.url(), "--report",
                                      (out / "report.json").string(), "--rejects", (out / "rejects.jsonl").string(),
                                      "-q", "--max-reject-ratio", "1"});  // tiny is mostly rejects by design
      INFO(result.output);
      REQUIRE(result.exit_code == 0);

      // 1. The cleaning report, field by field.
      const json::object expected = read_json(dir / "report.json").as_object();
      const json::object report = read_json(out / "report.json").as_object();
      require_report_matches(expected, report);
      REQUIRE(report.at("accepted").to_number<std::int64_t>() + report.at("rejected").to_number<std::int64_t>() +
                  report.at("blank").to_number<std::int64_t>() ==
              report.at("lines_total").to_number<std::int64_t>());
      // Money reads as money in cron mail and load_runs: "1578.85", not Boost.JSON's "1.57885E3".
      static const std::regex kPlainRevenue(R"("revenue_usd":-?[0-9]+\.[0-9]{1,2}[,}])");
      REQUIRE(std::regex_search(read_file(out / "report.json"), kPlainRevenue));

      // 2. Every rejected line with its reason; of identical lines either copy may be the duplicate.
      const auto lines = physical_lines(read_file(dir / "events.jsonl"));
      std::vector<std::uint64_t> order;
      const auto want_rejects = expected_rejects(dir);
      const auto have_rejects = written_rejects(out / "rejects.jsonl.reasons.csv", order);
      REQUIRE(have_rejects.size() == want_rejects.size());
      std::multiset<std::string> only_expected, only_ours;
      for (const auto& [line, entry] : want_rejects) {
        auto it = have_rejects.find(line);
        if (it == have_rejects.end()) {
          REQUIRE(entry.reason == "duplicate_event_id");
          only_expected.insert(lines.at(line - 1));
          continue;
        }
        INFO("line " << line);
        REQUIRE(it->second.reason == entry.reason);
        REQUIRE(it->second.detail == entry.detail);
      }
      for (const auto& [line, entry] : have_rejects) {
        if (!want_rejects.contains(line)) {
          REQUIRE(entry.reason == "duplicate_event_id");
          only_ours.insert(lines.at(line - 1));
        }
      }
      REQUIRE(only_expected == only_ours);

      // 3. The rejects file holds those lines byte for byte, in line order.
      const auto copied = physical_lines(read_file(out / "rejects.jsonl"));
      REQUIRE(copied.size() == order.size());
      for (std::size_t i = 0; i < order.size(); ++i) REQUIRE(copied[i] == lines.at(order[i] - 1));

      // 4. The raw model in the database agrees with the report's independent answers.
      REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users") == std::to_string(expected.at("users").as_int64()));
      REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users WHERE marketing_campaign IS NOT NULL") ==
              std::to_string(expected.at("paid_users").as_int64()));
      for (const auto& [country, count] : expected.at("users_by_country").as_object()) {
        REQUIRE(db.scalar("SELECT count(*) FROM ev_live.users WHERE country = '" + std::string(country) + "'") ==
                std::to_string(count.as_int64()));
      }
      REQUIRE(db.scalar("SELECT count(*) FROM ev_live.sessions") ==
              std::to_string(expected.at("sessions_all").as_int64()));
      REQUIRE(db.scalar("SELECT count(*) FROM ev_live.sessions WHERE logout_at IS NOT NULL") ==
              std::to_string(expected.at("sessions_closed").as_int64()));
      REQUIRE(db.scalar("SELECT count(*) FROM ev_live.sessions WHERE counted") ==
              std::to_string(expected.at("sessions_counted").as_int64()));
      REQUIRE(db.scalar("SELECT coalesce(sum(length_seconds), 0) FROM ev_live.sessions WHERE counted") ==
              std::to_string(expected.at("time_spent_seconds").as_int64()));
      REQUIRE(db.scalar("SELECT count(*) FROM ev_live.transactions") ==
              std::to_string(expected.at("transactions").as_int64()));
      REQUIRE(std::stod(db.scalar("SELECT coalesce(round(sum(amount_usd), 2), 0) FROM ev_live.transactions")) ==
              Approx(expected.at("revenue_usd").to_number<double>()).margin(1e-9));
      REQUIRE(db.scalar("SELECT last_data_day FROM ev_live.dataset") ==
              std::string(expected.at("last_data_day").as_string()));
      // The serving tables add up to the same totals.
      REQUIRE(db.scalar("SELECT sum(users) FROM ev_live.game_totals") ==
              std::to_string(expected.at("users").as_int64()));
      REQUIRE(db.scalar("SELECT sum(logins) FROM ev_live.user_daily") ==
              std::to_string(expected.at("logins").as_int64()));
      REQUIRE(db.scalar("SELECT sum(time_spent_seconds) FROM ev_live.game_daily") ==
              std::to_string(expected.at("time_spent_seconds").as_int64()));
      REQUIRE(db.scalar("SELECT sum(new_users) FROM ev_live.game_daily") ==
              std::to_string(expected.at("users").as_int64()));
      REQUIRE(db.scalar("SELECT sum(new_users) FROM ev_live.game_cohorts") ==
              std::to_string(expected.at("users").as_int64()));
      REQUIRE(db.scalar("SELECT sum(payers) FROM ev_live.game_totals") ==
              db.scalar("SELECT count(DISTINCT user_id) FROM ev_live.transactions"));

      // 5. Every all-time user query of queries.jsonl, answered from the users table.
      auto conn = db.connect();
      for (const auto& query : read_json_lines(dir / "queries.jsonl")) {
        const auto& object = query.as_object();
        const auto& params = object.at("params").as_object();
        if (object.at("kind").as_string() != "user" || params.contains("date")) continue;
        const std::string user_id(params.at("user_id").as_string());
        INFO("user " << user_id);
        auto row = conn.exec_params(
            "SELECT name, country, logins, sessions_counted, time_spent_seconds, "
            "(SELECT last_data_day FROM ev_live.dataset) - last_login_day "
            "FROM ev_live.users WHERE user_id = lower($1)::uuid",
            {user_id});
        const auto& expect = object.at("expect").as_object();
        if (expect.contains("error")) {
          REQUIRE(row.rows() == 0);
          continue;
        }
        REQUIRE(row.rows() == 1);
        if (expect.at("name").is_null())
          REQUIRE(row.is_null(0, 0));
        else
          REQUIRE(std::string(row.value(0, 0)) == std::string(expect.at("name").as_string()));
        REQUIRE(std::string(row.value(0, 1)) == std::string(expect.at("country").as_string()));
        REQUIRE(std::string(row.value(0, 2)) == std::to_string(expect.at("logins").as_int64()));
        REQUIRE(std::string(row.value(0, 3)) == std::to_string(expect.at("sessions").as_int64()));
        REQUIRE(std::string(row.value(0, 4)) == std::to_string(expect.at("time_spent_seconds").as_int64()));
        REQUIRE(std::string(row.value(0, 5)) == std::to_string(expect.at("days_since_last_login").as_int64()));
      }
    }
  }
}
