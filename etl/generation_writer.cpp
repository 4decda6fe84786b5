#include "etl/generation_writer.hpp"

#include <limits>

#include "common/db/connection.hpp"
#include "common/db/copy_stream.hpp"
#include "etl/copy_binary_row.hpp"
#include "etl/interrupt.hpp"

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

namespace {
std::size_t first_table_of(std::size_t lane) {
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (kWriterLaneOfTable[t] == lane) return t;
  }
  return kTableCount;
}

// The statements of one table's after-copy list as one round trip (PQexec runs them in turn and
// stops at the first error).
std::string joined(const std::vector<std::string>& statements) {
  std::string sql;
  for (const std::string& statement : statements) {
    sql += statement;
    if (!sql.empty() && sql.back() != ';') sql += ';';
    sql += '\n';
  }
  return sql;
}
}  // namespace

GenerationWriter::GenerationWriter(const std::string& conninfo, const std::string& schema, TableStatements creates,
                                   AfterCopy after_copy, std::size_t block_bytes, db::Connection* one_connection)
    : conninfo_(conninfo),
      schema_(schema),
      creates_(std::move(creates)),
      after_copy_(std::move(after_copy)),
      one_connection_(one_connection) {
  if (one_connection_) {
    for (std::size_t t = 0; t < kTableCount; ++t) {
      outputs_[t] = TableOutput([this, t](std::string&& block) { held_[t].push_back(std::move(block)); }, block_bytes);
    }
    return;
  }
  for (std::size_t lane = 0; lane < kWriterLanes; ++lane) queues_.push_back(std::make_unique<BlockQueue>(4));
  for (std::size_t t = 0; t < kTableCount; ++t) {
    const std::size_t lane = kWriterLaneOfTable[t];
    if (first_table_of(lane) != t) {  // waits in memory until the rows end (small tables)
      outputs_[t] = TableOutput([this, t](std::string&& block) { held_[t].push_back(std::move(block)); }, block_bytes);
      continue;
    }
    BlockQueue* queue = queues_[lane].get();
    outputs_[t] = TableOutput(
        [this, queue, t](std::string&& block) {
          if (!queue->push(std::move(block))) {
            std::lock_guard lock(error_mutex_);
            throw db::Error(
                first_error_.empty() ? "COPY into " + std::string(kTableNames[t]) + " failed" : first_error_,
                first_sqlstate_);
          }
        },
        block_bytes);
  }
  for (std::size_t lane = 0; lane < kWriterLanes; ++lane) workers_.emplace_back([this, lane] { run_worker(lane); });
}

void GenerationWriter::run_worker(std::size_t lane) {
  std::vector<std::size_t> tables;  // in table order: the first streams, the others are held
  std::string names, creates;
  for (std::size_t t = 0; t < kTableCount; ++t) {
    if (kWriterLaneOfTable[t] != lane) continue;
    tables.push_back(t);
    names += (names.empty() ? "" : ", ") + std::string(kTableNames[t]);
    creates += joined(creates_[t]);
  }
  std::string name(kTableNames[tables.front()]);  // the table being written, for the error
  try {
    db::Connection conn(conninfo_);
    // Enough to sort the largest table's keys in memory at 10M events (no spill to disk). No
    // parallel workers for the index builds: the lanes already build side by side, and workers
    // started beside them only competed for the same cores (measured: docs/scaling.md).
    conn.exec("SET search_path TO " + db::quote_identifier(schema_) +
              "; SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 0");
    // CREATE TABLE in the COPY's own transaction lets COPY … FREEZE write the rows frozen (no
    // later hint-bit or vacuum rewrite), and with wal_level=minimal skip the WAL entirely; the
    // indexes built in the same transaction skip it too, and one COMMIT flushes it all.
    db::Transaction transaction(conn);
    conn.exec(creates);
    BlockQueue& queue = *queues_[lane];
    {
      db::CopyStream copy(conn, "COPY " + name + " FROM STDIN (FORMAT binary, FREEZE)", 0);
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
      copy.finish();
    }
    // The queue is closed: the rows have ended, so the held tables' blocks are complete (the
    // queue's mutex orders end_rows' last pushes before this read).
    for (std::size_t i = 1; i < tables.size(); ++i) {
      if (abandon_.load() || received_signal() != 0) throw db::Error("abandoned");
      name = kTableNames[tables[i]];
      db::CopyStream copy(conn, "COPY " + name + " FROM STDIN (FORMAT binary, FREEZE)", 0);
      std::string data(kBinaryCopyHeader);  // one message for a small table
      for (std::string& block : held_[tables[i]]) {
        data += block;
        std::string().swap(block);
      }
      data += kBinaryCopyTrailer;
      copy.write_block(data);
      copy.finish();
    }
    // The tables' indexes now, while the other lanes may still copy (a signal or another
    // lane's failure is seen before, not during, a build).
    std::string after;
    for (std::size_t t : tables) after += joined(after_copy_[t]);
    name = names;
    if (abandon_.load() || received_signal() != 0) throw db::Error("abandoned");
    if (!after.empty()) conn.exec(after);
    if (abandon_.load() || received_signal() != 0) throw db::Error("abandoned");
    transaction.commit();
  } catch (const std::exception& e) {
    fail_all(name, e);
  }
}

void GenerationWriter::write_all_on(db::Connection& conn) {
  db::Transaction transaction(conn);
  std::string creates;
  for (const auto& statements : creates_) creates += joined(statements);
  // SET LOCAL: the connection goes on to the swap, which must not see these.
  conn.exec("SET LOCAL search_path TO " + db::quote_identifier(schema_) +
            "; SET LOCAL maintenance_work_mem = '256MB';\n" + creates);
  for (std::size_t t = 0; t < kTableCount; ++t) {
    db::CopyStream copy(conn, "COPY " + std::string(kTableNames[t]) + " FROM STDIN (FORMAT binary, FREEZE)", 0);
    std::string data(kBinaryCopyHeader);  // one message for a small table (most are)
    for (std::string& block : held_[t]) {
      data += block;
      std::string().swap(block);
    }
    data += kBinaryCopyTrailer;
    copy.write_block(data);
    copy.finish();
    throw_if_interrupted();
  }
  std::string after;
  for (const auto& statements : after_copy_) after += joined(statements);
  conn.exec(after);
  throw_if_interrupted();
  transaction.commit();
}

void GenerationWriter::fail_all(const std::string& table, const std::exception& e) {
  {
    std::lock_guard lock(error_mutex_);
    if (first_error_.empty()) {
      first_error_ = "COPY into " + table + ": " + e.what();
      if (auto* db_error = dynamic_cast<const db::Error*>(&e)) first_sqlstate_ = db_error->sqlstate();
    }
  }
  // One table failing fails the load: wake every worker and the builder.
  abandon_.store(true);
  for (auto& queue : queues_) queue->fail();
}

void GenerationWriter::end_rows() {
  if (rows_ended_) return;
  for (auto& output : outputs_) output.flush();
  rows_ended_ = true;
  for (auto& queue : queues_) queue->close();
  std::lock_guard lock(error_mutex_);
  if (!first_error_.empty()) throw db::Error(first_error_, first_sqlstate_);
}

void GenerationWriter::stop_all() {
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void GenerationWriter::throw_first_error() { throw db::Error(first_error_, first_sqlstate_); }

void GenerationWriter::wait() {
  end_rows();
  if (one_connection_) {
    waited_ = true;  // whatever happens below, the transaction's own destructor rolls it back
    write_all_on(*one_connection_);
    return;
  }
  stop_all();
  waited_ = true;
  throw_if_interrupted();  // each statement in flight ran to its end; the rest were skipped
  if (!first_error_.empty()) throw_first_error();
}

GenerationWriter::~GenerationWriter() {
  if (waited_) return;
  // Not waited for: the load is being abandoned (an exception, a failed gate). Every worker
  // stops at its next block or statement and rolls back.
  abandon_.store(true);
  for (auto& queue : queues_) queue->fail();
  stop_all();
}

}  // namespace ge
