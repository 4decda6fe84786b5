#pragma once
// A fresh database of its own in the test cluster (the CTest fixture "postgres"; GE_TEST_PG_URL
// names its maintenance database), dropped afterwards.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "common/db/connection.hpp"

namespace ge::server::testing {

inline std::string admin_url() {
  const char* url = std::getenv("GE_TEST_PG_URL");
  if (!url || !*url) FAIL("GE_TEST_PG_URL is not set (run through CTest, which starts the test cluster)");
  return url;
}

class Database {
 public:
  explicit Database(const std::string& name) : admin_(admin_url()), name_(name) {
    ge::db::Connection admin(admin_);
    admin.exec("SET client_min_messages = warning");
    admin.exec("DROP DATABASE IF EXISTS " + ge::db::quote_identifier(name_) + " WITH (FORCE)");
    admin.exec("CREATE DATABASE " + ge::db::quote_identifier(name_));
    url_ = admin_.substr(0, admin_.rfind('/') + 1) + name_;
  }
  ~Database() {
    try {
      ge::db::Connection admin(admin_);
      admin.exec("DROP DATABASE IF EXISTS " + ge::db::quote_identifier(name_) + " WITH (FORCE)");
    } catch (...) {}
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::string admin_;
  std::string name_;
  std::string url_;
};

}  // namespace ge::server::testing
