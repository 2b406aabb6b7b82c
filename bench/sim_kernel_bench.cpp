// The simulation kernel (docs/sim.md "Performance"). Baselines measured in the same run:
//   sim_scheduler_events*: a bare std::priority_queue of (time, sequence, index) tuples, popped
//     and pushed back one period later, with no callable at all: the cost of ordering alone.
//   sim_node_memory: RSS per timer of the bare Scheduler holding the same 10,000 periodic
//     events, so the ratio is what a whole Node (context, output, random stream, configuration
//     share, event) costs against its one event.
//   sim_wall_per_virtual_minute / sim_cpu_per_virtual_minute: the priority-queue baseline
//     processing the same number of events as the virtual minute.
// Rates are events per second of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID): the machine
// is shared, and wall time there measures the other processes as much as this one.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <queue>
#include <tuple>
#include <vector>

#include "BenchReport.h"
#include "core/Random.h"
#include "meshwork/sim/Simulation.h"
#include "sim/Scheduler.h"

using namespace meshwork;
using namespace meshwork::sim;

namespace {

constexpr int kNodes = 10000;

std::vector<std::int64_t> periods(std::uint64_t seed) {
    SeededRandom rng(seed);
    std::vector<std::int64_t> p(kNodes);
    for (auto &x : p)
        x = 1000 + rng.uniform(99000);  // 1 to 100 ms
    return p;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Like bench::rate_per_second, in CPU time: iterations per CPU second.
double cpu_rate(const std::function<void(long)> &body, double min_seconds) {
    long batch = 1000, total = 0;
    const double start = cpu_seconds();
    double elapsed = 0;
    while (elapsed < min_seconds) {
        body(batch);
        total += batch;
        elapsed = cpu_seconds() - start;
        if (elapsed < min_seconds / 10)
            batch *= 2;
    }
    return double(total) / elapsed;
}

// The baseline: ordering only.
struct BarePq {
    using Item = std::tuple<std::int64_t, std::uint64_t, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q;
    std::vector<std::int64_t> period;
    std::uint64_t seq = 0;
    std::uint64_t sink = 0;
    explicit BarePq(std::vector<std::int64_t> p) : period(std::move(p)) {
        for (std::uint32_t i = 0; i < period.size(); ++i)
            q.emplace(period[i], seq++, i);
    }
    void run(long n) {
        for (long k = 0; k < n; ++k) {
            const auto [t, s, i] = q.top();
            q.pop();
            sink += i;
            q.emplace(t + period[i], seq++, i);
        }
    }
};

long rss_bytes() {
    long pages_total = 0, pages_rss = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages_total, &pages_rss) != 2)
            pages_rss = 0;
        std::fclose(f);
    }
    return pages_rss * sysconf(_SC_PAGESIZE);
}

}  // namespace

int main() {
    const auto p = periods(1);

    // --- memory: measured first, and nothing freed before, so no reuse hides the growth ----
    const long rss0 = rss_bytes();
    auto bare = std::make_unique<Scheduler>();
    std::uint64_t bare_ticks = 0;
    for (int i = 0; i < kNodes; ++i)
        bare->every(Duration(p[i]), [&bare_ticks] { ++bare_ticks; });
    const long rss1 = rss_bytes();
    auto idle = std::make_unique<Simulation>(1);
    std::uint64_t node_ticks = 0;
    for (int i = 0; i < kNodes; ++i) {
        Node &n = idle->add_node();
        n.every(std::chrono::seconds(1), [&node_ticks] { ++node_ticks; });
    }
    const long rss2 = rss_bytes();
    const double per_timer = double(rss1 - rss0) / kNodes;
    const double per_node = double(rss2 - rss1) / kNodes;
    bench::report("sim_node_memory", per_node, "bytes/node", per_timer);

    // --- wall time per virtual minute: 10,000 idle nodes, one 1 s periodic timer each -------
    {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_seconds();
        idle->run_for(std::chrono::minutes(1));
        const double cpu_ms = (cpu_seconds() - c0) * 1e3;
        const double wall_ms = seconds_since(t0) * 1e3;
        const auto events = static_cast<long>(idle->events_run());
        BarePq pq(std::vector<std::int64_t>(kNodes, 1000000));
        const auto t1 = std::chrono::steady_clock::now();
        const double c1 = cpu_seconds();
        pq.run(events);
        const double base_cpu_ms = (cpu_seconds() - c1) * 1e3;
        const double base_ms = seconds_since(t1) * 1e3;
        bench::report("sim_wall_per_virtual_minute", wall_ms, "ms", base_ms);
        bench::report("sim_cpu_per_virtual_minute", cpu_ms, "ms", base_cpu_ms);
        if (node_ticks != std::uint64_t(events))
            std::fprintf(stderr, "unexpected tick count %llu\n",
                         static_cast<unsigned long long>(node_ticks));
    }
    idle.reset();

    // --- events per second, one timer per node, 10,000 timers -------------------------------
    // On a shared machine each figure is the best of three rounds, the baseline's rounds
    // interleaved with the others'.
    BarePq pq(p);
    std::uint64_t oneshot_sink = 0, node_sink = 0;
    Scheduler oneshot;
    struct Rearm {
        Scheduler *s;
        std::int64_t period;
        std::uint64_t *sink;
        void operator()() const {
            ++*sink;
            s->after(Duration(period), Rearm{*this});
        }
    };
    for (int i = 0; i < kNodes; ++i)
        oneshot.after(Duration(p[i]), Rearm{&oneshot, p[i], &oneshot_sink});
    Simulation sim(1);
    for (int i = 0; i < kNodes; ++i)
        sim.add_node().every(Duration(p[i]), [&node_sink] { ++node_sink; });

    double baseline = 0, periodic = 0, oneshot_rate = 0, node_rate = 0;
    const auto best = [](double &b, double v) { b = v > b ? v : b; };
    for (int round = 0; round < 3; ++round) {
        best(baseline, cpu_rate([&](long n) { pq.run(n); }, 0.3));
        // The kernel's scheduler, periodic events (each re-armed in place).
        best(periodic, cpu_rate(
                           [&](long n) {
                               for (long k = 0; k < n; ++k)
                                   bare->step();
                           },
                           0.3));
        // One-shot events that schedule their successor (a callable stored each time).
        best(oneshot_rate, cpu_rate(
                               [&](long n) {
                                   for (long k = 0; k < n; ++k)
                                       oneshot.step();
                               },
                               0.3));
        // Through the native API: Node::every (std::function, the node made current).
        best(node_rate, cpu_rate(
                            [&](long n) {
                                for (long k = 0; k < n; ++k)
                                    sim.step();
                            },
                            0.3));
    }
    bench::report("sim_scheduler_events", periodic, "events/s", baseline);
    bench::report("sim_scheduler_events_oneshot", oneshot_rate, "events/s", baseline);
    bench::report("sim_node_events", node_rate, "events/s", baseline);
    return 0;
}
