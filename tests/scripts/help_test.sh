#!/usr/bin/env bash
# Every executable in scripts/ answers --help with its usage, exit 0, at once, and without side
# effects: run from an empty directory with a PATH that holds no tool a script could start work
# with, nothing may appear in that directory nor in the repository's var/.
#   help_test.sh SCRIPTS_DIR
set -euo pipefail
scripts=$(cd "$1" && pwd)
repo=$(dirname "$scripts")
work=$(mktemp -d "${TMPDIR:-/tmp}/help-test.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
mkdir "$work/cwd" "$work/bin"
# Only what printing a usage needs: a script that tried to build, start a cluster or load would
# fail on a missing tool, and its --help would then not exit 0.
for tool in bash sh awk sed cat dirname basename env printf head; do
  ln -s "$(command -v "$tool")" "$work/bin/$tool"
done
# The system's python3 (a pyenv shim would need more of PATH than this test gives).
if [[ -x /usr/bin/python3 ]]; then ln -s /usr/bin/python3 "$work/bin/python3"; else ln -s "$(command -v python3)" "$work/bin/python3"; fi
var_before=$(ls -A "$repo/var" 2>/dev/null | sort | tr '\n' ' ' || true)
timeout=$(command -v timeout)
status=0
checked=0
for script in "$scripts"/*; do
  [[ -f $script && -x $script ]] || continue
  name=$(basename "$script")
  checked=$((checked + 1))
  if ! out=$(cd "$work/cwd" && PATH="$work/bin" "$timeout" 10 "$script" --help 2>&1); then
    echo "help_test: $name --help failed:" >&2; echo "$out" >&2; status=1; continue
  fi
  if [[ $(wc -l <<<"$out") -lt 2 ]]; then
    echo "help_test: $name --help printed no usage:" >&2; echo "$out" >&2; status=1
  fi
  if [[ -n $(ls -A "$work/cwd") ]]; then
    echo "help_test: $name --help created files: $(ls -A "$work/cwd")" >&2; status=1
    rm -rf -- "${work:?}/cwd/"* "${work:?}"/cwd/.[!.]* 2>/dev/null || true
  fi
done
var_after=$(ls -A "$repo/var" 2>/dev/null | sort | tr '\n' ' ' || true)
if [[ $var_before != "$var_after" ]]; then
  echo "help_test: var/ changed during the --help runs: '$var_before' -> '$var_after'" >&2; status=1
fi
echo "help_test: $checked scripts answered --help"
exit $status
