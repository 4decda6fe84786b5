#pragma once
// Registration demographics: countries (weighted like the 2023 file: DE/ES/IT/US plus a thin tail
// of other valid ISO codes), plausible per-country "First Last" names, titles.
#include <cstdint>
#include <span>
#include <string>

#include "etl/evgen/event.hpp"
#include "etl/evgen/rng.hpp"

namespace ge::evgen {

struct Country {
  const char* code;       // ISO 3166-1 alpha-2, upper case
  std::uint32_t weight;   // relative share of registrations
  std::uint8_t name_set;  // which names its players have
};

std::span<const Country> countries() noexcept;

// Fills the demographic fields of a registration (country, device, campaign, name).
void draw_profile(Rng& rng, Event& e);

// Appends the registration's name as UTF-8 (not JSON-escaped).
void append_name(const Event& e, std::string& out);

}  // namespace ge::evgen
