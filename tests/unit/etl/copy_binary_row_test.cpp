#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "etl/copy_binary_row.hpp"

namespace {
// The bytes of one numeric field after the row's 2-byte field count.
std::vector<int> numeric_bytes(ge::Int128 units, int scale) {
  std::string out;
  ge::BinaryRow(out, 1).numeric(units, scale);
  std::vector<int> bytes;
  for (std::size_t i = 2; i < out.size(); ++i) bytes.push_back(static_cast<unsigned char>(out[i]));
  return bytes;
}
}  // namespace

TEST_CASE("numeric is sent in PostgreSQL's base-10000 wire form") {
  // length 8: ndigits 0, weight 0, sign +, dscale 0
  CHECK(numeric_bytes(0, 3) == std::vector<int>{0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0});
  // 1.287: digits 1 | 2870, weight 0, dscale 3
  CHECK(numeric_bytes(1287, 3) == std::vector<int>{0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 0, 3, 0, 1, 0x0B, 0x36});
  // 10000: one digit 1 of weight 1
  CHECK(numeric_bytes(10000, 0) == std::vector<int>{0, 0, 0, 10, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1});
  // 4.990 at scale 3 is shown as 4.99: digits 4 | 9900, dscale 2
  CHECK(numeric_bytes(4990, 3) == std::vector<int>{0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 0, 2, 0, 4, 0x26, 0xAC});
  // 0.0001: weight -1, digit 1
  CHECK(numeric_bytes(1, 4) == std::vector<int>{0, 0, 0, 10, 0, 1, 0xFF, 0xFF, 0, 0, 0, 4, 0, 1});
}

TEST_CASE("fields carry big-endian lengths, NULL is -1, text replaces NUL") {
  std::string out;
  ge::BinaryRow(out, 3).int4(258).null().text(std::string_view("a\0b", 3));
  const std::vector<int> want{0,    3,    0, 0, 0, 4, 0,   0,    1,    2,    0xFF, 0xFF,
                              0xFF, 0xFF, 0, 0, 0, 5, 'a', 0xEF, 0xBF, 0xBD, 'b'};
  std::vector<int> got;
  for (char c : out) got.push_back(static_cast<unsigned char>(c));
  CHECK(got == want);
}

TEST_CASE("timestamps and days count from PostgreSQL's 2000-01-01 epoch") {
  std::string out;
  ge::BinaryRow(out, 2).timestamp(946684801).day(10958);
  const std::vector<int> want{0, 2, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0x0F, 0x42, 0x40, 0, 0, 0, 4, 0, 0, 0, 1};
  std::vector<int> got;
  for (char c : out) got.push_back(static_cast<unsigned char>(c));
  CHECK(got == want);
}
