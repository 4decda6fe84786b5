#include <catch2/catch.hpp>

#include "etl/event_parser.hpp"
#include "etl/number_clamp.hpp"

using ge::clamp_out_of_range_numbers;

TEST_CASE("numbers within 64 bits are left alone") {
  CHECK_FALSE(clamp_out_of_range_numbers(R"({"a": 12, "b": -3.5e10, "c": 1844674407370955161})"));
}

TEST_CASE("out-of-range numbers get stand-ins of the same kind, strings are untouched") {
  CHECK(*clamp_out_of_range_numbers(R"({"a": 99999999999999999999})") == R"({"a": 18446744073709551615})");
  CHECK(*clamp_out_of_range_numbers(R"({"a": -99999999999999999999})") == R"({"a": -9223372036854775808})");
  CHECK(*clamp_out_of_range_numbers(R"({"a": 1e400, "s": "1e400"})") == R"({"a": 1e300, "s": "1e400"})");
  CHECK(*clamp_out_of_range_numbers(R"({"a": -2.5E+999})") == R"({"a": -1e300})");
  CHECK(*clamp_out_of_range_numbers(R"({"a": 1e-999})") == R"({"a": 0.0})");
  CHECK(*clamp_out_of_range_numbers(R"({"s": "x\"99999999999999999999", "a": 99999999999999999999})") ==
        R"({"s": "x\"99999999999999999999", "a": 18446744073709551615})");
}

TEST_CASE("the stand-ins and every double in range are left alone: a rewrite is final") {
  // Found by fuzz_event_line: 1e300 itself was rewritten (to 1e300), so a clamped line still
  // "held" out-of-range numbers. Doubles reach 1.8e308; the cut is at 309 integer digits, so
  // everything below 1e308 stays (1.7e308 is rewritten, harmlessly: 1e300 is as invalid).
  for (const char* line : {R"({"a": 1e300})", R"({"a": -1e300})", R"({"a": 0.0})", R"({"a": 9.99e307})",
                           R"({"a": 18446744073709551615})", R"({"a": -9223372036854775808})"}) {
    INFO(line);
    CHECK_FALSE(clamp_out_of_range_numbers(line));
  }
  CHECK(*clamp_out_of_range_numbers(R"({"a": 1e309})") == R"({"a": 1e300})");
  CHECK(*clamp_out_of_range_numbers(R"({"a": 12.5e308})") == R"({"a": 1e300})");
}

TEST_CASE("only whole number tokens are rewritten, never the prefix of a longer run") {
  // Found by fuzz_event_line: "5e-935e-93456789012345679" became "0.0e-93456789012345679",
  // a new token built from the stand-in and the rest of the run.
  CHECK_FALSE(clamp_out_of_range_numbers("[5e-935e-93456789012345679]"));
  CHECK_FALSE(clamp_out_of_range_numbers("[1e999x, 99999999999999999999.]"));
  // ... and "-123456-89…5e-99999" became "-1234560.0", an invalid line turned valid.
  CHECK_FALSE(clamp_out_of_range_numbers("[-123456-8901234567890123456.5e-99999]"));
  CHECK_FALSE(clamp_out_of_range_numbers("[x1e999, 1e999e1]"));
  CHECK(*clamp_out_of_range_numbers("{\"a\":1e999,\"b\":[-1e999]}") == "{\"a\":1e300,\"b\":[-1e300]}");
  CHECK(*clamp_out_of_range_numbers("[1e999,1e999]\t") == "[1e300,1e300]\t");
  CHECK(*clamp_out_of_range_numbers("1e999") == "1e300");
}

TEST_CASE("the parser judges out-of-range numbers by their field, as the SPEC does") {
  const auto rates = ge::ExchangeRates::parse(R"({"currency": "USD", "rate_to_usd": "1"})", "rates");
  ge::EventParser parser(rates);
  auto parse = [&](std::string line) {
    line.append(64, ' ');  // the padding simdjson reads past the end
    return parser.parse(std::string_view(line).substr(0, line.size() - 64));
  };
  const std::string user = R"("event_data": {"user_id": "a1a1a1a1-683b-11ee-aca7-8699b86be788"})";
  auto outcome =
      parse(R"({"event_id": 99999999999999999999, "event_timestamp": 1, "event_type": "login", )" + user + "}");
  CHECK(outcome.reason == ge::Reason::invalid_value);
  CHECK(outcome.field == ge::Field::event_id);
  outcome = parse(R"({"event_id": 1e400, "event_timestamp": 1, "event_type": "login", )" + user + "}");
  CHECK(outcome.reason == ge::Reason::wrong_type);
  CHECK(outcome.field == ge::Field::event_id);
  outcome = parse(R"({"event_id": 1, "event_timestamp": 1, "event_type": "login", "junk": 1e999, )" + user + "}");
  CHECK(outcome.accepted);
  outcome = parse(R"({"event_id": 01, "event_timestamp": 1, "event_type": "login", )" + user + "}");
  CHECK(outcome.reason == ge::Reason::malformed_json);
  // Not JSON, and no rewrite may make it JSON (fuzz_event_line found this one accepted).
  outcome = parse(
      R"({"event_id": 1, "event_timestamp": 1, "event_type": "login", "y": -123456-8901234567890123456.5e-99999, )" +
      user + "}");
  CHECK(outcome.reason == ge::Reason::malformed_json);
}
