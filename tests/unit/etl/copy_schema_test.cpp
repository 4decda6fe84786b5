// The model builder's COPY rows against the schema evload creates (sql/g10_tables.sql, as embedded
// in the binary): every table has as many columns as kTableColumns says, of the kinds the tests'
// row decoder reads, and every row the builder writes has exactly that many fields.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/sql_files.hpp"
#include "etl/table_output.hpp"
#include "unit_support.hpp"

namespace {

struct Column {
  std::string name;
  std::string type;  // the first word of its type, lower-case: "uuid", "char", "numeric", …
};

std::string without_comments(std::string_view sql) {
  std::string out;
  std::size_t at = 0;
  while (at < sql.size()) {
    std::size_t end = sql.find('\n', at);
    if (end == std::string_view::npos) end = sql.size();
    std::string_view line = sql.substr(at, end - at);
    if (const auto dash = line.find("--"); dash != std::string_view::npos) line = line.substr(0, dash);
    out.append(line);
    out += '\n';
    at = end + 1;
  }
  return out;
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string word_at(const std::string& text, std::size_t& at) {
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  std::string word;
  while (at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '_')) {
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[at])));
    ++at;
  }
  return word;
}

// The column list of every CREATE TABLE: the body split at the commas outside parentheses (a
// type's "numeric(6,2)", a CHECK's list), each item's first word its name, the next its type.
// Table constraints (CHECK, PRIMARY KEY, UNIQUE, CONSTRAINT, …) are not columns.
std::map<std::string, std::vector<Column>> create_tables(std::string_view sql_text) {
  const std::string sql = without_comments(sql_text);
  std::map<std::string, std::vector<Column>> tables;
  std::size_t at = 0;
  while ((at = sql.find("CREATE TABLE", at)) != std::string::npos) {
    at += std::string_view("CREATE TABLE").size();
    const std::string table = word_at(sql, at);
    std::size_t open = sql.find('(', at);
    REQUIRE(open != std::string::npos);
    int depth = 0;
    std::size_t item_start = open + 1;
    std::vector<Column>& columns = tables[table];
    for (std::size_t i = open; i < sql.size(); ++i) {
      const char c = sql[i];
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if ((c == ',' && depth == 1) || depth == 0) {
        const std::string item = trimmed(std::string_view(sql).substr(item_start, i - item_start));
        item_start = i + 1;
        std::size_t pos = 0;
        Column column{word_at(item, pos), word_at(item, pos)};
        static const std::vector<std::string> kConstraints{"check",      "primary", "unique",
                                                           "constraint", "foreign", "exclude"};
        if (!column.name.empty() &&
            std::find(kConstraints.begin(), kConstraints.end(), column.name) == kConstraints.end())
          columns.push_back(column);
      }
      if (depth == 0) {
        at = i;
        break;
      }
    }
  }
  return tables;
}

// The decoder's kind letter (unit_support.hpp's render_field) of a PostgreSQL type.
char kind_of(const std::string& type) {
  static const std::map<std::string, char> kKinds{
      {"uuid", 'U'},    {"text", 'S'},     {"char", 'S'}, {"varchar", 'S'}, {"timestamptz", 'T'}, {"bigint", 'I'},
      {"integer", 'I'}, {"smallint", 'I'}, {"date", 'D'}, {"numeric", 'N'}, {"boolean", 'B'},
  };
  const auto it = kKinds.find(type);
  return it == kKinds.end() ? '?' : it->second;
}

}  // namespace

TEST_CASE("every COPY table's column count and kinds are g10_tables.sql's") {
  const auto tables = create_tables(ge::sql_file("g10_tables.sql"));
  REQUIRE(tables.size() == ge::kTableCount);
  for (std::size_t t = 0; t < ge::kTableCount; ++t) {
    const std::string name(ge::kTableNames[t]);
    INFO("table " << name);
    const auto found = tables.find(name);
    REQUIRE(found != tables.end());
    const std::vector<Column>& columns = found->second;
    CHECK(columns.size() == ge::kTableColumns[t]);
    std::string kinds;
    for (const Column& column : columns) kinds += kind_of(column.type);
    CHECK(kinds == ge_test::kTableKinds[t]);
  }
}

TEST_CASE("the schema reader sees columns, not constraints, and the commas inside a type") {
  const auto tables = create_tables(
      "CREATE TABLE t (\n  a numeric(6,2) NOT NULL, -- a, comment, with commas\n"
      "  b text CHECK (b IN ('x', 'y')),\n  c date,\n  PRIMARY KEY (a, c)\n);\n"
      "CREATE TABLE u (x boolean);\n");
  REQUIRE(tables.size() == 2);
  const auto& t = tables.at("t");
  REQUIRE(t.size() == 3);
  CHECK(t[0].name == "a");
  CHECK(t[0].type == "numeric");
  CHECK(t[1].name == "b");
  CHECK(t[2].type == "date");
  CHECK(tables.at("u").size() == 1);
}

TEST_CASE("every row the model builder writes has its table's column count") {
  const auto rates = ge::ExchangeRates::load(std::string(GE_FIXTURES_DIR) + "/tiny/exchange_rates.jsonl");
  const auto r = ge_test::run_pipeline_file(std::string(GE_FIXTURES_DIR) + "/tiny/events.jsonl", rates);
  for (std::size_t t = 0; t < ge::kTableCount; ++t) {
    INFO("table " << ge::kTableNames[t]);
    const auto rows = ge_test::decode_rows(r.copy[t]);
    CHECK(rows.size() == r.rows[t]);
    CHECK_FALSE(rows.empty());  // the tiny fixture has a row in every table
    for (const auto& row : rows) CHECK(row.size() == ge::kTableColumns[t]);
  }
}
