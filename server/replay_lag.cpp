#include "server/replay_lag.hpp"

namespace ge::server {

void ReplayLag::sample(std::uint64_t received, std::uint64_t replayed, Clock::time_point now) {
  // Everything up to `replayed` is applied: the samples that saw no more than that are done.
  while (!pending_.empty() && pending_.front().first <= replayed) pending_.pop_front();
  if (received > replayed && (pending_.empty() || received > pending_.back().first) && pending_.size() < kMaxPending) {
    pending_.emplace_back(received, now);
  }
  lag_ = pending_.empty() ? std::chrono::milliseconds{0}
                          : std::chrono::duration_cast<std::chrono::milliseconds>(now - pending_.front().second);
}

void ReplayLag::reset() noexcept {
  pending_.clear();
  lag_ = std::chrono::milliseconds{0};
}

}  // namespace ge::server
