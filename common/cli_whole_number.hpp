#pragma once
// A CLI11 check for unsigned options, shared by evload and evserve (both parse their command lines
// with CLI11). CLI11 reads "-1" into an unsigned integer as 2^64 - 1 without complaint (for a limit:
// no limit at all), so the text itself must be digits only, and at least `minimum`.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

namespace ge {

inline CLI::Validator whole_number_from(std::uint64_t minimum) {
  return CLI::Validator(
      [minimum](const std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end)
          return "must be a whole number of at least " + std::to_string(minimum) + ", not '" + text + "'";
        if (value < minimum) return "must be at least " + std::to_string(minimum) + ", not " + text;
        return {};
      },
      minimum == 0 ? "NONNEGATIVE" : "POSITIVE");
}

}  // namespace ge
