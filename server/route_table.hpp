#pragma once
// Every route evserve answers, in the order they are matched.
#include <span>

#include "server/route.hpp"

namespace ge::server {

std::span<const Route> routes();

}  // namespace ge::server
