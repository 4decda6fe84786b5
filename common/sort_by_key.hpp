#pragma once
// Sorting by an unsigned integer key with Boost's spreadsort (a radix sort: a few linear passes
// over the elements instead of n log n comparisons), each run of equal keys then ordered by a
// second comparison. spreadsort leaves such a run in no particular order, so the second step is
// what makes the order total; it is cheap where runs are short (one user's events, the copies of
// one event id, uuids sharing their first 8 bytes).
#include <algorithm>
#include <boost/sort/spreadsort/integer_sort.hpp>
#include <cstddef>
#include <iterator>
#include <thread>

namespace ge {

// key(element) returns an unsigned integer; tie_order(a, b) orders elements of equal key.
template <class RandomIt, class Key, class TieOrder>
void sort_by_key_then(RandomIt first, RandomIt last, Key key, TieOrder tie_order) {
  using Element = typename std::iterator_traits<RandomIt>::value_type;
  boost::sort::spreadsort::integer_sort(
      first, last, [&](const Element& e, unsigned offset) { return key(e) >> offset; },
      [&](const Element& a, const Element& b) { return key(a) < key(b); });
  for (RandomIt run = first; run != last;) {
    RandomIt run_end = run + 1;
    while (run_end != last && key(*run_end) == key(*run)) ++run_end;
    if (run_end - run > 1) std::sort(run, run_end, tie_order);
    run = run_end;
  }
}

// The same on two cores for large inputs: the elements are split at the middle of the keys'
// range (equal keys stay on one side) and each side sorts on a thread of its own.
template <class RandomIt, class Key, class TieOrder>
void parallel_sort_by_key_then(RandomIt first, RandomIt last, Key key, TieOrder tie_order) {
  using Element = typename std::iterator_traits<RandomIt>::value_type;
  constexpr std::ptrdiff_t kParallelThreshold = std::ptrdiff_t{1} << 16;
  if (last - first < kParallelThreshold || std::thread::hardware_concurrency() < 2) {
    sort_by_key_then(first, last, key, tie_order);
    return;
  }
  const auto [lowest, highest] =
      std::minmax_element(first, last, [&](const Element& a, const Element& b) { return key(a) < key(b); });
  const auto middle = key(*lowest) + (key(*highest) - key(*lowest)) / 2;
  const RandomIt split = std::partition(first, last, [&](const Element& e) { return key(e) <= middle; });
  std::thread lower_side([&] { sort_by_key_then(first, split, key, tie_order); });
  sort_by_key_then(split, last, key, tie_order);
  lower_side.join();
}

}  // namespace ge
