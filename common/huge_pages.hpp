#pragma once
// Asks the kernel to back a large buffer with transparent huge pages (where THP is in "madvise"
// mode, as on Debian). Random lookups into tables of tens of MiB otherwise miss the TLB on
// almost every access; with 2 MiB pages they mostly do not.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace ge {

inline void advise_huge_pages(const void* data, std::size_t bytes) noexcept {
  constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  // Page-aligning an address is integer arithmetic; the pointer is only handed to the kernel.
  if (end > begin)
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);  // NOLINT(performance-no-int-to-ptr)
}

}  // namespace ge
