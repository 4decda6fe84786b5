#include "etl/event_parser.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "common/country.hpp"
#include "common/money.hpp"
#include "etl/number_clamp.hpp"

namespace ge {
namespace {
using simdjson::dom::element;
using simdjson::dom::element_type;

// The first occurrence of each field the SPEC reads, found in one pass over an object.
template <std::size_t N>
struct FieldLookup {
  std::array<std::string_view, N> names;
  std::array<element, N> values{};
  std::array<bool, N> present{};
  bool duplicate_keys = false;

  // keys is scratch space, reused across lines to avoid an allocation per object.
  void scan(const simdjson::dom::object& object, std::vector<std::string_view>& keys) {
    keys.clear();
    for (auto [key, value] : object) {
      for (std::size_t i = 0; i < N; ++i) {
        if (names[i] != key) continue;
        if (present[i]) {
          duplicate_keys = true;
        } else {
          present[i] = true;
          values[i] = value;
        }
      }
      keys.push_back(key);
    }
    // Repeats among fields the SPEC does not read count too (the report's lines_with_duplicate_keys).
    if (!duplicate_keys && keys.size() > 1) {
      std::sort(keys.begin(), keys.end());
      duplicate_keys = std::adjacent_find(keys.begin(), keys.end()) != keys.end();
    }
  }
};

enum class Check : std::uint8_t { ok, wrong_type, invalid_value };

// An integer field: a JSON number without fraction or exponent, within [0, max].
Check read_integer(const element& value, std::int64_t max, std::int64_t& out) {
  switch (value.type()) {
    case element_type::INT64: {
      const std::int64_t v = value.get_int64().value_unsafe();
      if (v < 0 || v > max) return Check::invalid_value;
      out = v;
      return Check::ok;
    }
    case element_type::UINT64:  // ≥ 2^63: an integer, but beyond every range the SPEC allows
      return Check::invalid_value;
    default: return Check::wrong_type;
  }
}

// Why a line is rejected: the reason, and the field it names. nullopt: the check passed.
struct Rejection {
  Reason reason;
  Field field;
};
using Verdict = std::optional<Rejection>;

Verdict reject(Reason reason, Field field) { return Rejection{reason, field}; }
Verdict reject(Check check, Field field) {
  return Rejection{check == Check::wrong_type ? Reason::wrong_type : Reason::invalid_value, field};
}

enum Top { kId, kTimestamp, kType, kData };
using TopFields = FieldLookup<4>;
enum Data { kUser, kCountry, kName, kDevice, kCampaign, kAmount, kCurrency };
using DataFields = FieldLookup<7>;

// event_id, event_timestamp and event_type (SPEC §1.1, in its order). The id is kept for the
// rejects file as soon as it is valid, whatever is wrong later in the line.
Verdict check_envelope(const TopFields& fields, ParsedEvent& event, std::optional<std::uint64_t>& event_id) {
  if (!fields.present[kId]) return reject(Reason::missing_field, Field::event_id);
  std::int64_t id = 0;
  if (auto check = read_integer(fields.values[kId], std::numeric_limits<std::int64_t>::max(), id); check != Check::ok)
    return reject(check, Field::event_id);
  event.event_id = static_cast<std::uint64_t>(id);
  event_id = event.event_id;

  if (!fields.present[kTimestamp]) return reject(Reason::missing_field, Field::event_timestamp);
  if (auto check = read_integer(fields.values[kTimestamp], kMaxTimestamp, event.timestamp); check != Check::ok)
    return reject(check, Field::event_timestamp);

  if (!fields.present[kType]) return reject(Reason::missing_field, Field::event_type);
  std::string_view type_name;
  if (fields.values[kType].get_string().get(type_name)) return reject(Reason::wrong_type, Field::event_type);
  const auto type = event_type_from_string(type_name);
  if (!type) return reject(Reason::unknown_event_type, Field::event_type);
  event.type = *type;
  return std::nullopt;
}

Verdict data_object(const TopFields& fields, simdjson::dom::object& data) {
  if (!fields.present[kData]) return reject(Reason::missing_field, Field::event_data);
  if (fields.values[kData].get_object().get(data)) return reject(Reason::wrong_type, Field::event_data);
  return std::nullopt;
}

// A required string field of event_data.
Verdict string_field(const DataFields& fields, std::size_t index, Field field, std::string_view& out) {
  if (!fields.present[index]) return reject(Reason::missing_field, field);
  if (fields.values[index].get_string().get(out)) return reject(Reason::wrong_type, field);
  return std::nullopt;
}

Verdict check_user(const DataFields& fields, ParsedEvent& event) {
  std::string_view user_text;
  if (auto failure = string_field(fields, kUser, Field::user_id, user_text)) return failure;
  const auto user = parse_uuid(user_text);
  if (!user) return reject(Reason::invalid_value, Field::user_id);
  event.user_id = *user;
  return std::nullopt;
}

// country, name (optional), device_os, marketing_campaign (required, may be null or "").
Verdict check_registration(const DataFields& fields, ParsedRegistration& registration) {
  std::string_view country;
  if (auto failure = string_field(fields, kCountry, Field::country, country)) return failure;
  if (!is_iso_country(country)) return reject(Reason::invalid_value, Field::country);
  registration.country[0] = country[0];
  registration.country[1] = country[1];

  if (fields.present[kName] && !fields.values[kName].is_null()) {
    std::string_view name;
    if (fields.values[kName].get_string().get(name)) return reject(Reason::wrong_type, Field::name);
    if (name.size() > kMaxNameBytes) return reject(Reason::invalid_value, Field::name);
    registration.name = name;
  }

  std::string_view device;
  if (auto failure = string_field(fields, kDevice, Field::device_os, device)) return failure;
  const auto os = device_os_from_string(device);
  if (!os) return reject(Reason::invalid_value, Field::device_os);
  registration.device_os = *os;

  if (!fields.present[kCampaign]) return reject(Reason::missing_field, Field::marketing_campaign);
  if (!fields.values[kCampaign].is_null()) {
    std::string_view campaign;
    if (fields.values[kCampaign].get_string().get(campaign))
      return reject(Reason::wrong_type, Field::marketing_campaign);
    if (!campaign.empty()) registration.campaign = campaign;
  }
  return std::nullopt;
}

// transaction_amount (a number within 1e-6 of an allowed amount), transaction_currency (a rate's).
Verdict check_transaction(const DataFields& fields, const ExchangeRates& rates, ParsedTransaction& transaction) {
  if (!fields.present[kAmount]) return reject(Reason::missing_field, Field::transaction_amount);
  const element& amount_value = fields.values[kAmount];
  double amount = 0;
  switch (amount_value.type()) {
    case element_type::INT64: amount = static_cast<double>(amount_value.get_int64().value_unsafe()); break;
    case element_type::UINT64: amount = static_cast<double>(amount_value.get_uint64().value_unsafe()); break;
    case element_type::DOUBLE: amount = amount_value.get_double().value_unsafe(); break;
    default: return reject(Reason::wrong_type, Field::transaction_amount);
  }
  const auto code = amount_code(amount);
  if (!code) return reject(Reason::invalid_value, Field::transaction_amount);
  transaction.amount_code = *code;

  std::string_view currency;
  if (auto failure = string_field(fields, kCurrency, Field::transaction_currency, currency)) return failure;
  const auto currency_index = rates.find(currency);
  if (!currency_index) return reject(Reason::invalid_value, Field::transaction_currency);
  transaction.currency = *currency_index;
  return std::nullopt;
}

// Every field of a line that is a JSON object, in the SPEC's order: the envelope, event_data, its
// user_id, then what the event's type requires. Fills outcome's event, event_id and duplicate_keys.
Verdict check_event(const simdjson::dom::object& top, const ExchangeRates& rates, std::vector<std::string_view>& keys,
                    ParseOutcome& outcome) {
  TopFields fields{{"event_id", "event_timestamp", "event_type", "event_data"}};
  fields.scan(top, keys);
  outcome.duplicate_keys = fields.duplicate_keys;
  ParsedEvent& event = outcome.event;
  if (auto failure = check_envelope(fields, event, outcome.event_id)) return failure;

  simdjson::dom::object data;
  if (auto failure = data_object(fields, data)) return failure;
  DataFields data_fields{
      {"user_id", "country", "name", "device_os", "marketing_campaign", "transaction_amount", "transaction_currency"}};
  data_fields.scan(data, keys);
  outcome.duplicate_keys = outcome.duplicate_keys || data_fields.duplicate_keys;
  if (auto failure = check_user(data_fields, event)) return failure;

  if (event.type == EventType::registration) return check_registration(data_fields, event.registration);
  if (event.type == EventType::transaction) return check_transaction(data_fields, rates, event.transaction);
  return std::nullopt;
}
}  // namespace

bool EventParser::parse_object(std::string_view text, simdjson::dom::object& top) {
  element root;
  if (const auto error = parser_.parse(text.data(), text.size(), false).get(root)) {
    // Numbers past 64 bits are valid JSON that simdjson cannot hold: retry with stand-ins.
    const bool number_problem = error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE;
    auto clamped = number_problem ? clamp_out_of_range_numbers(text) : std::nullopt;
    if (!clamped) return false;
    clamped_line_ = simdjson::padded_string(*clamped);
    if (parser_.parse(clamped_line_).get(root)) return false;
  }
  return !root.get_object().get(top);
}

ParseOutcome EventParser::parse(std::string_view text) {
  ParseOutcome outcome;  // as it starts: malformed_json, no event_id, no duplicate keys
  simdjson::dom::object top;
  if (!parse_object(text, top)) return outcome;
  if (const Verdict rejection = check_event(top, rates_, keys_, outcome)) {
    outcome.event = ParsedEvent{};  // only an accepted line has an event
    outcome.reason = rejection->reason;
    outcome.field = rejection->field;
    return outcome;
  }
  outcome.accepted = true;
  return outcome;
}

}  // namespace ge
