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
    case 0: append_amount(out, cents), out += '0'; return;             // 9.990
    case 1: append_int(out, cents), out += "e-2"; return;              // 999e-2
    case 2: append_amount(out, cents - 1), out += "9999999"; return;   // 9.989999999
    case 3: append_amount(out, cents), out += "e0"; return;            // 9.99e0
    default: append_amount(out, cents), out += "000000001"; return;    // 9.99000000001
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
  const std::uint64_t hash = mix64(e.id, static_cast<std::uint64_t>(e.ts));
  const bool escape = (e.flags & kFlagEscapeUnicode) != 0;
  const Field field = e.mut == Mut::wrong_type      ? kWrongTypeVariants[e.variant % kWrongTypeVariants.size()].field
                      : e.mut == Mut::invalid_value ? kInvalidValueVariants[e.variant % kInvalidValueVariants.size()].field
                      : e.mut == Mut::missing_field ? kMissingVariants[e.variant % kMissingVariants.size()]
                      : e.mut == Mut::unknown_type  ? Field::event_type
                                                    : Field::event_id;
  const auto malformed = static_cast<Malformed>(e.variant % static_cast<std::uint8_t>(Malformed::count));
  const bool is_malformed = e.mut == Mut::malformed;

  char uuid[kUuidTextLength];
  format_uuid(e.user, uuid);
  if ((e.flags & kFlagUpperUuid) != 0) {
    for (char& c : uuid) {
      if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  const std::string_view uuid_text(uuid, sizeof uuid);

  // event_data
  Object data(arena_);
  bool bad_byte_done = false;
  {
    std::string& v = data.begin("user_id");
    v += '"';
    v += uuid_text;
    v += '"';
    data.end();
  }
  if (e.type == EventType::registration) {
    {
      std::string& v = data.begin("country");
      v += '"';
      v += countries()[e.country % countries().size()].code;
      v += '"';
      data.end();
    }
    if (e.name_kind == NameKind::present || e.quirk == Quirk::long_name) {
      scratch_.clear();
      if (e.quirk == Quirk::long_name) {
        for (int k = 0; k < 500; ++k) scratch_ += "\xC3\x84";  // exactly 1,000 bytes: still valid
      } else {
        append_name(e, scratch_);
      }
      if (is_malformed && (malformed == Malformed::utf8_name || malformed == Malformed::surrogate_name)) {
        const std::size_t space = scratch_.find(' ');
        const std::size_t at = space == std::string::npos ? scratch_.size() : space;
        const std::string_view bad =
            malformed == Malformed::utf8_name ? std::string_view(kBadBytes[hash % kBadBytes.size()]) : "\\ud800";
        // Escape the parts around the defect separately so the defect itself stays as it is.
        std::string& v = data.begin("name");
        append_json_string(v, std::string_view(scratch_).substr(0, at), escape);
        v.pop_back();
        v += bad;
        std::string tail;
        append_json_string(tail, std::string_view(scratch_).substr(at), escape);
        v.append(tail, 1, std::string::npos);
        data.end();
        bad_byte_done = true;
      } else {
        append_json_string(data.begin("name"), scratch_, escape);
        data.end();
      }
    } else if (e.name_kind == NameKind::null) {
      data.add("name", "null");
    }
    {
      std::string& v = data.begin("device_os");
      v += '"';
      v += kDevices[e.device % kDevices.size()];
      v += '"';
      data.end();
    }
    const char* campaign = kCampaigns[e.campaign % kCampaigns.size()];
    if (campaign == nullptr) {
      data.add("marketing_campaign", "null");
    } else {
      append_json_string(data.begin("marketing_campaign"), campaign, false);
      data.end();
    }
  } else if (e.type == EventType::transaction) {
    {
      std::string& v = data.begin("transaction_currency");
      v += '"';
      v += kCurrencies[e.currency % kCurrencies.size()];
      v += '"';
      data.end();
    }
    std::string& v = data.begin("transaction_amount");
    const std::uint32_t cents = kAmountCents[e.amount % kAmountCents.size()];
    if (e.quirk == Quirk::amount_spelling) {
      append_amount_spelling(v, cents, e.quirk_variant);
    } else {
      append_amount(v, cents);
    }
    data.end();
  }
  if (is_malformed && !bad_byte_done &&
      (malformed == Malformed::utf8_user_id || malformed == Malformed::utf8_name ||
       malformed == Malformed::surrogate_name)) {
    scratch_.assign("\"");
    scratch_ += uuid_text.substr(0, 8);
    scratch_ += malformed == Malformed::surrogate_name ? std::string_view("\\ud800")
                                                       : std::string_view(kBadBytes[hash % kBadBytes.size()]);
    scratch_ += uuid_text.substr(8);
    scratch_ += '"';
    data.set("user_id", scratch_);
  }
  const bool compact = e.quirk == Quirk::compact;
  if (e.quirk == Quirk::extra_field && e.quirk_variant % 2 == 1) {
    data.add_member(kExtraFields[e.quirk_variant % kExtraFields.size()]);
  }
  if (e.quirk == Quirk::key_order && e.quirk_variant % kKeyOrders == 2) data.reverse();

  const auto apply_field_defect = [&](Object& object, const LineContext& ctx) {
    if (e.mut == Mut::missing_field) {
      object.remove(field_name(field));
    } else if (e.mut == Mut::wrong_type || e.mut == Mut::invalid_value) {
      const ValueVariant& variant = e.mut == Mut::wrong_type
                                        ? kWrongTypeVariants[e.variant % kWrongTypeVariants.size()]
                                        : kInvalidValueVariants[e.variant % kInvalidValueVariants.size()];
      scratch_.clear();
      expand(variant.json, ctx, scratch_);
      object.set(field_name(field), scratch_);
    }
  };
  const bool data_defect = field >= Field::user_id;
  if (data_defect) apply_field_defect(data, LineContext{e, uuid_text, {}});

  const std::size_t data_off = arena_.size();
  data.write(arena_, compact);
  const std::size_t data_len = arena_.size() - data_off;
  // Copied out: the arena may grow (and move) while the top-level object is built.
  data_json_.assign(arena_, data_off, data_len);
  const std::string_view data_json = data_json_;

  // The top-level object, in the 2023 file's key order.
  Object top(arena_);
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
  if (!data_defect) apply_field_defect(top, LineContext{e, uuid_text, data_json});
  if (e.quirk == Quirk::extra_field && e.quirk_variant % 2 == 0) {
    top.add_member(kExtraFields[e.quirk_variant % kExtraFields.size()]);
  }
  if (e.quirk == Quirk::key_order) {
    const auto order = e.quirk_variant % kKeyOrders;
    if (order == 0) top.move_to_front("event_data");
    if (order == 1) top.move_to_front("event_timestamp");
  }

  if (!is_malformed) {
    top.write(out, compact);
    out += eol;
    return;
  }
  scratch_.clear();
  top.write(scratch_, compact);
  switch (malformed) {
    case Malformed::truncated: {
      const std::size_t keep = 1 + hash % (scratch_.size() - 2);
      out.append(scratch_, 0, keep);
      break;
    }
    case Malformed::array: out += '[', out += scratch_, out += ']'; break;
    case Malformed::bare_string:
      out += '"';
      out += to_string(e.type);
      out += '"';
      break;
    case Malformed::bare_number: append_int(out, e.id); break;
    case Malformed::bare_null: out += "null"; break;
    case Malformed::python_repr:
      for (const char c : scratch_) out += c == '"' ? '\'' : c;
      break;
    case Malformed::trailing_comma:
      out.append(scratch_, 0, scratch_.size() - 1);
      out += ", }";
      break;
    case Malformed::two_objects: out += scratch_, out += scratch_; break;
    default: out += scratch_; break;  // the defect is inside a string value
  }
  out += eol;
}

}  // namespace ge::evgen
