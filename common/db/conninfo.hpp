#pragma once
// Connection strings carry passwords: the one place that checks them and keeps secrets out of
// every line either program prints, logs, reports or stores (URI user:password@, password=
// keywords, $PGPASSWORD).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ge::db {

// Why libpq cannot parse `conninfo` (a keyword string or a postgres:// / postgresql:// URI), in
// a message that holds no secret of it; nullopt when it parses. Empty means libpq's defaults.
std::optional<std::string> conninfo_syntax_error(std::string_view conninfo);

// `conninfo` with every password replaced by "***": the userinfo password of a URI (also of a
// malformed one, such as a mistyped scheme), `password=` in a keyword string or a URI query.
std::string redact_conninfo(std::string_view conninfo);

// Scrubs free text (a libpq error, an exception message) of the secrets of `conninfo`: the
// patterns redact_conninfo knows, then every literal occurrence of the passwords it holds and
// of $PGPASSWORD.
class SecretRedactor {
 public:
  explicit SecretRedactor(std::string_view conninfo);
  std::string operator()(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;
};

// SecretRedactor(conninfo)(text), for the one-off message.
std::string redact_secrets(std::string_view text, std::string_view conninfo);

}  // namespace ge::db
