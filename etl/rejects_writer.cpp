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
    const bool flushed =
        std::fflush(file_) == 0 && (::fsync(fileno(file_)) == 0 || errno == EINVAL || errno == EROFS);
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
    throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno) + " (partial rejects files are removed)");
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

RejectsWritten write_rejects(const std::string& events_path, std::vector<RejectRecord>& rejects,
                             const std::string& rejects_path) {
  std::sort(rejects.begin(), rejects.end(), [](const RejectRecord& a, const RejectRecord& b) { return a.line < b.line; });
  RejectsWritten written{rejects_path, rejects_path + ".reasons.csv", 0};
  OutputFile lines(written.lines_path);
  OutputFile reasons(written.reasons_path);
  reasons.write("line_no,event_id,reason,detail\n");
  for (const RejectRecord& r : rejects) {
    std::string row = std::to_string(r.line) + "," + (r.has_event_id ? std::to_string(r.event_id) : "") + "," +
                      std::string(to_string(r.reason)) + "," + std::string(to_string(r.field)) + "\n";
    reasons.write(row);
  }

  // Copy the rejected lines, streaming: a line may be longer than memory allows to hold.
  const int fd = ::open(events_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot reopen " + events_path + ": " + std::strerror(errno));
  std::unique_ptr<int, void (*)(int*)> guard(new int(fd), [](int* p) {
    ::close(*p);
    delete p;
  });
  std::vector<char> buffer(1 << 20);
  std::uint64_t line = 1;
  std::size_t next = 0;  // index of the next reject to copy
  bool at_file_start = true;
  bool copying = !rejects.empty() && rejects[0].line == 1;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  for (;;) {
    ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error("cannot read " + events_path + ": " + std::strerror(errno));
    if (got == 0) break;
    const char* data = buffer.data();
    std::size_t size = static_cast<std::size_t>(got);
    // A whole BOM is not part of line 1 (SPEC §1.1); a partial one is data. A regular file's
    // first read returns at least 3 bytes whenever the file has them.
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
        ++written.lines;
        ++next;
      }
      data += piece + 1;
      size -= piece + 1;
      ++line;
      while (next < rejects.size() && rejects[next].line < line) ++next;  // no two rejects share a line
      copying = next < rejects.size() && rejects[next].line == line;
    }
  }
  if (copying) {  // the last line had no final newline
    lines.write("\n", 1);
    ++written.lines;
  }
  lines.close();
  reasons.close();
  lines.keep();
  reasons.keep();
  return written;
}

}  // namespace ge
