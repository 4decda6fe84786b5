// Operations endpoints: liveness, readiness, the latest load, metrics and the API description.
#include <boost/json/object.hpp>

#include <optional>

#include "common/db/connection.hpp"
#include "common/db/sqlstate.hpp"
#include "common/json_text.hpp"
#include "common/version.hpp"
#include "server/db_failure.hpp"
#include "server/error_code.hpp"
#include "server/handlers.hpp"
#include "server/json_views.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/openapi.hpp"
#include "server/pool.hpp"
#include "server/queries.hpp"
#include "server/replica_status.hpp"

namespace ge::server {
namespace {

// A 400 when the route, which takes none, was given parameters.
std::optional<Reply> bad_params(const RouteContext& ctx) {
  if (const auto bad = check_no_params(ctx.target.params)) return bad_request(bad->parameter, bad->message);
  return std::nullopt;
}

Reply not_ready(ErrorCode reason, std::string_view message, int retry_after, boost::json::value database = nullptr) {
  boost::json::object body;
  body["status"] = "not_ready";
  body["reason"] = error_code_name(reason);
  body["message"] = message;
  if (!database.is_null()) body["database"] = std::move(database);
  Reply reply = json_reply(to_json_text(body), http::status::service_unavailable);
  reply.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return reply;
}

}  // namespace

Reply handle_healthz(const RouteContext& ctx) {
  if (auto bad = bad_params(ctx)) return std::move(*bad);
  return json_reply(R"({"status":"ok","version":")" + std::string(kVersion) + R"("})");
}

Reply handle_readyz(const RouteContext& ctx) {
  if (auto bad = bad_params(ctx)) return std::move(*bad);
  std::optional<DatasetInfo> dataset;
  try {
    dataset = ctx.services.pool.run(ctx.deadline, [](PooledConnection& conn) { return query_dataset(conn); });
  } catch (const PoolTimeout&) {
    return not_ready(ErrorCode::pool_exhausted, "all database connections are busy", kRetryAfterPoolBusy);
  } catch (const db::Error& error) {
    if (db::sqlstate::is_missing_relation(error.sqlstate())) {
      return not_ready(ErrorCode::no_data, "no load has completed yet (ev_live.dataset is missing)", kRetryAfterNoData);
    }
    // The cause, named: an operator reading /readyz sees why (a refused login, a host down).
    const std::string cause = describe_db_failure(error.what());
    log_line("readiness: " + cause);
    return not_ready(ErrorCode::db_unavailable, "the database is not reachable: " + cause, kRetryAfterDbDown);
  }
  if (!dataset) return not_ready(ErrorCode::no_data, "ev_live.dataset is empty", kRetryAfterNoData);
  if (ctx.services.replica) {
    const ReplicaStatus status = ctx.services.replica->status();
    if (ctx.services.replica->lag_too_high(status)) {
      return not_ready(ErrorCode::replica_lag, replica_lag_message(status, ctx.services.replica->options()),
                       kRetryAfterDbDown, replica_json(status, ctx.services.replica->options()));
    }
  }
  boost::json::object body;
  body["status"] = "ready";
  body["dataset"] = to_json(*dataset);
  if (ctx.services.replica)
    body["database"] = replica_json(ctx.services.replica->status(), ctx.services.replica->options());
  return json_reply(to_json_text(body));
}

Reply handle_loads_latest(const RouteContext& ctx) {
  if (auto bad = bad_params(ctx)) return std::move(*bad);
  const auto run = ctx.services.pool.run(ctx.deadline, [](PooledConnection& conn) { return query_latest_load(conn); });
  if (!run) return not_found("no load has run yet");
  return json_reply(to_json_text(*run));
}

Reply handle_metrics(const RouteContext& ctx) {
  if (auto bad = bad_params(ctx)) return std::move(*bad);
  Reply reply;
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  reply.body = ctx.services.metrics.render(ctx.services.pool.stats());
  if (ctx.services.replica) reply.body += ctx.services.replica->render_metrics();
  return reply;
}

Reply handle_openapi(const RouteContext& ctx) {
  if (auto bad = bad_params(ctx)) return std::move(*bad);
  return json_reply(std::string(openapi_text()));
}

}  // namespace ge::server
