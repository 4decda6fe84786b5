// TableOutput: rows are handed on in blocks of whole rows, in order; without a consumer they are
// only counted.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "etl/copy_binary_row.hpp"
#include "etl/table_output.hpp"
#include "unit_support.hpp"

TEST_CASE("blocks hold whole rows, in order, and flush hands on the rest") {
  std::vector<std::string> blocks;
  ge::TableOutput out([&](std::string&& block) { blocks.push_back(std::move(block)); }, 40);
  for (std::int64_t i = 0; i < 10; ++i) {
    ge::BinaryRow(out.buffer(), 2).int8(i).text("row " + std::to_string(i));
    out.row_done();
  }
  out.flush();
  out.flush();  // nothing left: no empty block
  CHECK(out.rows() == 10);
  REQUIRE(blocks.size() > 1);
  std::string all;
  std::size_t rows = 0;
  for (const auto& block : blocks) {
    CHECK_FALSE(block.empty());
    rows += ge_test::decode_rows(block).size();  // throws if a row were cut in two
    all += block;
  }
  CHECK(rows == 10);
  const auto rendered = ge_test::render_rows(all, "IS");
  REQUIRE(rendered.size() == 10);
  CHECK(rendered.front() == "0|row 0");
  CHECK(rendered.back() == "9|row 9");
}

TEST_CASE("without a consumer rows are counted and dropped") {
  ge::TableOutput out({}, 16);
  for (int i = 0; i < 5; ++i) {
    ge::BinaryRow(out.buffer(), 1).int4(i);
    out.row_done();
  }
  out.flush();
  CHECK(out.rows() == 5);
  CHECK(out.buffer().empty());
}

TEST_CASE("table names") {
  CHECK(ge::to_string(ge::Table::users) == "users");
  CHECK(ge::to_string(ge::Table::user_daily) == "user_daily");
  CHECK(ge::to_string(ge::Table::dataset) == "dataset");
}
