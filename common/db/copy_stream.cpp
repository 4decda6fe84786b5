#include "common/db/copy_stream.hpp"

#include <cstdlib>

namespace ge::db {

CopyStream::CopyStream(Connection& conn, const std::string& copy_sql, std::size_t buffer_bytes)
    : conn_(conn), limit_(buffer_bytes) {
  Result started = conn_.exec(copy_sql);
  if (PQresultStatus(started.get()) != PGRES_COPY_IN) throw Error("not a COPY FROM STDIN statement: " + copy_sql);
  buffer_.reserve(limit_);
}

CopyStream::~CopyStream() {
  if (!open_) return;
  PQputCopyEnd(conn_.get(), "copy aborted by the client");
  // Drain the error result so the connection can be used (or closed) cleanly.
  while (PGresult* r = PQgetResult(conn_.get())) PQclear(r);
}

void CopyStream::write(std::string_view rows) {
  if (buffer_.size() + rows.size() > limit_ && !buffer_.empty()) flush();
  if (rows.size() >= limit_) {
    write_block(rows);
    return;
  }
  buffer_.append(rows);
}

void CopyStream::write_block(std::string_view block) {
  if (!buffer_.empty()) flush();
  if (PQputCopyData(conn_.get(), block.data(), static_cast<int>(block.size())) != 1) {
    throw Error("COPY failed: " + conn_.error_message());
  }
}

void CopyStream::flush() {
  if (buffer_.empty()) return;
  if (PQputCopyData(conn_.get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
    throw Error("COPY failed: " + conn_.error_message());
  }
  buffer_.clear();
}

long long CopyStream::finish() {
  flush();
  open_ = false;
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) throw Error("COPY failed: " + conn_.error_message());
  long long rows = 0;
  std::string failure;
  std::string sqlstate;
  while (PGresult* raw = PQgetResult(conn_.get())) {
    Result result(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && failure.empty()) {
      failure = PQresultErrorMessage(raw);
      if (const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE)) sqlstate = state;
    } else if (const char* tuples = PQcmdTuples(raw); tuples && *tuples) {
      rows = std::atoll(tuples);
    }
  }
  if (!failure.empty()) {
    while (!failure.empty() && failure.back() == '\n') failure.pop_back();
    throw Error("COPY failed: " + failure, sqlstate);
  }
  return rows;
}

}  // namespace ge::db
