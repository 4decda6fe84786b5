#include "etl/evgen/generator.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "etl/evgen/anomalies.hpp"
#include "etl/evgen/behaviour.hpp"
#include "etl/evgen/population.hpp"
#include "etl/evgen/render.hpp"
#include "etl/evgen/rng.hpp"

namespace ge::evgen {
namespace {

constexpr std::uint64_t kSaltBucket = 0x6275636b65747321ULL;
constexpr std::uint64_t kSaltShuffle = 0x73687566666c6521ULL;
constexpr std::uint64_t kFirstEventId = 1;
constexpr std::size_t kWriteChunk = 1 << 20;
constexpr std::uint64_t kProgressEveryUsers = 1 << 14;
// Rough line lengths by type, to size the buckets (registrations carry the profile).
constexpr std::array<std::uint64_t, kEventTypeCount> kBytesPerLine{260, 145, 205, 145};
constexpr std::string_view kBom = "\xEF\xBB\xBF";

constexpr std::size_t block_of(EventType type) noexcept {
  for (std::size_t b = 0; b < kIdBlockOrder.size(); ++b) {
    if (kIdBlockOrder[b] == type) return b;
  }
  return 0;
}

Period period_of(const Options& o) {
  const std::int64_t start = start_of_day(o.start_day);
  return Period{start, start + static_cast<std::int64_t>(o.days) * kSecondsPerDay};
}

// Simulates every user in order, hands out event ids from `next_id` (by block) and calls
// on_user(user index, events) with the user's finished lines.
template <class OnUser>
void simulate_all(const Options& o, const Population& population, std::array<std::uint64_t, kEventTypeCount> next_id,
                  OnUser&& on_user) {
  UserEvents ue;
  ue.events.reserve(256);
  ue.sessions.reserve(128);
  for (std::uint64_t i = 0; i < population.size(); ++i) {
    Rng rng(mix64(o.seed, i));
    simulate_user(population, i, rng, ue);
    inject_anomalies(population, i, o.anomaly_rate, rng, ue);
    for (Event& e : ue.events) {
      if (e.consumes_id()) e.id = next_id[block_of(e.type)]++;
    }
    for (Event& e : ue.events) {
      if (e.ref_kind == RefKind::same_id) e.id = ue.events[static_cast<std::size_t>(e.ref)].id;
    }
    on_user(i, ue.events);
  }
}

}  // namespace

void FileSink::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) throw std::runtime_error("write failed");
}

void StreamSink::write(std::string_view bytes) {
  stream_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!stream_) throw std::runtime_error("write failed");
}

std::string_view exchange_rates_jsonl() noexcept {
  return "{\"currency\": \"USD\", \"rate_to_usd\": \"1\"}\n{\"currency\": \"EUR\", \"rate_to_usd\": \"1.3\"}";
}

Generator::Generator(Options options) : options_(options) {
  const Options& o = options_;
  if (o.days < 1 || o.days > 36500) throw std::invalid_argument("days must be between 1 and 36500");
  if (o.start_day < 0 ||
      start_of_day(o.start_day) + static_cast<std::int64_t>(o.days) * kSecondsPerDay - 1 > kMaxTimestamp)
    throw std::invalid_argument("the period must lie within 1970-01-01 .. 9999-12-31");
  if (!(o.anomaly_rate >= 0.0 && o.anomaly_rate <= 1.0)) throw std::invalid_argument("anomaly rate must be in [0, 1]");
  if (!(o.daily_growth >= 0.01 && o.daily_growth <= 100.0))
    throw std::invalid_argument("daily growth must be in [0.01, 100]");
  if (o.shuffle_bytes < 4096) throw std::invalid_argument("the shuffle budget must be at least 4 KiB");

  if (!o.events) {
    if (o.users < 1 || o.users > Population::kMaxUsers)
      throw std::invalid_argument("users must be between 1 and 500,000,000");
    users_ = o.users;
    return;
  }
  // Find the population whose file has about `events` lines: lines grow linearly with users.
  const std::uint64_t target = std::max<std::uint64_t>(*o.events, 1);
  std::uint64_t users = std::clamp<std::uint64_t>(target / 6, 1, Population::kMaxUsers);
  for (int round = 0;; ++round) {
    Counts c = count(users);
    const auto off = c.lines > target ? c.lines - target : target - c.lines;
    const auto next = std::clamp<std::uint64_t>(
        static_cast<std::uint64_t>(std::llround(static_cast<double>(users) * static_cast<double>(target) /
                                                static_cast<double>(std::max<std::uint64_t>(c.lines, 1)))),
        1, Population::kMaxUsers);
    if (off * 500 <= target || next == users || round == 5) {
      users_ = users;
      counts_ = c;
      return;
    }
    users = next;
  }
}

Generator::Counts Generator::count(std::uint64_t users) const {
  const Population population(users, options_.seed, period_of(options_), options_.daily_growth);
  Counts c;
  std::array<std::uint64_t, kEventTypeCount> ids{};
  simulate_all(options_, population, ids, [&](std::uint64_t, const std::vector<Event>& events) {
    for (const Event& e : events) {
      ++c.lines;
      if (e.mut == Mut::blank) {
        ++c.blank_lines;
        continue;
      }
      ++c.lines_by_type[static_cast<std::size_t>(e.type)];
      if (e.consumes_id()) ++c.ids_by_block[block_of(e.type)];
    }
  });
  return c;
}

Summary Generator::write(OutputSink& sink, const ProgressFn& progress) {
  if (!counts_) counts_ = count(users_);
  const Counts& c = *counts_;
  const Population population(users_, options_.seed, period_of(options_), options_.daily_growth);

  std::array<std::uint64_t, kEventTypeCount> first_id{};
  first_id[0] = kFirstEventId;
  for (std::size_t b = 1; b < first_id.size(); ++b) first_id[b] = first_id[b - 1] + c.ids_by_block[b - 1];

  std::uint64_t estimated_bytes = c.blank_lines * 2;
  for (std::size_t t = 0; t < kEventTypeCount; ++t) estimated_bytes += c.lines_by_type[t] * kBytesPerLine[t];
  const std::uint64_t buckets =
      std::max<std::uint64_t>(1, (estimated_bytes + options_.shuffle_bytes - 1) / options_.shuffle_bytes);

  Summary summary;
  summary.lines = c.lines;
  summary.blank_lines = c.blank_lines;
  summary.users = users_;
  summary.lines_by_type = c.lines_by_type;
  summary.passes = static_cast<std::uint32_t>(buckets);

  Renderer renderer;
  std::string text;                   // one bucket's lines
  std::vector<std::uint64_t> starts;  // where each line of `text` starts
  std::vector<std::uint32_t> order;
  text.reserve(
      static_cast<std::size_t>(std::min<std::uint64_t>(estimated_bytes / buckets + estimated_bytes / buckets / 8 + 4096,
                                                       options_.shuffle_bytes + options_.shuffle_bytes / 4)));
  std::string chunk;
  chunk.reserve(kWriteChunk + (1 << 16));
  if (options_.anomaly_rate > 0.0) chunk += kBom;  // SPEC §1.1: a BOM at the start is ignored

  for (std::uint64_t bucket = 0; bucket < buckets; ++bucket) {
    text.clear();
    starts.clear();
    std::uint64_t line_no = 0;
    simulate_all(options_, population, first_id, [&](std::uint64_t user, const std::vector<Event>& events) {
      for (const Event& e : events) {
        const std::uint64_t line = line_no++;
        if (buckets > 1 && mix64(options_.seed ^ kSaltBucket, line) % buckets != bucket) continue;
        starts.push_back(text.size());
        const Event& shown = e.ref_kind == RefKind::exact_copy ? events[static_cast<std::size_t>(e.ref)] : e;
        renderer.render(shown, text);
      }
      if (progress && (user + 1) % kProgressEveryUsers == 0) {
        progress(Progress{static_cast<std::uint32_t>(bucket + 1), summary.passes, user + 1, users_});
      }
    });
    starts.push_back(text.size());

    const std::size_t n = starts.size() - 1;
    if (n > 0xFFFFFFFFULL) throw std::runtime_error("a shuffle bucket holds too many lines; raise the budget");
    order.resize(n);
    std::iota(order.begin(), order.end(), 0U);
    Rng rng(mix64(options_.seed ^ kSaltShuffle, bucket));
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.index(i)]);
    for (const std::uint32_t k : order) {
      chunk.append(text, starts[k], starts[k + 1] - starts[k]);
      if (chunk.size() >= kWriteChunk) {
        sink.write(chunk);
        summary.bytes += chunk.size();
        chunk.clear();
      }
    }
  }
  sink.write(chunk);
  summary.bytes += chunk.size();
  if (progress) progress(Progress{summary.passes, summary.passes, users_, users_});
  return summary;
}

Summary Generator::write(std::FILE* file, const ProgressFn& progress) {
  FileSink sink(file);
  Summary summary = write(sink, progress);
  if (std::fflush(file) != 0) throw std::runtime_error("write failed");
  return summary;
}

Summary Generator::write(std::ostream& stream, const ProgressFn& progress) {
  StreamSink sink(stream);
  Summary summary = write(sink, progress);
  stream.flush();
  return summary;
}

}  // namespace ge::evgen
