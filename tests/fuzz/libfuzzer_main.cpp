// libFuzzer's entry point for one of the fuzz entries (GE_FUZZ_ENTRY names it; CMake builds this
// file once per target). An exception escaping the entry aborts: libFuzzer saves the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ge::fuzz::GE_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
