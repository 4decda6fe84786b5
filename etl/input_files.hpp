#pragma once
// What `--events` names, expanded to the list of files one load reads as one dataset: a file
// as given, a directory as its `*.jsonl*` entries sorted by name, a glob pattern as its matches
// sorted by name, and `-` as standard input. The order of the list is the order of the union
// (SPEC §2's line order runs through the files one after another).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ge {

// A glob pattern that matches no file: the command line is wrong (exit 2).
class InputUsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Expands every argument in order. Plain paths are kept as given, even when they do not exist:
// whether they can be read is the load's concern (exit 3), not the command line's. A pattern that
// matches nothing throws InputUsageError (exit 2); a directory without a *.jsonl* file throws
// std::runtime_error (exit 3, as a missing file).
std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments);

// True when the argument would be expanded as a glob pattern (it has *, ? or [).
bool is_glob_pattern(const std::string& argument);

// The paths joined for the summary, the report's events_path and load_runs ("a, b, c").
std::string describe_inputs(const std::vector<std::string>& paths);

}  // namespace ge

namespace ge {

// Where a line of the union comes from: the file's index in the expanded list in the high bits,
// its 1-based line number in the file in the low 40 (10^12 lines a file, 16M files). Sorting by
// position is the union's order; for a single file the position is the line number.
inline constexpr unsigned kLineBits = 40;
constexpr std::uint64_t input_position(std::uint32_t file, std::uint64_t line) noexcept {
  return (static_cast<std::uint64_t>(file) << kLineBits) | line;
}
constexpr std::uint32_t file_of(std::uint64_t position) noexcept {
  return static_cast<std::uint32_t>(position >> kLineBits);
}
constexpr std::uint64_t line_of(std::uint64_t position) noexcept {
  return position & ((std::uint64_t{1} << kLineBits) - 1);
}

// What the report says of one input file.
struct InputFileStats {
  std::string path;
  std::string compression;          // none, gzip, zstd
  std::uint64_t bytes = 0;          // read from the file (compressed bytes for a compressed file)
  std::uint64_t content_bytes = 0;  // of JSON lines, after decompression
  std::uint64_t lines = 0;
};

}  // namespace ge
