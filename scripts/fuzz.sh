#!/usr/bin/env bash
# Runs every libFuzzer target (or those named) for SECONDS each: scripts/fuzz.sh 600 [name...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; shift || true
bash scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DMESHWORK_BUILD_FUZZ=ON \
  -DMESHWORK_BUILD_EXAMPLES=OFF -DMESHWORK_BUILD_BENCH=OFF >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target fuzz_all
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cpp; do b=$(basename "$f" _fuzz.cpp); names+=("$b"); done
fi
for n in "${names[@]}"; do
  mkdir -p "build/fuzz/fuzz/corpus/$n"
  echo "== fuzz_$n for ${seconds}s"
  build/fuzz/fuzz/fuzz_"$n" -max_total_time="$seconds" -print_final_stats=1 \
    "build/fuzz/fuzz/corpus/$n" "fuzz/corpus/$n"
done
