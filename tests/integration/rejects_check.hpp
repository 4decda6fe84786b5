#pragma once
// An independent check of SPEC §6 for the rejects files evload writes: PATH.reasons.csv lists
// the rejected lines, and PATH holds each of them byte for byte as the events file has it (the
// BOM at the start of the file is not part of line 1; a '\n' ends each copied line). Both files
// are streamed: a rejected line may be hundreds of MiB long.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ge::test {

// The line numbers of a reasons.csv (file,line_no,event_id,reason,detail), in file order.
std::vector<std::uint64_t> reject_line_numbers(const std::filesystem::path& reasons_csv);

// "" when `rejects` is exactly the listed lines of `events`, in order; otherwise what differs.
std::string rejects_mismatch(const std::filesystem::path& events, const std::vector<std::uint64_t>& lines,
                             const std::filesystem::path& rejects);

}  // namespace ge::test
