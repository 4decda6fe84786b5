// docs/data-contract.md is where a reader finds every rule the code implements: it must name every
// rejection reason and schema field the loader can report, and every error code evserve can send.
// The lists come from the code, so a reason or code added there without the page fails here.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/reason.hpp"
#include "server/error_code.hpp"  // header-only: the names, without linking the server

namespace {

const std::string& contract_page() {
  static const std::string text = [] {
    const std::string path = std::string(GE_SOURCE_DIR) + "/docs/data-contract.md";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  }();
  return text;
}

// Names appear as code spans on the page: `not_registered`, not just the words.
bool names(std::string_view name) { return contract_page().find("`" + std::string(name) + "`") != std::string::npos; }

}  // namespace

TEST_CASE("the data contract names every rejection reason", "[data_contract]") {
  for (std::size_t i = 0; i < ge::kReasonCount; ++i) {
    const auto name = ge::to_string(static_cast<ge::Reason>(i));
    INFO("reason " << name);
    CHECK(names(name));
  }
}

TEST_CASE("the data contract names every field the loader checks", "[data_contract]") {
  for (std::size_t i = 0; i < ge::kFieldCount; ++i) {
    const auto field = static_cast<ge::Field>(i);
    if (field == ge::Field::none) continue;
    INFO("field " << ge::to_string(field));
    CHECK(names(ge::to_string(field)));
  }
}

TEST_CASE("the data contract names every HTTP error code", "[data_contract]") {
  for (const auto code : ge::server::kAllErrorCodes) {
    INFO("error code " << ge::server::error_code_name(code));
    CHECK(names(ge::server::error_code_name(code)));
  }
}

TEST_CASE("the data contract has the sections that \"SPEC §n\" comments point to", "[data_contract]") {
  // The code cites §1.1, §1.2, §2.1–§2.5 and §3–§7 (and §7.1–§7.4 for the analytics).
  for (const char* heading : {"\n## 1. ", "\n### 1.1 ", "\n### 1.2 ", "\n## 2. ", "\n### 2.1 ", "\n### 2.2 ",
                              "\n### 2.3 ", "\n### 2.4 ", "\n### 2.5 ", "\n## 3. ", "\n## 4. ", "\n## 5. ", "\n## 6. ",
                              "\n## 7. ", "\n### 7.1 ", "\n### 7.2 ", "\n### 7.3 ", "\n### 7.4 "}) {
    INFO("heading" << heading);
    CHECK(contract_page().find(heading) != std::string::npos);
  }
}
