#include "rejects_check.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace ge::test {
namespace {
constexpr std::size_t kChunk = 1u << 20;

// The rejects file, compared piece by piece with what it should hold.
class ExpectedBytes {
 public:
  explicit ExpectedBytes(const std::filesystem::path& path) : in_(path, std::ios::binary), buffer_(kChunk) {
    if (!in_) throw std::runtime_error("cannot read " + path.string());
  }
  bool next_is(const char* data, std::size_t size) {
    while (size > 0) {
      const std::size_t take = std::min(size, buffer_.size());
      in_.read(buffer_.data(), static_cast<std::streamsize>(take));
      if (static_cast<std::size_t>(in_.gcount()) != take || std::memcmp(buffer_.data(), data, take) != 0) return false;
      data += take;
      size -= take;
    }
    return true;
  }
  bool at_end() { return in_.peek() == std::ifstream::traits_type::eof(); }

 private:
  std::ifstream in_;
  std::vector<char> buffer_;
};
}  // namespace

std::vector<std::uint64_t> reject_line_numbers(const std::filesystem::path& reasons_csv) {
  std::ifstream in(reasons_csv, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + reasons_csv.string());
  std::string row;
  if (!std::getline(in, row) || row != "file,line_no,event_id,reason,detail") {
    throw std::runtime_error(reasons_csv.string() + " does not start with its header");
  }
  // One events file, whose path has no comma: line_no is the second cell.
  std::vector<std::uint64_t> lines;
  while (std::getline(in, row)) {
    const auto after_file = row.find(',') + 1;
    lines.push_back(std::stoull(row.substr(after_file, row.find(',', after_file) - after_file)));
  }
  return lines;
}

std::string rejects_mismatch(const std::filesystem::path& events, const std::vector<std::uint64_t>& lines,
                             const std::filesystem::path& rejects) {
  if (std::adjacent_find(lines.begin(), lines.end(), std::greater_equal<>()) != lines.end()) {
    return "the listed lines are not strictly in file order";
  }
  std::ifstream in(events, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + events.string());
  ExpectedBytes expected(rejects);
  std::vector<char> chunk(kChunk);
  std::uint64_t line = 1;
  std::size_t next = 0;  // index into lines of the next rejected line
  bool copying = !lines.empty() && lines[0] == 1;
  bool line_has_bytes = false;  // bytes seen after the last '\n': a last line without one
  bool first_chunk = true;
  for (;;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    std::size_t size = static_cast<std::size_t>(in.gcount());
    if (size == 0) break;
    const char* data = chunk.data();
    if (first_chunk && std::string_view(data, size).starts_with("\xEF\xBB\xBF")) {
      data += 3;
      size -= 3;
    }
    first_chunk = false;
    while (size > 0) {
      const void* newline = std::memchr(data, '\n', size);
      const std::size_t piece = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - data) : size;
      if (copying && !expected.next_is(data, piece)) return "line " + std::to_string(line) + " differs";
      line_has_bytes = line_has_bytes || piece > 0;
      if (!newline) break;
      if (copying) {
        if (!expected.next_is("\n", 1)) return "line " + std::to_string(line) + " is not followed by a newline";
        ++next;
      }
      data += piece + 1;
      size -= piece + 1;
      ++line;
      line_has_bytes = false;
      copying = next < lines.size() && lines[next] == line;
    }
  }
  if (copying) {
    if (!line_has_bytes) return "line " + std::to_string(line) + " is listed but the file has no such line";
    if (!expected.next_is("\n", 1)) return "the last line is not followed by a newline";
    ++next;
  }
  if (next != lines.size()) return std::to_string(lines.size() - next) + " listed lines were not found in order";
  if (!expected.at_end()) return "the rejects file holds more than the listed lines";
  return "";
}

}  // namespace ge::test
