#include "server/request_routing.hpp"

#include <string>

#include "server/auth.hpp"
#include "server/cors.hpp"
#include "server/http_framing.hpp"

namespace ge::server {

Resolution route_request(http::verb method, std::string_view target, std::optional<std::string_view> authorization,
                         const BrowserHeaders& browser, const ServerConfig& config) {
  if (auto special = special_form_reply(method, target)) return {std::move(*special), kUnmatchedRoute};
  const std::optional<std::string> origin = origin_form(target);  // absolute-form: its path and query
  Resolution resolution = resolve(method, origin ? *origin : target);
  if (method == http::verb::options) {  // CORS preflight, or a plain OPTIONS (cors.hpp)
    if (resolution.route_label != kUnmatchedRoute) {
      resolution.outcome = options_reply(config.browser.cors, browser.origin, browser.access_control_request_headers);
    }
    return resolution;
  }
  const auto* resolved = std::get_if<ResolvedRequest>(&resolution.outcome);
  if (resolved != nullptr && config.auth.guards(resolved->route->pattern) &&
      (!authorization || !config.auth.admits(*authorization))) {
    resolution.outcome = unauthorized(authorization.has_value());
  }
  return resolution;
}

}  // namespace ge::server
