#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "common/utc_day.hpp"

using ge::DayNumber;
using ge::UnixSeconds;

namespace {
constexpr UnixSeconds kMay8 = 1273276800;  // 2010-05-08 00:00:00 UTC
constexpr DayNumber kMay8Day = 14737;

std::vector<std::pair<std::string, std::int64_t>> pieces(UnixSeconds begin, UnixSeconds end) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  ge::split_by_day(begin, end,
                   [&](DayNumber day, std::int64_t seconds) { out.emplace_back(ge::format_day(day), seconds); });
  return out;
}
std::string ts_text(UnixSeconds ts) {
  char out[ge::kTimestampTextLength];
  ge::format_timestamp(ts, out);
  return std::string(out, ge::kTimestampTextLength);
}
}  // namespace

TEST_CASE("day_of floors to UTC calendar days") {
  CHECK(ge::day_of(0) == 0);
  CHECK(ge::day_of(86399) == 0);
  CHECK(ge::day_of(86400) == 1);
  CHECK(ge::day_of(-1) == -1);
  CHECK(ge::day_of(-86400) == -1);
  CHECK(ge::day_of(-86401) == -2);
  CHECK(ge::day_of(kMay8) == kMay8Day);
  CHECK(ge::day_of(kMay8 - 1) == kMay8Day - 1);
  CHECK(ge::start_of_day(kMay8Day) == kMay8);
  CHECK(ge::day_of(ge::kMaxTimestamp) == ge::day_of(ge::kMaxTimestamp - 86399));
}

TEST_CASE("format_day writes YYYY-MM-DD") {
  CHECK(ge::format_day(0) == "1970-01-01");
  CHECK(ge::format_day(kMay8Day) == "2010-05-08");
  CHECK(ge::format_day(ge::day_of(1273449600)) == "2010-05-10");
  CHECK(ge::format_day(ge::day_of(ge::kMaxTimestamp)) == "9999-12-31");
  CHECK(ge::format_day(ge::day_of(951782400)) == "2000-02-29");
  char buffer[10];
  ge::format_day(kMay8Day, buffer);
  CHECK(std::string(buffer, 10) == "2010-05-08");
}

TEST_CASE("format_timestamp writes PostgreSQL timestamptz text") {
  CHECK(ts_text(0) == "1970-01-01 00:00:00+00");
  CHECK(ts_text(kMay8 + 86300) == "2010-05-08 23:58:20+00");
  CHECK(ts_text(kMay8 + 86700) == "2010-05-09 00:05:00+00");
  CHECK(ts_text(ge::kMaxTimestamp) == "9999-12-31 23:59:59+00");
  CHECK(ge::kMaxTimestamp == 253402300799);
}

TEST_CASE("parse_day accepts only real YYYY-MM-DD days of years 0001..9999") {
  CHECK(ge::parse_day("1970-01-01") == DayNumber{0});
  CHECK(ge::parse_day("2010-05-08") == kMay8Day);
  CHECK(ge::parse_day("2012-02-29").has_value());
  CHECK(ge::parse_day("0001-01-01").has_value());
  CHECK(ge::parse_day("9999-12-31") == ge::day_of(ge::kMaxTimestamp));
  for (const char* bad : {"2010-02-30", "2010-02-29", "1900-02-29", "2010-04-31", "2010-13-01", "2010-00-10",
                          "2010-05-00", "0000-01-01", "2010-5-08", "2010-05-8", "2010-05-08 ", " 2010-05-08",
                          "2010/05/08", "20100508", "+010-05-08", "2010-05-0a", "", "2010-05-08T00"}) {
    INFO(bad);
    CHECK_FALSE(ge::parse_day(bad).has_value());
  }
  for (DayNumber day : {DayNumber{0}, kMay8Day, DayNumber{-719162}, ge::day_of(ge::kMaxTimestamp)}) {
    CHECK(ge::parse_day(ge::format_day(day)) == day);  // round trip
  }
}

TEST_CASE("split_by_day splits a half-open range (begin in, end out) over the UTC days it overlaps") {
  using Pieces = std::vector<std::pair<std::string, std::int64_t>>;
  // SPEC §3: a session 23:58:20 → 00:03:20 gives 100 s to the first day and 200 s to the next.
  CHECK(pieces(kMay8 + 86300, kMay8 + 86600) == Pieces{{"2010-05-08", 100}, {"2010-05-09", 200}});
  CHECK(pieces(kMay8, kMay8 + 1) == Pieces{{"2010-05-08", 1}});
  CHECK(pieces(kMay8, kMay8 + 86400) == Pieces{{"2010-05-08", 86400}});  // midnight to midnight: one day
  CHECK(pieces(kMay8 - 1, kMay8) == Pieces{{"2010-05-07", 1}});          // end is exclusive
  CHECK(pieces(kMay8 + 43200, kMay8 + 2 * 86400 + 43200) ==
        Pieces{{"2010-05-08", 43200}, {"2010-05-09", 86400}, {"2010-05-10", 43200}});
  CHECK(pieces(kMay8 + 5, kMay8 + 5).empty());  // a 0 s interval touches no day
  CHECK(pieces(kMay8 + 5, kMay8 + 4).empty());
}
