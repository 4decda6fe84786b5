#pragma once
// simdjson refuses JSON numbers beyond 64-bit range (an integer of 20+ digits, 1e400). The JSON
// is still valid and the SPEC judges such a value by its field (invalid_value for an integer
// out of range, wrong_type for a float in an integer field). So, before calling such a line
// malformed, its out-of-range number tokens are replaced by in-range stand-ins of the same kind:
// an integer by the largest/smallest 64-bit integer, a float by ±1e300 or 0.0 — every one of
// them as invalid for its field as the original.
#include <optional>
#include <string>
#include <string_view>

namespace ge {

// The line with its out-of-range numbers replaced, or nullopt when it has none to replace.
// Strings are left alone; tokens that are not valid JSON numbers, or not delimited as JSON values
// are (a run like "1e999e1"), are left for the parser to refuse. Rewriting is idempotent.
std::optional<std::string> clamp_out_of_range_numbers(std::string_view line);

}  // namespace ge
