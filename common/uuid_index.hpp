#pragma once
// Numbers the distinct user ids of a load 0, 1, 2, … in order of first sight. An open-addressing
// table (linear probing, at most half full): one cache line per lookup instead of a node chase.
#include <cstdint>
#include <vector>

#include "common/uuid.hpp"

namespace ge {

class UuidIndex {
 public:
  // The number of id, assigning the next one when id is new.
  std::uint32_t number_of(const Uuid& id);
  std::size_t size() const noexcept { return size_; }
  std::size_t memory_bytes() const noexcept { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    Uuid id;
    std::uint32_t number = kEmpty;
  };
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  void grow();

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace ge
