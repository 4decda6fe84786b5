#include "etl/line_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <simdjson.h>

namespace ge {
namespace {
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
}

bool Line::blank() const noexcept {
  if (oversized) return false;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

LineReader::LineReader(std::unique_ptr<ByteSource> source, std::uint64_t file_size, std::size_t max_line_bytes,
                       std::size_t chunk_bytes)
    : source_(std::move(source)), max_line_(max_line_bytes), file_size_(file_size) {
  buffer_.resize(chunk_bytes + simdjson::SIMDJSON_PADDING);
}

namespace {
// A plain file descriptor for path ("-": standard input) from `offset` on, at most `length` bytes.
std::unique_ptr<FdSource> open_plain(const std::string& path, std::uint64_t offset, std::uint64_t length,
                                     std::uint64_t& file_size) {
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  }
  auto source = std::make_unique<FdSource>(fd, path != "-", path, length);
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw std::runtime_error("cannot read " + path + ": it is a directory");
    if (S_ISREG(info.st_mode)) {
      file_size = static_cast<std::uint64_t>(info.st_size);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
  if (offset > 0 && ::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
    throw std::runtime_error("cannot seek in " + path + ": " + std::strerror(errno));
  }
  return source;
}
}  // namespace

LineReader::LineReader(const std::string& path, std::size_t max_line_bytes, std::size_t chunk_bytes)
    : max_line_(max_line_bytes) {
  source_ = open_plain(path, 0, UINT64_MAX, file_size_);
  buffer_.resize(chunk_bytes + simdjson::SIMDJSON_PADDING);
}

LineReader::LineReader(const std::string& path, ByteRange range, std::size_t max_line_bytes, std::size_t chunk_bytes)
    : max_line_(max_line_bytes) {
  source_ = open_plain(path, range.offset, range.length, file_size_);
  buffer_.resize(chunk_bytes + simdjson::SIMDJSON_PADDING);
  at_file_start_ = range.offset == 0;
}

std::uint64_t next_line_start(const std::string& path, std::uint64_t from) {
  // A limit of one small buffer: a long line from `from` on is skipped, never held.
  constexpr std::size_t kScanBytes = 1u << 16;
  LineReader reader(path, LineReader::ByteRange{from, UINT64_MAX}, kScanBytes, kScanBytes);
  Line line;
  if (!reader.next(line)) return from;
  return from + reader.bytes_consumed();
}

LineReader::~LineReader() = default;

void LineReader::compact() {
  if (begin_ == 0) return;
  std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
}

bool LineReader::fill() {
  if (eof_) return false;
  const std::size_t capacity = buffer_.size() - simdjson::SIMDJSON_PADDING;
  if (end_ == capacity) {
    compact();
    if (end_ == capacity) {
      // One line fills the whole buffer (the caller has checked it is not over the limit yet):
      // grow, but never past max_line_ + 1 bytes, the most it takes to see that a line is too
      // long. Doubling to 2 × max_line_ would hold twice the limit of an endless line.
      std::size_t grown = capacity * 2;
      if (grown >= max_line_) grown = max_line_ + 1;
      buffer_.resize(grown + simdjson::SIMDJSON_PADDING);
    }
  }
  const std::size_t room = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
  const std::size_t got = source_->read(buffer_.data() + end_, room);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool LineReader::next(Line& line) {
  std::size_t scanned = begin_;  // bytes before this are known not to be '\n'
  for (;;) {
    const char* start = buffer_.data() + scanned;
    const void* newline = std::memchr(start, '\n', end_ - scanned);
    std::size_t line_end;
    std::size_t after;
    if (newline) {
      line_end = static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data());
      after = line_end + 1;
    } else if (end_ - begin_ > max_line_) {
      // Too long to hold: skip to the end of the line without keeping it.
      consumed_ += end_ - begin_;
      begin_ = end_ = 0;
      for (;;) {
        if (!fill()) break;
        const void* nl = std::memchr(buffer_.data(), '\n', end_);
        if (nl) {
          begin_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
          consumed_ += begin_;
          break;
        }
        consumed_ += end_;
        end_ = 0;
      }
      line.number = ++line_number_;
      line.text = {};
      line.oversized = true;
      return true;
    } else {
      const std::size_t before = end_ - begin_;
      if (fill()) {
        scanned = begin_ + before;  // compact() may have moved the data
        continue;
      }
      if (end_ == begin_) return false;  // end of file, no partial line left
      line_end = end_;
      after = end_;
    }
    if (line_end - begin_ > max_line_) {
      consumed_ += after - begin_;
      begin_ = after;
      line.number = ++line_number_;
      line.text = {};
      line.oversized = true;
      return true;
    }
    std::size_t text_begin = begin_;
    if (line_number_ == 0 && at_file_start_ &&
        std::string_view(buffer_.data() + begin_, line_end - begin_).starts_with(kUtf8Bom)) {
      text_begin += kUtf8Bom.size();
    }
    std::size_t text_end = line_end;
    if (text_end > text_begin && buffer_[text_end - 1] == '\r') --text_end;
    line.number = ++line_number_;
    line.text = std::string_view(buffer_.data() + text_begin, text_end - text_begin);
    line.oversized = false;
    consumed_ += after - begin_;
    begin_ = after;
    return true;
  }
}

}  // namespace ge
