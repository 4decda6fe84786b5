#include "etl/exchange_rates.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <simdjson.h>

namespace ge {
namespace {
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' || text.front() == '\n'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

// The raw JSON text of the first top-level field whose key, unescaped, is `key`: the field the
// DOM's root[key] reads. On-Demand's doc[key] compares raw keys: with "rate\u005fto_usd": 1
// before "rate_to_usd": 2 it read the 2 while the DOM had checked the 1 (fuzz_exchange_rates).
std::string_view first_raw_value(const simdjson::padded_string& line, std::string_view key) {
  simdjson::ondemand::parser reader;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (reader.iterate(line).get(doc) || doc.get_object().get(object)) throw RatesError("cannot read the line");
  for (auto field : object) {
    std::string_view name;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(name) || field.value().get(value)) throw RatesError("cannot read the line");
    if (name == key) return value.raw_json_token();
  }
  throw RatesError("\"" + std::string(key) + "\" missing");
}

// The value as a JSON string, escaped, so a NUL or a control character in it is visible in the message.
std::string printable(std::string_view text) {
  constexpr std::size_t kShown = 32;  // a megabyte-long "currency" is not echoed whole
  const bool cut = text.size() > kShown;
  if (cut) text = text.substr(0, kShown);
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + (cut ? "…\"" : "\"");
}

CurrencyRate parse_rate_line(std::string_view line) {
  simdjson::padded_string padded(line);
  // The DOM parser validates the whole line; On-Demand then gives the rate's exact digits.
  simdjson::dom::parser validator;
  simdjson::dom::element root;
  if (validator.parse(padded).get(root)) throw RatesError("not valid JSON");
  if (!root.is_object()) throw RatesError("not a JSON object");
  std::string_view currency;
  if (root["currency"].get_string().get(currency)) throw RatesError("\"currency\" missing or not a string");
  // SPEC §1.2: exactly three upper-case ASCII letters. "eur" beside "EUR" would be a second
  // currency with its own rate, and "US\u0000" would reach the database mangled.
  const bool iso_code = currency.size() == 3 &&
                        std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!iso_code) {
    throw RatesError("\"currency\" " + printable(currency) +
                     " is not a currency code: exactly three upper-case ASCII letters (A-Z), such as \"EUR\"");
  }
  simdjson::dom::element rate_element;
  if (root["rate_to_usd"].get(rate_element)) throw RatesError("\"rate_to_usd\" missing");

  std::string_view rate_text;
  if (rate_element.is_string()) {
    rate_text = rate_element.get_string().value_unsafe();
  } else if (rate_element.is_number()) {
    rate_text = trim(first_raw_value(padded, "rate_to_usd"));
  } else {
    throw RatesError("\"rate_to_usd\" must be a string or a number");
  }
  const auto rate = Decimal::parse(rate_text);
  if (!rate) {
    throw RatesError("\"rate_to_usd\" " + std::string(rate_text) +
                     " is not a plain positive decimal (digits and one point, at most 18 digits)");
  }
  if (rate->is_zero()) throw RatesError("\"rate_to_usd\" must be positive");
  return CurrencyRate{std::string(currency), *rate};
}
}  // namespace

ExchangeRates ExchangeRates::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RatesError("cannot open exchange-rate file " + path);
  // Never more than the limit in memory, whatever the file is (one endless line, a device).
  std::string content(kMaxFileBytes + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) throw RatesError("cannot read exchange-rate file " + path);
  content.resize(static_cast<std::size_t>(in.gcount()));
  if (content.size() > kMaxFileBytes) {
    throw RatesError("exchange-rate file " + path + " is larger than " + std::to_string(kMaxFileBytes >> 20) +
                     " MiB: not a list of at most 255 currencies");
  }
  return parse(content, path);
}

ExchangeRates ExchangeRates::parse(std::string_view content, const std::string& source_name) {
  ExchangeRates rates;
  std::size_t line_number = 0;
  while (!content.empty()) {
    const auto newline = content.find('\n');
    std::string_view line = content.substr(0, newline);
    content = newline == std::string_view::npos ? std::string_view{} : content.substr(newline + 1);
    ++line_number;
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (trim(line).empty()) continue;
    try {
      CurrencyRate rate = parse_rate_line(line);
      if (rates.find(rate.code)) throw RatesError("currency " + rate.code + " is listed twice");
      if (rates.rates_.size() == kMaxCurrencies) throw RatesError("more than 255 currencies");
      rates.rates_.push_back(std::move(rate));
    } catch (const RatesError& e) {
      throw RatesError(source_name + ":" + std::to_string(line_number) + ": " + e.what());
    }
  }
  if (rates.rates_.empty()) throw RatesError(source_name + ": no exchange rates in the file");
  return rates;
}

std::optional<std::uint8_t> ExchangeRates::find(std::string_view code) const noexcept {
  for (std::size_t i = 0; i < rates_.size(); ++i) {
    if (rates_[i].code == code) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

}  // namespace ge
