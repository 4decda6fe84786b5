// Replays every committed seed (corpus/<target>/) and every input that once crashed a fuzz
// target (regressions/<target>/) through the same entries, in the ordinary builds: `make test`
// and `make test-asan` keep each found bug fixed without needing clang or libFuzzer.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/fuzz/fuzz_entries.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string content(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Returns how many inputs ran; each one must pass its entry's checks without throwing.
std::size_t replay(const std::string& kind, const std::string& target, void (*entry)(std::string_view)) {
  const auto files = inputs(fs::path(GE_FUZZ_DIR) / kind / target);
  for (const auto& file : files) {
    INFO(file.string());
    const std::string bytes = content(file);
    CHECK_NOTHROW(entry(bytes));
  }
  return files.size();
}

struct Target {
  const char* name;
  void (*entry)(std::string_view);
};
constexpr Target kTargets[] = {
    {"event_line", &ge::fuzz::event_line},
    {"exchange_rates", &ge::fuzz::exchange_rates},
    {"request_target", &ge::fuzz::request_target},
};

}  // namespace

TEST_CASE("every seed of every fuzz target passes its checks", "[fuzz]") {
  for (const Target& t : kTargets) {
    INFO(t.name);
    // A missing corpus would make this test pass on nothing.
    CHECK(replay("corpus", t.name, t.entry) >= 10);
  }
}

TEST_CASE("inputs that once crashed a fuzz target pass its checks", "[fuzz]") {
  for (const Target& t : kTargets) {
    INFO(t.name);
    replay("regressions", t.name, t.entry);
  }
}

TEST_CASE("the entries' checks can fail", "[fuzz]") {
  // Inputs that reach the checks' failure branch would be bugs; what can be shown here is that
  // the check itself throws, so a CHECK_NOTHROW above is not vacuous.
  CHECK_THROWS_AS(ge::fuzz::check(false, "x"), ge::fuzz::InvariantBroken);
  CHECK_NOTHROW(ge::fuzz::check(true, "x"));
}
