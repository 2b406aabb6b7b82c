// SteadyClock: the real-time Clock implementation (core/Time.h). Only reads
// std::chrono::steady_clock; no threads or waiting (those live in src/platform's host runtime).
#include "core/Time.h"

namespace meshwork {

Instant SteadyClock::now() const {
    // Process-wide epoch at the first read, so millisecond ticks (EventQueue::tick, Kernel
    // ticks) start near zero instead of at the boot time. Immutable once set.
    static const auto epoch = std::chrono::steady_clock::now();
    return Instant(std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - epoch));
}

}  // namespace meshwork
