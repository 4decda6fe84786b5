#include "common/uuid_index.hpp"

#include "common/huge_pages.hpp"

#include <algorithm>
#include <stdexcept>

namespace ge {
namespace {
std::uint32_t tag_of(std::size_t hash) { return static_cast<std::uint32_t>(hash >> 32); }
}  // namespace

std::uint32_t UuidIndex::number_of(const Uuid& id) {
  if ((ids_.size() + 1) * 2 > slots_.size()) grow();
  const std::size_t hash = UuidHash{}(id);
  const std::uint32_t tag = tag_of(hash);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.number == kEmpty) {
      if (ids_.size() >= kEmpty) throw std::length_error("more than 4 billion distinct user ids");
      slot = Slot{tag, static_cast<std::uint32_t>(ids_.size())};
      ids_.push_back(id);
      return slot.number;
    }
    if (slot.tag == tag && ids_[slot.number] == id) return slot.number;
  }
}

void UuidIndex::grow() {
  const std::size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_ = std::vector<Slot>();
  slots_.reserve(capacity);
  advise_huge_pages(slots_.data(), capacity * sizeof(Slot));
  slots_.assign(capacity, Slot{});
  ids_.reserve(capacity / 2);
  advise_huge_pages(ids_.data(), ids_.capacity() * sizeof(Uuid));
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t number = 0; number < ids_.size(); ++number) {
    const std::size_t hash = UuidHash{}(ids_[number]);
    std::size_t i = hash & mask;
    while (slots_[i].number != kEmpty) i = (i + 1) & mask;
    slots_[i] = Slot{tag_of(hash), static_cast<std::uint32_t>(number)};
  }
}

void UuidIndex::drop_lookup() { std::vector<Slot>().swap(slots_); }

std::vector<std::uint32_t> UuidIndex::sort_ids() {
  std::vector<std::uint32_t> by_id(ids_.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) by_id[i] = static_cast<std::uint32_t>(i);
  std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return ids_[a] < ids_[b]; });
  std::vector<std::uint32_t> new_number(ids_.size());
  std::vector<Uuid> sorted(ids_.size());
  for (std::size_t rank = 0; rank < by_id.size(); ++rank) {
    new_number[by_id[rank]] = static_cast<std::uint32_t>(rank);
    sorted[rank] = ids_[by_id[rank]];
  }
  ids_.swap(sorted);
  return new_number;
}

}  // namespace ge
