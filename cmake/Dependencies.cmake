# Every dependency is a Debian 12 package (scripts/packages.txt, installed by `make deps`).
find_package(PostgreSQL REQUIRED)          # libpq
find_package(simdjson REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)                # zlib1g-dev: evserve's gzip answers (and the tests' gzip files)
find_package(PkgConfig REQUIRED)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)  # evload: zstd input
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)  # libisal-dev: evload's gzip input (ISA-L's inflate)
if(GE_BUILD_TESTS)
  find_package(Catch2 REQUIRED)            # catch2 (2.13): the tests and their CTest discovery
endif()
