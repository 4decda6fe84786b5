#include "server/static_assets.hpp"

#include <ostream>  // Boost's string_view, behind the Beast headers, needs it complete
#include <string>
#include <vector>

#include "server/compression.hpp"

namespace ge::server {
namespace {

// Each asset's gzip encoding, made once on first use (Chart.js is 200 KB; compressing it again
// for every page load would cost more than answering the page's API requests).
std::string_view gzipped(const EmbeddedAsset& asset) {
  static const std::vector<std::string> encoded = [] {
    std::vector<std::string> out;
    for (const auto& each : embedded_assets()) out.push_back(gzip_compress(each.body));
    return out;
  }();
  return encoded[static_cast<std::size_t>(&asset - embedded_assets().data())];
}

Reply asset_reply(const EmbeddedAsset& asset) {
  Reply reply;
  reply.content_type = std::string(asset.content_type);
  reply.body = std::string(asset.body);
  reply.precompressed_gzip = gzipped(asset);
  reply.headers.emplace_back("ETag", "W/\"" + std::string(asset.sha256.substr(0, 32)) + "\"");  // weak: gzip or not
  reply.cache_control = asset.under_assets ? "public, max-age=31536000, immutable" : "no-cache";
  return reply;
}

}  // namespace

const EmbeddedAsset* find_asset(std::string_view name, bool under_assets) {
  for (const auto& asset : embedded_assets()) {
    if (asset.name == name && asset.under_assets == under_assets) return &asset;
  }
  return nullptr;
}

Reply handle_dashboard(const RouteContext& /*ctx*/) {
  const EmbeddedAsset* page = find_asset("index.html", false);
  if (!page) return not_found("no dashboard in this build");
  Reply reply = asset_reply(*page);
  // The page reads data from this origin only; no frames, no plugins.
  reply.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
      "frame-ancestors 'none'; object-src 'none'");
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return reply;
}

Reply handle_favicon(const RouteContext& /*ctx*/) {
  // Browsers ask for /favicon.ico on every page of this origin, JSON answers included; the page
  // itself carries an empty icon. An empty answer they may keep a day, not a 404 in the console.
  Reply reply;
  reply.status = http::status::no_content;
  reply.cache_control = "public, max-age=86400";
  return reply;
}

Reply handle_asset(const RouteContext& ctx) {
  const EmbeddedAsset* asset = ctx.captures.empty() ? nullptr : find_asset(ctx.captures.front(), true);
  if (!asset) return not_found("no such asset");
  Reply reply = asset_reply(*asset);
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return reply;
}

}  // namespace ge::server
