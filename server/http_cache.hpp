#pragma once
// Conditional requests (RFC 9110 §13): every data answer carries an ETag and Cache-Control:
// no-cache, so a browser keeps it and asks again with If-None-Match; a match gets 304 and no body.
//
// The ETag is a hash of the answer's bytes. Answers are computed from the live generation only
// (evload swaps a whole generation in at once, sql/g10_tables.sql), so an answer, and with it its
// ETag, changes only when a new generation goes live — and a generation that changes nothing a
// given answer shows keeps that answer's ETag. Hashing what was actually sent cannot tag an old
// generation's answer with a new generation's tag, whatever the timing of a swap; the price is
// that a 304 still runs the query (it saves the transfer, not the database work).
#include <string>
#include <string_view>

#include "server/reply.hpp"

namespace ge::server {

// W/"<16 hex digits>": FNV-1a 64 of the body. Weak, because the gzip and identity encodings of one
// answer share it (RFC 9110 §8.8.1).
std::string body_etag(std::string_view body);

// The routes whose 200 answers are data (statistics and the latest load): /v1/… and the original
// task's /query… endpoints. Probes and metrics are never stored.
bool is_data_route(std::string_view route_label);

// If-None-Match against an entity tag, with the weak comparison §13.1.2 requires: "*", or any
// member of the comma list equal to etag once W/ prefixes are set aside.
bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

// A 200 data answer gets its ETag and Cache-Control: no-cache; any answer that has an ETag (data
// or a static asset) becomes a 304 without a body when if_none_match matches it.
void apply_conditional(Reply& reply, std::string_view route_label, std::string_view if_none_match);

}  // namespace ge::server
