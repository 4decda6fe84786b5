#pragma once
// SPEC §2 steps 1–2 over every input file: lines parsed into one EventStore, in parallel across
// files (and across the two halves of a large plain file), each line recorded by its position
// in the union (etl/input_files.hpp), so that the files together are one dataset.
#include <cstdint>
#include <string>
#include <vector>

#include "etl/event_store.hpp"
#include "etl/exchange_rates.hpp"
#include "etl/input_files.hpp"
#include "etl/line_reader.hpp"
#include "etl/progress.hpp"

namespace ge {

// What reading found besides the events.
struct ReadCounts {
  std::uint64_t lines = 0;
  std::uint64_t blank = 0;
  std::uint64_t oversized = 0;
  std::uint64_t duplicate_keys = 0;
  std::uint64_t bytes = 0;  // content bytes (decompressed)
};

struct ReadResult {
  ReadCounts totals;
  std::vector<InputFileStats> files;  // one per path, in order
};

struct ReadSettings {
  int threads = 2;
  std::size_t max_line_bytes = 0;
  std::size_t chunk_bytes = LineReader::kDefaultChunkBytes;  // the line reader's buffer
};

// Throws BadInputError for corrupt or truncated compressed data, std::runtime_error naming the
// file when one cannot be opened or read.
ReadResult read_inputs(const std::vector<std::string>& paths, const ExchangeRates& rates, EventStore& store,
                       const ReadSettings& settings, Progress& progress);

// The bytes of the files on disk (0 for standard input), for the progress line and load_runs.
std::uint64_t input_bytes_on_disk(const std::vector<std::string>& paths);

}  // namespace ge
