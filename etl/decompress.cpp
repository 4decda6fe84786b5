#include "etl/decompress.hpp"

#include <zlib.h>
#include <zstd.h>

#include <vector>

namespace ge {
namespace {
// Compressed bytes read per refill: large enough that read() calls cost nothing, small enough to
// stay in the cache the decoder works in.
constexpr std::size_t kInputBytes = 256u << 10;

// The compressed input both decoders share: a buffer refilled from the file, and the offset of
// its first byte in the file, so errors can say where they are.
class CompressedInput {
 public:
  explicit CompressedInput(std::unique_ptr<FdSource> raw) : raw_(std::move(raw)), buffer_(kInputBytes) {}
  // Refills when everything was consumed; false at the end of the file.
  bool refill(std::size_t unconsumed) {
    if (unconsumed > 0) return true;
    base_ += size_;
    size_ = raw_->read(buffer_.data(), buffer_.size());
    return size_ > 0;
  }
  unsigned char* data() noexcept { return reinterpret_cast<unsigned char*>(buffer_.data()); }
  std::size_t size() const noexcept { return size_; }
  // The file offset of the byte at `index` of the buffer.
  std::uint64_t offset(std::size_t index) const noexcept { return base_ + index; }
  const std::string& name() const noexcept { return raw_->name(); }
  std::uint64_t raw_bytes_read() const noexcept { return raw_->raw_bytes_read(); }

 private:
  std::unique_ptr<FdSource> raw_;
  std::vector<char> buffer_;
  std::size_t size_ = 0;
  std::uint64_t base_ = 0;
};

[[noreturn]] void corrupt(const CompressedInput& input, std::string_view format, std::uint64_t offset,
                          std::string_view why) {
  throw BadInputError(input.name() + ": corrupt " + std::string(format) + " data at compressed byte offset " +
                      std::to_string(offset) + " (" + std::string(why) + ")");
}
[[noreturn]] void truncated(const CompressedInput& input, std::string_view format, std::uint64_t offset) {
  throw BadInputError(input.name() + ": truncated " + std::string(format) + " data: the file ends at byte offset " +
                      std::to_string(offset) + " inside a compressed stream");
}

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<FdSource> raw) : input_(std::move(raw)) {
    // 16 + 15: a gzip wrapper and the largest window; zlib checks the CRC and length trailer.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib: out of memory");
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;
  ~GzipSource() override { inflateEnd(&stream_); }

  std::size_t read(char* data, std::size_t size) override {
    if (finished_) return 0;
    stream_.next_out = reinterpret_cast<unsigned char*>(data);
    const auto wanted = static_cast<uInt>(std::min<std::size_t>(size, UINT32_MAX));
    stream_.avail_out = wanted;
    while (stream_.avail_out == wanted) {  // until some output, or the end
      if (!input_.refill(stream_.avail_in)) {
        // The end of the file: fine between members, truncation inside one.
        if (in_member_) truncated(input_, "gzip", input_.offset(input_.size()));
        finished_ = true;
        break;
      }
      if (stream_.avail_in == 0) {
        stream_.next_in = input_.data();
        stream_.avail_in = static_cast<uInt>(input_.size());
      }
      if (!in_member_) {
        // Another member must start here (gzip files may be concatenated); anything else is
        // not gzip data, and silently dropping it would drop events.
        if (stream_.next_in[0] != 0x1f) {
          corrupt(input_, "gzip", position(), "bytes after the end of the gzip stream are not another gzip member");
        }
        in_member_ = true;
      }
      const int status = inflate(&stream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        in_member_ = false;
        if (inflateReset(&stream_) != Z_OK) throw std::runtime_error("zlib: reset failed");
      } else if (status == Z_BUF_ERROR && stream_.avail_in == 0) {
        continue;  // needs more input
      } else if (status != Z_OK) {
        corrupt(input_, "gzip", position(), stream_.msg ? stream_.msg : "inflate failed");
      }
    }
    return wanted - stream_.avail_out;
  }
  std::uint64_t raw_bytes_read() const noexcept override { return input_.raw_bytes_read(); }

 private:
  std::uint64_t position() const noexcept {
    return input_.offset(input_.size() - stream_.avail_in);
  }
  CompressedInput input_;
  z_stream stream_{};
  bool in_member_ = false;
  bool finished_ = false;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<FdSource> raw) : input_(std::move(raw)), context_(ZSTD_createDCtx()) {
    if (!context_) throw std::runtime_error("zstd: out of memory");
  }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;
  ~ZstdSource() override { ZSTD_freeDCtx(context_); }

  std::size_t read(char* data, std::size_t size) override {
    if (finished_) return 0;
    ZSTD_outBuffer out{data, size, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        if (!input_.refill(0)) {
          if (in_frame_) truncated(input_, "zstd", input_.offset(input_.size()));
          finished_ = true;
          break;
        }
        in_ = ZSTD_inBuffer{input_.data(), input_.size(), 0};
      }
      const std::size_t hint = ZSTD_decompressStream(context_, &out, &in_);
      if (ZSTD_isError(hint)) corrupt(input_, "zstd", input_.offset(in_.pos), ZSTD_getErrorName(hint));
      // 0: a frame is complete and flushed; the next input byte starts another frame (or ends).
      in_frame_ = hint != 0;
    }
    return out.pos;
  }
  std::uint64_t raw_bytes_read() const noexcept override { return input_.raw_bytes_read(); }

 private:
  CompressedInput input_;
  ZSTD_DCtx* context_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool in_frame_ = true;  // a zstd file holds at least one frame
  bool finished_ = false;
};
}  // namespace

std::unique_ptr<ByteSource> gzip_source(std::unique_ptr<FdSource> raw) {
  return std::make_unique<GzipSource>(std::move(raw));
}
std::unique_ptr<ByteSource> zstd_source(std::unique_ptr<FdSource> raw) {
  return std::make_unique<ZstdSource>(std::move(raw));
}

}  // namespace ge
