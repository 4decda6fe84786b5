#include "common/utc_day.hpp"

#include <chrono>

namespace ge {
namespace {
void write_digits(char* out, unsigned value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}
std::optional<unsigned> read_digits(std::string_view text) noexcept {
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}
}  // namespace

void format_day(DayNumber day, char out[10]) noexcept {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  write_digits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  out[4] = '-';
  write_digits(out + 5, static_cast<unsigned>(ymd.month()), 2);
  out[7] = '-';
  write_digits(out + 8, static_cast<unsigned>(ymd.day()), 2);
}

std::string format_day(DayNumber day) {
  std::string text(10, '\0');
  format_day(day, text.data());
  return text;
}

void format_timestamp(UnixSeconds ts, char out[kTimestampTextLength]) noexcept {
  const DayNumber day = day_of(ts);
  format_day(day, out);
  auto second_of_day = static_cast<unsigned>(ts - start_of_day(day));
  out[10] = ' ';
  write_digits(out + 11, second_of_day / 3600, 2);
  out[13] = ':';
  write_digits(out + 14, second_of_day / 60 % 60, 2);
  out[16] = ':';
  write_digits(out + 17, second_of_day % 60, 2);
  out[19] = '+';
  out[20] = '0';
  out[21] = '0';
}

std::optional<DayNumber> parse_day(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = read_digits(text.substr(0, 4));
  const auto month = read_digits(text.substr(5, 2));
  const auto day = read_digits(text.substr(8, 2));
  if (!year || !month || !day || *year == 0) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(*year)}, std::chrono::month{*month},
                                        std::chrono::day{*day}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<DayNumber>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

}  // namespace ge
