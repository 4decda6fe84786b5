#pragma once
// SPEC §6: no rejected line is silently lost. A second pass over the events file copies every
// rejected line byte for byte to PATH and writes PATH.reasons.csv (line_no,event_id,reason,detail).
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

// rejects is sorted by line number here. Throws std::runtime_error naming the file on any
// I/O failure (a full disk included).
RejectsWritten write_rejects(const std::string& events_path, std::vector<RejectRecord>& rejects,
                             const std::string& rejects_path);

}  // namespace ge
