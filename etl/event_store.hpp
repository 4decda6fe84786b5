#pragma once
// Every schema-valid event of a file in 32 bytes, plus the few registration fields, plus the
// record of every rejected line. This is what stays in memory between reading and loading.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/device_os.hpp"
#include "common/reason.hpp"
#include "common/uuid.hpp"
#include "common/uuid_index.hpp"
#include "etl/event_parser.hpp"

namespace ge {

struct CompactEvent {
  std::uint64_t time_and_rank;  // timestamp << 2 | type rank: sorts like SPEC §2.3
  std::uint64_t event_id;
  std::uint64_t line;
  std::uint32_t user;     // index into EventStore::user_ids()
  std::uint32_t payload;  // registration: index into registrations(); transaction: amount | currency << 8

  UnixSeconds timestamp() const noexcept { return static_cast<UnixSeconds>(time_and_rank >> 2); }
  EventType type() const noexcept { return static_cast<EventType>(time_and_rank & 3); }
  std::uint8_t amount_code() const noexcept { return static_cast<std::uint8_t>(payload & 0xFF); }
  std::uint8_t currency() const noexcept { return static_cast<std::uint8_t>(payload >> 8); }
};
static_assert(sizeof(CompactEvent) == 32);

struct RegistrationRecord {
  std::uint64_t name_offset = 0;  // into names()
  std::uint32_t name_length = 0;
  std::uint32_t campaign = 0;  // 0: organic; otherwise campaigns()[campaign - 1]
  char country[2] = {};
  DeviceOs device_os = DeviceOs::iOS;
  bool has_name = false;

  bool same_content(const RegistrationRecord& other, std::string_view names) const noexcept;
};

struct RejectRecord {
  std::uint64_t line = 0;
  std::uint64_t event_id = 0;
  bool has_event_id = false;
  Reason reason = Reason::malformed_json;
  Field field = Field::none;
};

class EventStore {
 public:
  // Reserves room for the events of a file of that size. The room is only address space until
  // used, and it spares the copies (and the 3× peak) of a vector that grows by doubling.
  void reserve_for_file(std::uint64_t file_bytes);
  void add(const ParsedEvent& event, std::uint64_t line);
  void reject(std::uint64_t line, Reason reason, Field field, std::optional<std::uint64_t> event_id);
  // Takes over everything `later` holds, its lines numbered after `line_offset` lines of this
  // store's part of the file (the second half of a file read by two threads).
  void absorb(EventStore&& later, std::uint64_t line_offset);
  // Rewrites every event's and reject's line as base[line >> bits] + (line's low `bits` bits):
  // from (stretch read, line in it) to (file, line in file) once every stretch's length is known.
  void renumber_lines(const std::vector<std::uint64_t>& base, unsigned bits);

  std::vector<CompactEvent>& events() noexcept { return events_; }
  const std::vector<RegistrationRecord>& registrations() const noexcept { return registrations_; }
  std::vector<RejectRecord>& rejects() noexcept { return rejects_; }
  const std::vector<Uuid>& user_ids() const noexcept { return user_index_.ids(); }
  std::string_view names() const noexcept { return names_; }
  std::string_view name_of(const RegistrationRecord& r) const noexcept {
    return std::string_view(names_).substr(r.name_offset, r.name_length);
  }
  std::string_view campaign_of(const RegistrationRecord& r) const noexcept {
    return r.campaign == 0 ? std::string_view{} : std::string_view(campaigns_[r.campaign - 1]);
  }
  // Bytes held, for the memory figure in the report.
  std::size_t memory_bytes() const noexcept;
  // Frees the user-id lookup once every event has its user number (the ids stay), and renumbers
  // the users in uuid order: the events then replay, and the users, user_daily and transactions
  // rows reach COPY, sorted by user_id, so PostgreSQL's index builds on them (all keyed by
  // user_id first) find their input already sorted (its quicksort checks for that first).
  void release_user_index();

 private:
  std::uint32_t user_number(const Uuid& id);
  std::uint32_t campaign_number(std::string_view campaign);

  std::vector<CompactEvent> events_;
  std::vector<RegistrationRecord> registrations_;
  std::vector<RejectRecord> rejects_;
  UuidIndex user_index_;
  std::string names_;
  std::vector<std::string> campaigns_;
  std::unordered_map<std::string, std::uint32_t> campaign_index_;
};

}  // namespace ge
