#pragma once
// Optional bearer-token access control (--auth-token-file, --auth-scope). Player names are
// personal data: with a token file, the user-level routes (or, with scope "all", every route but
// health, readiness and the dashboard's assets) answer 401 without "Authorization: Bearer <token>"
// naming one of the file's tokens. Tokens are compared in constant time.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/reply.hpp"

namespace ge::server {

enum class AuthScope { users, all };

class BearerAuth {
 public:
  BearerAuth() = default;  // no tokens: every route is open
  // The tokens of a file: one per line, blank lines and lines starting with # skipped, spaces
  // around a token ignored. Throws StartupError when the file cannot be read or holds none.
  static BearerAuth from_file(const std::string& path, AuthScope scope);
  BearerAuth(std::vector<std::string> tokens, AuthScope scope);

  bool enabled() const noexcept { return !tokens_.empty(); }
  // Whether a request to the route with this pattern needs a token.
  bool guards(std::string_view route_pattern) const noexcept;
  // Whether an Authorization header value admits the request.
  bool admits(std::string_view authorization) const noexcept;

 private:
  std::vector<std::string> tokens_;
  AuthScope scope_ = AuthScope::users;
};

// "users" / "all"; nullopt otherwise.
std::optional<AuthScope> parse_auth_scope(std::string_view text) noexcept;

// 401 with WWW-Authenticate: Bearer (RFC 6750) and the JSON error body; `presented`: a token
// came and was wrong (error="invalid_token"), else none came.
Reply unauthorized(bool presented);

}  // namespace ge::server
