#pragma once
// Streaming decompressors behind the ByteSource interface: memory is the codec's window plus one
// input buffer, whatever the size of the file. Concatenated gzip members and zstd frames are read
// as one stream (as `zcat` does). A stream cut short, corrupt, or followed by bytes that are no
// further member is BadInputError naming the file and the compressed byte offset.
#include <memory>
#include <string>

#include "etl/byte_source.hpp"

namespace ge {

std::unique_ptr<ByteSource> gzip_source(std::unique_ptr<FdSource> raw);
std::unique_ptr<ByteSource> zstd_source(std::unique_ptr<FdSource> raw);

}  // namespace ge
