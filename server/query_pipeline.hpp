#pragma once
// One pooled connection per I/O thread kept in libpq's pipeline mode, for the statistics
// statements. The queries that a thread's sessions ask for while it handles one round of reactor
// events go to PostgreSQL in one write, and the answers come back in order on the same socket.
// Under load a backend then answers many queries per wake-up instead of one: on a machine with
// few cores the wake-ups (two context switches and a cross-CPU interrupt per query, on each side)
// cost more than the queries (server/README.md, "Pipelining").
//
// Every query is followed by a Sync of its own, so it runs in an implicit transaction of its own,
// exactly as it would alone: an error fails that query only, and evload's lock protocol (a
// statement that reads several ev_live tables locks ev_live.dataset first) still holds. A
// statement not yet prepared on the connection is prepared in the same Sync segment, just before
// the query; a failed PREPARE (no ev_live before the first load) fails that query with its error.
//
// Everything runs on the I/O thread's io_context, which one thread runs: no locks. The connection
// comes from the pool (idle at once, or opened on a database worker); while there is none, or the
// pipeline is full, submit() declines and the query dispatcher takes the pool's ordinary path
// (query_dispatcher.hpp, async_query.hpp). A broken connection fails every query in it with
// SQLSTATE 08006 (the dispatcher hands those to Pool::run on the workers, which runs them again on
// a fresh connection) and the next submit() asks for another.
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "server/async_query.hpp"
#include "server/metrics.hpp"
#include "server/pool.hpp"

namespace ge::server {

class QueryPipeline : public std::enable_shared_from_this<QueryPipeline> {
 public:
  using Done = std::function<void(QueryOutcome&&)>;

  // depth: queries at most in the pipeline (sent and not yet answered, or waiting to be sent).
  QueryPipeline(boost::asio::io_context& ioc, Pool& pool, boost::asio::thread_pool& workers, Metrics& metrics,
                std::size_t depth);
  ~QueryPipeline();
  QueryPipeline(const QueryPipeline&) = delete;
  QueryPipeline& operator=(const QueryPipeline&) = delete;

  // On the io_context's thread only. Whether submit() takes a query of this statement now (with no
  // connection yet, it asks for one, and may get an idle one at once). Lets a caller build the
  // callback only for a query that will be taken.
  bool ready_for(const Call& call);

  // On the io_context's thread only. True: taken, and `done` runs later on that thread, once
  // (unless close() comes first). False: not taken (no connection yet, the pipeline is full, or
  // the statement is being prepared by an earlier query): use another path.
  bool submit(Call call, Done done);

  // Server shutdown begins (any thread): the watchdog timer is not armed again once the pipeline
  // is empty, so that it does not hold the io_context up.
  void quiesce();

  // After the io_context has stopped: hands the connection back to the pool (abandoned when
  // queries are still in it) and drops the callbacks without calling them.
  void close() noexcept;

  // A query in flight this long makes submit() decline (the others take the pool's way, with its
  // deadline) until it is answered; with no answer by statement_timeout + kUnansweredGrace the
  // connection is given up (fail_all), as on a silent database host.
  static constexpr auto kSlowQuery = std::chrono::milliseconds(100);
  static constexpr auto kUnansweredGrace = std::chrono::seconds(5);

 private:
  struct Entry {
    Call call;
    Done done;
    bool prepare = false;  // PREPARE goes first in its Sync segment
    QueryOutcome outcome;
    bool got_rows = false;
    Clock::time_point sent_at{};
    bool resend = false;  // its PREPARE met the statement already there: the query goes again
  };

  void connect();
  void install(std::optional<Pool::Lease> lease);
  void schedule_flush();
  void flush();
  void push_output();
  void arm_read();
  void arm_write();
  void on_readable(boost::system::error_code ec);
  // Reads every complete result in; false when the connection broke.
  bool take_results();
  void take(PGresult* result);
  void finish_front();
  void fail_all(const std::string& why);
  void release_connection(bool abandon) noexcept;
  void arm_watchdog();
  void on_watchdog();

  boost::asio::io_context& ioc_;
  Pool& pool_;
  boost::asio::thread_pool& workers_;
  Metrics& metrics_;
  std::size_t depth_;

  std::optional<Pool::Lease> lease_;
  boost::asio::steady_timer watchdog_;
  bool watching_ = false;
  bool quiescing_ = false;
  bool disabled_ = false;  // the connections use TLS: not pipelined (see install())
  std::optional<boost::asio::generic::stream_protocol::socket> socket_;  // libpq's descriptor, watched
  bool tcp_ = false;                                                     // TCP_CORK works on it: one segment per batch
  std::deque<Entry> pending_;                                            // not sent yet
  std::deque<Entry> sent_;                                               // sent, answers owed in this order
  std::vector<std::string_view> preparing_;                              // statements whose PREPARE is in sent_
  std::array<char, 1> peek_{};
  bool flush_posted_ = false;
  bool reading_ = false;
  bool writing_ = false;  // libpq holds output the socket did not take yet
  bool connecting_ = false;
  bool closed_ = false;
  std::uint64_t generation_ = 0;     // one more whenever a connection is installed or let go
  Clock::time_point retry_after_{};  // after a failed connect, the next try waits till then
};

}  // namespace ge::server
