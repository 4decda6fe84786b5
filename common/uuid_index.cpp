#include "common/uuid_index.hpp"

#include "common/huge_pages.hpp"
#include "common/sort_by_key.hpp"

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
  struct Numbered {
    Uuid id;
    std::uint32_t number;
  };
  std::vector<Numbered> numbered(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) numbered[i] = Numbered{ids_[i], static_cast<std::uint32_t>(i)};
  // Uuid order is (high, low); the ids are distinct, so a run of equal highs orders by low.
  sort_by_key_then(
      numbered.begin(), numbered.end(), [](const Numbered& n) { return n.id.high; },
      [](const Numbered& a, const Numbered& b) { return a.id.low < b.id.low; });
  std::vector<std::uint32_t> new_number(ids_.size());
  for (std::size_t rank = 0; rank < numbered.size(); ++rank) {
    new_number[numbered[rank].number] = static_cast<std::uint32_t>(rank);
    ids_[rank] = numbered[rank].id;
  }
  return new_number;
}

}  // namespace ge
