// Fiber switches of the simulated executor against bare Boost.Context switches, in one run.
// A "switch" is one task giving the CPU up and another getting it, through a main loop in both
// cases: the bare baseline resumes two fibers in turn from a loop; the executor hands off
// between two fibers of one node (a Semaphore release waking the other, or a yield).
#include <boost/context/fiber.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "BenchReport.h"
#include "rtos/Semaphore.h"
#include "rtos/ThisThread.h"
#include "sim/fiber/FiberExecutor.h"

namespace ctx = boost::context;
using Clock = std::chrono::steady_clock;

namespace {

// MESHWORK_BENCH_SWITCHES overrides the count (a short run under callgrind).
const long kSwitches = [] {
    const char *env = std::getenv("MESHWORK_BENCH_SWITCHES");
    const long n = env ? std::atol(env) : 0;
    return n > 0 ? n : 2'000'000L;
}();

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// ns per switch: main resumes a, then b, then a... each returns to main at once.
double bare_switch_ns() {
    auto body = [](ctx::fiber &&main) {
        for (;;) {
            main = std::move(main).resume();
        }
        return std::move(main);
    };
    ctx::fiber a(body), b(body);
    const auto start = Clock::now();
    for (long i = 0; i < kSwitches / 2; ++i) {
        a = std::move(a).resume();
        b = std::move(b).resume();
    }
    const double s = seconds_since(start);
    // Leave the fibers suspended: destroying them unwinds their loops.
    return s * 1e9 / static_cast<double>(kSwitches);
}

double handoff_ns() {
    meshwork::sim::Scheduler s;
    double ns = 0;
    {
        meshwork::sim::FiberExecutor ex(s, "bench");
        rtos::Semaphore to_a(0), to_b(0);
        const long rounds = kSwitches / 2;
        ex.spawn(
            [&] {
                for (long i = 0; i < rounds; ++i) {
                    to_a.acquire();
                    to_b.release();
                }
            },
            "a");
        ex.spawn(
            [&] {
                for (long i = 0; i < rounds; ++i) {
                    to_a.release();
                    to_b.acquire();
                }
            },
            "b");
        const auto start = Clock::now();
        s.run_until_idle();
        ns = seconds_since(start) * 1e9 / static_cast<double>(ex.switches());
    }
    return ns;
}

double yield_ns() {
    meshwork::sim::Scheduler s;
    double ns = 0;
    {
        meshwork::sim::FiberExecutor ex(s, "bench");
        for (const char *name : {"a", "b"}) {
            ex.spawn(
                [] {
                    for (long i = 0; i < kSwitches / 2; ++i) {
                        rtos::ThisThread::yield();
                    }
                },
                name);
        }
        const auto start = Clock::now();
        s.run_until_idle();
        ns = seconds_since(start) * 1e9 / static_cast<double>(ex.switches());
    }
    return ns;
}

}  // namespace

int main() {
    // MESHWORK_BENCH_ONLY=bare|handoff|yield runs one part alone (instruction counts per part).
    const char *only = std::getenv("MESHWORK_BENCH_ONLY");
    if (only) {
        const std::string part = only;
        const double ns = part == "bare"      ? bare_switch_ns()
                          : part == "handoff" ? handoff_ns()
                                              : yield_ns();
        std::printf("%s %.1f ns/switch\n", only, ns);
        return 0;
    }
    const double bare = bare_switch_ns();
    const double handoff = handoff_ns();
    const double yield = yield_ns();
    meshwork::bench::report("fiber_switch_block_wake", handoff, "ns/switch", bare);
    meshwork::bench::report("fiber_switch_yield", yield, "ns/switch", bare);
    return 0;
}
