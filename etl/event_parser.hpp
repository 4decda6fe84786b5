#pragma once
// SPEC §2 steps 1 and 2 for one line: parse (simdjson DOM, which validates the whole line,
// UTF-8 included) and check every field in the SPEC's order, missing → type → value.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "common/device_os.hpp"
#include "common/event_type.hpp"
#include "common/reason.hpp"
#include "common/utc_day.hpp"
#include "common/uuid.hpp"
#include "etl/exchange_rates.hpp"

namespace ge {

inline constexpr std::size_t kMaxNameBytes = 1000;

struct ParsedRegistration {
  char country[2] = {};
  DeviceOs device_os = DeviceOs::iOS;
  std::optional<std::string_view> name;      // nullopt: missing or null
  std::optional<std::string_view> campaign;  // nullopt: organic (null or "")
};

struct ParsedTransaction {
  std::uint8_t amount_code = 0;  // index into kAllowedAmountCents
  std::uint8_t currency = 0;     // index into ExchangeRates
};

// A schema-valid event. The string_views point into the parser and live until the next parse.
struct ParsedEvent {
  std::uint64_t event_id = 0;
  UnixSeconds timestamp = 0;
  EventType type = EventType::login;
  Uuid user_id;
  ParsedRegistration registration;  // when type == registration
  ParsedTransaction transaction;    // when type == transaction
};

struct ParseOutcome {
  bool accepted = false;
  ParsedEvent event;                       // when accepted
  Reason reason = Reason::malformed_json;  // when not accepted
  Field field = Field::none;
  std::optional<std::uint64_t> event_id;  // a valid event_id of a rejected line, if it had one
  bool duplicate_keys = false;            // an object of the line repeats a key (the first counts)
};

class EventParser {
 public:
  explicit EventParser(const ExchangeRates& rates) : rates_(rates) {}
  // text must be followed by simdjson::SIMDJSON_PADDING readable bytes.
  ParseOutcome parse(std::string_view text);

 private:
  // The line as a JSON object; false when it is not one (malformed_json).
  bool parse_object(std::string_view text, simdjson::dom::object& top);

  const ExchangeRates& rates_;
  simdjson::dom::parser parser_;
  std::vector<std::string_view> keys_;
  simdjson::padded_string clamped_line_;  // a line rewritten by clamp_out_of_range_numbers
};

}  // namespace ge
