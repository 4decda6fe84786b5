#include "common/reason.hpp"

namespace ge {
namespace {
constexpr std::array<std::string_view, kReasonCount> kReasonNames{
    "malformed_json",     "missing_field",  "wrong_type",         "invalid_value",     "unknown_event_type",
    "duplicate_event_id", "not_registered", "already_registered", "already_logged_in", "not_logged_in"};
constexpr std::array<std::string_view, kFieldCount> kFieldNames{
    "",        "event_id", "event_timestamp", "event_type",         "event_data",         "user_id",
    "country", "name",     "device_os",       "marketing_campaign", "transaction_amount", "transaction_currency"};
}  // namespace

std::string_view to_string(Reason reason) noexcept { return kReasonNames[static_cast<std::size_t>(reason)]; }
std::string_view to_string(Field field) noexcept { return kFieldNames[static_cast<std::size_t>(field)]; }

std::optional<Reason> reason_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kReasonNames.size(); ++i) {
    if (kReasonNames[i] == name) return static_cast<Reason>(i);
  }
  return std::nullopt;
}

}  // namespace ge
