#pragma once
// The tables a load writes, and the buffered streams that carry their COPY rows.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ge {

enum class Table : std::uint8_t {
  users,
  sessions,
  transactions,
  user_daily,
  game_daily,
  game_totals,
  game_cohorts,
  dataset
};
inline constexpr std::size_t kTableCount = 8;
inline constexpr std::array<std::string_view, kTableCount> kTableNames{
    "users", "sessions", "transactions", "user_daily", "game_daily", "game_totals", "game_cohorts", "dataset"};
constexpr std::string_view to_string(Table table) noexcept { return kTableNames[static_cast<std::size_t>(table)]; }
// The columns of each table: every COPY row of it has this many fields. They are the column lists
// of sql/g10_tables.sql's CREATE TABLEs, which tests/unit/etl/copy_schema_test.cpp reads to hold the
// two together.
inline constexpr std::array<std::uint16_t, kTableCount> kTableColumns{13, 7, 6, 8, 13, 12, 8, 4};
constexpr std::uint16_t column_count(Table table) noexcept { return kTableColumns[static_cast<std::size_t>(table)]; }

// Collects rows and hands them on in blocks of about block_bytes (one PQputCopyData each).
class TableOutput {
 public:
  using BlockConsumer = std::function<void(std::string&& block)>;
  // 256 KiB: large enough that a message costs nothing per row, small enough that the backlog a
  // table's server still has to ingest when the build ends (the queue's 4 blocks and the one in
  // flight) is short: that tail delays the last table's index build and commit. 1 MiB blocks
  // made the 485k-line load's index phase about 0.13 s longer (docs/scaling.md).
  static constexpr std::size_t kDefaultBlockBytes = 256u << 10;

  explicit TableOutput(BlockConsumer consumer = {}, std::size_t block_bytes = kDefaultBlockBytes)
      : consumer_(std::move(consumer)), block_bytes_(block_bytes) {
    buffer_.reserve(block_bytes_ + 4096);
  }
  // Append whole rows here (see BinaryRow), then call row_done().
  std::string& buffer() noexcept { return buffer_; }
  void row_done() {
    ++rows_;
    if (buffer_.size() >= block_bytes_) flush();
  }
  void flush() {
    if (buffer_.empty()) return;
    if (consumer_) {
      std::string block;
      block.reserve(block_bytes_ + 4096);
      block.swap(buffer_);
      consumer_(std::move(block));
    } else {
      buffer_.clear();  // nobody listens (evload check): the rows are only counted
    }
  }
  std::size_t rows() const noexcept { return rows_; }

 private:
  BlockConsumer consumer_;
  std::size_t block_bytes_;
  std::string buffer_;
  std::size_t rows_ = 0;
};

using TableOutputs = std::array<TableOutput, kTableCount>;

}  // namespace ge
