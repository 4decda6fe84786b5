#pragma once
// One COPY stream per table, each on its own connection and thread, fed through bounded queues
// of large blocks: the model builder formats rows while PostgreSQL ingests them, and memory
// stays bounded (queue depth × block size per table) whatever the input size.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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

struct CopyResult {
  std::string table;
  long long rows = 0;
  double seconds = 0;
};

class ParallelCopy {
 public:
  // Starts one worker per table: connect, SET search_path, BEGIN, TRUNCATE, COPY … (FREEZE).
  ParallelCopy(const std::string& conninfo, const std::string& schema, std::size_t block_bytes,
               std::size_t queue_blocks = 4);
  ParallelCopy(const ParallelCopy&) = delete;
  ParallelCopy& operator=(const ParallelCopy&) = delete;
  ~ParallelCopy();  // aborts unfinished COPYs (their transactions roll back)

  TableOutputs& outputs() noexcept { return outputs_; }
  // Flushes, ends every COPY, commits; throws ge::db::Error with the first failure.
  std::vector<CopyResult> finish();

 private:
  void run_worker(std::size_t table);
  void stop_all();

  std::string conninfo_;
  std::string schema_;
  std::vector<std::unique_ptr<BlockQueue>> queues_;
  std::vector<std::thread> workers_;
  std::vector<CopyResult> results_;
  std::mutex error_mutex_;
  std::string first_error_;
  std::string first_sqlstate_;
  TableOutputs outputs_;
  bool finished_ = false;
};

}  // namespace ge
