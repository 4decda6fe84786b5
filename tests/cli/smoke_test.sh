#!/usr/bin/env bash
# --help and --version of one binary: each exits 0 at once; --version prints "<name> <version>"
# with the version of the generated common/version.hpp; --help prints a usage that names every
# WORD given (subcommands, options) and nothing on stderr.
#   smoke_test.sh BINARY VERSION_HPP WORD...
set -euo pipefail
binary=$1 version_hpp=$2
shift 2
name=$(basename "$binary")
fail() { echo "smoke_test: $name: $*" >&2; exit 1; }

# kVersion = "X.Y.Z" in the header both programs include.
version=$(sed -nE 's/.*kVersion = "([^"]+)".*/\1/p' "$version_hpp")
[[ -n $version ]] || fail "no kVersion in $version_hpp"

run() {  # run ARGS...: sets out, err, status
  local err_file
  err_file=$(mktemp)
  status=0
  out=$(timeout 10 "$binary" "$@" 2>"$err_file") || status=$?
  err=$(<"$err_file")
  rm -f -- "$err_file"
}

run --version
((status == 0)) || fail "--version exited $status: $err"
[[ $out == "$name $version" ]] || fail "--version printed '$out', expected '$name $version'"
[[ -z $err ]] || fail "--version wrote to stderr: $err"

run --help
((status == 0)) || fail "--help exited $status: $err"
[[ -z $err ]] || fail "--help wrote to stderr: $err"
grep -q "^Usage: " <<<"$out" || fail "--help printed no 'Usage:' line: $out"
for word in "$@"; do
  grep -qF -- "$word" <<<"$out" || fail "--help does not mention $word: $out"
done
# A usage error: exit 2 (the project's code for it, in all three programs), said on stderr only.
run --no-such-option
((status == 2)) || fail "an unknown option exited $status, expected 2: $err"
[[ -n $err ]] || fail "an unknown option said nothing on stderr"
[[ -z $out ]] || fail "an unknown option wrote to stdout: $out"

echo "smoke_test: $name $version: --version, --help (naming $*) and a usage error as expected"
