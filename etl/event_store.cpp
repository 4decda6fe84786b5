#include "etl/event_store.hpp"

#include <unistd.h>

#include <stdexcept>

#include "common/huge_pages.hpp"

namespace ge {

bool RegistrationRecord::same_content(const RegistrationRecord& other, std::string_view names) const noexcept {
  return campaign == other.campaign && country[0] == other.country[0] && country[1] == other.country[1] &&
         device_os == other.device_os && has_name == other.has_name &&
         names.substr(name_offset, name_length) == names.substr(other.name_offset, other.name_length);
}

std::uint32_t EventStore::user_number(const Uuid& id) { return user_index_.number_of(id); }

std::uint32_t EventStore::campaign_number(std::string_view campaign) {
  auto [it, inserted] =
      campaign_index_.try_emplace(std::string(campaign), static_cast<std::uint32_t>(campaigns_.size() + 1));
  if (inserted) campaigns_.emplace_back(campaign);
  return it->second;
}

void EventStore::reserve_for_file(std::uint64_t file_bytes) {
  // No valid event line is shorter than about 100 bytes; 48 leaves a wide margin.
  constexpr std::uint64_t kMinEventLineBytes = 48;
  std::uint64_t wanted = file_bytes / kMinEventLineBytes + 1024;
  // Never ask for more address space than half the machine's memory: the kernel may refuse a
  // reservation far beyond it, and past that the vector grows as usual.
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0) {
    const std::uint64_t cap =
        static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) / 2 / sizeof(CompactEvent);
    if (wanted > cap) wanted = cap;
  }
  events_.reserve(wanted);
  // 2 MiB pages: a page fault per 64k events instead of per 128 as the array fills (the faults
  // were a tenth of evload's CPU at 1M events), and fewer TLB misses in the sorts.
  advise_huge_pages(events_.data(), events_.capacity() * sizeof(CompactEvent));
}

void EventStore::add(const ParsedEvent& event, std::uint64_t line) {
  CompactEvent compact{};
  compact.time_and_rank = (static_cast<std::uint64_t>(event.timestamp) << 2) | sort_rank(event.type);
  compact.event_id = event.event_id;
  compact.line = line;
  compact.user = user_number(event.user_id);
  if (event.type == EventType::registration) {
    const ParsedRegistration& parsed = event.registration;
    RegistrationRecord record;
    record.country[0] = parsed.country[0];
    record.country[1] = parsed.country[1];
    record.device_os = parsed.device_os;
    if (parsed.name) {
      record.has_name = true;
      record.name_offset = names_.size();
      record.name_length = static_cast<std::uint32_t>(parsed.name->size());
      names_.append(*parsed.name);
    }
    if (parsed.campaign) record.campaign = campaign_number(*parsed.campaign);
    compact.payload = static_cast<std::uint32_t>(registrations_.size());
    registrations_.push_back(record);
  } else if (event.type == EventType::transaction) {
    compact.payload = static_cast<std::uint32_t>(event.transaction.amount_code) |
                      (static_cast<std::uint32_t>(event.transaction.currency) << 8);
  }
  events_.push_back(compact);
}

void EventStore::reject(std::uint64_t line, Reason reason, Field field, std::optional<std::uint64_t> event_id) {
  rejects_.push_back(RejectRecord{line, event_id.value_or(0), event_id.has_value(), reason, field});
}

void EventStore::absorb(EventStore&& later, std::uint64_t line_offset) {
  const std::vector<Uuid>& later_ids = later.user_ids();
  std::vector<std::uint32_t> user_map(later_ids.size());
  for (std::size_t i = 0; i < later_ids.size(); ++i) user_map[i] = user_number(later_ids[i]);
  std::vector<std::uint32_t> campaign_map(later.campaigns_.size() + 1, 0);
  for (std::size_t i = 0; i < later.campaigns_.size(); ++i) campaign_map[i + 1] = campaign_number(later.campaigns_[i]);

  const std::uint64_t name_base = names_.size();
  names_.append(later.names_);
  const auto registration_base = static_cast<std::uint32_t>(registrations_.size());
  for (RegistrationRecord record : later.registrations_) {
    record.name_offset += name_base;
    record.campaign = campaign_map[record.campaign];
    registrations_.push_back(record);
  }
  events_.reserve(events_.size() + later.events_.size());
  for (CompactEvent event : later.events_) {
    event.line += line_offset;
    event.user = user_map[event.user];
    if (event.type() == EventType::registration) event.payload += registration_base;
    events_.push_back(event);
  }
  for (RejectRecord reject : later.rejects_) {
    reject.line += line_offset;
    rejects_.push_back(reject);
  }
  later = EventStore();
}

void EventStore::renumber_lines(const std::vector<std::uint64_t>& base, unsigned bits) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  for (CompactEvent& event : events_) event.line = base[event.line >> bits] + (event.line & mask);
  for (RejectRecord& reject : rejects_) reject.line = base[reject.line >> bits] + (reject.line & mask);
}

std::size_t EventStore::memory_bytes() const noexcept {
  return events_.capacity() * sizeof(CompactEvent) + registrations_.capacity() * sizeof(RegistrationRecord) +
         rejects_.capacity() * sizeof(RejectRecord) + user_index_.memory_bytes() + names_.capacity();
}

void EventStore::release_user_index() {
  user_index_.drop_lookup();
  const std::vector<std::uint32_t> new_number = user_index_.sort_ids();
  for (CompactEvent& event : events_) event.user = new_number[event.user];
}

}  // namespace ge
