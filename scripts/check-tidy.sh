#!/usr/bin/env bash
# clang-tidy with the project's small check set (.clang-tidy) over every library source, using
# the compile commands of a configured build: scripts/check-tidy.sh <build-dir>.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/check-tidy.sh <build-dir with compile_commands.json>}
[ -f "$build/compile_commands.json" ] || { echo "no $build/compile_commands.json" >&2; exit 2; }
mapfile -t files < <(git ls-files 'src/*.cpp')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${files[@]}" | xargs -P"$(nproc)" -n4 clang-tidy -p "$build" --quiet >"$log" 2>&1; then
  grep -E '(warning|error):' "$log" | sort -u
  echo "check-tidy: clang-tidy found problems"
  exit 1
fi
echo "check-tidy: ${#files[@]} sources clean"
