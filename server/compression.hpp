#pragma once
// Content-Encoding: gzip (zlib) for answers worth compressing, when the client says it accepts
// gzip. Below the threshold the few bytes saved do not pay for the work on either side.
#include <cstddef>
#include <string>
#include <string_view>

#include "server/reply.hpp"

namespace ge::server {

// Accept-Encoding (RFC 9110 §12.5.3) lists gzip (or x-gzip, or *) with a q-value above 0.
bool accepts_gzip(std::string_view accept_encoding);

// Text formats: JSON, CSV, HTML, CSS, JavaScript, text/*. Images and the like are left alone.
bool is_compressible(std::string_view content_type);

// The gzip member (RFC 1952) of data, zlib's default level. Throws std::runtime_error if zlib fails.
std::string gzip_compress(std::string_view data);

// A 200 answer of a text format with at least min_bytes of body: the answers whose encoding
// depends on Accept-Encoding (and so carry Vary: Accept-Encoding).
bool varies_by_encoding(const Reply& reply, std::size_t min_bytes);

// For those (varies_by_encoding): Vary: Accept-Encoding, and the gzip encoding (reply.precompressed_gzip if set, else
// compressed now) when the client accepts it and it is smaller.
void apply_compression(Reply& reply, std::string_view accept_encoding, std::size_t min_bytes);

}  // namespace ge::server
