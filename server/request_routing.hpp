#pragma once
// What a request asks for, before any database work, apart from the connection that read it:
// a reply now — a special form (CONNECT, OPTIONS *), a target the router refuses (400, 404,
// 405, 414), a CORS preflight or plain OPTIONS (cors.hpp), a 401 for a guarded route without a
// valid token (auth.hpp) — or the route to run, which the query dispatcher answers
// (query_dispatcher.hpp).
#include <boost/beast/http/verb.hpp>

#include <optional>
#include <string_view>

#include "server/browser_http.hpp"
#include "server/config.hpp"
#include "server/router.hpp"

namespace ge::server {

// authorization: the Authorization header's value, if one came.
Resolution route_request(http::verb method, std::string_view target, std::optional<std::string_view> authorization,
                         const BrowserHeaders& browser, const ServerConfig& config);

}  // namespace ge::server
