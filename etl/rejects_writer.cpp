#include "etl/rejects_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "etl/byte_source.hpp"
#include "etl/input_files.hpp"

namespace ge {
namespace {
// An output file that is either written whole and kept, or removed: a rejects file cut short by
// a full disk would read as a complete list of fewer rejects.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)), file_(std::fopen(path_.c_str(), "wb")) {
    if (!file_) throw std::runtime_error("cannot create " + path_ + ": " + std::strerror(errno));
    // A buffer of our own: glibc's setvbuf ignores the size when given no buffer.
    std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_) std::fclose(file_);
    if (!complete_) remove_partial();
  }
  void write(const char* data, std::size_t size) {
    if (size > 0 && std::fwrite(data, 1, size, file_) != size) fail();
  }
  void write(std::string_view text) { write(text.data(), text.size()); }
  void close() {
    // EINVAL/EROFS from fsync: a device or pipe (/dev/stdout) that has nothing to synchronise,
    // which is no failure to write.
    const bool flushed = std::fflush(file_) == 0 && (::fsync(fileno(file_)) == 0 || errno == EINVAL || errno == EROFS);
    const int saved = errno;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!flushed || !closed) {
      errno = flushed ? errno : saved;
      fail();
    }
  }
  // The file stays: called once every file of the set is closed without error.
  void keep() noexcept { complete_ = true; }

 private:
  [[noreturn]] void fail() {
    throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno) +
                             " (partial rejects files are removed)");
  }
  // Only a regular file is removed: a symlink, a device (/dev/stdout) or a FIFO the caller
  // named is theirs, and holds no partial file of ours.
  void remove_partial() const noexcept {
    struct stat info {};
    if (::lstat(path_.c_str(), &info) == 0 && S_ISREG(info.st_mode)) ::unlink(path_.c_str());
  }
  std::string path_;
  std::vector<char> buffer_ = std::vector<char>(1u << 20);  // outlives file_: closed in the destructor body
  std::FILE* file_;
  bool complete_ = false;
};
}  // namespace

namespace {
// A path as one CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// Copies the lines of one file that `rejects` (all of this file, sorted) name, streaming: a
// line may be longer than memory allows to hold. Compressed files are decompressed again.
std::uint64_t copy_rejected_lines(const std::string& path, const RejectRecord* rejects, std::size_t count,
                                  OutputFile& lines) {
  OpenedSource opened;
  try {
    opened = open_content(path);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot reopen " + path + ": " + e.what());
  }
  ByteSource& source = *opened.source;
  std::vector<char> buffer(1 << 20);
  std::uint64_t written = 0;
  std::uint64_t line = 1;
  std::size_t next = 0;  // index of the next reject to copy
  bool at_file_start = true;
  bool copying = count > 0 && line_of(rejects[0].line) == 1;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  for (;;) {
    std::size_t size = source.read(buffer.data(), buffer.size());
    if (size == 0) break;
    if (at_file_start) {
      // A whole BOM is not part of line 1 (SPEC §1.1); a partial one is data. A source may
      // hand out fewer than 3 bytes at first: read on until there are 3 or the file ends.
      while (size < kBom.size()) {
        const std::size_t more = source.read(buffer.data() + size, buffer.size() - size);
        if (more == 0) break;
        size += more;
      }
    }
    const char* data = buffer.data();
    if (at_file_start && std::string_view(data, size).starts_with(kBom)) {
      data += kBom.size();
      size -= kBom.size();
    }
    at_file_start = false;
    while (size > 0) {
      const void* newline = std::memchr(data, '\n', size);
      const std::size_t piece = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - data) : size;
      if (copying) lines.write(data, piece);
      if (!newline) break;
      if (copying) {
        lines.write("\n", 1);
        ++written;
        ++next;
      }
      data += piece + 1;
      size -= piece + 1;
      ++line;
      while (next < count && line_of(rejects[next].line) < line) ++next;  // no two rejects share a line
      copying = next < count && line_of(rejects[next].line) == line;
    }
  }
  if (copying) {  // the last line had no final newline
    lines.write("\n", 1);
    ++written;
  }
  return written;
}
}  // namespace

RejectsWritten write_rejects(const std::vector<std::string>& events_paths, std::vector<RejectRecord>& rejects,
                             const std::string& rejects_path) {
  std::sort(rejects.begin(), rejects.end(),
            [](const RejectRecord& a, const RejectRecord& b) { return a.line < b.line; });
  RejectsWritten written{rejects_path, rejects_path + ".reasons.csv", 0};
  OutputFile lines(written.lines_path);
  OutputFile reasons(written.reasons_path);
  reasons.write("file,line_no,event_id,reason,detail\n");
  std::vector<std::string> cells;
  cells.reserve(events_paths.size());
  for (const auto& path : events_paths) cells.push_back(csv_cell(path));
  for (const RejectRecord& r : rejects) {
    std::string row = cells.at(file_of(r.line)) + "," + std::to_string(line_of(r.line)) + "," +
                      (r.has_event_id ? std::to_string(r.event_id) : "") + "," + std::string(to_string(r.reason)) +
                      "," + std::string(to_string(r.field)) + "\n";
    reasons.write(row);
  }
  // The rejected lines, file after file (the records are sorted by file, then line).
  for (std::size_t begin = 0; begin < rejects.size();) {
    const std::uint32_t file = file_of(rejects[begin].line);
    std::size_t end = begin;
    while (end < rejects.size() && file_of(rejects[end].line) == file) ++end;
    written.lines += copy_rejected_lines(events_paths.at(file), rejects.data() + begin, end - begin, lines);
    begin = end;
  }
  lines.close();
  reasons.close();
  lines.keep();
  reasons.keep();
  return written;
}

RejectsWritten write_rejects(const std::string& events_path, std::vector<RejectRecord>& rejects,
                             const std::string& rejects_path) {
  return write_rejects(std::vector<std::string>{events_path}, rejects, rejects_path);
}

}  // namespace ge
