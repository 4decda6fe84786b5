#pragma once
// What a query is, apart from who runs it: a named, parameterised statement, a call of it with
// its parameters, and the clock deadlines are measured on. Every server file that only names
// statements or deadlines includes this, not the pool.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ge::server {

using Clock = std::chrono::steady_clock;

// One SQL statement the server runs: a unique name, the text with $1.. parameters.
struct Statement {
  std::string_view name;
  std::string_view sql;
  int parameters = 0;
};

using SqlParams = std::vector<std::optional<std::string>>;

// One statement to run with its parameters.
struct Call {
  const Statement* statement = nullptr;
  SqlParams params;
};

}  // namespace ge::server
