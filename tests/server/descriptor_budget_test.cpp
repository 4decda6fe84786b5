#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <algorithm>

#include "server/descriptor_budget.hpp"

using ge::server::connection_budget;
using ge::server::kReservedDescriptors;

TEST_CASE("the connection cap leaves the pool and the reserve their descriptors", "[descriptors]") {
  CHECK(connection_budget(20000, 4) == 20000 - 4 - kReservedDescriptors);
  CHECK(connection_budget(1024, 100) == 1024 - 100 - kReservedDescriptors);
  // Too few descriptors for anything: still one connection, never zero or an underflow.
  CHECK(connection_budget(kReservedDescriptors + 4, 4) == 1);
  CHECK(connection_budget(10, 4) == 1);
  CHECK(connection_budget(0, 0) == 1);
}

TEST_CASE("raising the descriptor limit brings the soft limit up to the hard one", "[descriptors]") {
  rlimit before{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &before) == 0);
  // Lower the soft limit (always allowed) so that there is something to raise.
  rlimit lowered = before;
  lowered.rlim_cur = std::min<rlim_t>(before.rlim_max, 64);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
  const std::size_t now = ge::server::raise_descriptor_limit();
  rlimit after{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &after) == 0);
  CHECK(after.rlim_cur == before.rlim_max);
  if (before.rlim_max != RLIM_INFINITY) CHECK(now == before.rlim_max);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &before) == 0);
}
