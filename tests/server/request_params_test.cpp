// SPEC §6: every malformed, unknown or repeated parameter is a 400 naming the parameter.
#include <catch2/catch.hpp>

#include <string>

#include "server/request_params.hpp"

using namespace ge::server;

namespace {

Target target_of(const std::string& text) {
  auto parsed = parse_target(text);
  REQUIRE(std::holds_alternative<Target>(parsed));
  return std::get<Target>(parsed);
}

template <class T>
BadRequest bad(const Parsed<T>& parsed) {
  REQUIRE(std::holds_alternative<BadRequest>(parsed));
  return std::get<BadRequest>(parsed);
}

template <class T>
T ok(const Parsed<T>& parsed) {
  if (const auto* error = std::get_if<BadRequest>(&parsed))
    FAIL("unexpected 400: " << error->parameter << ": " << error->message);
  return std::get<T>(parsed);
}

constexpr const char* kUser = "a1a1a1a1-683b-11ee-aca7-8699b86be788";

}  // namespace

TEST_CASE("parse_target splits and percent-decodes path and query", "[params]") {
  const auto t = target_of("/v1/users/%61bc/stats?date=2010-05-08&country=%44E&x");
  CHECK(t.segments == std::vector<std::string>{"v1", "users", "abc", "stats"});
  REQUIRE(t.params.size() == 3);
  CHECK(t.params[0].name == "date");
  CHECK(t.params[0].value == "2010-05-08");
  CHECK(t.params[1].value == "DE");
  CHECK(t.params[2].name == "x");
  CHECK_FALSE(t.params[2].value.has_value());
  CHECK(target_of("/healthz").params.empty());
}

TEST_CASE("parse_target rejects malformed and huge targets", "[params]") {
  for (const char* text : {"/v1/game/stats?date=%ZZ", "/a b", "http://example.com/healthz", "*", "", "relative",
                           "/v1/game/stats?date=2010-05-08%"}) {
    INFO(text);
    auto parsed = parse_target(text);
    REQUIRE(std::holds_alternative<TargetProblem>(parsed));
    CHECK(std::get<TargetProblem>(parsed).kind == TargetProblem::Kind::malformed);
  }
  const auto bad_param = std::get<TargetProblem>(parse_target("/v1/game/stats?country=DE&date=%G1"));
  CHECK(bad_param.parameter == "date");

  const std::string huge = "/v1/game/stats?date=" + std::string(kMaxTargetLength, '1');
  auto parsed = parse_target(huge);
  REQUIRE(std::holds_alternative<TargetProblem>(parsed));
  CHECK(std::get<TargetProblem>(parsed).kind == TargetProblem::Kind::too_long);
}

TEST_CASE("user stats: user_id is a UUID in any case, returned lower-case", "[params]") {
  CHECK(ok(parse_user_stats_query("A1A1A1A1-683B-11EE-ACA7-8699B86BE788", {})).user_id == kUser);
  const auto t = target_of(std::string("/queryUserData?user_id=") + kUser + "&date=2010-05-08");
  const auto& q = ok(parse_user_stats_query(std::nullopt, t.params));
  CHECK(q.user_id == kUser);
  CHECK(q.date == ge::parse_day("2010-05-08"));

  for (const char* id : {"", "nope", "a1a1a1a1683b11eeaca78699b86be788", "a1a1a1a1-683b-11ee-aca7-8699b86be78",
                         "a1a1a1a1-683b-11ee-aca7-8699b86be7889", "g1a1a1a1-683b-11ee-aca7-8699b86be788",
                         "{a1a1a1a1-683b-11ee-aca7-8699b86be788}", " a1a1a1a1-683b-11ee-aca7-8699b86be788"}) {
    INFO(id);
    CHECK(bad(parse_user_stats_query(std::string_view(id), {})).parameter == "user_id");
  }
  CHECK(bad(parse_user_stats_query(std::nullopt, {})) == BadRequest{"user_id", "parameter is required"});
}

TEST_CASE("user stats: date must be a real day", "[params]") {
  for (const char* date : {"2010-02-30", "2010-13-01", "2010-5-8", "20100508", "2010-05-08T00:00:00", "", "0000-01-01",
                           "2011-02-29", "2010-05-08%20", "tomorrow"}) {
    INFO(date);
    const auto t = target_of(std::string("/x?date=") + date);
    CHECK(bad(parse_user_stats_query(kUser, t.params)).parameter == "date");
  }
  CHECK(ok(parse_user_stats_query(kUser, target_of("/x?date=2012-02-29").params)).date.has_value());
  // "?date" without a value is a malformed date, not an absent one.
  CHECK(bad(parse_user_stats_query(kUser, target_of("/x?date").params)).parameter == "date");
}

TEST_CASE("unknown and repeated parameters are 400", "[params]") {
  CHECK(bad(parse_user_stats_query(kUser, target_of("/x?country=DE").params)).parameter == "country");
  CHECK(bad(parse_user_stats_query(kUser, target_of("/x?user_id=abc").params)).parameter == "user_id");
  CHECK(bad(parse_game_stats_query(target_of("/x?Date=2010-05-08").params)).parameter == "Date");
  CHECK(bad(parse_game_stats_query(target_of("/x?date=2010-05-08&date=2010-05-08").params)).parameter == "date");
  CHECK(bad(parse_game_stats_query(target_of("/x?date=2010-05-08&country=DE&country=IT").params)).parameter ==
        "country");
  CHECK(bad(parse_game_daily_query(target_of("/x?from=2010-05-08&to=2010-05-09&date=2010-05-08").params)).parameter ==
        "date");
  CHECK(check_no_params(target_of("/healthz?verbose=1").params)->parameter == "verbose");
  CHECK_FALSE(check_no_params(target_of("/healthz?").params).has_value());  // an empty query is no parameter
  CHECK_FALSE(check_no_params(target_of("/healthz").params).has_value());
  // The unknown parameter is reported before a malformed known one.
  CHECK(bad(parse_game_stats_query(target_of("/x?date=bad&zzz=1").params)).parameter == "zzz");
}

TEST_CASE("game stats: country must be two upper-case letters", "[params]") {
  for (const char* country : {"de", "De", "DEU", "D", "", "D1", "Germany", "ÄÖ"}) {
    INFO(country);
    CHECK(bad(parse_game_stats_query({Param{"country", std::string(country)}})).parameter == "country");
  }
  // Well-formed codes pass even without users (they answer zeros), including non-ISO ones.
  CHECK(ok(parse_game_stats_query(target_of("/x?country=XX").params)).country == "XX");
  const auto& q = ok(parse_game_stats_query(target_of("/x?country=DE&date=2010-05-08").params));
  CHECK(q.country == "DE");
  CHECK(q.date == ge::parse_day("2010-05-08"));
  CHECK_FALSE(q.by_country);
}

TEST_CASE("game stats: group_by=country", "[params]") {
  const auto& q = ok(parse_game_stats_query(target_of("/x?group_by=country&date=2010-05-08").params));
  CHECK(q.by_country);
  CHECK(bad(parse_game_stats_query(target_of("/x?group_by=day").params)).parameter == "group_by");
  CHECK(bad(parse_game_stats_query(target_of("/x?group_by=country&country=DE").params)).parameter == "country");
}

TEST_CASE("game daily: from and to, at most 366 days", "[params]") {
  const auto& q = ok(parse_game_daily_query(target_of("/x?from=2010-01-01&to=2011-01-01&country=DE").params));
  CHECK(q.to - q.from == 365);
  CHECK(q.country == "DE");
  CHECK(bad(parse_game_daily_query(target_of("/x?from=2010-01-01&to=2011-01-02").params)).parameter == "to");
  CHECK(bad(parse_game_daily_query(target_of("/x?from=2010-05-09&to=2010-05-08").params)).parameter == "to");
  CHECK(bad(parse_game_daily_query(target_of("/x?to=2010-05-08").params)).parameter == "from");
  CHECK(bad(parse_game_daily_query(target_of("/x?from=2010-05-08").params)).parameter == "to");
  CHECK(bad(parse_game_daily_query(target_of("/x?from=2010-02-30&to=2010-03-01").params)).parameter == "from");
  CHECK(ok(parse_game_daily_query(target_of("/x?from=2010-05-08&to=2010-05-08").params)).from ==
        *ge::parse_day("2010-05-08"));
}

TEST_CASE("retention takes the daily series' parameters (SPEC §7.4)", "[params]") {
  const auto& q = ok(parse_retention_query(target_of("/x?from=2010-05-08&to=2010-05-22&country=IT").params));
  CHECK(q.to - q.from == 14);
  CHECK(q.country == "IT");
  CHECK(bad(parse_retention_query(target_of("/x?from=2010-05-08&to=2011-05-09").params)).parameter == "to");
  CHECK(bad(parse_retention_query(target_of("/x?from=2010-05-08&to=2010-05-07").params)).parameter == "to");
  CHECK(bad(parse_retention_query(target_of("/x?from=2010-05-08&to=20100522").params)).parameter == "to");
  CHECK(bad(parse_retention_query(target_of("/x?from=2010-05-08&to=2010-05-08&country=de").params)).parameter ==
        "country");
  CHECK(bad(parse_retention_query(target_of("/x?from=2010-05-08&to=2010-05-08&colour=red").params)).parameter ==
        "colour");
  CHECK(bad(parse_retention_query(target_of("/x?to=2010-05-08").params)).parameter == "from");
}

TEST_CASE("format: json by default, csv on request, anything else names format", "[params]") {
  CHECK(ok(parse_game_stats_query(target_of("/x").params)).format == ResponseFormat::json);
  CHECK(ok(parse_game_stats_query(target_of("/x?format=json").params)).format == ResponseFormat::json);
  CHECK(ok(parse_game_stats_query(target_of("/x?group_by=country&format=csv").params)).format == ResponseFormat::csv);
  CHECK(ok(parse_game_daily_query(target_of("/x?from=2010-05-08&to=2010-05-09&format=csv").params)).format ==
        ResponseFormat::csv);
  CHECK(ok(parse_retention_query(target_of("/x?from=2010-05-08&to=2010-05-09&format=csv").params)).format ==
        ResponseFormat::csv);
  for (const char* format : {"CSV", "xml", "", "csv ", "json,csv"}) {
    INFO(format);
    CHECK(bad(parse_game_stats_query({Param{"format", std::string(format)}})).parameter == "format");
    CHECK(bad(parse_game_daily_query(
                  {Param{"from", "2010-05-08"}, Param{"to", "2010-05-08"}, Param{"format", std::string(format)}}))
              .parameter == "format");
  }
  CHECK(bad(parse_game_stats_query(target_of("/x?format=csv&format=csv").params)).parameter == "format");
  // The user card has no CSV form: format is an unknown parameter there.
  CHECK(bad(parse_user_stats_query(std::string_view("a1a1a1a1-683b-11ee-aca7-8699b86be788"),
                                   target_of("/x?format=csv").params))
            .parameter == "format");
}
