#pragma once
// gzip and zstd files for the tests of compressed input (unit: the byte sources; integration:
// evload over .gz and .zst files). evload itself only decompresses, so the compressing side lives
// here, once. Needs zlib and libzstd linked into the test binary.
#include <stdexcept>
#include <string>

#include <zlib.h>
#include <zstd.h>

namespace ge_test_support {

// One gzip member, as `gzip -6` writes it.
inline std::string gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

// One zstd frame with a content checksum, as the zstd command writes by default (ZSTD_compress()
// writes none, and then a flipped byte can decode to other bytes that no decoder can tell from the
// real ones).
inline std::string zstd(const std::string& data) {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  if (!context) throw std::runtime_error("ZSTD_createCCtx failed");
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const std::size_t size = ZSTD_compress2(context, out.data(), out.size(), data.data(), data.size());
  ZSTD_freeCCtx(context);
  if (ZSTD_isError(size)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(size));
  out.resize(size);
  return out;
}

}  // namespace ge_test_support
