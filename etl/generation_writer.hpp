#pragma once
// Writes a generation's tables: every table's rows by COPY, then, in the same transaction and on
// the same connection, its indexes and (where the planner needs them) its statistics, then one
// COMMIT. Rows flow from the model builder through queues of large blocks.
//
// Two plans, chosen by the size of the load:
// - one connection for small loads: the rows of a CI smoke load (a few MiB at most) are buffered
//   whole and written by wait(), table after table, on the load's own connection, in one
//   transaction of a few round trips (no connection to open, one commit to flush: opening eight
//   connections and committing sixteen transactions was most of a small load's time);
// - one connection per large table for large loads (users, sessions, user_daily), streaming
//   through bounded queues (memory stays queue depth × block size per table, whatever the input
//   size), each table's indexes built as soon as its own COPY ends, while the other tables still
//   copy. transactions (a few % of the events' rows) and the four small tables (rows bounded by
//   days, games and countries, not by events) wait in memory until the rows end and follow
//   users' COPY in users' transaction: three backends and three commits instead of eight (each
//   commit syncs its tables' files).
// With several connections, indexes are built while the caller goes on (rejects file, quality
// gates); wait() collects them.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/db/connection.hpp"
#include "etl/table_output.hpp"

namespace ge {

class BlockQueue {
 public:
  explicit BlockQueue(std::size_t capacity) : capacity_(capacity) {}
  // Blocks while full. Returns false when the consumer has failed (the block is dropped).
  bool push(std::string&& block);
  enum class Pop { block, closed, failed };
  // Blocks while empty. closed: closed and drained; failed: the load is being abandoned.
  Pop pop(std::string& block);
  void close();
  // The consumer gave up: wakes and refuses producers from now on.
  void fail();

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::string> blocks_;
  std::size_t capacity_;
  bool closed_ = false;
  bool failed_ = false;
};

// Statements of each table, in kTableNames' order.
using TableStatements = std::array<std::vector<std::string>, kTableCount>;
// What to run on a table after its COPY, in its transaction: index builds, ANALYZE.
using AfterCopy = TableStatements;

// The connections ("lanes") of a large load and the lane of each table (in kTableNames' order):
// users, sessions and user_daily one each; transactions and the four small tables join users'.
// A lane writes its tables in table order in one transaction: the first streams through a queue,
// the others wait in memory until the rows end.
inline constexpr std::size_t kWriterLanes = 3;
inline constexpr std::array<std::uint8_t, kTableCount> kWriterLaneOfTable{0, 1, 0, 2, 0, 0, 0, 0};

// Below this many events a load writes on one connection (measured: docs/scaling.md, "Where the time goes").
inline constexpr std::size_t kOneConnectionMaxEvents = 50'000;

class GenerationWriter {
 public:
  // creates: each table's CREATE TABLE, run in the transaction that fills it (a table created
  // there lets COPY … FREEZE skip the WAL with wal_level=minimal, as a TRUNCATE did, but its
  // COMMIT has no old file to unlink and no shared-buffer scan for it).
  // one_connection null: starts one connection per lane (connect, SET search_path, BEGIN, CREATE
  // TABLE, COPY … (FORMAT binary, FREEZE) of its first table). Otherwise the rows wait in memory
  // for wait(), which writes them on *one_connection (outside a transaction when called and after).
  GenerationWriter(const std::string& conninfo, const std::string& schema, TableStatements creates,
                   AfterCopy after_copy, std::size_t block_bytes, db::Connection* one_connection);
  GenerationWriter(const GenerationWriter&) = delete;
  GenerationWriter& operator=(const GenerationWriter&) = delete;
  ~GenerationWriter();  // not waited for: aborts (every transaction rolls back)

  TableOutputs& outputs() noexcept { return outputs_; }
  // The last rows are written: flushes and ends the COPY streams; the indexes build from here on,
  // in the background. Throws ge::db::Error when a COPY has already failed.
  void end_rows();
  // Waits until every table is copied, indexed and committed; throws ge::db::Error with the first
  // failure, ge::Interrupted when a signal stopped the work (nothing is committed then).
  void wait();

 private:
  void run_worker(std::size_t lane);
  void write_all_on(db::Connection& conn);
  void fail_all(const std::string& table, const std::exception& e);
  void stop_all();
  [[noreturn]] void throw_first_error();

  std::string conninfo_;
  std::string schema_;
  TableStatements creates_;
  AfterCopy after_copy_;
  db::Connection* one_connection_;
  // The blocks of the tables that wait in memory (one connection: every table's).
  std::array<std::vector<std::string>, kTableCount> held_;
  std::vector<std::unique_ptr<BlockQueue>> queues_;  // one per lane, for its first table
  std::vector<std::thread> workers_;
  std::mutex error_mutex_;
  std::string first_error_;
  std::string first_sqlstate_;
  std::atomic<bool> abandon_{false};
  TableOutputs outputs_;
  bool rows_ended_ = false;
  bool waited_ = false;
};

}  // namespace ge
