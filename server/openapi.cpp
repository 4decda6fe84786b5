#include "server/openapi.hpp"

#include <boost/json/parse.hpp>

#include <string>

#include "common/json_text.hpp"
#include "common/version.hpp"

namespace ge::server {
namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "evserve: game events analytics",
    "version": "set from common/version.hpp",
    "description": "Read-only statistics over the events loaded by evload (docs/data-contract.md §4, §5, §6, §7). Every endpoint answers GET and HEAD; other methods get 405 with Allow. Unknown or repeated query parameters are 400. Before any route, a request whose line and headers pass the header limit gets 431 (error header_too_large), one with a body past the body limit 413 (body_too_large), and a malformed HTTP message 400 (bad_request); the connection is then closed."
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
          "200": {"$ref": "#/components/responses/UserStats"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
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
          "200": {"$ref": "#/components/responses/UserStats"},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/v1/game/stats": {
      "get": {
        "summary": "Game level stats (SPEC §5 and §7.1), for one day or all time, one country or all, or grouped by country",
        "operationId": "getGameStats",
        "parameters": [
          {"$ref": "#/components/parameters/Date"},
          {"$ref": "#/components/parameters/Country"},
          {"$ref": "#/components/parameters/GroupBy"},
          {"$ref": "#/components/parameters/Format"}
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
          {"$ref": "#/components/parameters/GroupBy"},
          {"$ref": "#/components/parameters/Format"}
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
        "summary": "The daily series (SPEC §7.2): every §5 and §7.1 figure for each day of a range (at most 366 days), days without data as zeros",
        "operationId": "getGameDaily",
        "parameters": [
          {"$ref": "#/components/parameters/From"},
          {"$ref": "#/components/parameters/To"},
          {"$ref": "#/components/parameters/Country"},
          {"$ref": "#/components/parameters/Format"}
        ],
        "responses": {
          "200": {"description": "One row per day, in order (format=csv: the same as CSV with a header row)", "headers": {"Content-Disposition": {"$ref": "#/components/headers/ContentDisposition"}}, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/DayGameStats"}}}, "text/csv": {"schema": {"type": "string"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/v1/game/retention": {
      "get": {
        "summary": "Retention by registration day (SPEC §7.3): for each day R of a range (at most 366 days), the users registered on R and how many logged in on R + 1, 3, 7, 14 and 30",
        "operationId": "getRetention",
        "parameters": [
          {"$ref": "#/components/parameters/From"},
          {"$ref": "#/components/parameters/To"},
          {"$ref": "#/components/parameters/Country"},
          {"$ref": "#/components/parameters/Format"}
        ],
        "responses": {
          "200": {"description": "One row per registration day, in order (format=csv: the same as CSV with a header row, null as an empty field)", "headers": {"Content-Disposition": {"$ref": "#/components/headers/ContentDisposition"}}, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/RetentionRow"}}}, "text/csv": {"schema": {"type": "string"}}}},
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
    },
    "/": {
      "get": {
        "summary": "The dashboard (HTML); its view (from, to, day, country, user, user_day) is in its own query string",
        "operationId": "dashboard",
        "responses": {
          "200": {"description": "The page, revalidated on every load (Cache-Control: no-cache, ETag)", "content": {"text/html": {"schema": {"type": "string"}}}}
        }
      }
    },
    "/assets/{name}": {
      "get": {
        "summary": "The dashboard's scripts and styles (Chart.js included) under content-hashed names",
        "operationId": "asset",
        "parameters": [{"name": "name", "in": "path", "required": true, "description": "A hashed file name the page links, e.g. app.3f2a9c01b2de.js", "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "The file; Cache-Control: public, max-age=31536000, immutable", "content": {"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}}},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/favicon.ico": {
      "get": {
        "summary": "No icon: 204, so that browsers asking for one on any page of this origin get no 404",
        "operationId": "favicon",
        "responses": {"204": {"description": "Empty; Cache-Control: public, max-age=86400"}}
      }
    }
  },
  "security": [{}, {"bearer": []}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "Only when evserve runs with --auth-token-file: one of the file's tokens"}
    },
    "parameters": {
      "UserIdPath": {"name": "user_id", "in": "path", "required": true, "description": "A UUID (8-4-4-4-12 hex digits, any letter case)", "schema": {"type": "string", "format": "uuid"}},
      "UserIdQuery": {"name": "user_id", "in": "query", "required": true, "description": "A UUID (8-4-4-4-12 hex digits, any letter case)", "schema": {"type": "string", "format": "uuid"}},
      "Date": {"name": "date", "in": "query", "required": false, "description": "A UTC day, YYYY-MM-DD; without it, all time", "schema": {"type": "string", "format": "date"}},
      "Country": {"name": "country", "in": "query", "required": false, "description": "Registration country: two upper-case letters (ISO 3166-1 alpha-2). A code without users gives zeros", "schema": {"type": "string", "pattern": "^[A-Z]{2}$"}},
      "GroupBy": {"name": "group_by", "in": "query", "required": false, "description": "country: one row per country with users, sorted by code, zeros included (a JSON array). Not combinable with country", "schema": {"type": "string", "enum": ["country"]}},
      "From": {"name": "from", "in": "query", "required": true, "description": "First day, YYYY-MM-DD", "schema": {"type": "string", "format": "date"}},
      "To": {"name": "to", "in": "query", "required": true, "description": "Last day, YYYY-MM-DD, not before from; at most 366 days in all (else a 400 naming to)", "schema": {"type": "string", "format": "date"}},
      "Format": {"name": "format", "in": "query", "required": false, "description": "json (the default) or csv: RFC 4180 text/csv; charset=utf-8 with a header row (the JSON keys in order), null as an empty field, as a download (Content-Disposition: attachment with a file name)", "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}}
    },
    "headers": {
      "RetryAfter": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}},
      "ContentDisposition": {"description": "format=csv only: attachment; filename=\"<what>_<days>[_<country>].csv\"", "schema": {"type": "string"}}
    },
    "responses": {
      "UserStats": {"description": "The user's figures", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserStats"}}}},
      "GameStats": {
        "description": "The figures; an array of per-country rows with group_by=country (format=csv: the same as CSV with a header row)",
        "headers": {"Content-Disposition": {"$ref": "#/components/headers/ContentDisposition"}},
        "content": {"application/json": {"schema": {"oneOf": [
          {"$ref": "#/components/schemas/GameStats"},
          {"type": "array", "items": {"$ref": "#/components/schemas/CountryGameStats"}}
        ]}}, "text/csv": {"schema": {"type": "string"}}}
      },
      "BadRequest": {"description": "A malformed, unknown or repeated parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthorized": {"description": "Started with --auth-token-file: a guarded route (the user-level ones, or with --auth-scope all every route but /healthz and /readyz) without a valid bearer token", "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer realm=\"evserve\"[, error=\"invalid_token\"]"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "Unknown user (or route)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unavailable": {"description": "Database down, pool exhausted, or no data loaded yet (error no_data)", "headers": {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
          "error": {"type": "string", "enum": ["bad_request", "not_found", "unauthorized", "method_not_allowed", "uri_too_long", "header_too_large", "body_too_large", "no_data", "db_unavailable", "db_timeout", "pool_exhausted", "replica_lag", "internal_error"]},
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
        "required": ["daily_active_users", "logins", "revenue_usd", "paid_users", "avg_sessions_per_user", "avg_time_spent_seconds", "new_users", "payers", "arpdau_usd", "arppu_usd"],
        "properties": {
          "daily_active_users": {"type": "integer"},
          "logins": {"type": "integer"},
          "revenue_usd": {"type": "number"},
          "paid_users": {"type": "integer"},
          "avg_sessions_per_user": {"type": "number"},
          "avg_time_spent_seconds": {"type": "number"},
          "new_users": {"type": "integer", "description": "Users registered on the day (all time: all users)"},
          "payers": {"type": "integer", "description": "Distinct users with a transaction on the day (all time: with any)"},
          "arpdau_usd": {"type": "number", "description": "Exact revenue ÷ daily_active_users, 4 decimals half away from zero; 0 if none"},
          "arppu_usd": {"type": "number", "description": "Exact revenue ÷ payers, 4 decimals half away from zero; 0 if none"}
        }
      },
      "RetentionRow": {
        "type": "object",
        "required": ["date", "new_users", "retained_d1", "retention_d1", "retained_d3", "retention_d3", "retained_d7", "retention_d7", "retained_d14", "retention_d14", "retained_d30", "retention_d30"],
        "description": "retained_dK: cohort users with a login on day date + K, null when that day is after the last data day (or there is no data). retention_dK: retained_dK ÷ new_users, 4 decimals half away from zero, null when retained_dK is null or the cohort is empty",
        "properties": {
          "date": {"type": "string", "format": "date"},
          "new_users": {"type": "integer"},
          "retained_d1": {"type": "integer", "nullable": true},
          "retention_d1": {"type": "number", "nullable": true},
          "retained_d3": {"type": "integer", "nullable": true},
          "retention_d3": {"type": "number", "nullable": true},
          "retained_d7": {"type": "integer", "nullable": true},
          "retention_d7": {"type": "number", "nullable": true},
          "retained_d14": {"type": "integer", "nullable": true},
          "retention_d14": {"type": "number", "nullable": true},
          "retained_d30": {"type": "integer", "nullable": true},
          "retention_d30": {"type": "number", "nullable": true}
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
          "status": {"type": "string", "enum": ["running", "succeeded", "failed", "interrupted"]},
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
    p.document = boost::json::parse(kDocument);               // throws at first use if the literal is broken
    p.document.at("info").as_object()["version"] = kVersion;  // the build's, as --version says
    p.text = to_json_text(p.document);
    return p;
  }();
  return instance;
}

}  // namespace

std::string_view openapi_text() { return parsed().text; }
const boost::json::value& openapi_document() { return parsed().document; }

}  // namespace ge::server
