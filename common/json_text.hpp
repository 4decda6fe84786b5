#pragma once
// JSON text for responses and reports. Boost.JSON writes doubles as "8.86E0"; here a double is written in
// its shortest round-trip form with a fraction part ("8.86", "1.5", "0.0"), and integers as
// integers, so clients see the numbers the way SPEC §5 prints them.
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace ge {

std::string to_json_text(const boost::json::value& value);
void append_json_text(std::string& out, const boost::json::value& value);
// A double in the form above; NaN and infinities become null.
void append_json_number(std::string& out, double value);
void append_json_integer(std::string& out, std::int64_t value);
// A quoted, escaped string (UTF-8 passes through).
void append_json_string(std::string& out, std::string_view text);

}  // namespace ge
