#pragma once
// A scratch directory (support's scratch_dir) removed with everything in it at scope exit, even
// when a REQUIRE fails: the hostile files run to hundreds of MiB and must not pile up in /tmp.
#include <filesystem>
#include <string>
#include <system_error>

#include "support.hpp"

namespace ge::test {

class ScopedScratch {
 public:
  explicit ScopedScratch(const std::string& label) : path_(scratch_dir(label)) {}
  ~ScopedScratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScopedScratch(const ScopedScratch&) = delete;
  ScopedScratch& operator=(const ScopedScratch&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace ge::test
