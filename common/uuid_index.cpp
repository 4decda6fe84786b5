#include "common/uuid_index.hpp"

#include <stdexcept>

namespace ge {

std::uint32_t UuidIndex::number_of(const Uuid& id) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = UuidHash{}(id) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.number == kEmpty) {
      if (size_ >= kEmpty) throw std::length_error("more than 4 billion distinct user ids");
      slot.id = id;
      slot.number = static_cast<std::uint32_t>(size_++);
      return slot.number;
    }
    if (slot.id == id) return slot.number;
  }
}

void UuidIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.number == kEmpty) continue;
    std::size_t i = UuidHash{}(slot.id) & mask;
    while (slots_[i].number != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace ge
