#pragma once
// A PostgreSQL cluster of one test's own (scripts/pgcluster), for faults that would break the
// tests sharing the CTest cluster, such as stopping the server mid-load. CTest gives its
// directory (in the build dir) and port (GE_TEST_PG_PORT + 10), so two checkouts or the plain
// and sanitizer builds never collide. The destructor destroys it, also when a REQUIRE fails.
#include <string>

namespace ge::test {

class PrivateCluster {
 public:
  // Starts a fresh throwaway cluster with a database `gameevents`.
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  void stop();   // pg_ctl stop -m fast: the server ends every session and shuts down
  void start();  // the same cluster again, same port
  const std::string& url() const noexcept { return url_; }

 private:
  void pgcluster(const std::string& arguments) const;
  std::string dir_;
  std::string port_;
  std::string url_;
};

}  // namespace ge::test
