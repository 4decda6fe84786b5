#pragma once
// Numbers the distinct user ids of a load 0, 1, 2, … in order of first sight. An open-addressing
// table (linear probing, at most half full) of 8-byte slots — a hash tag and the number — over
// the list of ids: 16 bytes of table per id, and one cache line per lookup.
#include <cstdint>
#include <vector>

#include "common/uuid.hpp"

namespace ge {

class UuidIndex {
 public:
  // The number of id, assigning the next one when id is new.
  std::uint32_t number_of(const Uuid& id);
  // Every id, by number.
  const std::vector<Uuid>& ids() const noexcept { return ids_; }
  std::size_t memory_bytes() const noexcept {
    return slots_.capacity() * sizeof(Slot) + ids_.capacity() * sizeof(Uuid);
  }
  // Frees the lookup table; ids() stays. number_of() must not be called afterwards.
  void drop_lookup();
  // Renumbers the ids in ascending order (PostgreSQL's uuid order: the bytes as written) and
  // returns the new number of each old one. Call after drop_lookup().
  std::vector<std::uint32_t> sort_ids();

 private:
  struct Slot {
    std::uint32_t tag = 0;  // high bits of the hash, to skip most non-matching slots cheaply
    std::uint32_t number = kEmpty;
  };
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  void grow();

  std::vector<Slot> slots_;
  std::vector<Uuid> ids_;
};

}  // namespace ge
