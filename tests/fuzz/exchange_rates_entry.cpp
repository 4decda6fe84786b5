// Fuzz entry 2: a whole exchange_rates.jsonl through ExchangeRates::parse (SPEC §1.2). Any input
// either loads or fails with a RatesError naming the file; nothing else may escape.
#include <algorithm>
#include <cmath>
#include <vector>

#include <simdjson.h>

#include "common/money.hpp"
#include "etl/exchange_rates.hpp"
#include "tests/fuzz/fuzz_entries.hpp"

namespace ge::fuzz {
namespace {

constexpr std::string_view kSource = "exchange_rates.jsonl";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The non-blank lines, split as SPEC §1.2 reads the file: the i-th of them is the i-th currency.
std::vector<std::string_view> rate_lines(std::string_view content) {
  std::vector<std::string_view> lines;
  bool first = true;
  while (!content.empty()) {
    const auto newline = content.find('\n');
    std::string_view line = content.substr(0, newline);
    content = newline == std::string_view::npos ? std::string_view{} : content.substr(newline + 1);
    if (first && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    first = false;
    if (!trim(line).empty()) lines.push_back(line);
  }
  return lines;
}

// The loaded rate agrees with what an independent read of its line (simdjson's DOM, first
// occurrence of each key after unescaping) finds there.
void check_against_line(const CurrencyRate& rate, std::string_view line) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  check(!parser.parse(simdjson::padded_string(line)).get(root), "a loaded line is valid JSON");
  std::string_view currency;
  check(!root["currency"].get_string().get(currency), "a loaded line has a string currency");
  check(currency == rate.code, "the loaded code is the line's first \"currency\"");
  simdjson::dom::element value;
  check(!root["rate_to_usd"].get(value), "a loaded line has a rate_to_usd");
  if (value.is_string()) {
    const auto text = Decimal::parse(value.get_string().value_unsafe());
    check(text && *text == rate.rate_to_usd, "a string rate is loaded exactly");
  } else {
    double number = 0;
    check(!value.get_double().get(number), "a number rate is a JSON number");
    const double loaded = rate.rate_to_usd.to_double();
    check(std::fabs(loaded - number) <= 1e-9 * std::fabs(number), "a number rate is the line's first \"rate_to_usd\"");
  }
}

}  // namespace

void exchange_rates(std::string_view bytes) {
  std::optional<ExchangeRates> rates;
  try {
    rates = ExchangeRates::parse(bytes, std::string(kSource));
  } catch (const RatesError& error) {
    const std::string_view message = error.what();
    check(message.starts_with(std::string(kSource) + ":") && message.size() > kSource.size() + 2,
          "a rates error names the file and says what is wrong");
    return;
  }
  check(rates->size() >= 1 && rates->size() <= ExchangeRates::kMaxCurrencies, "1..255 currencies");
  const auto lines = rate_lines(bytes);
  check(lines.size() == rates->size(), "every non-blank line is one currency");
  for (std::size_t i = 0; i < rates->size(); ++i) {
    const CurrencyRate& rate = rates->at(static_cast<std::uint8_t>(i));
    check(!rate.code.empty(), "codes are not empty");
    check(rate.code.size() == 3 &&
              std::all_of(rate.code.begin(), rate.code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }),
          "codes are three upper-case ASCII letters (SPEC 1.2)");
    check(rates->find(rate.code) == i, "codes are unique and find() finds them");
    check(!rate.rate_to_usd.is_zero() && rate.rate_to_usd.mantissa > 0, "rates are positive");
    check(rate.rate_to_usd.scale >= 0 && rate.rate_to_usd.scale <= Decimal::kMaxScale, "rate scale within 0..18");
    check(Decimal::parse(rate.rate_to_usd.to_string()) == rate.rate_to_usd, "a rate survives to_string → parse");
    check_against_line(rate, lines[i]);
  }
}

}  // namespace ge::fuzz
