#pragma once
// A user id: SPEC §1.1 accepts 8-4-4-4-12 hex digits in any case and stores it lower-case.
#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ge {

struct Uuid {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  auto operator<=>(const Uuid&) const = default;
};

inline constexpr std::size_t kUuidTextLength = 36;

std::optional<Uuid> parse_uuid(std::string_view text) noexcept;
// Writes exactly 36 lower-case characters to out.
void format_uuid(const Uuid& id, char* out) noexcept;
std::string to_string(const Uuid& id);

struct UuidHash {
  std::size_t operator()(const Uuid& id) const noexcept {
    // The ids are random or time-based; mixing both halves is plenty.
    std::uint64_t x = id.high ^ (id.low * 0x9E3779B97F4A7C15ULL);
    x ^= x >> 31;
    return static_cast<std::size_t>(x * 0xBF58476D1CE4E5B9ULL);
  }
};

}  // namespace ge
