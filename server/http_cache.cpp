#include "server/http_cache.hpp"

#include <array>
#include <cstdint>
#include <ostream>  // Boost's string_view, behind the Beast headers, needs it complete

#include "server/http_text.hpp"

namespace ge::server {
namespace {

std::string_view strip_weak(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

const std::string* find_header(const Reply& reply, std::string_view name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace

std::string body_etag(std::string_view body) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out = "W/\"";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xF];
  out += '"';
  return out;
}

bool is_data_route(std::string_view route_label) {
  return route_label.starts_with("/v1/") || route_label.starts_with("/query");
}

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
  const auto wanted = strip_weak(etag);
  if (trim(if_none_match) == "*") return true;
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    if (strip_weak(trim(if_none_match.substr(0, comma))) == wanted) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

void apply_conditional(Reply& reply, std::string_view route_label, std::string_view if_none_match) {
  if (reply.status != http::status::ok) return;
  const std::string* etag = find_header(reply, "ETag");
  if (!etag && is_data_route(route_label)) {
    reply.headers.emplace_back("ETag", body_etag(reply.body));
    reply.cache_control = "no-cache";
    etag = &reply.headers.back().second;
  }
  if (!etag || if_none_match.empty() || !if_none_match_matches(if_none_match, *etag)) return;
  reply.status = http::status::not_modified;
  reply.body.clear();
  reply.precompressed_gzip = {};
}

}  // namespace ge::server
