#pragma once
// SPEC §2: every rejected line gets exactly one reason, and schema reasons name a field.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ge {

enum class Reason : std::uint8_t {
  malformed_json,
  missing_field,
  wrong_type,
  invalid_value,
  unknown_event_type,
  duplicate_event_id,
  not_registered,
  already_registered,
  already_logged_in,
  not_logged_in,
};
inline constexpr std::size_t kReasonCount = 10;

// The fields SPEC §1.1 reads, in the order §2 checks them.
enum class Field : std::uint8_t {
  none,
  event_id,
  event_timestamp,
  event_type,
  event_data,
  user_id,
  country,
  name,
  device_os,
  marketing_campaign,
  transaction_amount,
  transaction_currency,
};
inline constexpr std::size_t kFieldCount = 12;

std::string_view to_string(Reason reason) noexcept;
std::string_view to_string(Field field) noexcept;
std::optional<Reason> reason_from_string(std::string_view name) noexcept;

// Reasons whose detail is a field name (the schema step, §2.2).
constexpr bool reason_has_field(Reason reason) noexcept {
  return reason == Reason::missing_field || reason == Reason::wrong_type || reason == Reason::invalid_value ||
         reason == Reason::unknown_event_type;
}

}  // namespace ge
