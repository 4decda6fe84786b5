// Connection strings: malformed ones are told apart from good ones, and no password survives
// redaction, in any of the ways libpq accepts one.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "common/db/conninfo.hpp"

using ge::db::conninfo_syntax_error;
using ge::db::redact_conninfo;
using ge::db::redact_secrets;

TEST_CASE("conninfo: libpq's own parser tells malformed strings from good ones", "[conninfo]") {
  CHECK_FALSE(conninfo_syntax_error(""));
  CHECK_FALSE(conninfo_syntax_error("postgresql://ev_loader:S3cretPw@127.0.0.1:5432/gameevents"));
  CHECK_FALSE(conninfo_syntax_error("host=/run/postgresql dbname=events password='a b'"));
  const auto typo = conninfo_syntax_error("postgresq://ev_loader:S3cretPw@127.0.0.1/gameevents");
  REQUIRE(typo);
  CHECK(typo->find("S3cretPw") == std::string::npos);
  const auto bad_keyword = conninfo_syntax_error("host=x passwrd=S3cretPw");
  REQUIRE(bad_keyword);
  CHECK(bad_keyword->find("S3cretPw") == std::string::npos);
  const auto unterminated = conninfo_syntax_error("host=x password='S3cretPw");
  REQUIRE(unterminated);
  CHECK(unterminated->find("S3cretPw") == std::string::npos);
}

TEST_CASE("conninfo: redaction masks every password form and keeps the rest", "[conninfo]") {
  CHECK(redact_conninfo("postgresql://ev_loader:S3cretPw@127.0.0.1:5432/gameevents") ==
        "postgresql://ev_loader:***@127.0.0.1:5432/gameevents");
  CHECK(redact_conninfo("postgresq://ev_loader:S3cretPw@host/db") == "postgresq://ev_loader:***@host/db");
  CHECK(redact_conninfo("postgres://u:p%40ss@h1,h2/db?sslmode=require") == "postgres://u:***@h1,h2/db?sslmode=require");
  CHECK(redact_conninfo("postgresql://u@h/db?password=S3cret&sslmode=disable") ==
        "postgresql://u@h/db?password=***&sslmode=disable");
  CHECK(redact_conninfo("host=h dbname=d password=S3cret user=u") == "host=h dbname=d password=*** user=u");
  CHECK(redact_conninfo("host=h PASSWORD = 'S3 \\'cret' user=u") == "host=h PASSWORD = *** user=u");
  CHECK(redact_conninfo("postgresql://u@h/db") == "postgresql://u@h/db");
  CHECK(redact_conninfo("host=h user=u") == "host=h user=u");
}

TEST_CASE("conninfo: free text loses the passwords the connection string holds", "[conninfo]") {
  const std::string conninfo = "host=h user=u password=Hunter22";
  CHECK(redact_secrets("server said: Hunter22 is wrong; Hunter22 again", conninfo) ==
        "server said: *** is wrong; *** again");
  CHECK(redact_secrets("FATAL:  password authentication failed for user \"u\"", conninfo) ==
        "FATAL:  password authentication failed for user \"u\"");
  ::setenv("PGPASSWORD", "FromTheEnv9", 1);
  CHECK(redact_secrets("echo FromTheEnv9", "host=h") == "echo ***");
  ::unsetenv("PGPASSWORD");
}
