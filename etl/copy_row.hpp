#pragma once
// Appends one row of PostgreSQL COPY text format: tab-separated, \N for NULL, backslash escapes.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/utc_day.hpp"
#include "common/uuid.hpp"

namespace ge {

class CopyRow {
 public:
  explicit CopyRow(std::string& out) : out_(out) {}
  CopyRow(const CopyRow&) = delete;
  CopyRow& operator=(const CopyRow&) = delete;
  ~CopyRow() { out_.push_back('\n'); }

  CopyRow& null() { return raw("\\N"); }
  CopyRow& integer(std::int64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, end);
    return *this;
  }
  CopyRow& boolean(bool value) { return raw(value ? "t" : "f"); }
  CopyRow& uuid(const Uuid& id) {
    separate();
    const std::size_t at = out_.size();
    out_.resize(at + kUuidTextLength);
    format_uuid(id, out_.data() + at);
    return *this;
  }
  CopyRow& day(DayNumber value) {
    separate();
    const std::size_t at = out_.size();
    out_.resize(at + 10);
    format_day(value, out_.data() + at);
    return *this;
  }
  CopyRow& timestamp(UnixSeconds value) {
    separate();
    const std::size_t at = out_.size();
    out_.resize(at + kTimestampTextLength);
    format_timestamp(value, out_.data() + at);
    return *this;
  }
  // Text a client sent: escaped for COPY. PostgreSQL text cannot hold NUL, so a NUL (a JSON
  // "\u0000") is stored as U+FFFD, the Unicode replacement character (docs/cleaning.md).
  CopyRow& text(std::string_view value) {
    separate();
    for (char c : value) {
      switch (c) {
        case '\\': out_.append("\\\\"); break;
        case '\t': out_.append("\\t"); break;
        case '\n': out_.append("\\n"); break;
        case '\r': out_.append("\\r"); break;
        case '\0': out_.append("\xEF\xBF\xBD"); break;
        default: out_.push_back(c);
      }
    }
    return *this;
  }
  // Text known to need no escaping (numbers, codes).
  CopyRow& raw(std::string_view value) {
    separate();
    out_.append(value);
    return *this;
  }

 private:
  void separate() {
    if (!first_) out_.push_back('\t');
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace ge
