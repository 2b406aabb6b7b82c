#!/usr/bin/env bash
# The socket demo: build the example Mbed applications and show them working on this PC, over
# the host's own network (loopback). The README's main job is scripts/demo.sh (the mesh).
#
# Installs the Debian packages (scripts/install-deps.sh), builds the examples (Release, no tests),
# then runs each example with examples/run_example.py, the runner the examples' CTest tests use:
# it starts the example's peer on the loopback interface (python3 http.server, openssl s_server
# with a certificate made on the fly, the Python peers in examples/peers/, mosquitto, a WebSocket
# echo server, libcoap's coap-server), checks what the example prints and stops the peer again.
# Nothing is contacted beyond 127.0.0.1. Exits non-zero if any example failed or could not run.
#
# Environment: MESHWORK_DEMO_BUILD_DIR (default build/demo), MESHWORK_SKIP_APT=1 to skip apt.
# scripts/test.sh runs this script in its `demo` stage, so CI proves it on a fresh clone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${MESHWORK_DEMO_BUILD_DIR:-build/demo}"
JOBS="$(nproc 2>/dev/null || echo 2)"

banner() { printf '\n==== %s\n' "$*"; }

banner "Installing dependencies (scripts/install-deps.sh)"
bash scripts/install-deps.sh

banner "Building the examples (Release) in $BUILD"
mkdir -p "$BUILD"
log="$BUILD/demo-configure.log"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHWORK_BUILD_TESTS=OFF \
  -DMESHWORK_BUILD_BENCH=OFF -DMESHWORK_BUILD_EXAMPLES=ON >"$log" 2>&1 ||
  { cat "$log"; exit 1; }
cmake --build "$BUILD" --target meshwork-examples -j"$JOBS"

passed=()
failed=()
mapfile -t examples < <(python3 examples/run_example.py --list)
for entry in "${examples[@]}"; do
  name="${entry%%$'\t'*}"
  what="${entry#*$'\t'}"
  banner "Example $name: $what"
  binary="$BUILD/examples/bin/$name"
  if [ ! -x "$binary" ]; then
    echo "not built ($binary missing)"
    failed+=("$name")
    continue
  fi
  # 77 (a peer program is missing) counts as a failure here: the demo installed them all.
  if python3 examples/run_example.py "$name" "$binary" --verbose; then
    passed+=("$name")
  else
    failed+=("$name")
  fi
done

banner "Summary"
for n in "${passed[@]+"${passed[@]}"}"; do echo "  PASS  $n"; done
for n in "${failed[@]+"${failed[@]}"}"; do echo "  FAIL  $n"; done
if [ "${#failed[@]}" -gt 0 ] || [ "${#passed[@]}" -eq 0 ]; then
  echo "${#failed[@]} example(s) failed"
  exit 1
fi
echo "All ${#passed[@]} examples ran as expected (loopback only)."
