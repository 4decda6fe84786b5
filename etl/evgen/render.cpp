#include "etl/evgen/render.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>

#include "etl/evgen/catalog.hpp"
#include "etl/evgen/names.hpp"
#include "etl/evgen/rng.hpp"

namespace ge::evgen {
namespace {

template <class Int>
void append_int(std::string& out, Int value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<std::size_t>(result.ptr - buf));
}

void append_hex4(std::string& out, std::uint32_t unit) {
  constexpr char kDigits[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(unit >> shift) & 0xF];
}

// A JSON string. ascii_only spells every non-ASCII character as \uXXXX, as Python's json.dumps
// does by default (the input is valid UTF-8 here).
void append_json_string(std::string& out, std::string_view text, bool ascii_only) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      append_hex4(out, c);
    } else if (c < 0x80 || !ascii_only) {
      out += static_cast<char>(c);
    } else {
      const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
      std::uint32_t cp = c & (0x3Fu >> extra);
      for (int k = 0; k < extra && i + 1 < text.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
      }
      if (cp >= 0x10000) {
        cp -= 0x10000;
        append_hex4(out, 0xD800 + (cp >> 10));
        append_hex4(out, 0xDC00 + (cp & 0x3FF));
      } else {
        append_hex4(out, cp);
      }
    }
  }
  out += '"';
}

void append_amount(std::string& out, std::uint32_t cents) {
  append_int(out, cents / 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10 % 10);
  out += static_cast<char>('0' + cents % 10);
}

// SPEC §1.1 accepts any spelling within 1e-6 cents of an allowed amount.
void append_amount_spelling(std::string& out, std::uint32_t cents, std::uint8_t variant) {
  switch (variant % kAmountSpellings) {
    case 0: append_amount(out, cents), out += '0'; return;            // 9.990
    case 1: append_int(out, cents), out += "e-2"; return;             // 999e-2
    case 2: append_amount(out, cents - 1), out += "9999999"; return;  // 9.989999999
    case 3: append_amount(out, cents), out += "e0"; return;           // 9.99e0
    default: append_amount(out, cents), out += "000000001"; return;   // 9.99000000001
  }
}

// One JSON object under construction: keys with raw value text kept in an arena by offset, so
// that a defect can drop, replace, add or move a member before the object is written out.
class Object {
 public:
  explicit Object(std::string& arena) : arena_(arena) {}

  std::string& begin(std::string_view key) {
    items_[n_] = Item{key, arena_.size(), 0};
    return arena_;
  }
  void end() {
    items_[n_].len = arena_.size() - items_[n_].off;
    ++n_;
  }
  void add(std::string_view key, std::string_view raw) {
    begin(key) += raw;
    end();
  }
  // A whole pre-spelled member ("key": value).
  void add_member(std::string_view member) { add({}, member); }

  bool remove(std::string_view key) {
    for (std::size_t i = 0; i < n_; ++i) {
      if (items_[i].key == key) {
        for (std::size_t k = i + 1; k < n_; ++k) items_[k - 1] = items_[k];
        --n_;
        return true;
      }
    }
    return false;
  }
  // Replaces the value (or adds the member at the end).
  void set(std::string_view key, std::string_view raw) {
    const std::size_t off = arena_.size();
    arena_ += raw;
    for (std::size_t i = 0; i < n_; ++i) {
      if (items_[i].key == key) {
        items_[i].off = off;
        items_[i].len = raw.size();
        return;
      }
    }
    items_[n_++] = Item{key, off, raw.size()};
  }
  std::string_view value(std::string_view key) const {
    for (std::size_t i = 0; i < n_; ++i) {
      if (items_[i].key == key) return std::string_view(arena_).substr(items_[i].off, items_[i].len);
    }
    return {};
  }
  void move_to_front(std::string_view key) {
    for (std::size_t i = 0; i < n_; ++i) {
      if (items_[i].key == key) {
        const Item item = items_[i];
        for (std::size_t k = i; k > 0; --k) items_[k] = items_[k - 1];
        items_[0] = item;
        return;
      }
    }
  }
  void reverse() noexcept {
    for (std::size_t i = 0; i < n_ / 2; ++i) std::swap(items_[i], items_[n_ - 1 - i]);
  }

  void write(std::string& out, bool compact) const {
    out += '{';
    for (std::size_t i = 0; i < n_; ++i) {
      if (i != 0) out += compact ? "," : ", ";
      if (!items_[i].key.empty()) {
        out += '"';
        out += items_[i].key;
        out += compact ? "\":" : "\": ";
      }
      out.append(arena_, items_[i].off, items_[i].len);
    }
    out += '}';
  }

 private:
  struct Item {
    std::string_view key;
    std::size_t off = 0;
    std::size_t len = 0;
  };
  std::string& arena_;
  std::array<Item, 12> items_{};
  std::size_t n_ = 0;
};

struct LineContext {
  const Event& e;
  std::string_view uuid;       // 36 characters, in the line's letter case
  std::string_view data_json;  // the event_data object as written
};

// Expands a catalog.hpp value template.
void expand(std::string_view tmpl, const LineContext& ctx, std::string& out) {
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '%' || i + 1 == tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    switch (tmpl[++i]) {
      case 'i': append_int(out, ctx.e.id); break;
      case 't': append_int(out, ctx.e.ts); break;
      case 'T': append_int(out, std::max<std::int64_t>(ctx.e.ts, 1)); break;
      case 'm': append_int(out, std::max<std::int64_t>(ctx.e.ts * 1000, 253402300800)); break;
      case 'a': append_amount(out, kAmountCents[ctx.e.amount % kAmountCents.size()]); break;
      case 'u': out += ctx.uuid; break;
      case 'U':
        for (const char c : ctx.uuid) {
          if (c != '-') out += c;
        }
        break;
      case 'S': out += ctx.uuid.substr(0, ctx.uuid.size() - 1); break;
      case 'G': out += ctx.uuid.substr(0, 9), out += 'g', out += ctx.uuid.substr(10); break;
      case 'h': out += ctx.uuid.substr(0, 8); break;
      case 'x': {
        std::uint32_t v = 0;
        std::from_chars(ctx.uuid.data(), ctx.uuid.data() + 8, v, 16);
        append_int(out, v);
        break;
      }
      case 'd': append_json_string(out, ctx.data_json, false); break;
      case 'n':
        for (int k = 0; k < 501; ++k) out += "\xC3\x84";
        break;
      case 'N':
        for (int k = 0; k < 501; ++k) out += "\\u00c4";
        break;
      case 'l': out.append(1001, 'a'); break;
      default: out += '%', out += tmpl[i]; break;
    }
  }
}

constexpr std::array<const char*, 4> kBadBytes{"\xE9", "\xFC", "\xFF", "\xC3("};

// What the event's defect and quirks decide about its line, worked out once.
struct LinePlan {
  const Event& e;
  std::string_view uuid;  // 36 characters, in the line's letter case
  std::uint64_t hash;     // picks among a defect's variants
  bool escape;            // non-ASCII spelled \uXXXX
  bool compact;           // no spaces after ':' and ','
  Field field;            // the field a field defect (missing, wrong type, invalid value) hits
  bool is_malformed;
  Malformed malformed;

  // The defect is an invalid byte or a lone surrogate inside a string value.
  bool bad_string() const {
    return is_malformed && (malformed == Malformed::utf8_user_id || malformed == Malformed::utf8_name ||
                            malformed == Malformed::surrogate_name);
  }
  bool bad_name() const {
    return is_malformed && (malformed == Malformed::utf8_name || malformed == Malformed::surrogate_name);
  }
  std::string_view bad_bytes() const {
    return malformed == Malformed::surrogate_name ? std::string_view("\\ud800")
                                                  : std::string_view(kBadBytes[hash % kBadBytes.size()]);
  }
  // A field defect inside event_data (else at the top level).
  bool data_defect() const { return field >= Field::user_id; }
};

Field defect_field(const Event& e) {
  return e.mut == Mut::wrong_type      ? kWrongTypeVariants[e.variant % kWrongTypeVariants.size()].field
         : e.mut == Mut::invalid_value ? kInvalidValueVariants[e.variant % kInvalidValueVariants.size()].field
         : e.mut == Mut::missing_field ? kMissingVariants[e.variant % kMissingVariants.size()]
         : e.mut == Mut::unknown_type  ? Field::event_type
                                       : Field::event_id;
}

void add_quoted(Object& object, std::string_view key, std::string_view text) {
  std::string& v = object.begin(key);
  v += '"';
  v += text;
  v += '"';
  object.end();
}

// The name member; with a name defect, the parts around the defect escaped separately so that
// the defect itself stays as it is. True when it placed the line's bad string.
bool add_name(const LinePlan& plan, Object& data, std::string& scratch) {
  const Event& e = plan.e;
  if (e.name_kind == NameKind::null && e.quirk != Quirk::long_name) {
    data.add("name", "null");
    return false;
  }
  if (e.name_kind != NameKind::present && e.quirk != Quirk::long_name) return false;
  scratch.clear();
  if (e.quirk == Quirk::long_name) {
    for (int k = 0; k < 500; ++k) scratch += "\xC3\x84";  // exactly 1,000 bytes: still valid
  } else {
    append_name(e, scratch);
  }
  if (!plan.bad_name()) {
    append_json_string(data.begin("name"), scratch, plan.escape);
    data.end();
    return false;
  }
  const std::size_t space = scratch.find(' ');
  const std::size_t at = space == std::string::npos ? scratch.size() : space;
  std::string& v = data.begin("name");
  append_json_string(v, std::string_view(scratch).substr(0, at), plan.escape);
  v.pop_back();
  v += plan.bad_bytes();
  std::string tail;
  append_json_string(tail, std::string_view(scratch).substr(at), plan.escape);
  v.append(tail, 1, std::string::npos);
  data.end();
  return true;
}

// True when it placed the line's bad string (in the name).
bool add_registration(const LinePlan& plan, Object& data, std::string& scratch) {
  const Event& e = plan.e;
  add_quoted(data, "country", countries()[e.country % countries().size()].code);
  const bool bad_string_done = add_name(plan, data, scratch);
  add_quoted(data, "device_os", kDevices[e.device % kDevices.size()]);
  const char* campaign = kCampaigns[e.campaign % kCampaigns.size()];
  if (campaign == nullptr) {
    data.add("marketing_campaign", "null");
  } else {
    append_json_string(data.begin("marketing_campaign"), campaign, false);
    data.end();
  }
  return bad_string_done;
}

void add_transaction(const Event& e, Object& data) {
  add_quoted(data, "transaction_currency", kCurrencies[e.currency % kCurrencies.size()]);
  std::string& v = data.begin("transaction_amount");
  const std::uint32_t cents = kAmountCents[e.amount % kAmountCents.size()];
  if (e.quirk == Quirk::amount_spelling) {
    append_amount_spelling(v, cents, e.quirk_variant);
  } else {
    append_amount(v, cents);
  }
  data.end();
}

// The event_data members, the bad string (when the name did not take it) in user_id, and the
// quirks that add or reorder members.
void fill_data(const LinePlan& plan, Object& data, std::string& scratch) {
  const Event& e = plan.e;
  add_quoted(data, "user_id", plan.uuid);
  bool bad_string_done = false;
  if (e.type == EventType::registration) {
    bad_string_done = add_registration(plan, data, scratch);
  } else if (e.type == EventType::transaction) {
    add_transaction(e, data);
  }
  if (plan.bad_string() && !bad_string_done) {
    scratch.assign("\"");
    scratch += plan.uuid.substr(0, 8);
    scratch += plan.bad_bytes();
    scratch += plan.uuid.substr(8);
    scratch += '"';
    data.set("user_id", scratch);
  }
  if (e.quirk == Quirk::extra_field && e.quirk_variant % 2 == 1) {
    data.add_member(kExtraFields[e.quirk_variant % kExtraFields.size()]);
  }
  if (e.quirk == Quirk::key_order && e.quirk_variant % kKeyOrders == 2) data.reverse();
}

// The top-level object, in the 2023 file's key order, then the quirks that add or reorder members.
void fill_top(const LinePlan& plan, Object& top, std::string_view data_json) {
  const Event& e = plan.e;
  append_int(top.begin("event_id"), e.id);
  top.end();
  {
    std::string& v = top.begin("event_type");
    if (e.mut == Mut::unknown_type) {
      append_json_string(v, kUnknownTypes[e.variant % kUnknownTypes.size()], false);
    } else {
      v += '"';
      v += to_string(e.type);
      v += '"';
    }
    top.end();
  }
  append_int(top.begin("event_timestamp"), e.ts);
  top.end();
  top.add("event_data", data_json);
}

void top_quirks(const Event& e, Object& top) {
  if (e.quirk == Quirk::extra_field && e.quirk_variant % 2 == 0) {
    top.add_member(kExtraFields[e.quirk_variant % kExtraFields.size()]);
  }
  if (e.quirk == Quirk::key_order) {
    const auto order = e.quirk_variant % kKeyOrders;
    if (order == 0) top.move_to_front("event_data");
    if (order == 1) top.move_to_front("event_timestamp");
  }
}

// A missing field removed, a wrong type or invalid value put in its place.
void apply_field_defect(const LinePlan& plan, Object& object, const LineContext& ctx, std::string& scratch) {
  const Event& e = plan.e;
  if (e.mut == Mut::missing_field) {
    object.remove(field_name(plan.field));
  } else if (e.mut == Mut::wrong_type || e.mut == Mut::invalid_value) {
    const ValueVariant& variant = e.mut == Mut::wrong_type
                                      ? kWrongTypeVariants[e.variant % kWrongTypeVariants.size()]
                                      : kInvalidValueVariants[e.variant % kInvalidValueVariants.size()];
    scratch.clear();
    expand(variant.json, ctx, scratch);
    object.set(field_name(plan.field), scratch);
  }
}

// The whole object (in `written`) spoiled as the malformed defect says.
void append_malformed(const LinePlan& plan, const std::string& written, std::string& out) {
  const Event& e = plan.e;
  switch (plan.malformed) {
    case Malformed::truncated: {
      const std::size_t keep = 1 + plan.hash % (written.size() - 2);
      out.append(written, 0, keep);
      break;
    }
    case Malformed::array: out += '[', out += written, out += ']'; break;
    case Malformed::bare_string:
      out += '"';
      out += to_string(e.type);
      out += '"';
      break;
    case Malformed::bare_number: append_int(out, e.id); break;
    case Malformed::bare_null: out += "null"; break;
    case Malformed::python_repr:
      for (const char c : written) out += c == '"' ? '\'' : c;
      break;
    case Malformed::trailing_comma:
      out.append(written, 0, written.size() - 1);
      out += ", }";
      break;
    case Malformed::two_objects: out += written, out += written; break;
    default: out += written; break;  // the defect is inside a string value
  }
}

}  // namespace

Renderer::Renderer() {
  arena_.reserve(1 << 14);
  scratch_.reserve(1 << 12);
}

void Renderer::render(const Event& e, std::string& out) {
  const char* eol = (e.flags & kFlagCrlf) != 0 ? "\r\n" : "\n";
  if (e.mut == Mut::blank) {
    out += kBlankVariants[e.variant % kBlankVariants.size()];
    out += eol;
    return;
  }
  arena_.clear();
  char uuid[kUuidTextLength];
  format_uuid(e.user, uuid);
  if ((e.flags & kFlagUpperUuid) != 0) {
    for (char& c : uuid) {
      if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  const LinePlan plan{e,
                      std::string_view(uuid, sizeof uuid),
                      mix64(e.id, static_cast<std::uint64_t>(e.ts)),
                      (e.flags & kFlagEscapeUnicode) != 0,
                      e.quirk == Quirk::compact,
                      defect_field(e),
                      e.mut == Mut::malformed,
                      static_cast<Malformed>(e.variant % static_cast<std::uint8_t>(Malformed::count))};

  Object data(arena_);
  fill_data(plan, data, scratch_);
  if (plan.data_defect()) apply_field_defect(plan, data, LineContext{e, plan.uuid, {}}, scratch_);
  const std::size_t data_off = arena_.size();
  data.write(arena_, plan.compact);
  // Copied out: the arena may grow (and move) while the top-level object is built.
  data_json_.assign(arena_, data_off, arena_.size() - data_off);

  Object top(arena_);
  fill_top(plan, top, data_json_);
  if (!plan.data_defect()) apply_field_defect(plan, top, LineContext{e, plan.uuid, data_json_}, scratch_);
  top_quirks(e, top);

  if (plan.is_malformed) {
    scratch_.clear();
    top.write(scratch_, plan.compact);
    append_malformed(plan, scratch_, out);
  } else {
    top.write(out, plan.compact);
  }
  out += eol;
}

}  // namespace ge::evgen
