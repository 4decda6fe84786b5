#pragma once
// RFC 4180 text, for the format=csv answers: CRLF after every record (the header included), a
// field quoted when it holds a comma, a double quote, CR or LF (its quotes doubled), numbers in
// the JSON answers' form (json_text.hpp), a null as an empty field.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ge::server {

class CsvText {
 public:
  CsvText& field(std::string_view text);
  CsvText& field(std::int64_t value);
  CsvText& field(double value);
  CsvText& field(const std::optional<std::int64_t>& value);
  CsvText& field(const std::optional<double>& value);
  CsvText& empty_field();
  // Ends the record (CRLF). A record without fields would be a blank line: it is not written.
  CsvText& end_record();

  const std::string& text() const noexcept { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool record_open_ = false;
};

// One field as RFC 4180 writes it, exposed for tests.
std::string csv_field(std::string_view text);

}  // namespace ge::server
