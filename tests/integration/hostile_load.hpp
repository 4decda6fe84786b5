#pragma once
// One hostile events file loaded by the real evload into a database that already has a live
// generation, and every promise checked: the exit code (never a signal), the report's exact
// counts, the invariant accepted + rejected + blank = lines read, the exact reasons.csv, the
// rejects file byte for byte, the live data matching the report, and the child's peak RSS
// (wait4) under a bound the caller derives from the design.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "measured_run.hpp"
#include "scoped_scratch.hpp"
#include "support.hpp"

namespace ge::test {

inline constexpr std::uint64_t kMiB = 1u << 20;
// evload's defaults (evload --help): the longest line it holds, and its read buffer.
inline constexpr std::uint64_t kDefaultMaxLineBytes = 64 * kMiB;
inline constexpr std::uint64_t kReadChunkBytes = 4 * kMiB;

// evload's exit code for a file with no valid event (without --allow-empty): the live data stays.
inline constexpr int kNoEventsExit = 4;

struct Expectation {
  int exit_code = 0;
  std::uint64_t lines = 0;
  std::uint64_t blank = 0;
  std::uint64_t accepted = 0;
  std::uint64_t oversized = 0;
  std::map<std::string, std::uint64_t> by_reason;  // the reasons with a count, and only those
  std::map<std::string, std::uint64_t> by_field;   // "reason:field"
  std::string reasons_rows;                        // reasons.csv after its header, exactly
};

class HostileLoad {
 public:
  // A fresh database with the tiny fixture live, whose load also measures evload's baseline RSS.
  explicit HostileLoad(const std::string& label);

  const std::filesystem::path& dir() const noexcept { return scratch_.path(); }
  TestDatabase& db() noexcept { return db_; }
  std::uint64_t baseline_rss() const noexcept { return baseline_rss_; }
  std::filesystem::path write(const std::string& name, std::string_view content) const;
  std::vector<std::string> args(const std::filesystem::path& events, const std::string& name) const;

  // Loads events and checks everything against expect; peak RSS must stay within
  // baseline + extra_rss_bytes (not asserted in sanitizer builds). Returns the report.
  boost::json::object check(const std::filesystem::path& events, const Expectation& expect,
                            std::uint64_t extra_rss_bytes, const std::vector<std::string>& extra_args = {});

 private:
  TestDatabase db_;
  ScopedScratch scratch_;
  std::uint64_t baseline_rss_ = 0;
  int runs_ = 0;
};

// Lines for hostile files. `name` and `extra` are raw bytes put into the JSON as they are.
std::string user_uuid(int n);
std::string registration_line(std::string_view id, int user, std::string_view name = "A", std::string_view extra = "",
                              std::string_view timestamp = "1273300000");
std::string registration_line(std::uint64_t id, int user);
std::string transaction_line(std::uint64_t id, int user, std::string_view amount);

}  // namespace ge::test
