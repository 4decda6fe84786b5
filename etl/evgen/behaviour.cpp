#include "etl/evgen/behaviour.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "etl/evgen/names.hpp"

namespace ge::evgen {
namespace {
// Shapes measured on the nordeus-like fixture (itself shaped like the 2023 file): sessions of
// median ~12 min with a long tail, ~1 % closed in the same second; breaks of median ~5 h.
constexpr double kSessionMedianSeconds = 700.0;
constexpr double kSessionSigma = 1.4;
constexpr std::int64_t kSessionMaxSeconds = 2 * 86400;
constexpr double kZeroLengthSession = 0.01;
constexpr double kShortSession = 0.02;  // 1..5 s
constexpr double kBreakMedianSeconds = 19000.0;
constexpr double kBreakSigma = 1.0;
constexpr double kUserActivitySigma = 0.5;  // per-user spread of break length
constexpr double kChurnPerSession = 0.22;
constexpr double kCrashOnLastSession = 0.04;  // the last session is never closed
// ~1 transaction per 35 sessions, by a few paying users.
constexpr double kPayer = 0.07;
constexpr double kFirstPurchase = 0.30;
constexpr double kAnotherPurchase = 0.25;
constexpr std::array<std::uint32_t, kAmountCents.size()> kAmountWeights{50, 19, 16, 11, 4};
constexpr std::array<std::uint32_t, kCurrencies.size()> kCurrencyWeights{28, 72};

std::int64_t session_length(Rng& rng) {
  const double roll = rng.uniform();
  if (roll < kZeroLengthSession) return 0;
  if (roll < kZeroLengthSession + kShortSession) return rng.between(1, 5);
  const double seconds = rng.lognormal(kSessionMedianSeconds, kSessionSigma);
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(seconds), 1, kSessionMaxSeconds);
}

}  // namespace

Event make_transaction(Rng& rng, const Uuid& user, std::int64_t ts) {
  Event tx;
  tx.type = EventType::transaction;
  tx.user = user;
  tx.ts = ts;
  tx.amount = static_cast<std::uint8_t>(rng.pick(kAmountWeights));
  tx.currency = static_cast<std::uint8_t>(rng.pick(kCurrencyWeights));
  return tx;
}

void simulate_user(const Population& population, std::uint64_t user, Rng& rng, UserEvents& out) {
  out.clear();
  const Uuid id = population.user_id(user);
  const std::int64_t end = population.period().end;

  Event registration;
  registration.type = EventType::registration;
  registration.user = id;
  registration.ts = population.registration_time(user);
  draw_profile(rng, registration);
  out.events.push_back(registration);

  const double break_median = kBreakMedianSeconds * std::exp(kUserActivitySigma * rng.normal());
  const bool payer = rng.chance(kPayer);
  std::int64_t login = registration.ts;
  for (;;) {
    const std::int64_t length = session_length(rng);
    const bool last = rng.chance(kChurnPerSession);
    const bool open = login + length >= end || (last && rng.chance(kCrashOnLastSession));
    const std::int64_t last_second = open ? end - 1 : login + length;

    if (payer && rng.chance(kFirstPurchase)) {
      const std::size_t first = out.events.size();
      do {
        out.events.push_back(make_transaction(rng, id, rng.between(login, last_second)));
      } while (rng.chance(kAnotherPurchase));
      // Insertion sort: few elements, and stable, so the order is the same on every library.
      for (std::size_t i = first + 1; i < out.events.size(); ++i) {
        for (std::size_t j = i; j > first && out.events[j - 1].ts > out.events[j].ts; --j)
          std::swap(out.events[j - 1], out.events[j]);
      }
    }

    const Session session{login, open ? -1 : login + length, end};
    if (!open) {
      Event logout;
      logout.type = EventType::logout;
      logout.user = id;
      logout.ts = session.logout;
      out.events.push_back(logout);
    }
    out.sessions.push_back(session);
    if (open || last) break;

    const auto pause = std::max<std::int64_t>(1, static_cast<std::int64_t>(rng.lognormal(break_median, kBreakSigma)));
    const std::int64_t next = session.logout + pause;
    if (next >= end) break;
    out.sessions.back().next_login = next;

    Event relogin;
    relogin.type = EventType::login;
    relogin.user = id;
    relogin.ts = next;
    out.events.push_back(relogin);
    login = next;
  }
  out.original_count = out.events.size();
}

}  // namespace ge::evgen
