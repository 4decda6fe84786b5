#pragma once
// The catalogue of deliberate defects and valid oddities, shared by anomalies.cpp (which picks
// them) and render.cpp (which spells them). Every entry of the rejecting tables is rejected by
// SPEC §2 steps 1-2 with the reason of its table and the detail of its field.
#include <array>
#include <cstdint>
#include <string_view>

#include "etl/evgen/event.hpp"

namespace ge::evgen {

// A replacement JSON value for one field. Placeholders (expanded by render.cpp):
//   %i event_id   %t event_timestamp   %T the same, at least 1   %m the timestamp in milliseconds
//   (at least 253402300800, so always out of range)   %a amount as normally spelled   %u user_id
//   %U user_id without hyphens   %S user_id minus its last digit   %G user_id with a 'g'
//   %h first 8 hex digits of the user_id   %x those 8 hex digits as a decimal number
//   %d the event_data object as a JSON string   %n "Ä" x 501 (1,002 bytes)
//   %N the same as \u00c4 escapes   %l "a" x 1,001
struct ValueVariant {
  Field field;
  const char* json;
};

inline constexpr std::array<ValueVariant, 25> kWrongTypeVariants{{
    {Field::event_id, "\"%i\""},
    {Field::event_id, "true"},
    {Field::event_id, "%i.0"},
    {Field::event_id, "null"},
    {Field::event_timestamp, "%t.0"},
    {Field::event_timestamp, "\"%t\""},
    {Field::event_timestamp, "%tE0"},
    {Field::event_timestamp, "null"},
    {Field::event_type, "null"},
    {Field::event_type, "1"},
    {Field::event_data, "%d"},
    {Field::event_data, "null"},
    {Field::event_data, "[]"},
    {Field::user_id, "%x"},
    {Field::user_id, "null"},
    {Field::country, "null"},
    {Field::country, "276"},
    {Field::name, "42"},
    {Field::name, "true"},
    {Field::device_os, "null"},
    {Field::marketing_campaign, "7"},
    {Field::transaction_amount, "\"%a\""},
    {Field::transaction_amount, "true"},
    {Field::transaction_currency, "null"},
    {Field::transaction_currency, "978"},
}};

inline constexpr std::array<ValueVariant, 34> kInvalidValueVariants{{
    {Field::event_id, "-%i"},
    {Field::event_id, "9223372036854775808"},
    {Field::event_id, "-1"},
    {Field::event_timestamp, "253402300800"},
    {Field::event_timestamp, "-%T"},
    {Field::event_timestamp, "%m"},
    {Field::user_id, "\"user-%h\""},
    {Field::user_id, "\"%U\""},
    {Field::user_id, "\"%S\""},
    {Field::user_id, "\"%G\""},
    {Field::user_id, "\"{%u}\""},
    {Field::user_id, "\"\""},
    {Field::country, "\"XX\""},
    {Field::country, "\"Germany\""},
    {Field::country, "\"de\""},
    {Field::country, "\"\""},
    {Field::country, "\"UK\""},
    {Field::country, "\"ESP\""},
    {Field::device_os, "\"ios\""},
    {Field::device_os, "\"android\""},
    {Field::device_os, "\"\""},
    {Field::device_os, "\"ENIAC\""},
    {Field::transaction_amount, "5.0"},
    {Field::transaction_amount, "0"},
    {Field::transaction_amount, "1.5"},
    {Field::transaction_amount, "-0.99"},
    {Field::transaction_amount, "99"},
    {Field::transaction_currency, "\"GBP\""},
    {Field::transaction_currency, "\"eur\""},
    {Field::transaction_currency, "\"\""},
    {Field::name, "\"%n\""},
    {Field::name, "\"%N\""},
    {Field::name, "\"%l\""},
    {Field::country, "\"XX\""},
}};

// SPEC §1.1's required fields (name is optional).
inline constexpr std::array<Field, 10> kMissingVariants{Field::event_id,
                                                        Field::event_timestamp,
                                                        Field::event_type,
                                                        Field::event_data,
                                                        Field::user_id,
                                                        Field::country,
                                                        Field::device_os,
                                                        Field::marketing_campaign,
                                                        Field::transaction_amount,
                                                        Field::transaction_currency};

inline constexpr std::array<const char*, 8> kUnknownTypes{"Login", "LOGOUT",        "purchase",     "level_up",
                                                          "",      "session_start", "Registration", "logout "};

enum class Malformed : std::uint8_t {
  truncated,       // the line cut short
  array,           // [ {...} ]: valid JSON, not an object
  bare_string,     // "login"
  bare_number,     // 42
  bare_null,       // null
  python_repr,     // {'event_id': 1, ...}
  trailing_comma,  // {..., }
  two_objects,     // {...}{...}
  utf8_user_id,    // a byte that is not UTF-8 inside the user_id
  utf8_name,       // a byte that is not UTF-8 inside the name (registrations)
  surrogate_name,  // a lone \ud800 escape in the name (registrations)
  count,
};
inline constexpr std::array<Field, static_cast<std::size_t>(Malformed::count)> kMalformedField{
    Field::event_id, Field::event_id, Field::event_id, Field::event_id, Field::event_id, Field::event_id,
    Field::event_id, Field::event_id, Field::user_id,  Field::name,     Field::name};

// Whitespace-only lines (SPEC §1.1: spaces, tabs and \r are blank).
inline constexpr std::array<const char*, 6> kBlankVariants{"", " ", "\t", "  \t ", "\r", " \r"};

// Valid amount spellings, by quirk_variant: "9.990", "999e-2", "9.989999999", "9.99e0", "9.9900001".
inline constexpr std::size_t kAmountSpellings = 5;
// Unknown fields (ignored by SPEC §1.1): top level for even variants, event_data for odd ones.
inline constexpr std::array<const char*, 6> kExtraFields{
    "\"client_version\": \"2.3.1\"", "\"session_id\": 184467",       "\"platform\": null",
    "\"ip\": \"10.0.3.17\"",         "\"tags\": [\"beta\", \"eu\"]", "\"meta\": {\"retry\": 1}"};
inline constexpr std::size_t kKeyOrders = 3;

// Field applicability.
constexpr bool is_registration_field(Field f) noexcept { return f >= Field::country && f <= Field::marketing_campaign; }
constexpr bool is_transaction_field(Field f) noexcept {
  return f == Field::transaction_amount || f == Field::transaction_currency;
}
// The JSON key of a field: the loader's own name for it (ge::to_string, common/reason.hpp).
inline std::string_view field_name(Field f) noexcept { return to_string(f); }

}  // namespace ge::evgen
