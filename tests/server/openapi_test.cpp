// /openapi.json describes every route of the router, and nothing else.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <set>
#include <string>

#include "server/error_code.hpp"
#include "server/openapi.hpp"
#include "server/route_table.hpp"
#include "server/router.hpp"

using namespace ge::server;

namespace {

const boost::json::value* resolve_ref(const boost::json::value& doc, std::string_view ref) {
  if (!ref.starts_with("#/")) return nullptr;
  boost::system::error_code ec;
  const auto* found = doc.find_pointer(ref.substr(1), ec);
  return ec ? nullptr : found;
}

void collect_refs(const boost::json::value& v, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [key, value] : v.get_object()) {
      if (key == "$ref" && value.is_string()) out.emplace_back(value.get_string());
      collect_refs(value, out);
    }
  } else if (v.is_array()) {
    for (const auto& item : v.get_array()) collect_refs(item, out);
  }
}

}  // namespace

TEST_CASE("every route is described and every described path is a route", "[openapi]") {
  const auto& doc = openapi_document();
  const auto& paths = doc.at("paths").as_object();
  std::set<std::string> described;
  for (const auto& [path, item] : paths) described.insert(std::string(path));
  std::set<std::string> routed;
  for (const auto& route : routes()) routed.insert(std::string(route.pattern));
  CHECK(described == routed);

  for (const auto& route : routes()) {
    INFO(route.pattern);
    const auto& item = paths.at(route.pattern).as_object();
    REQUIRE(item.contains("get"));
    CHECK(item.size() == 1);  // GET only (HEAD is implied)
    CHECK(item.at("get").as_object().contains("responses"));
  }
}

TEST_CASE("path templates declare their path parameters", "[openapi]") {
  const auto& doc = openapi_document();
  for (const auto& route : routes()) {
    for (const auto segment : pattern_segments(route.pattern)) {
      if (!segment.starts_with('{')) continue;
      const std::string name(segment.substr(1, segment.size() - 2));
      INFO(route.pattern << " " << name);
      bool declared = false;
      for (const auto& parameter : doc.at("paths").at(route.pattern).at("get").at("parameters").as_array()) {
        const boost::json::value* p = &parameter;
        if (parameter.as_object().contains("$ref")) p = resolve_ref(doc, parameter.at("$ref").as_string());
        REQUIRE(p != nullptr);
        if (p->at("in") == "path" && p->at("name") == name.c_str()) declared = true;
      }
      CHECK(declared);
    }
  }
}

TEST_CASE("the document is OpenAPI 3 and its references resolve", "[openapi]") {
  const auto& doc = openapi_document();
  CHECK(doc.at("openapi").as_string().starts_with("3.0"));
  std::vector<std::string> refs;
  collect_refs(doc, refs);
  CHECK_FALSE(refs.empty());
  for (const auto& ref : refs) {
    INFO(ref);
    CHECK(resolve_ref(doc, ref) != nullptr);
  }
  CHECK(boost::json::parse(openapi_text()) == doc);
}

TEST_CASE("the Error schema lists exactly the error codes evserve can send", "[openapi]") {
  const auto& schemas = openapi_document().at("components").at("schemas");
  std::set<std::string> documented;
  const auto& documented_list = schemas.at("Error").at("properties").at("error").at("enum").as_array();
  for (const auto& code : documented_list) documented.emplace(code.as_string());
  CHECK(documented.size() == documented_list.size());  // none listed twice
  std::set<std::string> sent;
  for (const auto code : kAllErrorCodes) sent.emplace(error_code_name(code));
  CHECK(documented == sent);

  // /readyz's reasons are error codes too.
  for (const auto& reason : schemas.at("NotReady").at("properties").at("reason").at("enum").as_array()) {
    INFO(reason);
    CHECK(sent.contains(std::string(reason.as_string())));
  }
}
