#include "server/auth.hpp"

#include <fstream>

#include "server/http_text.hpp"
#include "server/listen_address.hpp"

namespace ge::server {
namespace {

// Around a token: OWS, and the CR of a token file written with CRLF line ends.
constexpr std::string_view kBlanks = " \t\r";

// Equal in time that depends on the lengths only, never on where the first difference is.
bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
  unsigned diff = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const unsigned left = a.empty() ? 0U : static_cast<unsigned char>(a[i % a.size()]);
    diff |= left ^ static_cast<unsigned>(static_cast<unsigned char>(b[i]));
  }
  return diff == 0;
}

}  // namespace

BearerAuth::BearerAuth(std::vector<std::string> tokens, AuthScope scope) : tokens_(std::move(tokens)), scope_(scope) {}

BearerAuth BearerAuth::from_file(const std::string& path, AuthScope scope) {
  std::ifstream in(path);
  if (!in)
    throw StartupError("cannot read --auth-token-file " + path + " (does it exist, may evserve's user read it?)");
  std::vector<std::string> tokens;
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view token = trim(line, kBlanks);
    if (token.empty() || token.front() == '#') continue;
    tokens.emplace_back(token);
  }
  if (tokens.empty()) throw StartupError("--auth-token-file " + path + " holds no token (one per line)");
  return BearerAuth(std::move(tokens), scope);
}

bool BearerAuth::guards(std::string_view route) const noexcept {
  if (!enabled()) return false;
  if (route == "/v1/users/{user_id}/stats" || route == "/queryUserData" || route.starts_with("/v1/users/")) return true;
  if (scope_ == AuthScope::users) return false;
  // Health and readiness serve probes that carry no credentials; the dashboard's page and assets
  // hold no data (its API calls are guarded like any other).
  return route != "/healthz" && route != "/readyz" && route != "/" && route != "/favicon.ico" &&
         !route.starts_with("/assets/");
}

bool BearerAuth::admits(std::string_view authorization) const noexcept {
  authorization = trim(authorization, kBlanks);
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer")) return false;
  const std::string_view token = trim(authorization.substr(space + 1), kBlanks);
  if (token.empty()) return false;
  bool found = false;
  for (const auto& known : tokens_) found |= equal_constant_time(token, known);  // no early exit
  return found;
}

std::optional<AuthScope> parse_auth_scope(std::string_view text) noexcept {
  if (text == "users") return AuthScope::users;
  if (text == "all") return AuthScope::all;
  return std::nullopt;
}

Reply unauthorized(bool presented) {
  Reply reply = error_reply(
      http::status::unauthorized, ErrorCode::unauthorized,
      presented ? "the bearer token is not valid" : "this route needs a bearer token (Authorization: Bearer <token>)");
  reply.headers.emplace_back(
      "WWW-Authenticate", presented ? R"(Bearer realm="evserve", error="invalid_token")" : R"(Bearer realm="evserve")");
  return reply;
}

}  // namespace ge::server
