#include "BenchReport.h"

#include <cstdio>

namespace meshwork::bench {

void report(const char *name, double value, const char *unit, double baseline) {
    const double ratio = baseline != 0 ? value / baseline : 0.0;
    std::printf("BENCH %s value=%.6g unit=%s baseline=%.6g ratio=%.4f\n", name, value, unit,
                baseline, ratio);
    std::fflush(stdout);
}

double rate_per_second(const std::function<void(long)> &body, double min_seconds) {
    using clock = std::chrono::steady_clock;
    long batch = 1;
    long total = 0;
    const auto start = clock::now();
    double elapsed = 0;
    while (elapsed < min_seconds) {
        body(batch);
        total += batch;
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
        if (elapsed < min_seconds / 10)
            batch *= 2;
    }
    return total / elapsed;
}

}  // namespace meshwork::bench
