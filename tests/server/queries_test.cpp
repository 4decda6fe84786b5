// The SQL catalogue: parameterised, schema-qualified, and each statement's $n match its count.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

#include "server/queries.hpp"

using namespace ge::server;

TEST_CASE("statements are uniquely named and use exactly their parameters", "[queries]") {
  std::set<std::string> names;
  const std::regex placeholder(R"(\$([0-9]+))");
  for (const auto& statement : all_statements()) {
    const std::string sql(statement.sql);
    INFO(statement.name << ": " << sql);
    CHECK(names.insert(std::string(statement.name)).second);
    std::set<int> used;
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), placeholder); it != std::sregex_iterator(); ++it) {
      used.insert(std::stoi((*it)[1]));
    }
    CHECK(static_cast<int>(used.size()) == statement.parameters);
    if (!used.empty()) CHECK(*used.rbegin() == statement.parameters);
  }
}

TEST_CASE("every table is named with its schema (ev_live is swapped by rename)", "[queries]") {
  // A LATERAL subquery is no table; the FROM inside it is checked on its own.
  const std::regex from_or_join(R"(\b(FROM|JOIN)\s+(?!LATERAL\b)([A-Za-z_][A-Za-z0-9_.]*))", std::regex::icase);
  for (const auto& statement : all_statements()) {
    const std::string sql(statement.sql);
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), from_or_join); it != std::sregex_iterator(); ++it) {
      const std::string table = (*it)[2];
      INFO(statement.name << ": " << table);
      CHECK((table.starts_with("ev_live.") || table.starts_with("evmeta.") || table == "generate_series"));
    }
  }
}
