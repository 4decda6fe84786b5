#include "etl/parallel_copy.hpp"

#include <chrono>

#include "common/db/connection.hpp"
#include "common/db/copy_stream.hpp"
#include "etl/copy_binary_row.hpp"

namespace ge {

bool BlockQueue::push(std::string&& block) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return blocks_.size() < capacity_ || failed_; });
  if (failed_) return false;
  blocks_.push_back(std::move(block));
  not_empty_.notify_one();
  return true;
}

BlockQueue::Pop BlockQueue::pop(std::string& block) {
  std::unique_lock lock(mutex_);
  not_empty_.wait(lock, [&] { return !blocks_.empty() || closed_ || failed_; });
  if (failed_) return Pop::failed;
  if (blocks_.empty()) return Pop::closed;
  block = std::move(blocks_.front());
  blocks_.pop_front();
  not_full_.notify_one();
  return Pop::block;
}

void BlockQueue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  not_empty_.notify_all();
}

void BlockQueue::fail() {
  std::lock_guard lock(mutex_);
  failed_ = true;
  blocks_.clear();
  not_full_.notify_all();
  not_empty_.notify_all();
}

ParallelCopy::ParallelCopy(const std::string& conninfo, const std::string& schema, std::size_t block_bytes,
                           std::size_t queue_blocks)
    : conninfo_(conninfo), schema_(schema), results_(kTableCount) {
  for (std::size_t t = 0; t < kTableCount; ++t) {
    queues_.push_back(std::make_unique<BlockQueue>(queue_blocks));
    BlockQueue* queue = queues_.back().get();
    outputs_[t] = TableOutput(
        [this, queue, t](std::string&& block) {
          if (!queue->push(std::move(block))) {
            std::lock_guard lock(error_mutex_);
            throw db::Error(first_error_.empty() ? "COPY into " + std::string(kTableNames[t]) + " failed" : first_error_,
                            first_sqlstate_);
          }
        },
        block_bytes);
  }
  for (std::size_t t = 0; t < kTableCount; ++t) workers_.emplace_back([this, t] { run_worker(t); });
}

void ParallelCopy::run_worker(std::size_t table) {
  BlockQueue& queue = *queues_[table];
  const std::string name(kTableNames[table]);
  const auto started = std::chrono::steady_clock::now();
  try {
    db::Connection conn(conninfo_);
    conn.exec("SET search_path TO " + db::quote_identifier(schema_));
    // TRUNCATE in the COPY's own transaction lets COPY … FREEZE write the rows frozen (no
    // later hint-bit or vacuum rewrite), and with wal_level=minimal skip the WAL entirely.
    db::Transaction transaction(conn);
    conn.exec("TRUNCATE " + name);
    db::CopyStream copy(conn, "COPY " + name + " FROM STDIN (FORMAT binary, FREEZE)");
    copy.write_block(kBinaryCopyHeader);
    std::string block;
    for (;;) {
      const auto popped = queue.pop(block);
      if (popped == BlockQueue::Pop::closed) break;
      // The load is failing elsewhere: leave without committing (the destructors roll back).
      if (popped == BlockQueue::Pop::failed) throw db::Error("COPY aborted");
      copy.write_block(block);
    }
    copy.write_block(kBinaryCopyTrailer);
    results_[table].rows = copy.finish();
    transaction.commit();
  } catch (const std::exception& e) {
    {
      std::lock_guard lock(error_mutex_);
      if (first_error_.empty()) {
        first_error_ = "COPY into " + name + ": " + e.what();
        if (auto* db_error = dynamic_cast<const db::Error*>(&e)) first_sqlstate_ = db_error->sqlstate();
      }
    }
    queue.fail();
    // Wake the other workers too: one table failing fails the load.
    for (auto& other : queues_) other->fail();
  }
  results_[table].table = name;
  results_[table].seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

void ParallelCopy::stop_all() {
  for (auto& queue : queues_) queue->close();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

std::vector<CopyResult> ParallelCopy::finish() {
  for (auto& output : outputs_) output.flush();
  stop_all();
  finished_ = true;
  if (!first_error_.empty()) throw db::Error(first_error_, first_sqlstate_);
  return results_;
}

ParallelCopy::~ParallelCopy() {
  if (finished_) return;
  // Not finished: an exception is unwinding. Fail the queues so the workers abort their COPY.
  for (auto& queue : queues_) queue->fail();
  stop_all();
}

}  // namespace ge
