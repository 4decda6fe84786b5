// server_e2e_check: sends every query of a fixture's queries.jsonl and analytics.jsonl to a
// running evserve and compares the answers with `expect` (fixtures/README.md: counts exact,
// revenue and averages within ±0.005, the 4-decimal SPEC §7 ratios within ±0.00005, nulls exact,
// a missing group_by row equal to an all-zero one, daily and retention rows in order, unknown
// users 404 {"error":"not_found"}, bad requests 400 naming the parameter). Game and user queries
// are asked on the /v1 endpoint and on the compatibility endpoint; every game, daily and
// retention query with an answer is also asked with format=csv, and the CSV (header row, empty
// field = null) must hold the same figures. --protocol also checks the HTTP layer: keep-alive,
// pipelining, HEAD, 405, 404, 400s, 414/431, a malformed request.
//
//   server_e2e_check --host 127.0.0.1 --port 8086 --queries fixtures/tiny/queries.jsonl
//                    [--queries fixtures/tiny/analytics.jsonl] [--protocol]
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

struct Answer {
  unsigned status = 0;
  std::string body;
  http::fields headers;
};

class Client {
 public:
  Client(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}

  Answer request(http::verb method, const std::string& target) {
    for (int attempt = 0;; ++attempt) {
      try {
        connect();
        http::request<http::empty_body> req{method, target, 11};
        req.set(http::field::host, host_);
        req.keep_alive(true);
        http::write(*stream_, req);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        parser.skip(method == http::verb::head);
        http::read(*stream_, buffer_, parser);
        auto res = parser.release();
        Answer answer{res.result_int(), res.body(), {}};
        for (const auto& field : res) answer.headers.set(field.name_string(), field.value());
        if (!res.keep_alive()) stream_.reset();
        return answer;
      } catch (const std::exception&) {
        stream_.reset();  // the server closed an idle keep-alive connection: reconnect once
        if (attempt > 0) throw;
      }
    }
  }

  // A raw exchange on a fresh connection: writes `bytes`, reads until the server closes or
  // `responses` responses have arrived.
  std::vector<Answer> raw(const std::string& bytes, std::size_t responses) {
    beast::tcp_stream stream(ioc_);
    stream.connect(tcp::resolver(ioc_).resolve(host_, port_));
    stream.expires_after(std::chrono::seconds(10));
    net::write(stream, net::buffer(bytes));
    std::vector<Answer> out;
    beast::flat_buffer buffer;
    while (out.size() < responses) {
      http::response<http::string_body> res;
      beast::error_code ec;
      http::read(stream, buffer, res, ec);
      if (ec) break;
      Answer answer{res.result_int(), res.body(), {}};
      for (const auto& field : res) answer.headers.set(field.name_string(), field.value());
      out.push_back(std::move(answer));
    }
    return out;
  }

 private:
  void connect() {
    if (stream_) return;
    stream_.emplace(ioc_);
    stream_->connect(tcp::resolver(ioc_).resolve(host_, port_));
  }

  std::string host_;
  std::string port_;
  net::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// Half a unit of the last printed decimal (plus rounding noise); 0: compared exactly.
double tolerance(std::string_view key) {
  if (key == "revenue_usd" || key.starts_with("avg_")) return 0.005 + 1e-9;
  if (key == "arpdau_usd" || key == "arppu_usd" || key.starts_with("retention_d")) return 0.00005 + 1e-12;
  return 0;
}

double as_number(const json::value& v) { return v.is_double() ? v.get_double() : v.to_number<double>(); }

// Compares expected fields; actual may have more. Returns a description of the first mismatch.
std::optional<std::string> compare_object(const json::object& expect, const json::value& actual_value) {
  if (!actual_value.is_object()) return "not an object: " + json::serialize(actual_value);
  const auto& actual = actual_value.get_object();
  for (const auto& [key, want] : expect) {
    const auto* got = actual.if_contains(key);
    if (!got) return "missing field " + std::string(key);
    bool same = false;
    if (want.is_number() && got->is_number()) {
      if (const double margin = tolerance(key); margin > 0) {
        same = std::fabs(as_number(want) - as_number(*got)) <= margin;
      } else {
        same = want.is_int64() && got->is_int64() && want.get_int64() == got->get_int64();
      }
    } else {
      same = want == *got;
    }
    if (!same) return std::string(key) + ": expected " + json::serialize(want) + ", got " + json::serialize(*got);
  }
  return std::nullopt;
}

bool all_zero(const json::object& row) {
  for (const auto& [key, value] : row) {
    if (key == "country" || key == "date") continue;
    if (value.is_number() && as_number(value) != 0.0) return false;
  }
  return true;
}

std::optional<std::string> compare_grouped(const json::array& expect, const json::value& actual_value) {
  if (!actual_value.is_array()) return "not an array: " + json::serialize(actual_value);
  const auto& actual = actual_value.get_array();
  std::string previous;
  for (const auto& row : actual) {
    const auto& country = row.at("country").as_string();
    if (!previous.empty() && std::string(country) <= previous)
      return "rows not sorted by country at " + std::string(country);
    previous = country;
  }
  const auto find = [](const json::array& rows, const json::string& country) -> const json::object* {
    for (const auto& row : rows) {
      if (row.at("country") == country) return &row.get_object();
    }
    return nullptr;
  };
  for (const auto& want : expect) {
    const auto& country = want.at("country").as_string();
    const auto* got = find(actual, country);
    if (!got) {
      if (all_zero(want.get_object())) continue;
      return "missing row " + std::string(country);
    }
    if (auto diff = compare_object(want.get_object(), *got)) return std::string(country) + ": " + *diff;
  }
  for (const auto& row : actual) {
    if (!find(expect, row.at("country").as_string()) && !all_zero(row.get_object())) {
      return "unexpected non-zero row " + json::serialize(row);
    }
  }
  return std::nullopt;
}

// Daily series and retention: exactly the expected rows, in order.
std::optional<std::string> compare_series(const json::array& expect, const json::value& actual_value) {
  if (!actual_value.is_array()) return "not an array: " + json::serialize(actual_value);
  const auto& actual = actual_value.get_array();
  if (actual.size() != expect.size()) {
    return "expected " + std::to_string(expect.size()) + " rows, got " + std::to_string(actual.size());
  }
  for (std::size_t i = 0; i < expect.size(); ++i) {
    if (auto diff = compare_object(expect[i].as_object(), actual[i])) return "row " + std::to_string(i) + ": " + *diff;
  }
  return std::nullopt;
}

// RFC 4180 records (CRLF or LF ends, quoted fields with doubled quotes). nullopt: malformed.
std::optional<std::vector<std::vector<std::string>>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"')
        field += c;
      else if (i + 1 < text.size() && text[i + 1] == '"')
        field += text[++i];
      else
        quoted = false;
    } else if (c == '"') {
      if (!field.empty() || was_quoted) return std::nullopt;
      quoted = was_quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) return std::nullopt;
      if (c == '\r') ++i;
      record.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      records.push_back(std::move(record));
      record.clear();
    } else {
      if (was_quoted) return std::nullopt;
      field += c;
    }
  }
  if (quoted || !field.empty() || !record.empty()) return std::nullopt;  // the last record ends with a line end
  return records;
}

// A CSV field as the JSON value it stands for: empty → null, an integer, a number, else a string.
json::value csv_value(const std::string& field) {
  if (field.empty()) return nullptr;
  std::size_t used = 0;
  try {
    if (field.find_first_not_of("0123456789-") == std::string::npos) {
      const long long integer = std::stoll(field, &used);
      if (used == field.size()) return integer;
    }
    const double number = std::stod(field, &used);
    if (used == field.size() && field.find_first_not_of("0123456789.-") == std::string::npos) return number;
  } catch (const std::exception&) {}
  return json::string(field);
}

// A CSV answer as the JSON it must equal: an array of objects keyed by the header (one object
// when `single`). A description of the problem when it is not well-formed.
std::variant<json::value, std::string> csv_as_json(const std::string& body, bool single) {
  const auto records = parse_csv(body);
  if (!records || records->empty()) return "not RFC 4180 CSV with a header: " + body.substr(0, 200);
  const auto& header = records->front();
  json::array rows;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& record = (*records)[r];
    if (record.size() != header.size())
      return "record " + std::to_string(r) + " has " + std::to_string(record.size()) + " fields";
    json::object row;
    for (std::size_t f = 0; f < header.size(); ++f) row[header[f]] = csv_value(record[f]);
    rows.push_back(std::move(row));
  }
  if (!single) return json::value(std::move(rows));
  if (rows.size() != 1) return "expected one record, got " + std::to_string(rows.size());
  return std::move(rows.front());
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += out.empty() ? '?' : '&';
    out += key;  // fixture values are UUIDs, dates, codes: nothing to escape
    out += '=';
    out += value;
  }
  return out;
}

// The targets one query is asked at.
std::vector<std::string> targets_for(const json::object& query) {
  const auto& params = query.at("params").as_object();
  const auto param = [&](const char* name) -> std::optional<std::string> {
    if (const auto* v = params.if_contains(name)) return std::string(v->as_string());
    return std::nullopt;
  };
  std::vector<std::pair<std::string, std::string>> rest;
  for (const auto& [key, value] : params) {
    if (key != "user_id") rest.emplace_back(std::string(key), std::string(value.as_string()));
  }
  const auto& kind = query.at("kind");
  if (kind == "user") {
    const std::string id = *param("user_id");
    auto all = rest;
    all.insert(all.begin(), {"user_id", id});
    return {"/v1/users/" + id + "/stats" + query_string(rest), "/queryUserData" + query_string(all)};
  }
  if (kind == "daily") return {"/v1/game/daily" + query_string(rest)};
  if (kind == "retention") return {"/v1/game/retention" + query_string(rest)};
  return {"/v1/game/stats" + query_string(rest), "/queryGameData" + query_string(rest)};
}

bool is_error(const json::value& expect) { return expect.is_object() && expect.as_object().contains("error"); }

// The answer's figures against `expect`; `body` is the answer as JSON.
std::optional<std::string> compare(const json::object& query, const json::value& body) {
  const auto& expect = query.at("expect");
  if (!expect.is_array()) return compare_object(expect.as_object(), body);
  if (query.at("kind") == "game") return compare_grouped(expect.as_array(), body);
  return compare_series(expect.as_array(), body);
}

std::optional<std::string> check(const json::object& query, const Answer& answer) {
  const auto& expect = query.at("expect");
  json::value body;
  try {
    body = json::parse(answer.body);
  } catch (const std::exception& e) {
    return "status " + std::to_string(answer.status) + ", body is not JSON: " + answer.body.substr(0, 200);
  }
  if (is_error(expect)) {
    const unsigned status = expect.at("error") == "not_found" ? 404 : 400;
    if (answer.status != status) {
      return "expected " + std::to_string(status) + ", got " + std::to_string(answer.status) + " " + answer.body;
    }
    return compare_object(expect.as_object(), body);
  }
  if (answer.status != 200) return "expected 200, got " + std::to_string(answer.status) + " " + answer.body;
  return compare(query, body);
}

// The format=csv form of a game, daily or retention query that has an answer; nullopt otherwise.
std::optional<std::string> csv_target_for(const json::object& query) {
  if (query.at("kind") == "user" || is_error(query.at("expect"))) return std::nullopt;
  const std::string target = targets_for(query).front();
  return target + (target.find('?') == std::string::npos ? "?" : "&") + "format=csv";
}

std::optional<std::string> check_csv(const json::object& query, const Answer& answer) {
  if (answer.status != 200) return "expected 200, got " + std::to_string(answer.status) + " " + answer.body;
  if (answer.headers[http::field::content_type] != "text/csv; charset=utf-8") {
    return "Content-Type " + std::string(answer.headers[http::field::content_type]);
  }
  const std::string disposition(answer.headers["Content-Disposition"]);
  if (!disposition.starts_with("attachment; filename=\"") || !disposition.ends_with(".csv\"")) {
    return "Content-Disposition " + disposition;
  }
  auto converted = csv_as_json(answer.body, !query.at("expect").is_array());
  if (auto* problem = std::get_if<std::string>(&converted)) return *problem;
  return compare(query, std::get<json::value>(converted));
}

int failures = 0;
void expect_true(bool ok, const std::string& what) {
  if (ok) return;
  ++failures;
  std::cerr << "FAIL protocol: " << what << '\n';
}

std::string json_field(const Answer& a, const char* name) {
  try {
    const auto v = json::parse(a.body);
    if (const auto* f = v.as_object().if_contains(name))
      return f->is_string() ? std::string(f->as_string()) : json::serialize(*f);
  } catch (const std::exception&) {}
  return {};
}

void protocol_checks(Client& client) {
  auto a = client.request(http::verb::get, "/healthz");
  expect_true(a.status == 200 && json_field(a, "status") == "ok", "/healthz 200");
  a = client.request(http::verb::get, "/readyz");
  expect_true(a.status == 200, "/readyz 200 after a load: " + a.body);

  const auto get = client.request(http::verb::get, "/v1/game/stats");
  const auto head = client.request(http::verb::head, "/v1/game/stats");
  expect_true(head.status == 200 && head.body.empty(), "HEAD 200 without body");
  expect_true(head.headers[http::field::content_length] == std::to_string(get.body.size()),
              "HEAD Content-Length equals the GET body's");

  a = client.request(http::verb::post, "/v1/game/stats");
  expect_true(a.status == 405 && a.headers[http::field::allow] == "GET, HEAD, OPTIONS", "POST → 405 with Allow");
  a = client.request(http::verb::get, "/v1/nothing");
  expect_true(a.status == 404 && json_field(a, "error") == "not_found", "unknown route → 404");
  a = client.request(http::verb::get, "/v1/users/d82c07cd-629f-4c20-ae3e-0a5d6baa9455/stats");
  expect_true(a.status == 404 && json_field(a, "error") == "not_found", "unknown user → 404");

  const std::pair<const char*, const char*> bad[] = {
      {"/v1/game/stats?date=2010-02-30", "date"},
      {"/v1/game/stats?country=de", "country"},
      {"/v1/game/stats?nope=1", "nope"},
      {"/v1/game/stats?date=2010-05-08&date=2010-05-08", "date"},
      {"/v1/users/xyz/stats", "user_id"},
      {"/queryUserData?user_id=a1a1a1a1-683b-11ee-aca7-8699b86be78", "user_id"},
      {"/queryGameData?date=%ZZ", "date"},
      {"/v1/game/daily?from=2010-01-01&to=2011-06-01", "to"},
  };
  for (const auto& [target, parameter] : bad) {
    a = client.request(http::verb::get, target);
    expect_true(
        a.status == 400 && json_field(a, "error") == "bad_request" && json_field(a, "parameter") == parameter,
        std::string(target) + " → 400 naming " + parameter + ", got " + std::to_string(a.status) + " " + a.body);
  }
  a = client.request(http::verb::get, "/v1/game/stats?date=" + std::string(5000, '1'));
  expect_true(a.status == 414, "5000-byte target → 414, got " + std::to_string(a.status));
  a = client.request(http::verb::get, "/v1/game/daily?from=2010-05-01&to=2010-05-31");
  expect_true(a.status == 200 && json::parse(a.body).as_array().size() == 31, "daily range → 31 rows");

  // Pipelining: three requests in one write, three answers in order.
  const auto answers = client.raw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /v1/game/stats?country=XX HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      3);
  expect_true(answers.size() == 3 && answers[0].status == 200 && answers[1].status == 200 &&
                  json_field(answers[1], "logins") == "0" && answers[2].status == 404,
              "three pipelined requests answered in order");
  // Garbage and oversized headers: an answer, then the connection closes.
  auto garbage = client.raw("THIS IS NOT HTTP\r\n\r\n", 1);
  expect_true(garbage.size() == 1 && garbage[0].status == 400, "malformed request → 400");
  auto big = client.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 1);
  expect_true(big.size() == 1 && big[0].status == 431, "20 KB header → 431");
  a = client.request(http::verb::get, "/metrics");
  expect_true(a.status == 200 && a.body.find("evserve_http_requests_total{route=\"/v1/game/stats\",status=\"200\"}") !=
                                     std::string::npos,
              "/metrics counts requests per route and status");
  a = client.request(http::verb::get, "/openapi.json");
  expect_true(a.status == 200 && a.body.find("\"/v1/game/stats\"") != std::string::npos, "/openapi.json");
  a = client.request(http::verb::get, "/v1/loads/latest");
  expect_true(a.status == 200 || a.status == 404, "/v1/loads/latest answers");
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  std::string port = "8086";
  std::vector<std::string> queries_paths;
  bool protocol = false;
  int max_reported = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << arg << '\n';
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--host")
      host = next();
    else if (arg == "--port")
      port = next();
    else if (arg == "--queries")
      queries_paths.push_back(next());
    else if (arg == "--protocol")
      protocol = true;
    else if (arg == "--max-reported")
      max_reported = std::stoi(next());
    else {
      std::cerr << "usage: server_e2e_check --host H --port P [--queries queries.jsonl] [--protocol]\n";
      return 2;
    }
  }
  try {
    Client client(host, port);
    if (protocol) protocol_checks(client);
    int queries = 0;
    int requests = 0;
    int csv_requests = 0;
    for (const auto& queries_path : queries_paths) {
      std::ifstream in(queries_path);
      if (!in) {
        std::cerr << "cannot read " << queries_path << '\n';
        return 2;
      }
      std::string line;
      int line_number = 0;
      while (std::getline(in, line)) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const auto query = json::parse(line).as_object();
        ++queries;
        for (const auto& target : targets_for(query)) {
          ++requests;
          const Answer answer = client.request(http::verb::get, target);
          if (const auto problem = check(query, answer)) {
            if (++failures <= max_reported) {
              std::cerr << "FAIL " << queries_path << ":" << line_number << " GET " << target << ": " << *problem
                        << '\n';
            }
          }
        }
        if (const auto target = csv_target_for(query)) {
          ++requests;
          ++csv_requests;
          const Answer answer = client.request(http::verb::get, *target);
          if (const auto problem = check_csv(query, answer)) {
            if (++failures <= max_reported) {
              std::cerr << "FAIL " << queries_path << ":" << line_number << " GET " << *target << ": " << *problem
                        << '\n';
            }
          }
        }
      }
    }
    std::cout << "server_e2e_check: " << queries << " queries, " << requests << " requests (" << csv_requests
              << " format=csv)" << (protocol ? ", protocol checks" : "") << ", " << failures << " failures\n";
  } catch (const std::exception& e) {
    std::cerr << "server_e2e_check: " << e.what() << '\n';
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
