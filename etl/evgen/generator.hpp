#pragma once
// evgen's engine: a deterministic generator of realistic events.jsonl files of any size.
//
// Bounded memory, shuffled output. Users are simulated one at a time from a per-user random
// stream (seed, user index), so any pass over the population regenerates exactly the same lines:
//   1. A counting pass simulates everyone without rendering, to learn how many events of each
//      type there are; event ids are then handed out in blocks by type (registrations first,
//      then logins, logouts, transactions, like the 2023 file), in user order.
//   2. Every line gets a bucket, a hash of (seed, line number) modulo K, where K is chosen so
//      that one bucket's text fits the shuffle budget (--shuffle-mb, 128 MiB by default). For
//      each bucket in turn the population is simulated again, only that bucket's lines are
//      rendered into memory, shuffled (Fisher-Yates) and written out.
// Assigning lines to uniformly random buckets and shuffling each bucket uniformly gives a uniform
// random permutation of the whole file (Rao-Sandelius), with memory ~ file size / K instead of
// the file size and no temporary files. The price is K cheap re-simulations; rendering (the
// expensive part) still happens once per line. Peak memory ~ the budget + 12 bytes per line of
// one bucket + 4 bytes per user.
//
// Output depends only on the options: same options, same bytes. (The shuffle budget changes K
// and so the line order, never the set of lines.)
#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "common/event_type.hpp"
#include "common/utc_day.hpp"

namespace ge::evgen {

struct Options {
  std::uint64_t users = 1000;
  std::uint64_t seed = 1;
  double anomaly_rate = 0.02;           // deliberate anomalies per clean line
  std::optional<std::uint64_t> events;  // about this many lines; overrides `users`
  DayNumber start_day = 14737;          // 2010-05-08, the 2023 file's first day
  std::int32_t days = 15;               // 2010-05-08 .. 2010-05-22
  double daily_growth = 1.45;           // registrations grow by this factor per day
  std::uint64_t shuffle_bytes = 128ULL << 20;
};

struct Summary {
  std::uint64_t lines = 0;  // physical lines, blank ones included
  std::uint64_t blank_lines = 0;
  std::uint64_t users = 0;  // simulated users (some never get an accepted registration)
  std::uint64_t bytes = 0;
  std::array<std::uint64_t, kEventTypeCount> lines_by_type{};  // non-blank lines, by EventType
  std::uint32_t passes = 0;                                    // buckets written (K)
};

struct Progress {
  std::uint32_t pass = 0;  // 1-based bucket being written
  std::uint32_t passes = 0;
  std::uint64_t users_done = 0;
  std::uint64_t users = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void write(std::string_view bytes) = 0;  // throws std::runtime_error on failure
};

class FileSink final : public OutputSink {
 public:
  explicit FileSink(std::FILE* file) : file_(file) {}
  void write(std::string_view bytes) override;

 private:
  std::FILE* file_;
};

class StreamSink final : public OutputSink {
 public:
  explicit StreamSink(std::ostream& stream) : stream_(stream) {}
  void write(std::string_view bytes) override;

 private:
  std::ostream& stream_;
};

class Generator {
 public:
  // Throws std::invalid_argument for options out of range. With `events` set, this already
  // simulates the population a few times to find the number of users.
  explicit Generator(Options options);

  const Options& options() const noexcept { return options_; }
  std::uint64_t users() const noexcept { return users_; }

  Summary write(OutputSink& sink, const ProgressFn& progress = {});
  Summary write(std::FILE* file, const ProgressFn& progress = {});
  Summary write(std::ostream& stream, const ProgressFn& progress = {});

 private:
  struct Counts {
    std::uint64_t lines = 0;
    std::uint64_t blank_lines = 0;
    std::array<std::uint64_t, kEventTypeCount> lines_by_type{};
    std::array<std::uint64_t, kEventTypeCount> ids_by_block{};
  };
  Counts count(std::uint64_t users) const;

  Options options_;
  std::uint64_t users_ = 0;
  std::optional<Counts> counts_;  // of users_
};

// The shipped exchange_rates.jsonl, byte for byte (no final newline).
std::string_view exchange_rates_jsonl() noexcept;

}  // namespace ge::evgen
