#pragma once
// Appends one row of PostgreSQL's binary COPY format: PostgreSQL receives the values as they
// are stored (no text parsing of timestamps, uuids and numerics on the server), which makes
// COPY markedly cheaper for the database than the text format.
// Layout: int16 field count, then per field int32 length (-1: NULL) and the value, big-endian.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/money.hpp"
#include "common/utc_day.hpp"
#include "common/uuid.hpp"

namespace ge {

// The stream's header and trailer.
inline constexpr std::string_view kBinaryCopyHeader{"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19};
inline constexpr std::string_view kBinaryCopyTrailer{"\377\377", 2};

class BinaryRow {
 public:
  BinaryRow(std::string& out, std::uint16_t fields) : out_(out) { put16(fields); }

  BinaryRow& null() {
    put32(0xFFFFFFFFu);
    return *this;
  }
  BinaryRow& int4(std::int64_t value) {
    put32(4);
    put32(static_cast<std::uint32_t>(static_cast<std::int32_t>(value)));
    return *this;
  }
  BinaryRow& int8(std::int64_t value) {
    put32(8);
    put64(static_cast<std::uint64_t>(value));
    return *this;
  }
  BinaryRow& boolean(bool value) {
    put32(1);
    out_.push_back(value ? '\1' : '\0');
    return *this;
  }
  BinaryRow& uuid(const Uuid& id) {
    put32(16);
    put64(id.high);
    put64(id.low);
    return *this;
  }
  // timestamptz: microseconds since 2000-01-01 00:00:00 UTC.
  BinaryRow& timestamp(UnixSeconds value) {
    put32(8);
    put64(static_cast<std::uint64_t>((value - kPostgresEpochSeconds) * 1000000));
    return *this;
  }
  // date: days since 2000-01-01.
  BinaryRow& day(DayNumber value) {
    put32(4);
    put32(static_cast<std::uint32_t>(value - kPostgresEpochDays));
    return *this;
  }
  // text, varchar, char(n). PostgreSQL text cannot hold NUL, so a NUL (a JSON "\u0000") is
  // stored as U+FFFD, the Unicode replacement character (docs/cleaning.md).
  BinaryRow& text(std::string_view value);
  // numeric: units × 10^-scale, exact.
  BinaryRow& numeric(Int128 units, int scale);

 private:
  static constexpr UnixSeconds kPostgresEpochSeconds = 946684800;
  static constexpr DayNumber kPostgresEpochDays = 10957;
  // One append per value: rows are formatted by the million.
  template <std::size_t N, class Unsigned>
  void put(Unsigned v) {
    char bytes[N];
    for (std::size_t i = 0; i < N; ++i) bytes[i] = static_cast<char>((v >> (8 * (N - 1 - i))) & 0xFF);
    out_.append(bytes, N);
  }
  void put16(std::uint16_t v) { put<2>(v); }
  void put32(std::uint32_t v) { put<4>(v); }
  void put64(std::uint64_t v) { put<8>(v); }
  std::string& out_;
};

}  // namespace ge
