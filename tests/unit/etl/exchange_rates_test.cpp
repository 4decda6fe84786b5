// SPEC §1.2: exchange_rates.jsonl. Every problem is fatal and names its line.
#include <catch2/catch.hpp>

#include <string>

#include "etl/exchange_rates.hpp"
#include "unit_support.hpp"

using Catch::Matchers::Contains;
using ge::ExchangeRates;
using ge::RatesError;

namespace {
std::string error_of(const std::string& content) {
  try {
    ExchangeRates::parse(content, "rates.jsonl");
  } catch (const RatesError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("the shipped file: string rates, no final newline") {
  const auto rates = ExchangeRates::parse(ge_test::kShippedRates, "rates.jsonl");
  REQUIRE(rates.size() == 2);
  CHECK(rates.find("USD") == std::uint8_t{0});
  CHECK(rates.find("EUR") == std::uint8_t{1});
  CHECK_FALSE(rates.find("GBP"));
  CHECK_FALSE(rates.find("usd"));
  CHECK(rates.at(0).code == "USD");
  CHECK(rates.at(1).rate_to_usd.to_string() == "1.3");
  CHECK_THROWS(rates.at(2));
}

TEST_CASE("a rate may be a JSON number, its exact digits are kept") {
  const auto rates = ExchangeRates::parse(
      "{\"currency\": \"EUR\", \"rate_to_usd\": 1.3}\n"
      "{\"rate_to_usd\": 1.10 , \"currency\": \"CHF\"}\n"
      "{\"currency\": \"JPY\", \"rate_to_usd\": 0.0067}\n"
      "{\"currency\": \"KWD\", \"rate_to_usd\": 3}\n"
      "{\"currency\": \"XAU\", \"rate_to_usd\": 0.123456789012345678}\n",
      "rates.jsonl");
  REQUIRE(rates.size() == 5);
  CHECK(rates.at(0).rate_to_usd.to_string() == "1.3");
  CHECK(rates.at(1).rate_to_usd.to_string() == "1.10");
  CHECK(rates.at(2).rate_to_usd.to_string() == "0.0067");
  CHECK(rates.at(3).rate_to_usd.to_string() == "3");
  // 18 digits a double cannot hold: still exact.
  CHECK(rates.at(4).rate_to_usd.to_string() == "0.123456789012345678");
  CHECK((ge::amount_decimal(0) * rates.at(0).rate_to_usd).to_string() == "1.287");
}

TEST_CASE("blank lines, CRLF, a BOM and unknown fields are fine") {
  const auto rates = ExchangeRates::parse(
      "\xEF\xBB\xBF{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\r\n"
      "\r\n"
      "   \t\n"
      "\n"
      "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\", \"source\": \"ECB\"}\r\n"
      "\n",
      "rates.jsonl");
  CHECK(rates.size() == 2);
  CHECK(rates.find("USD") == std::uint8_t{0});
  CHECK(rates.find("EUR") == std::uint8_t{1});
}

TEST_CASE("a currency listed twice is fatal and names the second line") {
  const auto message = error_of(
      "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n"
      "\n"
      "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n");
  CHECK_THAT(message, Contains("rates.jsonl:3"));
  CHECK_THAT(message, Contains("USD"));
}

TEST_CASE("zero, negative, missing or non-decimal rates are fatal and name the line") {
  const std::string good = "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n";
  for (const char* bad : {
           R"({"currency": "EUR", "rate_to_usd": "0"})",
           R"({"currency": "EUR", "rate_to_usd": 0})",
           R"({"currency": "EUR", "rate_to_usd": "0.000"})",
           R"({"currency": "EUR", "rate_to_usd": 0.0})",
           R"({"currency": "EUR", "rate_to_usd": "-1.3"})",
           R"({"currency": "EUR", "rate_to_usd": -1.3})",
           R"({"currency": "EUR", "rate_to_usd": -0})",
           R"({"currency": "EUR"})",
           R"({"currency": "EUR", "rate_to_usd": null})",
           R"({"currency": "EUR", "rate_to_usd": true})",
           R"({"currency": "EUR", "rate_to_usd": ["1.3"]})",
           R"({"currency": "EUR", "rate_to_usd": ""})",
           R"({"currency": "EUR", "rate_to_usd": "abc"})",
           R"({"currency": "EUR", "rate_to_usd": " 1.3"})",
           R"({"currency": "EUR", "rate_to_usd": "1,3"})",
           R"({"currency": "EUR", "rate_to_usd": 1.3e0})",
           R"({"currency": "EUR", "rate_to_usd": "1e2"})",
       }) {
    INFO(bad);
    const auto message = error_of(good + "\n" + bad + "\n");
    CHECK_THAT(message, Contains("rates.jsonl:3"));
  }
}

TEST_CASE("a malformed line is fatal and names the line") {
  const std::string good = "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n";
  for (const char* bad : {
           R"({"currency": "EUR", "rate_to_usd": "1.3")",  // truncated
           R"(["EUR", "1.3"])",                            // not an object
           R"("EUR")",
           R"({"rate_to_usd": "1.3"})",                   // no currency
           R"({"currency": 978, "rate_to_usd": "1.3"})",  // currency not a string
           R"({"currency": "", "rate_to_usd": "1.3"})",   // empty currency
           "EUR,1.3",
           "{\"currency\": \"E\xFCR\", \"rate_to_usd\": \"1.3\"}",  // not UTF-8
       }) {
    INFO(bad);
    CHECK_THAT(error_of(good + bad), Contains("rates.jsonl:2"));
  }
  CHECK_THAT(error_of("garbage\n" + good), Contains("rates.jsonl:1"));
}

TEST_CASE("at most 255 currencies") {
  auto code = [](int i) { return std::string{static_cast<char>('A' + i / 26), static_cast<char>('A' + i % 26), 'X'}; };
  std::string content;
  for (int i = 0; i < 255; ++i) content += "{\"currency\": \"" + code(i) + "\", \"rate_to_usd\": \"1\"}\n";
  const auto rates = ExchangeRates::parse(content, "rates.jsonl");
  CHECK(rates.size() == 255);
  CHECK(rates.find(code(254)) == std::uint8_t{254});
  CHECK_THAT(error_of(content + "{\"currency\": \"ZZZ\", \"rate_to_usd\": \"1\"}\n"), Contains("rates.jsonl:256"));
}

TEST_CASE("a file without any rate is fatal") {
  CHECK_THROWS_AS(ExchangeRates::parse("", "rates.jsonl"), RatesError);
  CHECK_THROWS_AS(ExchangeRates::parse("\n  \n\r\n", "rates.jsonl"), RatesError);
}

TEST_CASE("load reads a file and names it in errors") {
  ge_test::TempDir dir;
  const auto good = dir.write("rates.jsonl", ge_test::kShippedRates);
  const auto rates = ExchangeRates::load(good);
  CHECK(rates.size() == 2);
  CHECK(rates.find("EUR") == std::uint8_t{1});

  const auto bad = dir.write(
      "bad.jsonl", "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n{\"currency\": \"USD\", \"rate_to_usd\": 2}\n");
  try {
    ExchangeRates::load(bad);
    FAIL("no error");
  } catch (const RatesError& e) {
    CHECK_THAT(e.what(), Contains(bad + ":2"));
  }
  CHECK_THROWS_AS(ExchangeRates::load(dir.file("missing.jsonl")), RatesError);
}

TEST_CASE("the shipped fixture rates load") {
  const auto rates = ExchangeRates::load(std::string(GE_FIXTURES_DIR) + "/tiny/exchange_rates.jsonl");
  CHECK(rates.size() == 2);
  REQUIRE(rates.find("EUR"));
  CHECK(rates.at(*rates.find("EUR")).rate_to_usd == *ge::Decimal::parse("1.3"));
}

TEST_CASE("a repeated key: the first occurrence counts, escaped spellings included") {
  // Caught by fuzz_exchange_rates' cross-check against the DOM: the digits were read from the
  // first *raw* key "rate_to_usd", skipping an earlier "rate\u005fto_usd" the validation looked at.
  auto rates = ExchangeRates::parse(R"({"currency": "USD", "rate\u005fto_usd": 1.5, "rate_to_usd": 2})", "r");
  CHECK(rates.at(0).rate_to_usd.to_string() == "1.5");
  rates = ExchangeRates::parse(R"({"currency": "USD", "rate_to_usd": 3, "rate_to_usd": 4})", "r");
  CHECK(rates.at(0).rate_to_usd.to_string() == "3");
  rates = ExchangeRates::parse(R"({"n": {"rate_to_usd": 5}, "curr\u0065ncy": "EUR", "rate_to_usd": 0.25})", "r");
  CHECK(rates.at(0).code == "EUR");
  CHECK(rates.at(0).rate_to_usd.to_string() == "0.25");
  // A string first: the later number is never read.
  CHECK_THAT(error_of(R"({"currency": "USD", "rate\u005fto_usd": "x", "rate_to_usd": 2})"),
             Contains("\"rate_to_usd\" x is not a plain positive decimal"));
}

TEST_CASE("a currency is exactly three upper-case ASCII letters (SPEC 1.2), else fatal naming the line") {
  const std::string good = "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}\n";
  for (const std::string& bad : {
           std::string(R"({"currency": "eur", "rate_to_usd": "1.2"})"),     // lower case beside EUR
           std::string(R"({"currency": "US\u0000", "rate_to_usd": "1"})"),  // NUL
           std::string(R"({"currency": "EURO", "rate_to_usd": "1"})"),      // four letters
           std::string(R"({"currency": "US", "rate_to_usd": "1"})"),        // two
           std::string(R"({"currency": "U$D", "rate_to_usd": "1"})"),
           std::string(R"({"currency": " USD", "rate_to_usd": "1"})"),
           std::string(R"({"currency": "\u00c9UR", "rate_to_usd": "1"})"),  // É: not ASCII
           std::string(R"({"currency": "Usd", "rate_to_usd": "1"})"),
       }) {
    INFO(bad);
    const std::string error = error_of(good + bad);
    CHECK_THAT(error, Contains("rates.jsonl:2") && Contains("three upper-case ASCII letters"));
  }
  // The NUL is shown escaped, not cut off or passed through.
  CHECK_THAT(error_of(good + R"({"currency": "US\u0000", "rate_to_usd": "1"})"), Contains("\"US\\u0000\""));
  // A long value is not echoed whole.
  CHECK(error_of(good + "{\"currency\": \"" + std::string(10000, 'A') + "\", \"rate_to_usd\": \"1\"}").size() < 300);
}
