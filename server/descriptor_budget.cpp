#include "server/descriptor_budget.hpp"

#include <sys/resource.h>

#include <limits>

namespace ge::server {

std::size_t raise_descriptor_limit() noexcept {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > std::numeric_limits<int>::max()) {
    return static_cast<std::size_t>(std::numeric_limits<int>::max());
  }
  return limit.rlim_cur;
}

std::size_t connection_budget(std::size_t descriptors, std::size_t pool_size) noexcept {
  const std::size_t kept = kReservedDescriptors + pool_size;
  return descriptors > kept ? descriptors - kept : 1;
}

}  // namespace ge::server
