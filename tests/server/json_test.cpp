// JSON text: counts are integers, revenue and averages numbers with a fraction (8.86, 1.5, 0.0).
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "common/json_text.hpp"
#include "server/json_views.hpp"
#include "tests/server/sample_rows.hpp"

using namespace ge;
using namespace ge::server;

namespace {
std::string number(double value) {
  std::string out;
  append_json_number(out, value);
  return out;
}
}  // namespace

namespace {
ge::DecimalText money(std::string_view text) { return *ge::DecimalText::parse(text); }
}  // namespace

TEST_CASE("doubles are written short, with a fraction part", "[json]") {
  CHECK(number(8.86) == "8.86");
  CHECK(number(1.5) == "1.5");
  CHECK(number(0.0) == "0.0");
  CHECK(number(2.0) == "2.0");
  CHECK(number(2065.25) == "2065.25");
  CHECK(number(7200) == "7200.0");
  CHECK(number(0.1 + 0.2) == "0.30000000000000004");
  // Round figures stay plain, where to_chars alone would pick the shorter "1e+05".
  CHECK(number(100000.0) == "100000.0");
  CHECK(number(12000000.0) == "12000000.0");
  CHECK(number(-250000.5) == "-250000.5");
  CHECK(number(123456789012345.67) == "123456789012345.67");
  CHECK(number(0.000001) == "0.000001");
  CHECK(boost::json::parse(number(4.5e-7)).as_double() == 4.5e-7);
  CHECK(number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(boost::json::parse(number(1e300)).as_double() == 1e300);
}

TEST_CASE("JSON text escapes strings and keeps member order", "[json]") {
  boost::json::object o;
  o["b"] = 1;
  o["a"] = "q\"uo\\te\n\x01";
  o["n"] = nullptr;
  o["l"] = boost::json::array{1, 2.5, true};
  o["u"] = "Zoë";
  const std::string text = to_json_text(o);
  CHECK(text == R"({"b":1,"a":"q\"uo\\te\n\u0001","n":null,"l":[1,2.5,true],"u":"Zoë"})");
  CHECK(boost::json::parse(text) == boost::json::value(o));
}

TEST_CASE("user stats view has the SPEC §4 fields", "[json]") {
  UserStats s;
  s.user_id = "a1a1a1a1-683b-11ee-aca7-8699b86be788";
  s.country = "DE";
  s.device_os = "iOS";
  s.registered_at = "2010-05-08T10:00:00Z";
  s.logins = 2;
  s.sessions = 2;
  s.time_spent_seconds = 900;
  s.revenue_usd = money("6.28");
  const std::string text = to_json_text(s);
  CHECK(text ==
        R"({"user_id":"a1a1a1a1-683b-11ee-aca7-8699b86be788","name":null,"country":"DE","logins":2,)"
        R"("days_since_last_login":null,"sessions":2,"time_spent_seconds":900,"device_os":"iOS",)"
        R"("marketing_campaign":null,"registered_at":"2010-05-08T10:00:00Z","transactions":0,"revenue_usd":6.28})");
  s.name = "Horst";
  s.days_since_last_login = 0;
  const auto v = boost::json::parse(to_json_text(s));
  CHECK(v.at("name") == "Horst");
  CHECK(v.at("days_since_last_login").as_int64() == 0);
}

TEST_CASE("game stats views", "[json]") {
  GameStats g{4, 8, money("8.860"), 2, 1.5, 2065.25, 3, 1, money("2.2150"), money("8.8600")};
  CHECK(to_json_text(g) ==
        R"({"daily_active_users":4,"logins":8,"revenue_usd":8.86,"paid_users":2,"avg_sessions_per_user":1.5,)"
        R"("avg_time_spent_seconds":2065.25,"new_users":3,"payers":1,"arpdau_usd":2.215,"arppu_usd":8.86})");
  const std::vector<CountryGameStats> rows{{"DE", g}, {"ES", GameStats{}}};
  const auto array = boost::json::parse(to_json_text(rows)).as_array();
  REQUIRE(array.size() == 2);
  CHECK(array[0].at("country") == "DE");
  CHECK(array[1].at("avg_time_spent_seconds").is_double());
  CHECK(to_json_text(array[1].at("revenue_usd")) == "0.0");
  const std::vector<DayGameStats> days{{"2010-05-08", g}};
  CHECK(boost::json::parse(to_json_text(days)).as_array()[0].at("date") == "2010-05-08");
}

TEST_CASE("statistics views written as text escape strings and separate rows", "[json]") {
  UserStats s;
  s.user_id = "a1a1a1a1-683b-11ee-aca7-8699b86be788";
  s.name = "Zo\u00eb \"Q\"\\\n\x1f";
  s.marketing_campaign = "camp";
  s.days_since_last_login = 12;
  s.revenue_usd = money("7200.00");
  const auto v = boost::json::parse(to_json_text(s)).as_object();
  CHECK(v.at("name") == "Zo\u00eb \"Q\"\\\n\x1f");
  CHECK(v.at("marketing_campaign") == "camp");
  CHECK(v.at("days_since_last_login").as_int64() == 12);
  CHECK(v.at("revenue_usd").as_double() == 7200.0);
  CHECK(v.size() == 12);
  const std::vector<CountryGameStats> rows{
      {"DE", GameStats{1, 2, money("0.50"), 0, 0, 0, 1, 1, money("0.5000"), money("0.5000")}}, {"ES", GameStats{}}};
  CHECK(
      to_json_text(rows) ==
      R"([{"country":"DE","daily_active_users":1,"logins":2,"revenue_usd":0.5,"paid_users":0,)"
      R"("avg_sessions_per_user":0.0,"avg_time_spent_seconds":0.0,"new_users":1,"payers":1,"arpdau_usd":0.5,"arppu_usd":0.5},)"
      R"({"country":"ES","daily_active_users":0,"logins":0,"revenue_usd":0.0,"paid_users":0,)"
      R"("avg_sessions_per_user":0.0,"avg_time_spent_seconds":0.0,"new_users":0,"payers":0,"arpdau_usd":0.0,"arppu_usd":0.0}])");
  CHECK(to_json_text(std::vector<DayGameStats>{}) == "[]");
}

TEST_CASE("retention view: every K in order, nulls written as null", "[json]") {
  CHECK(
      to_json_text(test::sample_retention_rows()) ==
      R"([{"date":"2010-05-08","new_users":3,"retained_d1":1,"retention_d1":0.3333,"retained_d3":0,"retention_d3":0.0,)"
      R"("retained_d7":null,"retention_d7":null,"retained_d14":null,"retention_d14":null,"retained_d30":null,)"
      R"("retention_d30":null},)"
      R"({"date":"2010-05-09","new_users":0,"retained_d1":0,"retention_d1":null,"retained_d3":null,"retention_d3":null,)"
      R"("retained_d7":null,"retention_d7":null,"retained_d14":null,"retention_d14":null,"retained_d30":null,)"
      R"("retention_d30":null}])");
  CHECK(to_json_text(std::vector<RetentionRow>{}) == "[]");
}

TEST_CASE("load run view embeds the report", "[json]") {
  LoadRun run;
  run.run_id = 3;
  run.status = "succeeded";
  run.report_json = R"({"accepted": 18, "revenue_usd": 8.86})";
  auto v = boost::json::parse(to_json_text(to_json(run)));
  CHECK(v.at("report").at("accepted").as_int64() == 18);
  CHECK(v.at("finished_at").is_null());
  run.report_json = "not json";
  v = boost::json::parse(to_json_text(to_json(run)));
  CHECK(v.at("report") == "not json");
}

TEST_CASE("money leaves as exact decimal text and never through a double or in exponent form", "[json][money]") {
  // 999999999999999999 (an 18-digit legal rate) x 9.99: a double printed it as 9.99e+18.
  GameStats g;
  g.revenue_usd = money("9989999999999999990.01");
  CHECK(to_json_text(g).find(R"("revenue_usd":9989999999999999990.01,)") != std::string::npos);
  UserStats s;
  s.revenue_usd = money("9989999999999999990.00");
  CHECK(to_json_text(s).find(R"("revenue_usd":9989999999999999990.0})") != std::string::npos);
  CHECK(money("0.00").text() == "0.0");
  CHECK(money("00012.50").text() == "12.5");
  CHECK(money("-0.00").text() == "0.0");
  CHECK(money("7").text() == "7.0");
  CHECK_FALSE(ge::DecimalText::parse("9.99e+18"));
  CHECK_FALSE(ge::DecimalText::parse("1."));
  CHECK_FALSE(ge::DecimalText::parse(""));
  CHECK_FALSE(ge::DecimalText::parse("NaN"));
}

TEST_CASE("the latest load's report keeps its money exact", "[json][money]") {
  LoadRun run;
  run.run_id = 4;
  run.status = "succeeded";
  run.report_json = R"({"accepted": 1, "revenue_usd": 9989999999999999990.01})";
  const std::string text = to_json_text(run);
  CHECK(text.find(R"("revenue_usd": 9989999999999999990.01})") != std::string::npos);
  const auto v = boost::json::parse(text).as_object();
  CHECK(v.at("run_id").as_int64() == 4);
  CHECK(v.at("error").is_null());
  CHECK(v.size() == 11);
}
