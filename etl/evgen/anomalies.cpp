#include "etl/evgen/anomalies.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "etl/evgen/catalog.hpp"
#include "etl/evgen/names.hpp"

namespace ge::evgen {
namespace {

enum class Kind : std::uint8_t {
  blank,
  crlf,
  upper_uuid,
  quirk,
  malformed,
  missing_field,
  wrong_type,
  invalid_value,
  unknown_type,
  duplicate_line,
  duplicate_id,
  unknown_user,
  before_registration,
  double_login,
  double_logout,
  purchase_logged_out,
  repeated_registration,
  count,
};

// Relative frequencies, roughly those of the nordeus-like fixture.
constexpr std::array<std::uint32_t, static_cast<std::size_t>(Kind::count)> kKindWeights{
    4,   // blank
    3,   // crlf
    3,   // upper_uuid
    7,   // quirk
    8,   // malformed
    4,   // missing_field
    6,   // wrong_type
    13,  // invalid_value
    4,   // unknown_type
    8,   // duplicate_line
    6,   // duplicate_id
    6,   // unknown_user
    4,   // before_registration
    6,   // double_login
    6,   // double_logout
    4,   // purchase_logged_out
    4,   // repeated_registration
};

enum class QuirkKind : std::uint8_t {
  amount,
  extra_field,
  key_order,
  compact,
  long_name,
  null_name,
  no_name,
  escaped,
  count
};
constexpr std::array<std::uint32_t, static_cast<std::size_t>(QuirkKind::count)> kQuirkWeights{5, 3, 2, 2, 1, 2, 2, 3};

constexpr double kReplaceShare = 0.5;  // schema defects that replace the clean line

class Injector {
 public:
  Injector(const Population& population, std::uint64_t user, Rng& rng, UserEvents& ue)
      : pop_(population), user_(user), rng_(rng), ue_(ue), ev_(ue.events) {}

  void apply(Kind kind, std::size_t j) {
    switch (kind) {
      case Kind::blank: {
        Event e;
        e.mut = Mut::blank;
        e.variant = static_cast<std::uint8_t>(rng_.index(kBlankVariants.size()));
        ev_.push_back(e);
        return;
      }
      case Kind::crlf: ev_[j].flags |= kFlagCrlf; return;
      case Kind::upper_uuid: ev_[j].flags |= kFlagUpperUuid; return;
      case Kind::quirk: return quirk(j);
      case Kind::malformed: {
        const auto v = rng_.index(static_cast<std::size_t>(Malformed::count));
        return schema(Mut::malformed, static_cast<std::uint8_t>(v), kMalformedField[v], j);
      }
      case Kind::missing_field: {
        const auto v = rng_.index(kMissingVariants.size());
        return schema(Mut::missing_field, static_cast<std::uint8_t>(v), kMissingVariants[v], j);
      }
      case Kind::wrong_type: {
        const auto v = rng_.index(kWrongTypeVariants.size());
        return schema(Mut::wrong_type, static_cast<std::uint8_t>(v), kWrongTypeVariants[v].field, j);
      }
      case Kind::invalid_value: {
        const auto v = rng_.index(kInvalidValueVariants.size());
        return schema(Mut::invalid_value, static_cast<std::uint8_t>(v), kInvalidValueVariants[v].field, j);
      }
      case Kind::unknown_type: {
        const auto v = rng_.index(kUnknownTypes.size());
        return schema(Mut::unknown_type, static_cast<std::uint8_t>(v), Field::event_type, j);
      }
      case Kind::duplicate_line: return duplicate_line(j);
      case Kind::duplicate_id: return duplicate_id(j);
      case Kind::unknown_user: return unknown_user(j);
      case Kind::before_registration: return before_registration(j);
      case Kind::double_login: return double_login(j);
      case Kind::double_logout: return logged_out_event(EventType::logout, j);
      case Kind::purchase_logged_out: return logged_out_event(EventType::transaction, j);
      case Kind::repeated_registration: return repeated_registration(j);
      case Kind::count: return;
    }
  }

 private:
  std::int64_t clamp_to_period(std::int64_t ts) const noexcept {
    return std::clamp(ts, pop_.period().start, pop_.period().end - 1);
  }

  // A user event of the given type with fresh content.
  Event fresh(EventType type, const Uuid& user, std::int64_t ts) {
    if (type == EventType::transaction) return make_transaction(rng_, user, ts);
    Event e;
    e.type = type;
    e.user = user;
    e.ts = ts;
    if (type == EventType::registration) draw_profile(rng_, e);
    return e;
  }

  EventType random_session_type() {
    static constexpr std::array<std::uint32_t, 3> kWeights{4, 4, 2};
    static constexpr std::array<EventType, 3> kTypes{EventType::login, EventType::logout, EventType::transaction};
    return kTypes[rng_.pick(kWeights)];
  }

  // Index of a random clean transaction of this user, if any.
  std::optional<std::size_t> random_transaction() {
    std::size_t count = 0;
    for (std::size_t k = 0; k < ue_.original_count; ++k) count += ev_[k].type == EventType::transaction;
    if (count == 0) return std::nullopt;
    std::size_t pick = rng_.index(count);
    for (std::size_t k = 0; k < ue_.original_count; ++k) {
      if (ev_[k].type == EventType::transaction && pick-- == 0) return k;
    }
    return std::nullopt;
  }

  // A defect of SPEC §2 steps 1-2 on field `field`: on the line itself, on the user's registration
  // (registration fields) or on one of the user's purchases (transaction fields; a new purchase
  // during the first session when there is none).
  void schema(Mut mut, std::uint8_t variant, Field field, std::size_t j) {
    std::size_t target = j;
    if (is_registration_field(field)) {  // country .. marketing_campaign, name included
      target = 0;
      if (ev_[0].name_kind != NameKind::present && field == Field::name && mut == Mut::malformed) {
        variant = static_cast<std::uint8_t>(Malformed::utf8_user_id);
      }
    } else if (is_transaction_field(field)) {
      if (const auto tx = random_transaction()) {
        target = *tx;
      } else {
        const Session& s = ue_.sessions.front();
        const std::int64_t hi = s.logout >= 0 ? s.logout : pop_.period().end - 1;
        Event e = fresh(EventType::transaction, ev_[0].user, rng_.between(s.login, hi));
        e.mut = mut;
        e.variant = variant;
        ev_.push_back(e);
        return;
      }
    }
    if (ev_[target].mut == Mut::none && rng_.chance(kReplaceShare)) {
      ev_[target].mut = mut;
      ev_[target].variant = variant;
      return;
    }
    Event copy = ev_[target];
    copy.ref_kind = RefKind::same_id;  // a corrupted retry of the same event
    copy.ref = static_cast<std::int32_t>(target);
    copy.mut = mut;
    copy.variant = variant;
    ev_.push_back(copy);
  }

  void quirk(std::size_t j) {
    switch (static_cast<QuirkKind>(rng_.pick(kQuirkWeights))) {
      case QuirkKind::amount:
        if (const auto tx = random_transaction()) {
          ev_[*tx].quirk = Quirk::amount_spelling;
          ev_[*tx].quirk_variant = static_cast<std::uint8_t>(rng_.index(kAmountSpellings));
          return;
        }
        [[fallthrough]];
      case QuirkKind::extra_field:
        ev_[j].quirk = Quirk::extra_field;
        ev_[j].quirk_variant = static_cast<std::uint8_t>(rng_.index(kExtraFields.size()));
        return;
      case QuirkKind::key_order:
        ev_[j].quirk = Quirk::key_order;
        ev_[j].quirk_variant = static_cast<std::uint8_t>(rng_.index(kKeyOrders));
        return;
      case QuirkKind::compact: ev_[j].quirk = Quirk::compact; return;
      case QuirkKind::long_name: ev_[0].quirk = Quirk::long_name; return;
      case QuirkKind::null_name: ev_[0].name_kind = NameKind::null; return;
      case QuirkKind::no_name: ev_[0].name_kind = NameKind::missing; return;
      case QuirkKind::escaped: ev_[0].flags ^= kFlagEscapeUnicode; return;  // the other spelling
      case QuirkKind::count: return;
    }
  }

  void duplicate_line(std::size_t j) {
    Event copy;
    copy.type = ev_[j].type;
    copy.ref_kind = RefKind::exact_copy;
    copy.ref = static_cast<std::int32_t>(j);
    ev_.push_back(copy);
  }

  // Same event_id, other timestamp: whichever is first in SPEC §2.3 order keeps the id.
  void duplicate_id(std::size_t j) {
    Event copy = ev_[j];
    copy.mut = Mut::none;
    copy.quirk = Quirk::none;
    copy.flags = 0;
    copy.ref_kind = RefKind::same_id;
    copy.ref = static_cast<std::int32_t>(j);
    std::int64_t shift = rng_.between(-3600, 3600);
    if (shift == 0) shift = 1;
    copy.ts = clamp_to_period(ev_[j].ts + shift);
    if (copy.ts == ev_[j].ts) copy.ts = ev_[j].ts + (shift > 0 ? -1 : 1);
    ev_.push_back(copy);
  }

  void unknown_user(std::size_t j) {
    const Uuid stranger = pop_.unknown_user_id(user_, rng_.next());
    ev_.push_back(fresh(random_session_type(), stranger, clamp_to_period(ev_[j].ts + rng_.between(-1800, 1800))));
  }

  void before_registration(std::size_t j) {
    const std::int64_t registered = ev_[0].ts;
    if (registered <= pop_.period().start) return unknown_user(j);
    const std::int64_t ts = std::max(pop_.period().start, registered - rng_.between(1, 6 * 3600));
    ev_.push_back(fresh(random_session_type(), ev_[0].user, ts));
  }

  // A random session satisfying `ok`, scanning from a random start.
  template <class Pred>
  const Session* find_session(Pred ok) {
    const std::size_t n = ue_.sessions.size();
    const std::size_t start = rng_.index(n);
    for (std::size_t k = 0; k < n; ++k) {
      const Session& s = ue_.sessions[(start + k) % n];
      if (ok(s)) return &s;
    }
    return nullptr;
  }

  // A login while a session is open (strictly after its login, at the latest at its logout).
  void double_login(std::size_t j) {
    const std::int64_t last = pop_.period().end - 1;
    const Session* s = find_session([&](const Session& x) { return (x.logout >= 0 ? x.logout : last) > x.login; });
    if (s == nullptr) return duplicate_line(j);
    const std::int64_t hi = s->logout >= 0 ? s->logout : last;
    ev_.push_back(fresh(EventType::login, ev_[0].user, rng_.between(s->login + 1, hi)));
  }

  // A logout or purchase strictly between a logout and the next login.
  void logged_out_event(EventType type, std::size_t j) {
    const Session* s = find_session([](const Session& x) { return x.logout >= 0 && x.next_login - x.logout >= 2; });
    if (s == nullptr) return duplicate_line(j);
    ev_.push_back(fresh(type, ev_[0].user, rng_.between(s->logout + 1, s->next_login - 1)));
  }

  void repeated_registration(std::size_t j) {
    const std::int64_t registered = ev_[0].ts;
    if (registered + 1 >= pop_.period().end) return duplicate_line(j);
    Event again = fresh(EventType::registration, ev_[0].user, rng_.between(registered + 1, pop_.period().end - 1));
    if (rng_.chance(0.5)) {  // the same profile sent again, or a new one
      again.country = ev_[0].country;
      again.device = ev_[0].device;
      again.campaign = ev_[0].campaign;
      again.name_kind = ev_[0].name_kind;
      again.title = ev_[0].title;
      again.first = ev_[0].first;
      again.last = ev_[0].last;
      again.last2 = ev_[0].last2;
      again.name_style = ev_[0].name_style;
    }
    ev_.push_back(again);
  }

  const Population& pop_;
  std::uint64_t user_;
  Rng& rng_;
  UserEvents& ue_;
  std::vector<Event>& ev_;
};

}  // namespace

void inject_anomalies(const Population& population, std::uint64_t user, double rate, Rng& rng, UserEvents& ue) {
  if (!(rate > 0.0)) return;
  Injector injector(population, user, rng, ue);
  for (std::size_t j = 0; j < ue.original_count; ++j) {
    if (rng.chance(rate)) injector.apply(static_cast<Kind>(rng.pick(kKindWeights)), j);
  }
}

}  // namespace ge::evgen
