#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them all (or those named): scripts/bench.sh [name...]
# e.g. scripts/bench.sh sim_kernel fiber_switch sim_nodes (the simulator's, docs/sim.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHWORK_BUILD_TESTS=OFF \
  -DMESHWORK_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/bench -j"$(nproc)"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in bench/*_bench.cpp; do [ -e "$f" ] && names+=("$(basename "$f" _bench.cpp)"); done
fi
for n in "${names[@]}"; do build/bench/bench/bench_"$n"; done
