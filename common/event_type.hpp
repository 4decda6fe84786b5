#pragma once
// SPEC §1.1 event types and the §2.3 sort rank (registration 0, login 1, transaction 2, logout 3).
#include <cstdint>
#include <optional>
#include <string_view>

namespace ge {

enum class EventType : std::uint8_t { registration = 0, login = 1, transaction = 2, logout = 3 };
inline constexpr std::size_t kEventTypeCount = 4;

// The enum's values are the ranks; this names that fact for readers of the sort.
constexpr std::uint8_t sort_rank(EventType type) noexcept { return static_cast<std::uint8_t>(type); }

std::string_view to_string(EventType type) noexcept;
std::optional<EventType> event_type_from_string(std::string_view name) noexcept;

}  // namespace ge
