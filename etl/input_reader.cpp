#include "etl/input_reader.hpp"

#include <sys/stat.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "etl/byte_source.hpp"
#include "etl/event_parser.hpp"
#include "etl/interrupt.hpp"
#include "etl/line_reader.hpp"

namespace ge {
namespace {
// Plain files this large are read by two threads, each from its own half (split at a line
// boundary), when there are fewer files than threads.
constexpr std::uint64_t kParallelReadBytes = 32u << 20;
// Compressed JSON lines are 5–15× smaller than their content; the store reserves address space
// (not memory) for this much, so that it does not grow by doubling and copying.
constexpr std::uint64_t kAssumedCompressionRatio = 16;

// One stretch of input read by one thread: a whole file, or half of a large plain one.
struct Unit {
  std::uint32_t file = 0;
  bool whole = true;
  LineReader::ByteRange range;
  ReadCounts counts;
  std::uint64_t raw_bytes = 0;
};

struct Plan {
  std::vector<Unit> units;
  std::vector<InputFileStats> files;
  std::uint64_t estimated_content_bytes = 0;
};

std::uint64_t size_on_disk(const std::string& path) {
  struct stat info {};
  if (path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return 0;
  return static_cast<std::uint64_t>(info.st_size);
}

// Looks at each file's first bytes (standard input is looked at once, when read).
Plan plan_units(const std::vector<std::string>& paths, int threads) {
  Plan plan;
  for (std::uint32_t i = 0; i < paths.size(); ++i) {
    InputFileStats stats;
    stats.path = paths[i];
    Compression compression = Compression::none;
    std::uint64_t size = 0;
    if (paths[i] != "-") {
      const OpenedSource opened = open_content(paths[i]);
      compression = opened.compression;
      size = opened.file_size;
    }
    stats.compression = std::string(to_string(compression));
    plan.files.push_back(stats);
    plan.estimated_content_bytes += compression == Compression::none ? size : size * kAssumedCompressionRatio;
    if (compression == Compression::none && size >= kParallelReadBytes &&
        paths.size() < static_cast<std::size_t>(threads)) {
      const std::uint64_t split = next_line_start(paths[i], size / 2);
      plan.units.push_back(Unit{i, false, {0, split}, {}, 0});
      plan.units.push_back(Unit{i, false, {split, size - split}, {}, 0});
    } else {
      plan.units.push_back(Unit{i, true, {}, {}, 0});
    }
  }
  return plan;
}

// A worker asked to stop because another failed.
struct Stopped {};

ReadCounts parse_unit(LineReader& reader, std::uint32_t unit, const ExchangeRates& rates, EventStore& store,
                      const std::atomic<bool>& stop, std::atomic<std::uint64_t>& raw_progress,
                      std::atomic<std::uint64_t>& line_progress, Progress* progress) {
  ReadCounts counts;
  EventParser parser(rates);
  Line line;
  std::uint64_t raw_reported = 0;
  std::uint64_t lines_reported = 0;
  auto report = [&] {
    const std::uint64_t raw = reader.raw_bytes_read();
    raw_progress += raw - raw_reported;
    line_progress += line.number - lines_reported;
    raw_reported = raw;
    lines_reported = line.number;
    if (progress) progress->update(raw_progress, line_progress);
  };
  while (reader.next(line)) {
    const std::uint64_t position = input_position(unit, line.number);
    if (line.oversized) {
      ++counts.oversized;
      store.reject(position, Reason::malformed_json, Field::none, std::nullopt);
    } else if (line.blank()) {
      ++counts.blank;
    } else {
      const ParseOutcome outcome = parser.parse(line.text);
      counts.duplicate_keys += outcome.duplicate_keys;
      if (outcome.accepted) {
        store.add(outcome.event, position);
      } else {
        store.reject(position, outcome.reason, outcome.field, outcome.event_id);
      }
    }
    if ((line.number & 0x3FFF) == 0) {
      if (stop) throw Stopped{};
      throw_if_interrupted();  // SIGINT/SIGTERM: every reader stops, the run aborts cleanly
      report();
    }
  }
  report();
  counts.lines = line.number;
  counts.bytes = reader.bytes_consumed();
  return counts;
}

void add(ReadCounts& into, const ReadCounts& counts) {
  into.lines += counts.lines;
  into.blank += counts.blank;
  into.oversized += counts.oversized;
  into.duplicate_keys += counts.duplicate_keys;
  into.bytes += counts.bytes;
}
}  // namespace

std::uint64_t input_bytes_on_disk(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const auto& path : paths) total += size_on_disk(path);
  return total;
}

ReadResult read_inputs(const std::vector<std::string>& paths, const ExchangeRates& rates, EventStore& store,
                       const ReadSettings& settings, Progress& progress) {
  Plan plan = plan_units(paths, settings.threads);
  const std::size_t workers = std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(std::max(1, settings.threads)), plan.units.size()));
  std::vector<EventStore> helper_stores(workers - 1);
  store.reserve_for_file(plan.estimated_content_bytes);
  // Each helper too: which files it gets is not known in advance, and the room is address space.
  for (auto& helper : helper_stores) helper.reserve_for_file(plan.estimated_content_bytes);

  std::atomic<std::size_t> next_unit{0};
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> raw_progress{0}, line_progress{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&](EventStore& into, bool draws_progress) {
    try {
      for (;;) {
        const std::size_t u = next_unit++;
        if (u >= plan.units.size() || stop) return;
        throw_if_interrupted();  // between files too: many small rotated files are many units
        Unit& unit = plan.units[u];
        const std::string& path = paths[unit.file];
        std::unique_ptr<LineReader> reader;
        if (unit.whole) {
          OpenedSource opened = open_content(path);
          if (path == "-") plan.files[unit.file].compression = std::string(to_string(opened.compression));
          reader = std::make_unique<LineReader>(std::move(opened.source), opened.file_size, settings.max_line_bytes,
                                                settings.chunk_bytes);
        } else {
          reader = std::make_unique<LineReader>(path, unit.range, settings.max_line_bytes, settings.chunk_bytes);
        }
        unit.counts = parse_unit(*reader, static_cast<std::uint32_t>(u), rates, into, stop, raw_progress, line_progress,
                                 draws_progress ? &progress : nullptr);
        unit.raw_bytes = reader->raw_bytes_read();
      }
    } catch (const Stopped&) {
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(helper_stores.size());
  for (auto& helper : helper_stores) threads.emplace_back([&] { work(helper, false); });
  work(store, true);
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);

  // Positions so far are (unit, line in unit): make them (file, line in file). The second half
  // of a split file starts after the first half's lines.
  std::vector<std::uint64_t> base(plan.units.size());
  std::vector<std::uint64_t> lines_before(paths.size(), 0);
  ReadResult result;
  for (std::size_t u = 0; u < plan.units.size(); ++u) {
    const Unit& unit = plan.units[u];
    base[u] = input_position(unit.file, lines_before[unit.file]);
    lines_before[unit.file] += unit.counts.lines;
    InputFileStats& file = plan.files[unit.file];
    file.lines += unit.counts.lines;
    file.content_bytes += unit.counts.bytes;
    file.bytes += unit.whole ? unit.raw_bytes : unit.counts.bytes;
    add(result.totals, unit.counts);
  }
  store.renumber_lines(base, kLineBits);
  for (auto& helper : helper_stores) {
    helper.renumber_lines(base, kLineBits);
    store.absorb(std::move(helper), 0);
  }
  progress.done(raw_progress, result.totals.lines);
  result.files = std::move(plan.files);
  return result;
}

}  // namespace ge
