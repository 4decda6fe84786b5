#pragma once
// Inputs readable and outputs writable, checked before the database is touched: a typo in a path
// must not cost a load's worth of work, nor leave a new generation live with its report unwritten.
#include <optional>
#include <string>
#include <vector>

namespace ge {

// Throws InputError (etl/input_error.hpp) naming the first path that fails and why. Standard
// input ("-") and a report on stdout ("-") need no check.
void check_paths(const std::vector<std::string>& inputs, const std::optional<std::string>& report_path,
                 const std::optional<std::string>& rejects_path);

}  // namespace ge
