#pragma once
// How many client connections evserve can hold: each needs a file descriptor, and so do the
// database connections and the process itself (listener, epoll, timers, stdio, log files).
#include <cstddef>

namespace ge::server {

// Idle connections evicted per scan at the cap (listener.cpp): the newcomers take their places
// while they close, so the connections may exceed the cap by this many for a moment.
inline constexpr std::size_t kEvictionBatch = 32;

// Descriptors kept back beyond the database pool: the process's own (listener, an epoll, eventfd
// and timerfd per I/O thread, stdio, logs, libpq sockets watched per query) and the moment's
// excess of an eviction batch.
inline constexpr std::size_t kReservedDescriptors = 64 + kEvictionBatch;

// Raises the soft RLIMIT_NOFILE to the hard limit (as nginx's worker_rlimit_nofile or Go's
// runtime do: the soft default of 1024 is a relic of select()); returns the soft limit now in
// force. Best effort: when raising fails, the current limit.
std::size_t raise_descriptor_limit() noexcept;

// The default connection cap: what `descriptors` leave after the pool and the reserve (at least 1).
std::size_t connection_budget(std::size_t descriptors, std::size_t pool_size) noexcept;

}  // namespace ge::server
