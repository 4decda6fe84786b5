#pragma once
// SPEC §3: days are UTC calendar days. A day is the number of days since 1970-01-01.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ge {

using UnixSeconds = std::int64_t;
using DayNumber = std::int32_t;

inline constexpr std::int64_t kSecondsPerDay = 86400;
// SPEC §1.1: the latest valid timestamp, 9999-12-31T23:59:59Z.
inline constexpr UnixSeconds kMaxTimestamp = 253402300799;

constexpr DayNumber day_of(UnixSeconds ts) noexcept {
  // Floor division: timestamps are validated non-negative, but stay correct for any input.
  const std::int64_t q = ts / kSecondsPerDay;
  return static_cast<DayNumber>((ts % kSecondsPerDay < 0) ? q - 1 : q);
}
constexpr UnixSeconds start_of_day(DayNumber day) noexcept { return static_cast<UnixSeconds>(day) * kSecondsPerDay; }

// "YYYY-MM-DD" for years 0000..9999.
std::string format_day(DayNumber day);
void format_day(DayNumber day, char out[10]) noexcept;
// "YYYY-MM-DD HH:MM:SS+00" (PostgreSQL's timestamptz text input), exactly 22 characters.
inline constexpr std::size_t kTimestampTextLength = 22;
void format_timestamp(UnixSeconds ts, char out[kTimestampTextLength]) noexcept;
// Strict "YYYY-MM-DD" that names a real day of years 0001..9999 (2010-02-30 is rejected).
std::optional<DayNumber> parse_day(std::string_view text) noexcept;

// Calls visit(day, seconds) for each UTC day that [begin, end) overlaps, in order.
template <class Visitor>
void split_by_day(UnixSeconds begin, UnixSeconds end, Visitor&& visit) {
  while (begin < end) {
    const DayNumber day = day_of(begin);
    const UnixSeconds day_end = start_of_day(day) + kSecondsPerDay;
    const UnixSeconds piece_end = end < day_end ? end : day_end;
    visit(day, piece_end - begin);
    begin = piece_end;
  }
}

}  // namespace ge
