#include "common/db/conninfo.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

namespace ge::db {
namespace {

constexpr std::string_view kMask = "***";

bool iequals_at(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
  }
  return true;
}

// user:password@ after any "scheme://", whatever the scheme (a typo like postgresq:// included).
void mask_uri_userinfo(std::string& text) {
  for (std::size_t from = 0; (from = text.find("://", from)) != std::string::npos;) {
    const std::size_t start = from + 3;
    const std::size_t end = text.find_first_of("/?# \t\r\n'\"", start);
    const std::size_t authority_end = end == std::string::npos ? text.size() : end;
    const std::size_t at = text.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = text.find(':', start);
      if (colon != std::string::npos && colon < at && text.compare(colon + 1, at - colon - 1, kMask) != 0) {
        text.replace(colon + 1, at - colon - 1, kMask);
      }
    }
    from = start;
  }
}

// password=value (keyword form: value to whitespace, or '…' with \' escapes; URI query: to &).
void mask_password_keywords(std::string& text) {
  constexpr std::string_view kKey = "password";
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!iequals_at(text, at, kKey)) continue;
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) continue;
    std::size_t i = at + kKey.size();
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t value_end = i;
    if (value_end < text.size() && text[value_end] == '\'') {
      ++value_end;
      while (value_end < text.size() && text[value_end] != '\'')
        value_end += text[value_end] == '\\' ? std::size_t{2} : std::size_t{1};
      value_end = std::min(value_end + 1, text.size());
    } else {
      while (value_end < text.size() && !std::isspace(static_cast<unsigned char>(text[value_end])) &&
             text[value_end] != '&' && text[value_end] != '#' && text[value_end] != '"') {
        ++value_end;
      }
    }
    if (value_end > i && text.compare(i, value_end - i, kMask) != 0) text.replace(i, value_end - i, kMask);
    at = i;
  }
}

void replace_all(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (std::size_t at = 0; (at = text.find(secret, at)) != std::string::npos; at += kMask.size()) {
    text.replace(at, secret.size(), kMask);
  }
}

}  // namespace

std::optional<std::string> conninfo_syntax_error(std::string_view conninfo) {
  char* raw_error = nullptr;
  const std::string text(conninfo);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(text.c_str(), &raw_error),
                                                                       &PQconninfoFree);
  if (options) return std::nullopt;
  std::string message = raw_error != nullptr ? raw_error : "out of memory";
  PQfreemem(raw_error);
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) message.pop_back();
  return redact_secrets(message, conninfo);
}

std::string redact_conninfo(std::string_view conninfo) {
  std::string text(conninfo);
  mask_uri_userinfo(text);
  mask_password_keywords(text);
  return text;
}

SecretRedactor::SecretRedactor(std::string_view conninfo) {
  const std::string text(conninfo);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(text.c_str(), nullptr),
                                                                       &PQconninfoFree);
  if (options) {
    for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
      if (option->val != nullptr && std::string_view(option->keyword) == "password" && *option->val != '\0') {
        secrets_.emplace_back(option->val);
      }
    }
  }
  if (const char* env = std::getenv("PGPASSWORD"); env != nullptr && *env != '\0') secrets_.emplace_back(env);
  // Longest first, so a password that contains another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string SecretRedactor::operator()(std::string_view text) const {
  std::string out(text);
  mask_uri_userinfo(out);
  mask_password_keywords(out);
  for (const auto& secret : secrets_) replace_all(out, secret);
  return out;
}

std::string redact_secrets(std::string_view text, std::string_view conninfo) { return SecretRedactor(conninfo)(text); }

}  // namespace ge::db
