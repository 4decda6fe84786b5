#pragma once
// COPY … FROM STDIN in large buffers (one PQputCopyData per buffer, not per row).
#include <string>
#include <string_view>

#include "common/db/connection.hpp"

namespace ge::db {

class CopyStream {
 public:
  static constexpr std::size_t kDefaultBufferBytes = 1u << 20;
  // Starts `copy_sql` (a COPY … FROM STDIN statement) on conn.
  CopyStream(Connection& conn, const std::string& copy_sql, std::size_t buffer_bytes = kDefaultBufferBytes);
  CopyStream(const CopyStream&) = delete;
  CopyStream& operator=(const CopyStream&) = delete;
  ~CopyStream();  // aborts the COPY when finish() was not called

  // Appends raw COPY text (whole rows); flushes when the buffer is full.
  void write(std::string_view rows);
  // Hands over a full buffer of rows as it is.
  void write_block(std::string_view block);
  // Ends the COPY and returns the number of rows the server reports.
  long long finish();

 private:
  void flush();
  Connection& conn_;
  std::string buffer_;
  std::size_t limit_;
  bool open_ = true;
};

}  // namespace ge::db
