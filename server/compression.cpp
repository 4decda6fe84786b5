#include "server/compression.hpp"

#include <zlib.h>
#include <ostream>  // Boost's string_view, behind the Beast headers, needs it complete

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "server/http_text.hpp"

namespace ge::server {
namespace {

// The q-value of one Accept-Encoding member's parameters ("q=0.5"); 1 when absent, 0 when malformed.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto param = trim(params.substr(0, semi));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const auto number = param.substr(2);
      double q = 0;
      const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), q);
      if (ec != std::errc() || end != number.data() + number.size()) return 0;
      return q;
    }
    if (semi == std::string_view::npos) break;
    params.remove_prefix(semi + 1);
  }
  return 1;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<double> gzip_q;
  std::optional<double> any_q;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto member = trim(accept_encoding.substr(0, comma));
    const auto semi = member.find(';');
    const auto coding = trim(member.substr(0, semi));
    const double q = semi == std::string_view::npos ? 1.0 : q_value(member.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip_q = q;
    if (coding == "*") any_q = q;
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  if (gzip_q) return *gzip_q > 0;
  return any_q && *any_q > 0;
}

bool is_compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/javascript") || content_type.starts_with("text/javascript") ||
         content_type.starts_with("image/svg+xml");
}

std::string gzip_compress(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  // zlib's API is not const-correct; it does not write through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  const auto written = stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  out.resize(written);
  return out;
}

bool varies_by_encoding(const Reply& reply, std::size_t min_bytes) {
  return reply.status == http::status::ok && reply.body.size() >= min_bytes && is_compressible(reply.content_type);
}

void apply_compression(Reply& reply, std::string_view accept_encoding, std::size_t min_bytes) {
  if (!varies_by_encoding(reply, min_bytes)) return;
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (!accepts_gzip(accept_encoding)) return;
  std::string encoded =
      reply.precompressed_gzip.empty() ? gzip_compress(reply.body) : std::string(reply.precompressed_gzip);
  if (encoded.size() >= reply.body.size()) return;
  reply.body = std::move(encoded);
  reply.headers.emplace_back("Content-Encoding", "gzip");
}

}  // namespace ge::server
