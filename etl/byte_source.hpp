#pragma once
// Where the line reader's bytes come from: a file (or a byte range of one), standard input, or a
// gzip / zstd stream decompressed on the fly (etl/decompress.hpp). The format is told by the
// first bytes, never by the file name: a rotated `events.jsonl` that is really gzip reads right.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ge {

// An input that cannot be read as what it claims to be (a truncated or corrupt compressed
// stream): bad input (exit 3), not a bug. The message names the file and the byte offset.
class BadInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Compression { none, gzip, zstd };
std::string_view to_string(Compression compression) noexcept;
// What the first bytes of a stream say it is (fewer than 4 bytes: none).
Compression detect_compression(std::string_view first_bytes) noexcept;

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `size` bytes of content into `data`; 0 only at the end. Throws BadInputError for a
  // corrupt or truncated stream, std::runtime_error for an I/O error; both name the file.
  virtual std::size_t read(char* data, std::size_t size) = 0;
  // Bytes taken from the file itself so far (compressed bytes for a compressed stream).
  virtual std::uint64_t raw_bytes_read() const noexcept = 0;
};

// A file descriptor read from its current offset, at most `limit` bytes; a few bytes already
// read from it (to look at its magic) are handed out first.
class FdSource final : public ByteSource {
 public:
  FdSource(int fd, bool owns_fd, std::string name, std::uint64_t limit = UINT64_MAX);
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  ~FdSource() override;
  std::size_t read(char* data, std::size_t size) override;
  std::uint64_t raw_bytes_read() const noexcept override { return raw_read_; }
  const std::string& name() const noexcept { return name_; }
  // Hands `bytes` out again before anything else (they were read to look at the magic).
  void unread(std::string bytes);

 private:
  int fd_;
  bool owns_fd_;
  std::string name_;
  std::string prefix_;
  std::size_t prefix_used_ = 0;
  std::uint64_t remaining_;
  std::uint64_t raw_read_ = 0;
};

struct OpenedSource {
  std::unique_ptr<ByteSource> source;
  Compression compression = Compression::none;
  std::uint64_t file_size = 0;  // on disk; 0 for a pipe or standard input
};

// Opens path ("-": standard input), looks at its first bytes and returns a reader of its
// content: decompressing for gzip and zstd, as is otherwise. Throws std::runtime_error naming
// the file when it cannot be opened or is a directory.
OpenedSource open_content(const std::string& path);

}  // namespace ge
