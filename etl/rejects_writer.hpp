#pragma once
// SPEC §6: no rejected line is silently lost. A second pass over the events files copies every
// rejected line byte for byte to PATH (decompressed, file after file) and writes
// PATH.reasons.csv (file,line_no,event_id,reason,detail), in the order of the union.
#include <cstdint>
#include <string>
#include <vector>

#include "etl/event_store.hpp"

namespace ge {

struct RejectsWritten {
  std::string lines_path;
  std::string reasons_path;
  std::uint64_t lines = 0;
};

// rejects (lines are input positions, etl/input_files.hpp) is sorted by position here. Throws
// std::runtime_error naming the file on any I/O failure (a full disk included); BadInputError
// for a compressed file that has become corrupt since it was read.
RejectsWritten write_rejects(const std::vector<std::string>& events_paths, std::vector<RejectRecord>& rejects,
                             const std::string& rejects_path);
// One events file (positions are its line numbers).
RejectsWritten write_rejects(const std::string& events_path, std::vector<RejectRecord>& rejects,
                             const std::string& rejects_path);

}  // namespace ge
