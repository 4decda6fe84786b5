#pragma once
// Streams a file line by line in bounded buffers (SPEC §1.1 line rules), never holding more
// than max(one buffer, max_line_bytes + 1) bytes in memory, however long a line is (while the
// buffer grows, the old one is briefly held too). Each line handed out is followed by at least
// simdjson::SIMDJSON_PADDING readable bytes, so the parser can read it in place.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "etl/byte_source.hpp"

namespace ge {

struct Line {
  std::uint64_t number = 0;  // 1-based physical line number, blank lines included
  std::string_view text;     // without the '\n', the trailing '\r' and (line 1) the BOM
  bool oversized = false;    // longer than the reader's limit: text is empty, the line was skipped
  bool blank() const noexcept;
};

class LineReader {
 public:
  static constexpr std::size_t kDefaultChunkBytes = 4u << 20;
  static constexpr std::size_t kDefaultMaxLineBytes = 64u << 20;

  // Reads the lines of any byte source (a decompressing one included: etl/byte_source.hpp).
  // file_size: of the file on disk, for the event store's reservation (0: unknown).
  LineReader(std::unique_ptr<ByteSource> source, std::uint64_t file_size,
             std::size_t max_line_bytes = kDefaultMaxLineBytes, std::size_t chunk_bytes = kDefaultChunkBytes);
  // Opens path ("-" is standard input) and reads its bytes as they are (no decompression).
  // Throws std::runtime_error naming the file on failure.
  explicit LineReader(const std::string& path, std::size_t max_line_bytes = kDefaultMaxLineBytes,
                      std::size_t chunk_bytes = kDefaultChunkBytes);
  // Reads only bytes [offset, offset + length) of a regular file, numbering its lines from 1.
  // For splitting a file between threads at a line boundary; a BOM is only looked for at 0.
  struct ByteRange {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
  };
  LineReader(const std::string& path, ByteRange range, std::size_t max_line_bytes = kDefaultMaxLineBytes,
             std::size_t chunk_bytes = kDefaultChunkBytes);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader();

  // The next line, or false at the end of the file. A final newline does not start a line.
  bool next(Line& line);
  std::uint64_t bytes_consumed() const noexcept { return consumed_; }
  // Bytes read from the file itself (compressed ones for a compressed file), for progress.
  std::uint64_t raw_bytes_read() const noexcept { return source_->raw_bytes_read(); }
  // Size of the file when it is a regular file, 0 otherwise (a pipe).
  std::uint64_t file_size() const noexcept { return file_size_; }
  // Bytes of the line buffer: at most max(chunk, max_line_bytes + 1) + simdjson's padding.
  std::size_t buffer_bytes() const noexcept { return buffer_.size(); }

 private:
  bool fill();  // reads more bytes after end_; false at end of file
  void compact();

  std::unique_ptr<ByteSource> source_;
  bool eof_ = false;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // start of the unread data
  std::size_t end_ = 0;    // end of the valid data
  std::size_t max_line_;
  std::uint64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t file_size_ = 0;
  bool at_file_start_ = true;
};

// The offset just after the first '\n' at or after `from` (the file size if there is none).
std::uint64_t next_line_start(const std::string& path, std::uint64_t from);

}  // namespace ge
