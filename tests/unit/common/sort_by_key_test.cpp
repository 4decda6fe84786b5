#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

#include "common/sort_by_key.hpp"

namespace {

struct Item {
  std::uint64_t key;
  std::uint64_t tie;  // distinct within a test: (key, tie) orders the items totally
  bool operator==(const Item&) const = default;
};

// n items with keys drawn from [0, key_range) (plus both ends of the 64-bit range when asked),
// and distinct tie values in shuffled order.
std::vector<Item> random_items(std::size_t n, std::uint64_t key_range, bool extreme_keys, unsigned seed) {
  std::mt19937_64 random(seed);
  std::vector<Item> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = Item{random() % key_range, i};
  std::shuffle(items.begin(), items.end(), random);
  for (std::size_t i = 0; i < n; ++i) items[i].tie = random();  // duplicates are astronomically unlikely
  if (extreme_keys && n >= 2) {
    items[0].key = 0;
    items[n - 1].key = std::numeric_limits<std::uint64_t>::max();
  }
  return items;
}

std::vector<Item> sorted_by_tuple(std::vector<Item> items) {
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return std::tie(a.key, a.tie) < std::tie(b.key, b.tie); });
  return items;
}

const auto by_key = [](const Item& item) { return item.key; };
const auto by_tie = [](const Item& a, const Item& b) { return a.tie < b.tie; };

}  // namespace

TEST_CASE("sort_by_key_then orders by the key, then every run of equal keys by the second order") {
  // Few distinct keys (long runs of ties), many, and keys spanning the whole 64-bit range.
  for (const std::uint64_t key_range :
       {std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{1000}, std::uint64_t{1} << 40}) {
    for (const bool extreme_keys : {false, true}) {
      INFO("key range " << key_range << (extreme_keys ? " with 0 and 2^64-1" : ""));
      std::vector<Item> items = random_items(5000, key_range, extreme_keys, 11);
      const std::vector<Item> expected = sorted_by_tuple(items);
      ge::sort_by_key_then(items.begin(), items.end(), by_key, by_tie);
      CHECK(items == expected);
    }
  }
}

TEST_CASE("parallel_sort_by_key_then gives the same order as one thread, above and below its size threshold") {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{200000}}) {
    for (const std::uint64_t key_range : {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{100000}}) {
      for (const bool extreme_keys : {false, true}) {
        INFO(n << " items, key range " << key_range << (extreme_keys ? " with 0 and 2^64-1" : ""));
        std::vector<Item> items = random_items(n, key_range, extreme_keys, 5);
        const std::vector<Item> expected = sorted_by_tuple(items);
        ge::parallel_sort_by_key_then(items.begin(), items.end(), by_key, by_tie);
        CHECK(items == expected);
      }
    }
  }
}

TEST_CASE("sort_by_key_then sorts 32-bit keys and leaves sorted input as it is") {
  struct Small {
    std::uint32_t key;
    std::uint32_t tie;
    bool operator==(const Small&) const = default;
  };
  std::vector<Small> items{{4, 1}, {0, 9}, {4, 0}, {std::numeric_limits<std::uint32_t>::max(), 2}, {0, 3}};
  ge::sort_by_key_then(
      items.begin(), items.end(), [](const Small& s) { return s.key; },
      [](const Small& a, const Small& b) { return a.tie < b.tie; });
  const std::vector<Small> expected{{0, 3}, {0, 9}, {4, 0}, {4, 1}, {std::numeric_limits<std::uint32_t>::max(), 2}};
  CHECK(items == expected);
  ge::sort_by_key_then(
      items.begin(), items.end(), [](const Small& s) { return s.key; },
      [](const Small& a, const Small& b) { return a.tie < b.tie; });
  CHECK(items == expected);
}
