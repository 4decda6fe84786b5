// Fuzz entry 1: one events.jsonl line through EventParser, evload's per-line parse + schema check
// (simdjson DOM, the over-64-bit number fallback of number_clamp, the SPEC §1.1 field rules).
#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include <simdjson.h>
#include <boost/json/parse.hpp>

#include "common/country.hpp"
#include "common/money.hpp"
#include "common/uuid.hpp"
#include "etl/event_parser.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/number_clamp.hpp"
#include "tests/fuzz/fuzz_entries.hpp"

namespace ge::fuzz {
namespace {

// Everything an outcome says, copied out of the parser (its string_views die at the next parse).
struct Snapshot {
  bool accepted = false;
  Reason reason = Reason::malformed_json;
  Field field = Field::none;
  std::optional<std::uint64_t> rejected_event_id;
  bool duplicate_keys = false;
  std::uint64_t event_id = 0;
  UnixSeconds timestamp = 0;
  EventType type = EventType::login;
  Uuid user_id;
  std::string country;
  DeviceOs device_os = DeviceOs::iOS;
  std::optional<std::string> name;
  std::optional<std::string> campaign;
  std::uint8_t amount_code = 0;
  std::uint8_t currency = 0;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const ParseOutcome& outcome) {
  Snapshot s;
  s.accepted = outcome.accepted;
  s.duplicate_keys = outcome.duplicate_keys;
  if (!outcome.accepted) {
    s.reason = outcome.reason;
    s.field = outcome.field;
    s.rejected_event_id = outcome.event_id;
    return s;
  }
  const ParsedEvent& e = outcome.event;
  s.event_id = e.event_id;
  s.timestamp = e.timestamp;
  s.type = e.type;
  s.user_id = e.user_id;
  if (e.type == EventType::registration) {
    s.country.assign(e.registration.country, 2);
    s.device_os = e.registration.device_os;
    if (e.registration.name) s.name = std::string(*e.registration.name);
    if (e.registration.campaign) s.campaign = std::string(*e.registration.campaign);
  } else if (e.type == EventType::transaction) {
    s.amount_code = e.transaction.amount_code;
    s.currency = e.transaction.currency;
  }
  return s;
}

// evload hands the parser a line inside its read buffer: the padding simdjson may read is the
// start of the next line, never zeros. The buffer is allocated to the exact size so that ASan
// reports any read past the padding.
ParseOutcome parse_in_buffer(EventParser& parser, std::string_view line, std::string_view padding_pattern) {
  const std::size_t size = line.size() + simdjson::SIMDJSON_PADDING;
  const std::unique_ptr<char[]> buffer(new char[size]);
  std::copy(line.begin(), line.end(), buffer.get());
  for (std::size_t i = line.size(); i < size; ++i)
    buffer[i] = padding_pattern[(i - line.size()) % padding_pattern.size()];
  return parser.parse(std::string_view(buffer.get(), line.size()));
}

void check_accepted(const Snapshot& s, std::string_view line, const ExchangeRates& rates) {
  check(simdjson::validate_utf8(line.data(), line.size()), "an accepted line is valid UTF-8");
  check(s.event_id <= static_cast<std::uint64_t>(INT64_MAX), "accepted event_id < 2^63");
  check(s.timestamp >= 0 && s.timestamp <= kMaxTimestamp, "accepted timestamp within 0..9999-12-31");
  const std::string user = to_string(s.user_id);
  check(parse_uuid(user) == s.user_id, "user_id survives format → parse");
  check(std::none_of(user.begin(), user.end(), [](char c) { return c >= 'A' && c <= 'F'; }), "user_id lower-case");
  if (s.type == EventType::registration) {
    check(is_iso_country(s.country), "accepted country is an ISO code");
    check(!s.name || s.name->size() <= kMaxNameBytes, "accepted name ≤ 1000 bytes");
    check(!s.name || simdjson::validate_utf8(s.name->data(), s.name->size()), "accepted name is UTF-8");
    check(!s.campaign || !s.campaign->empty(), "an empty campaign is organic (nullopt)");
  } else if (s.type == EventType::transaction) {
    check(s.amount_code < kAllowedAmountCents.size(), "amount code indexes the allowed amounts");
    check(s.currency < rates.size(), "currency indexes the rates");
  }
}

void check_rejected(const Snapshot& s) {
  const bool schema = s.reason == Reason::missing_field || s.reason == Reason::wrong_type ||
                      s.reason == Reason::invalid_value || s.reason == Reason::unknown_event_type;
  check(s.reason == Reason::malformed_json || schema, "the parser rejects only for parse or schema reasons");
  check(schema == (s.field != Field::none), "schema reasons and only they name a field");
  check(s.reason != Reason::unknown_event_type || s.field == Field::event_type,
        "unknown_event_type is about event_type");
  if (s.reason == Reason::malformed_json) check(!s.rejected_event_id, "a malformed line has no event_id");
  if (s.rejected_event_id) {
    check(*s.rejected_event_id <= static_cast<std::uint64_t>(INT64_MAX), "a reported event_id is valid");
    check(s.field != Field::event_id, "a line rejected for its event_id reports none");
  }
}

// An independent JSON parser as the oracle for "valid JSON object or malformed_json"; nullopt
// where it cannot judge. Its depth limit stays under simdjson's 1024, and exponents past 2^31
// (valid JSON) are beyond Boost.JSON, so only true disagreements count.
std::optional<bool> boost_json_says_object(std::string_view line) {
  boost::json::parse_options options;
  options.max_depth = 1000;
  boost::json::error_code ec;
  const boost::json::value value = boost::json::parse(line, ec, {}, options);
  if (ec == boost::json::error::exponent_overflow) return std::nullopt;
  return !ec && value.is_object();
}

}  // namespace

void event_line(std::string_view bytes) {
  static const ExchangeRates rates = ExchangeRates::parse(
      "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n"
      "{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}",
      "shipped rates");
  // One parser for the whole run, as evload keeps one per thread across millions of lines.
  static EventParser parser(rates);

  const Snapshot first =
      snapshot(parse_in_buffer(parser, bytes, "\n{\"event_id\": 123456789012345678901, \"a\": \"\\u"));
  const Snapshot again = snapshot(parse_in_buffer(parser, bytes, std::string_view("\0", 1)));
  check(first == again, "the outcome depends on neither the bytes after the line nor the previous parse");

  if (first.accepted) {
    check_accepted(first, bytes, rates);
  } else {
    check_rejected(first);
  }
  if (const auto boost_object = boost_json_says_object(bytes)) {
    if (first.accepted || first.reason != Reason::malformed_json) {
      check(*boost_object, "a line the parser read as an object is a JSON object");
    } else {
      check(!*boost_object, "a valid JSON object is not malformed_json");
    }
  }

  // The fallback's rewrite leaves nothing for a second rewrite to do.
  if (const auto clamped = clamp_out_of_range_numbers(bytes)) {
    check(!clamp_out_of_range_numbers(*clamped), "clamp_out_of_range_numbers is idempotent");
  }
}

}  // namespace ge::fuzz
