#include "server/csv_text.hpp"

#include "common/json_text.hpp"

namespace ge::server {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void CsvText::separate() {
  if (record_open_) out_ += ',';
  record_open_ = true;
}

CsvText& CsvText::field(std::string_view text) {
  separate();
  out_ += csv_field(text);
  return *this;
}

CsvText& CsvText::field(std::int64_t value) {
  separate();
  append_json_integer(out_, value);
  return *this;
}

CsvText& CsvText::field(double value) {
  separate();
  const std::size_t start = out_.size();
  append_json_number(out_, value);
  if (out_.compare(start, std::string::npos, "null") == 0) out_.resize(start);  // NaN: no value
  return *this;
}

CsvText& CsvText::field(const std::optional<std::int64_t>& value) { return value ? field(*value) : empty_field(); }

CsvText& CsvText::field(const std::optional<double>& value) { return value ? field(*value) : empty_field(); }

CsvText& CsvText::empty_field() {
  separate();
  return *this;
}

CsvText& CsvText::end_record() {
  if (!record_open_) return *this;
  out_ += "\r\n";
  record_open_ = false;
  return *this;
}

}  // namespace ge::server
