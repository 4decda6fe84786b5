#include "etl/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "etl/decompress.hpp"
#include "etl/interrupt.hpp"

namespace ge {

std::string_view to_string(Compression compression) noexcept {
  switch (compression) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return "none";
}

Compression detect_compression(std::string_view first) noexcept {
  // gzip: 1f 8b 08 (deflate, the only method gzip defines); zstd frame: 28 b5 2f fd (RFC 8878).
  if (first.size() >= 3 && first.starts_with("\x1f\x8b\x08")) return Compression::gzip;
  if (first.size() >= 4 && first.starts_with("\x28\xb5\x2f\xfd")) return Compression::zstd;
  return Compression::none;
}

FdSource::FdSource(int fd, bool owns_fd, std::string name, std::uint64_t limit)
    : fd_(fd), owns_fd_(owns_fd), name_(std::move(name)), remaining_(limit) {}

FdSource::~FdSource() {
  if (owns_fd_) ::close(fd_);
}

std::size_t FdSource::read(char* data, std::size_t size) {
  if (prefix_used_ < prefix_.size()) {
    const std::size_t n = std::min(size, prefix_.size() - prefix_used_);
    std::memcpy(data, prefix_.data() + prefix_used_, n);
    prefix_used_ += n;
    return n;
  }
  if (remaining_ == 0) return 0;
  if (remaining_ < size) size = remaining_;
  ssize_t got;
  do {
    got = ::read(fd_, data, size);
    // A read blocked on a stalled pipe returns EINTR on Ctrl-C (no SA_RESTART): stop there.
    if (got < 0 && errno == EINTR) throw_if_interrupted();
  } while (got < 0 && errno == EINTR);
  if (got < 0) throw std::runtime_error("cannot read " + name_ + ": " + std::strerror(errno));
  remaining_ -= static_cast<std::uint64_t>(got);
  raw_read_ += static_cast<std::uint64_t>(got);
  return static_cast<std::size_t>(got);
}

void FdSource::unread(std::string bytes) {
  prefix_ = std::move(bytes) + prefix_.substr(prefix_used_);
  prefix_used_ = 0;
}

OpenedSource open_content(const std::string& path) {
  const bool standard_input = path == "-";
  const std::string name = standard_input ? "standard input" : path;
  int fd = STDIN_FILENO;
  if (!standard_input) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  }
  OpenedSource opened;
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      if (!standard_input) ::close(fd);
      throw std::runtime_error("cannot read " + name + ": it is a directory");
    }
    if (S_ISREG(info.st_mode)) {
      opened.file_size = static_cast<std::uint64_t>(info.st_size);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
  // The magic: up to 4 bytes (a pipe may hand them out one by one), handed out again after.
  auto kept = std::make_unique<FdSource>(fd, !standard_input, name);
  char magic[4];
  std::size_t have = 0;
  while (have < sizeof magic) {
    const std::size_t got = kept->read(magic + have, sizeof magic - have);
    if (got == 0) break;
    have += got;
  }
  opened.compression = detect_compression(std::string_view(magic, have));
  kept->unread(std::string(magic, have));
  switch (opened.compression) {
    case Compression::gzip: opened.source = gzip_source(std::move(kept)); break;
    case Compression::zstd: opened.source = zstd_source(std::move(kept)); break;
    case Compression::none: opened.source = std::move(kept); break;
  }
  return opened;
}

}  // namespace ge
