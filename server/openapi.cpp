#include "server/openapi.hpp"

#include <boost/json/parse.hpp>

#include <string>

#include "common/json_text.hpp"

namespace ge::server {
namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "evserve: game events analytics",
    "version": "1.0.0",
    "description": "Read-only statistics over the events loaded by evload (SPEC.md §4, §5, §6). Every endpoint answers GET and HEAD; other methods get 405 with Allow. Unknown or repeated query parameters are 400. Before any route, a request whose line and headers pass the header limit gets 431 (error header_too_large), one with a body past the body limit 413 (body_too_large), and a malformed HTTP message 400 (bad_request); the connection is then closed."
  },
  "paths": {
    "/v1/users/{user_id}/stats": {
      "get": {
        "summary": "User level stats (SPEC §4), for one day or all time",
        "operationId": "getUserStats",
        "parameters": [
          {"$ref": "#/components/parameters/UserIdPath"},
          {"$ref": "#/components/parameters/Date"}
        ],
        "responses": {
          "200": {"description": "The user's figures", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserStats"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/queryUserData": {
      "get": {
        "summary": "Compatibility form of /v1/users/{user_id}/stats",
        "operationId": "queryUserData",
        "parameters": [
          {"$ref": "#/components/parameters/UserIdQuery"},
          {"$ref": "#/components/parameters/Date"}
        ],
        "responses": {
          "200": {"description": "The user's figures", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserStats"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/v1/game/stats": {
      "get": {
        "summary": "Game level stats (SPEC §5), for one day or all time, one country or all, or grouped by country",
        "operationId": "getGameStats",
        "parameters": [
          {"$ref": "#/components/parameters/Date"},
          {"$ref": "#/components/parameters/Country"},
          {"$ref": "#/components/parameters/GroupBy"}
        ],
        "responses": {
          "200": {"$ref": "#/components/responses/GameStats"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/queryGameData": {
      "get": {
        "summary": "Compatibility form of /v1/game/stats",
        "operationId": "queryGameData",
        "parameters": [
          {"$ref": "#/components/parameters/Date"},
          {"$ref": "#/components/parameters/Country"},
          {"$ref": "#/components/parameters/GroupBy"}
        ],
        "responses": {
          "200": {"$ref": "#/components/responses/GameStats"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/v1/game/daily": {
      "get": {
        "summary": "Game level stats for every day of a range (at most 366 days), zeros included",
        "operationId": "getGameDaily",
        "parameters": [
          {"name": "from", "in": "query", "required": true, "description": "First day, YYYY-MM-DD", "schema": {"type": "string", "format": "date"}},
          {"name": "to", "in": "query", "required": true, "description": "Last day, YYYY-MM-DD, not before from; at most 366 days in all", "schema": {"type": "string", "format": "date"}},
          {"$ref": "#/components/parameters/Country"}
        ],
        "responses": {
          "200": {"description": "One row per day, in order", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/DayGameStats"}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/v1/loads/latest": {
      "get": {
        "summary": "The latest evload run (evmeta.load_runs), with its report",
        "operationId": "getLatestLoad",
        "responses": {
          "200": {"description": "The latest run", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LoadRun"}}}},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/healthz": {
      "get": {
        "summary": "Liveness: the process answers",
        "operationId": "healthz",
        "responses": {
          "200": {"description": "Alive", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}}
        }
      }
    },
    "/readyz": {
      "get": {
        "summary": "Readiness: the database is reachable and ev_live.dataset exists",
        "operationId": "readyz",
        "responses": {
          "200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ready"}}}},
          "503": {"description": "Not ready (database down, no load done yet, or a standby's replay lag above --max-replica-lag-ms); Retry-After is set", "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotReady"}}}}
        }
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics: requests and latency per route and status, database pool, database errors",
        "operationId": "metrics",
        "responses": {
          "200": {"description": "Prometheus text exposition format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}
        }
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document",
        "operationId": "openapi",
        "responses": {
          "200": {"description": "OpenAPI 3 description", "content": {"application/json": {"schema": {"type": "object"}}}}
        }
      }
    }
  },
  "components": {
    "parameters": {
      "UserIdPath": {"name": "user_id", "in": "path", "required": true, "description": "A UUID (8-4-4-4-12 hex digits, any letter case)", "schema": {"type": "string", "format": "uuid"}},
      "UserIdQuery": {"name": "user_id", "in": "query", "required": true, "description": "A UUID (8-4-4-4-12 hex digits, any letter case)", "schema": {"type": "string", "format": "uuid"}},
      "Date": {"name": "date", "in": "query", "required": false, "description": "A UTC day, YYYY-MM-DD; without it, all time", "schema": {"type": "string", "format": "date"}},
      "Country": {"name": "country", "in": "query", "required": false, "description": "Registration country: two upper-case letters (ISO 3166-1 alpha-2). A code without users gives zeros", "schema": {"type": "string", "pattern": "^[A-Z]{2}$"}},
      "GroupBy": {"name": "group_by", "in": "query", "required": false, "description": "country: one row per country with users, sorted by code, zeros included (a JSON array). Not combinable with country", "schema": {"type": "string", "enum": ["country"]}}
    },
    "headers": {
      "RetryAfter": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
    },
    "responses": {
      "GameStats": {
        "description": "The figures; an array of per-country rows with group_by=country",
        "content": {"application/json": {"schema": {"oneOf": [
          {"$ref": "#/components/schemas/GameStats"},
          {"type": "array", "items": {"$ref": "#/components/schemas/CountryGameStats"}}
        ]}}}
      },
      "BadRequest": {"description": "A malformed, unknown or repeated parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "Unknown user (or route)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unavailable": {"description": "Database down, pool exhausted, or no data loaded yet (error no_data)", "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
          "error": {"type": "string", "enum": ["bad_request", "not_found", "method_not_allowed", "uri_too_long", "header_too_large", "body_too_large", "no_data", "db_unavailable", "db_timeout", "pool_exhausted", "replica_lag", "internal_error"]},
          "parameter": {"type": "string", "description": "The parameter at fault (400 only)"},
          "message": {"type": "string"}
        }
      },
      "UserStats": {
        "type": "object",
        "required": ["user_id", "name", "country", "logins", "days_since_last_login", "sessions", "time_spent_seconds"],
        "properties": {
          "user_id": {"type": "string", "format": "uuid"},
          "name": {"type": "string", "nullable": true},
          "country": {"type": "string"},
          "logins": {"type": "integer"},
          "days_since_last_login": {"type": "integer", "nullable": true},
          "sessions": {"type": "integer"},
          "time_spent_seconds": {"type": "integer"},
          "device_os": {"type": "string", "enum": ["iOS", "Android", "Web"]},
          "marketing_campaign": {"type": "string", "nullable": true},
          "registered_at": {"type": "string", "format": "date-time"},
          "transactions": {"type": "integer"},
          "revenue_usd": {"type": "number"}
        }
      },
      "GameStats": {
        "type": "object",
        "required": ["daily_active_users", "logins", "revenue_usd", "paid_users", "avg_sessions_per_user", "avg_time_spent_seconds"],
        "properties": {
          "daily_active_users": {"type": "integer"},
          "logins": {"type": "integer"},
          "revenue_usd": {"type": "number"},
          "paid_users": {"type": "integer"},
          "avg_sessions_per_user": {"type": "number"},
          "avg_time_spent_seconds": {"type": "number"}
        }
      },
      "CountryGameStats": {
        "allOf": [
          {"type": "object", "required": ["country"], "properties": {"country": {"type": "string"}}},
          {"$ref": "#/components/schemas/GameStats"}
        ]
      },
      "DayGameStats": {
        "allOf": [
          {"type": "object", "required": ["date"], "properties": {"date": {"type": "string", "format": "date"}}},
          {"$ref": "#/components/schemas/GameStats"}
        ]
      },
      "Dataset": {
        "type": "object",
        "properties": {
          "run_id": {"type": "integer"},
          "loaded_at": {"type": "string", "format": "date-time"},
          "first_event_day": {"type": "string", "format": "date", "nullable": true},
          "last_data_day": {"type": "string", "format": "date", "nullable": true}
        }
      },
      "Ready": {
        "type": "object",
        "properties": {"status": {"type": "string", "enum": ["ready"]}, "dataset": {"$ref": "#/components/schemas/Dataset"}, "database": {"$ref": "#/components/schemas/DatabaseStatus"}}
      },
      "NotReady": {
        "type": "object",
        "properties": {
          "status": {"type": "string", "enum": ["not_ready"]},
          "reason": {"type": "string", "enum": ["no_data", "db_unavailable", "pool_exhausted", "replica_lag"]},
          "message": {"type": "string"},
          "database": {"$ref": "#/components/schemas/DatabaseStatus"}
        }
      },
      "DatabaseStatus": {
        "type": "object",
        "description": "Where evserve stands, from its status check of the database server (every --replica-check-ms)",
        "properties": {
          "role": {"type": "string", "enum": ["primary", "standby", "unknown"]},
          "server": {"type": "string", "description": "host:port the status check reached"},
          "replay_lag_ms": {"type": "integer", "description": "how long WAL the standby received has waited to be replayed; 0 on a primary"},
          "max_replica_lag_ms": {"type": "integer", "nullable": true, "description": "--max-replica-lag-ms; null: no limit"},
          "replay_paused": {"type": "boolean"},
          "last_replay_age_seconds": {"type": "number", "nullable": true, "description": "age of the last replayed commit (grows on an idle primary; not a lag)"},
          "live_run_id": {"type": "integer", "nullable": true, "description": "the load run live in ev_live on that server"},
          "checked_ms_ago": {"type": "integer", "nullable": true}
        }
      },
      "LoadRun": {
        "type": "object",
        "properties": {
          "run_id": {"type": "integer"},
          "status": {"type": "string", "enum": ["running", "succeeded", "failed"]},
          "started_at": {"type": "string", "format": "date-time"},
          "finished_at": {"type": "string", "format": "date-time", "nullable": true},
          "events_path": {"type": "string"},
          "events_bytes": {"type": "integer", "nullable": true},
          "rates_path": {"type": "string"},
          "generation_schema": {"type": "string"},
          "evload_version": {"type": "string"},
          "report": {"type": "object", "nullable": true},
          "error": {"type": "string", "nullable": true}
        }
      }
    }
  }
})json";

struct Parsed {
  boost::json::value document;
  std::string text;
};

const Parsed& parsed() {
  static const Parsed instance = [] {
    Parsed p;
    p.document = boost::json::parse(kDocument);  // throws at first use if the literal is broken
    p.text = to_json_text(p.document);
    return p;
  }();
  return instance;
}

}  // namespace

std::string_view openapi_text() { return parsed().text; }
const boost::json::value& openapi_document() { return parsed().document; }

}  // namespace ge::server
