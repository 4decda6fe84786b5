#include "private_cluster.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "support.hpp"

namespace ge::test {
namespace {
std::string env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value)
    throw std::runtime_error(std::string(name) + " is not set: run the integration tests through ctest");
  return value;
}
}  // namespace

PrivateCluster::PrivateCluster() : dir_(env("GE_FAULT_PG_DIR")), port_(env("GE_FAULT_PG_PORT")) {
  pgcluster("destroy '" + dir_ + "'");  // whatever an earlier, interrupted run left
  start();
  pgcluster("createdb '" + dir_ + "' gameevents");
  url_ = "postgresql://postgres@127.0.0.1:" + port_ + "/gameevents";
}

PrivateCluster::~PrivateCluster() {
  try {
    pgcluster("destroy '" + dir_ + "'");
  } catch (...) {
    // Nothing more to do in a destructor; the next run's constructor destroys it first.
  }
}

void PrivateCluster::start() { pgcluster("start '" + dir_ + "' " + port_ + " --throwaway"); }
void PrivateCluster::stop() { pgcluster("stop '" + dir_ + "'"); }

void PrivateCluster::pgcluster(const std::string& arguments) const {
  const std::string log = dir_ + ".log";
  const std::string command = std::string("'") + GE_PGCLUSTER_PATH + "' " + arguments + " >>'" + log + "' 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::string tail;
    try {
      tail = read_file(log);
      if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
    } catch (...) {}
    throw std::runtime_error("pgcluster " + arguments + " failed:\n" + tail);
  }
}

}  // namespace ge::test
