#pragma once
// A Reply as the bytes of an HTTP/1.x response: status line, headers and body in one string,
// written with a single send. Beast's response object and serializer (a node allocation per header
// field, a buffer-sequence view per write step) were a fifth of evserve's instructions per request.
#include <string>

#include "server/reply.hpp"

namespace ge::server {

struct ResponseFraming {
  unsigned version = 11;  // 10 or 11, the request's
  bool keep_alive = true;
  bool head = false;  // HEAD: the GET's headers (Content-Length included), no body
};

// Adds Server, Content-Type, Cache-Control (reply.cache_control) and Content-Length (neither type nor
// length nor body for 204 and 304); Connection as HTTP/1.0
// and 1.1 need it (close on 1.1 when not kept alive, keep-alive on 1.0 when kept alive).
std::string response_text(const Reply& reply, const ResponseFraming& framing);

}  // namespace ge::server
