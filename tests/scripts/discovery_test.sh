#!/usr/bin/env bash
# Every Catch2 test case is a CTest test of its own, under its own name. catch_discover_tests
# (Catch2 2.13's CatchAddTests.cmake) reads a binary's list of names as a CMake list: a ';' in a
# name splits the case in two tests that match nothing, a '[' swallows the names after it into one.
# This compares each binary's own list with the tests CTest knows under its prefix (which
# catch_discover_tests gives without its trailing space).
#   discovery_test.sh CTEST BUILD_DIR 'PREFIX=BINARY'...
set -euo pipefail
ctest=$1 build=$2
shift 2
known=$("$ctest" --test-dir "$build" -N)
status=0
for pair in "$@"; do
  prefix=${pair%%=*} binary=${pair#*=}
  if ! difference=$(diff <("$binary" --list-test-names-only | grep . | sort) \
                         <(awk -v p="$prefix" '{ sub(/^ *Test +#[0-9]+: /, "") } index($0, p) == 1 { n = substr($0, length(p) + 1); sub(/^ /, "", n); print n }' <<<"$known" | sort)); then
    echo "discovery: the test cases of $(basename "$binary") (<) and CTest's '$prefix' tests (>) differ:"
    echo "$difference"
    status=1
  else
    echo "discovery: $(basename "$binary"): $("$binary" --list-test-names-only | grep -c .) cases, each a CTest test"
  fi
done
exit $status
