#!/usr/bin/env bash
# Builds and runs the whole test suite:
#   0. Lint: the layering table (scripts/check-layering.py), clang-format, clang-tidy.
#   1. The README's main job, scripts/demo.sh (a simulated 6LoWPAN-ND mesh of 20 nodes running
#      the mesh-minimal application), then scripts/demo-sockets.sh (the socket examples, each
#      run against its loopback peer by examples/run_example.py); one Release build, build/demo.
#   2. GCC with AddressSanitizer + UndefinedBehaviorSanitizer, warnings as errors: every label,
#      with TMPDIR an empty folder that must stay empty.
#   3. GCC with ThreadSanitizer: the tests of threaded code (platform, netsocket, host, conformance).
#   4. Clang libFuzzer targets, each for a short bounded time (label fuzz-smoke).
# Installs what it needs first. MESHWORK_TEST_STAGES="lint demo asan tsan fuzz" selects stages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)
stages=${MESHWORK_TEST_STAGES:-"lint demo asan tsan fuzz"}
common=(-G Ninja -DMESHWORK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

for stage in $stages; do
  case $stage in
    lint)
      python3 scripts/check-layering.py
      bash scripts/check-format.sh
      # Configuring is enough for compile_commands.json (the dependency table is checked then).
      cmake -S . -B build/lint "${common[@]}" >/dev/null
      bash scripts/check-tidy.sh build/lint
      ;;
    demo)
      # Dependencies are installed above; the demo builds only the examples and what they link.
      MESHWORK_SKIP_APT=1 MESHWORK_DEMO_BUILD_DIR=build/demo bash scripts/demo.sh
      MESHWORK_SKIP_APT=1 MESHWORK_DEMO_BUILD_DIR=build/demo bash scripts/demo-sockets.sh
      ;;
    asan)
      cmake -S . -B build/asan "${common[@]}" -DMESHWORK_SANITIZE=address,undefined
      cmake --build build/asan -j"$jobs"
      # Tests write only under their own temporary directories and remove them: run them with
      # TMPDIR an empty folder and fail if anything is left in it.
      tmp=$(mktemp -d)
      TMPDIR=$tmp ctest --test-dir build/asan --output-on-failure -j"$jobs" -LE fuzz-smoke
      if [ -n "$(ls -A "$tmp")" ]; then
        echo "tests left files in their TMPDIR:" >&2
        ls -lAR "$tmp" >&2
        exit 1
      fi
      rmdir "$tmp"
      ;;
    tsan)
      cmake -S . -B build/tsan "${common[@]}" -DMESHWORK_SANITIZE=thread \
        -DMESHWORK_BUILD_EXAMPLES=OFF -DMESHWORK_BUILD_BENCH=OFF -DMESHWORK_BUILD_TOOLS=OFF
      # Only the threaded code's tests (their targets are named like the tests).
      tsan_regex='^(core|platform|netsocket|host|conformance|tls|mqtt|websocket|coap)_'
      mapfile -t tsan_targets < <(ctest --test-dir build/tsan -N -R "$tsan_regex" | awk '/Test +#/ {print $3}')
      cmake --build build/tsan -j"$jobs" --target "${tsan_targets[@]}"
      ctest --test-dir build/tsan --output-on-failure -j"$jobs" -R "$tsan_regex"
      ;;
    fuzz)
      if [ -f fuzz/CMakeLists.txt ]; then
        CC=clang CXX=clang++ cmake -S . -B build/fuzz "${common[@]}" -DMESHWORK_BUILD_FUZZ=ON \
          -DMESHWORK_BUILD_EXAMPLES=OFF -DMESHWORK_BUILD_BENCH=OFF
        cmake --build build/fuzz -j"$jobs" --target fuzz_all
        ctest --test-dir build/fuzz --output-on-failure -L fuzz-smoke
      fi
      ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
