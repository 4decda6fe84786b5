#pragma once
// One HTTP/1.1 connection, after Beast's advanced_server example, and only that: it reads
// requests, queues their answers, writes them and closes. Everything runs on the connection's
// strand; keep-alive; a read deadline per request (also the idle timeout); header and body
// limits; up to config.pipeline_limit requests read ahead and answered in order. What a request
// asks for is decided apart from it (request_routing.hpp), and how its reply is made, with or
// without the database, by the query dispatcher (query_dispatcher.hpp), which hands the reply
// back on the strand.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "server/browser_http.hpp"
#include "server/query_dispatcher.hpp"
#include "server/reply.hpp"
#include "server/server_state.hpp"
#include "server/statement.hpp"

namespace ge::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // pipeline: the I/O thread's query pipeline, or nullptr (then every query leases a connection).
  Session(boost::asio::ip::tcp::socket&& socket, ServerState& state, std::shared_ptr<QueryPipeline> pipeline);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // Server shutdown: stop reading, finish the responses in flight, then close. Thread-safe.
  void shutdown();
  // Too many connections: close this one if it is still idle (waiting for a request, no
  // response owed) once its strand runs. Thread-safe.
  void evict();
  // When this connection became idle (steady_clock ticks), 0 while a request is being answered
  // or once it was picked for eviction. Read by the registry's eviction scan from any thread.
  std::atomic<Clock::rep>& idle_since() noexcept { return idle_since_; }

 private:
  struct Slot {
    std::optional<std::string> response;  // the bytes on the wire (response_text.hpp)
    bool close = false;
  };
  struct RequestInfo {
    http::verb method;
    std::string method_text;
    std::string target;
    unsigned version;
    Clock::time_point start;
    BrowserHeaders browser;  // what the answer's ETag/304, gzip and CORS depend on
  };

  void do_read();
  // The header first (http_framing.hpp checks it, and answers Expect: 100-continue), then the rest.
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  void read_rest();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  // Queues the request's slot and has its reply made (route_request, then the dispatcher).
  void handle(http::request<http::string_body>&& request);
  // An unparseable request: answer it and close. `browser`: the request headers as far as known.
  void reject(http::status status, ErrorCode code, std::string_view message, BrowserHeaders browser);
  // For reject(): the parsed header's fields, and when Beast could not parse it, its Origin read
  // from the raw bytes, so that the error answer carries its CORS headers.
  BrowserHeaders rejected_request_headers() const;
  void complete(const std::shared_ptr<Slot>& slot, const RequestInfo& info, std::string_view route, Reply reply);
  void maybe_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void arm_read_timer();
  void disarm_read_timer();
  void finish_if_idle();
  void do_close();

  boost::beast::tcp_stream stream_;  // its own timer bounds writes only
  // The read deadline: runs while a read is pending and no response is owed (a request must
  // arrive whole within read_timeout, and an idle keep-alive connection closes after it).
  boost::asio::steady_timer read_timer_;
  std::uint64_t read_timer_generation_ = 0;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ServerState& state_;
  QueryDispatcher dispatcher_;
  std::string remote_;
  std::deque<std::shared_ptr<Slot>> queue_;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;  // read no more requests
  bool closed_ = false;
  bool skipped_empty_lines_ = false;  // for the request being read: retried once past them
  std::atomic<Clock::rep> idle_since_{0};
};

}  // namespace ge::server
