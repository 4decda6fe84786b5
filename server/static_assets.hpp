#pragma once
// The dashboard (server/dashboard/) and Chart.js, embedded into evserve at build time
// (cmake/EmbedAssets.cmake writes embedded_assets()): the page at /, its files under /assets/
// with content-hashed names, cached for a year and marked immutable — a new build names changed
// files anew, and the page, which is revalidated on every load (no-cache + ETag), points at them.
#include <span>
#include <string_view>

#include "server/route.hpp"

namespace ge::server {

struct EmbeddedAsset {
  std::string_view name;  // "app.3f2a9c01b2de.js"; the page is "index.html"
  std::string_view content_type;
  std::string_view body;
  std::string_view sha256;  // hex, of body
  bool under_assets;        // served as /assets/<name>; false for the page
};

// Generated (embedded_assets.cpp in the build directory).
std::span<const EmbeddedAsset> embedded_assets();

// The page or an /assets/ file by name, or nullptr.
const EmbeddedAsset* find_asset(std::string_view name, bool under_assets);

Reply handle_dashboard(const RouteContext& ctx);  // GET /  (the view's parameters are the page's own)
Reply handle_asset(const RouteContext& ctx);      // GET /assets/{name}
Reply handle_favicon(const RouteContext& ctx);    // GET /favicon.ico: 204, cacheable

}  // namespace ge::server
