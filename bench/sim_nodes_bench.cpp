// 10,000 in-process simulated nodes, each running an idle Mbed-style application on fibers: an
// rtos::Thread sleeping in a loop (ThisThread::sleep_for) and the main thread dispatching an
// EventQueue with one call_every event. Measured over one virtual minute (docs/sim.md
// "Performance"):
//   sim_fiber_node_memory: RSS growth per node (VmRSS from /proc/self/status) once every node has
//     started and run for a virtual second; baseline: the 64 KiB goal.
//   sim_fiber_nodes_cpu_per_virtual_minute / _wall_: CPU (this thread) and wall ms for the virtual
//     minute; baseline: the same number of events run as bare periodic scheduler timers (the
//     sleeps and the call_every events, two per node per second, no fibers).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <vector>

#include "BenchReport.h"
#include "events/EventQueue.h"
#include "rtos/ThisThread.h"
#include "rtos/Thread.h"
#include "sim/Scheduler.h"
#include "sim/fiber/FiberExecutor.h"

using namespace std::chrono_literals;
using namespace meshwork;
using namespace meshwork::sim;

namespace {

int node_count() {
    const char *env = std::getenv("MESHWORK_BENCH_NODES");
    const int n = env ? std::atoi(env) : 0;
    return n > 0 ? n : 10000;
}

long rss_kib() {
    long kib = 0;
    if (FILE *f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "VmRSS:", 6) == 0) {
                kib = std::atol(line + 6);
                break;
            }
        }
        std::fclose(f);
    }
    return kib;
}

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

double wall_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

// The idle application of one node.
void idle_app(std::uint64_t *ticks) {
    rtos::Thread sleeper;
    sleeper.start([ticks] {
        for (;;) {
            rtos::ThisThread::sleep_for(1s);
            ++*ticks;
        }
    });
    events::EventQueue queue;
    queue.call_every(1s, [ticks] { ++*ticks; });
    queue.dispatch_forever();
}

}  // namespace

int main() {
    const int nodes = node_count();
    std::uint64_t ticks = 0;
    double fiber_cpu = 0, fiber_wall = 0;
    std::uint64_t fiber_events = 0;
    {
        Scheduler s;
        std::vector<std::unique_ptr<FiberExecutor>> executors;
        executors.reserve(static_cast<std::size_t>(nodes));
        const long rss0 = rss_kib();
        for (int i = 0; i < nodes; ++i) {
            executors.push_back(std::make_unique<FiberExecutor>(s, "n" + std::to_string(i)));
            executors.back()->spawn([&ticks] { idle_app(&ticks); }, "main");
        }
        s.run_for(1s);  // every node started, its stacks as deep as they get
        const long rss1 = rss_kib();
        bench::report("sim_fiber_node_memory", double(rss1 - rss0) * 1024.0 / nodes, "bytes/node",
                      64.0 * 1024.0);

        const std::uint64_t e0 = s.events_run();
        const double c0 = cpu_ms(), w0 = wall_ms();
        s.run_for(1min);
        fiber_cpu = cpu_ms() - c0;
        fiber_wall = wall_ms() - w0;
        fiber_events = s.events_run() - e0;
        executors.clear();  // cancels every fiber (unwinds its loop)
    }

    // The baseline: the same timers, two per node per second, as bare scheduler events.
    Scheduler bare;
    std::uint64_t bare_ticks = 0;
    for (int i = 0; i < 2 * nodes; ++i)
        bare.every(1s, [&bare_ticks] { ++bare_ticks; });
    bare.run_for(1s);
    const double c1 = cpu_ms(), w1 = wall_ms();
    bare.run_for(1min);
    const double bare_cpu = cpu_ms() - c1, bare_wall = wall_ms() - w1;

    bench::report("sim_fiber_nodes_cpu_per_virtual_minute", fiber_cpu, "ms", bare_cpu);
    bench::report("sim_fiber_nodes_wall_per_virtual_minute", fiber_wall, "ms", bare_wall);
    std::fprintf(stderr, "%d nodes: %llu scheduler events and %llu ticks in the minute\n", nodes,
                 static_cast<unsigned long long>(fiber_events),
                 static_cast<unsigned long long>(ticks));
    return 0;
}
