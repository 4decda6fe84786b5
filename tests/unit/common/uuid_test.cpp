#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/uuid.hpp"
#include "common/uuid_index.hpp"

TEST_CASE("parse_uuid accepts 8-4-4-4-12 hex digits in any case") {
  const auto lower = ge::parse_uuid("a1a1a1a1-683b-11ee-aca7-8699b86be788");
  const auto upper = ge::parse_uuid("A1A1A1A1-683B-11EE-ACA7-8699B86BE788");
  const auto mixed = ge::parse_uuid("a1A1a1A1-683B-11eE-AcA7-8699b86BE788");
  REQUIRE(lower);
  REQUIRE(upper);
  REQUIRE(mixed);
  CHECK(*lower == *upper);
  CHECK(*lower == *mixed);
  CHECK(lower->high == 0xa1a1a1a1683b11eeULL);
  CHECK(lower->low == 0xaca78699b86be788ULL);
  CHECK(ge::parse_uuid("00000000-0000-0000-0000-000000000000") == ge::Uuid{0, 0});
  CHECK(ge::parse_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff") == ge::Uuid{~0ULL, ~0ULL});
}

TEST_CASE("parse_uuid rejects anything but the canonical shape") {
  for (const char* bad : {"", "not-a-uuid", "a1a1a1a1683b11eeaca78699b86be788",  // no hyphens
                          "a1a1a1a1-683b-11ee-aca7-8699b86be78",                 // 35 chars
                          "a1a1a1a1-683b-11ee-aca7-8699b86be7888",               // 37 chars
                          "a1a1a1a1-683b-11ee-aca78-699b86be788",                // hyphen moved
                          "a1a1a1a1_683b-11ee-aca7-8699b86be788",                // not a hyphen
                          "g1a1a1a1-683b-11ee-aca7-8699b86be788",                // not hex
                          "a1a1a1a1-683b-11ee-aca7-8699b86be78 ",                // space
                          "{1a1a1a1-683b-11ee-aca7-8699b86be78}",                // braces
                          "a1a1a1a1-683b-11ee-aca7-8699b86be7\xC3\xA9"}) {       // non-ASCII
    INFO(bad);
    CHECK_FALSE(ge::parse_uuid(bad));
  }
}

TEST_CASE("uuids are stored and written lower-case") {
  const auto id = ge::parse_uuid("F6F6F6F6-683B-11EE-ACA7-8699B86BE788");
  REQUIRE(id);
  CHECK(ge::to_string(*id) == "f6f6f6f6-683b-11ee-aca7-8699b86be788");
  char out[ge::kUuidTextLength + 1] = {};
  out[ge::kUuidTextLength] = '#';
  ge::format_uuid(*id, out);
  CHECK(std::string(out, ge::kUuidTextLength) == "f6f6f6f6-683b-11ee-aca7-8699b86be788");
  CHECK(out[ge::kUuidTextLength] == '#');  // exactly 36 characters written
  CHECK(ge::to_string(ge::Uuid{0x0123456789abcdefULL, 0xfedcba9876543210ULL}) ==
        "01234567-89ab-cdef-fedc-ba9876543210");
}

TEST_CASE("uuid order, equality and hash") {
  const ge::Uuid a{1, 2};
  const ge::Uuid b{1, 3};
  const ge::Uuid c{2, 0};
  CHECK(a < b);
  CHECK(b < c);
  CHECK(a == ge::Uuid{1, 2});
  CHECK(ge::UuidHash{}(a) == ge::UuidHash{}(ge::Uuid{1, 2}));
  CHECK(ge::UuidHash{}(a) != ge::UuidHash{}(b));
}

TEST_CASE("UuidIndex numbers ids in order of first sight, across growth") {
  ge::UuidIndex index;
  CHECK(index.number_of(ge::Uuid{5, 5}) == 0);
  CHECK(index.number_of(ge::Uuid{7, 7}) == 1);
  CHECK(index.number_of(ge::Uuid{5, 5}) == 0);
  for (std::uint64_t i = 0; i < 5000; ++i) index.number_of(ge::Uuid{0x683b11ee, i});  // forces grow()
  CHECK(index.ids().size() == 5002);
  CHECK(index.number_of(ge::Uuid{7, 7}) == 1);
  CHECK(index.number_of(ge::Uuid{0x683b11ee, 4321}) == 2 + 4321);
  CHECK(index.ids()[2 + 4999] == ge::Uuid{0x683b11ee, 4999});
  index.drop_lookup();
  CHECK(index.ids().size() == 5002);  // the ids stay
}

TEST_CASE("UuidIndex::sort_ids renumbers the ids in PostgreSQL's uuid order and maps the old numbers") {
  ge::UuidIndex index;
  const ge::Uuid ids[] = {
      *ge::parse_uuid("f0000000-0000-0000-0000-000000000001"), *ge::parse_uuid("00000000-0000-0000-ffff-000000000000"),
      *ge::parse_uuid("00000000-0000-0001-0000-000000000000"), *ge::parse_uuid("80000000-0000-0000-0000-000000000000"),
      // the same first 8 bytes as the second: ordered by the last 8
      *ge::parse_uuid("00000000-0000-0000-0000-00000000000f")};
  for (const ge::Uuid& id : ids) index.number_of(id);
  index.drop_lookup();
  const std::vector<std::uint32_t> new_number = index.sort_ids();
  // The byte order of the text (what PostgreSQL's uuid comparison uses).
  const std::vector<std::uint32_t> expected{4, 1, 2, 3, 0};
  CHECK(new_number == expected);
  for (std::size_t old = 0; old < 5; ++old) CHECK(index.ids()[new_number[old]] == ids[old]);
}
