#!/usr/bin/env bash
# Greps every captured output of the test suite for the test passwords: none may appear.
#   check_outputs.sh OUTPUT_DIR PASSWORDS_FILE
set -euo pipefail
dir=$1 passwords=$2
[[ -d $dir ]] || { echo "check_outputs: $dir does not exist: no test captured its output (run the integration tests first)" >&2; exit 1; }
files=$(find "$dir" -type f | wc -l)
(( files > 0 )) || { echo "check_outputs: no captured output under $dir" >&2; exit 1; }
status=0
while IFS= read -r secret; do
  [[ -z $secret || $secret == \#* ]] && continue
  if hits=$(grep -rlF -- "$secret" "$dir"); then
    echo "check_outputs: a test password appears in:" >&2
    echo "$hits" >&2
    status=1
  fi
done <"$passwords"
echo "check_outputs: $files captured outputs, no test password in any"
exit $status
