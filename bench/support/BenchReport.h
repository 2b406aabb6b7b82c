// The one output format of every benchmark program:
//   BENCH <name> value=<v> unit=<u> baseline=<b> ratio=<v/b>
#pragma once

#include <chrono>
#include <functional>

namespace meshwork::bench {

void report(const char *name, double value, const char *unit, double baseline);

/// Runs `body` repeatedly until at least `min_seconds` passed; returns iterations per second.
/// `body` receives the iteration count to run in one batch.
double rate_per_second(const std::function<void(long)> &body, double min_seconds = 0.5);

}  // namespace meshwork::bench
