#pragma once
// The generator's in-memory event: everything needed to render one line of events.jsonl, kept
// small and trivially copyable because every pass re-simulates every user (see generator.hpp).
#include <array>
#include <cstdint>

#include "common/event_type.hpp"
#include "common/reason.hpp"
#include "common/uuid.hpp"

namespace ge::evgen {

// A defect's field is the loader's own ge::Field (common/reason.hpp): the generator plants a
// defect in the field whose name the loader's reject will carry.

// What happened to a line on purpose. Everything but `none` and `quirk` is rejected by SPEC §2
// step 1 or 2 (blank lines are skipped, not rejected).
enum class Mut : std::uint8_t {
  none,
  blank,          // variant: which whitespace
  malformed,      // variant: index into kMalformedVariants
  missing_field,  // variant: index into kMissingVariants
  wrong_type,     // variant: index into kWrongTypeVariants
  invalid_value,  // variant: index into kInvalidValueVariants
  unknown_type,   // variant: index into kUnknownTypes
};

// Valid oddities (accepted by a correct loader), independent of `Mut`.
enum class Quirk : std::uint8_t {
  none,
  amount_spelling,  // variant: 9.990, 99e-2, 0.989999999 ...
  extra_field,      // variant: which unknown field, top level or in event_data
  key_order,        // variant: which order
  compact,          // no spaces after ':' and ','
  long_name,        // a name of exactly 1,000 bytes
};

// Per-line rendering flags.
inline constexpr std::uint8_t kFlagCrlf = 1;           // line ends with "\r\n"
inline constexpr std::uint8_t kFlagUpperUuid = 2;      // user_id in upper case
inline constexpr std::uint8_t kFlagEscapeUnicode = 4;  // non-ASCII name characters as \uXXXX

enum class RefKind : std::uint8_t {
  none,
  exact_copy,  // render events[ref] byte for byte
  same_id,     // own content, but the event_id of events[ref]
};

// Name forms of a registration.
enum class NameKind : std::uint8_t { present, null, missing };

struct Event {
  std::int64_t ts = 0;
  std::uint64_t id = 0;  // assigned after the user's events are complete
  Uuid user;
  std::int32_t ref = -1;  // index into the same user's events, for RefKind
  EventType type = EventType::login;
  RefKind ref_kind = RefKind::none;
  Mut mut = Mut::none;
  std::uint8_t variant = 0;
  Quirk quirk = Quirk::none;
  std::uint8_t quirk_variant = 0;
  std::uint8_t flags = 0;
  // registration
  std::uint8_t country = 0;   // index into kCountries
  std::uint8_t device = 0;    // index into kDevices
  std::uint8_t campaign = 0;  // index into kCampaigns
  NameKind name_kind = NameKind::present;
  std::uint8_t title = 0;  // 0: none
  std::uint8_t first = 0;
  std::uint8_t last = 0;
  std::uint8_t last2 = 0;
  std::uint8_t name_style = 0;  // 0: "First Last", 1: "First Last Last2", 2: "First Last-Last2"
  // transaction
  std::uint8_t amount = 0;    // index into kAmountCents
  std::uint8_t currency = 0;  // index into kCurrencies

  bool consumes_id() const noexcept { return mut != Mut::blank && ref_kind == RefKind::none; }
};

inline constexpr std::array<std::uint32_t, 5> kAmountCents{99, 199, 299, 499, 999};
inline constexpr std::array<const char*, 2> kCurrencies{"USD", "EUR"};
inline constexpr std::array<const char*, 3> kDevices{"iOS", "Android", "Web"};
// nullptr is JSON null; "" is the other spelling of "organic".
inline constexpr std::array<const char*, 6> kCampaigns{
    "email_marketing", "social_media_advertising", "influencer_marketing", "search_ads", nullptr, ""};

// Id blocks in file order: registrations first, transactions last, like the real file.
inline constexpr std::array<EventType, 4> kIdBlockOrder{EventType::registration, EventType::login, EventType::logout,
                                                        EventType::transaction};

}  // namespace ge::evgen
