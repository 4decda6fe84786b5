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
  // NOLINT below: clang-tidy 14's modernize-use-nullptr flags the literal 0 that the defaulted <=>
  // compares its result with, not code of ours (a false positive fixed in later clang-tidy).
  auto operator<=>(const Uuid&) const = default;  // NOLINT(modernize-use-nullptr)
};

inline constexpr std::size_t kUuidTextLength = 36;

std::optional<Uuid> parse_uuid(std::string_view text) noexcept;
// Writes exactly 36 lower-case characters to out.
void format_uuid(const Uuid& id, char* out) noexcept;
std::string to_string(const Uuid& id);

struct UuidHash {
  std::size_t operator()(const Uuid& id) const noexcept {
    // Time-based ids differ in a few bits only (xxxxxxxx-683b-11ee-…): every bit of both halves
    // must reach every bit of the hash, so both go through a full 64-bit finaliser.
    return mix(id.high ^ mix(id.low + 0x9E3779B97F4A7C15ULL));  // std::size_t is std::uint64_t
  }
  static constexpr std::uint64_t mix(std::uint64_t x) noexcept {  // MurmurHash3's fmix64
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
  }
};

}  // namespace ge
