#pragma once
// The OpenAPI 3 description served at /openapi.json. Written by hand (openapi.cpp); a unit test
// checks that it describes exactly the routes of the router.
#include <boost/json/value.hpp>

#include <string_view>

namespace ge::server {

// The document as served (compact JSON text, parsed once and validated at first use).
std::string_view openapi_text();
const boost::json::value& openapi_document();

}  // namespace ge::server
