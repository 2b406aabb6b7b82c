// Unmodified applications as nodes (docs/sim.md "Running your own application as N nodes"): the
// meshwork-sim runner with N copies of an idle Mbed application module (node_apps/idle_app.cpp:
// a thread sleeping in a loop, a global EventQueue with a periodic event) for one virtual
// minute. Reports the memory per node (peak RSS growth over one node, per extra node) against
// the size of the module every node maps a copy of, and the wall time of the run against the
// virtual minute, for N = 1000, 2000 and 4000 (the goal: 1,000 nodes on a 2-core machine).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "BenchReport.h"

namespace {

struct Stats {
    bool ok = false;
    long peak_rss_kib = 0;
    double wall_s = 0;
    unsigned lines = 0;
};

Stats run(unsigned nodes) {
    Stats s;
    const std::string cmd = std::string(MESHWORK_SIM_RUNNER) + " --app " + NODE_APP_IDLE +
                            " --until 1min --stats --nodes " + std::to_string(nodes) + " 2>&1";
    FILE *p = ::popen(cmd.c_str(), "r");
    if (p == nullptr)
        return s;
    char line[512];
    while (std::fgets(line, sizeof line, p) != nullptr) {
        unsigned n = 0;
        if (std::sscanf(line, "meshwork-sim: nodes=%u %*s %*s wall_s=%lf peak_rss_kib=%ld", &n,
                        &s.wall_s, &s.peak_rss_kib) == 3)
            s.ok = true;
        else if (std::string(line).find("ticks=59 naps=59") != std::string::npos)
            ++s.lines;
    }
    s.ok = ::pclose(p) == 0 && s.ok && s.lines == nodes;
    return s;
}

long file_kib(const char *path) {
    FILE *f = std::fopen(path, "rb");
    if (f == nullptr)
        return 0;
    std::fseek(f, 0, SEEK_END);
    const long size = std::ftell(f);
    std::fclose(f);
    return size / 1024;
}

}  // namespace

int main() {
    const Stats one = run(1);
    if (!one.ok) {
        std::fprintf(stderr, "bench_sim_node_apps: the runner failed with one node\n");
        return 1;
    }
    const double module_kib = static_cast<double>(file_kib(NODE_APP_IDLE));
    for (unsigned n : {1000u, 2000u, 4000u}) {
        const Stats s = run(n);
        if (!s.ok) {
            std::fprintf(stderr, "bench_sim_node_apps: the runner failed with %u nodes\n", n);
            return 1;
        }
        const double per_node = static_cast<double>(s.peak_rss_kib - one.peak_rss_kib) / (n - 1);
        const std::string suffix = n == 1000 ? "" : "_" + std::to_string(n);
        meshwork::bench::report(("sim_node_apps" + suffix).c_str(), per_node, "KiB/node",
                                module_kib);
        meshwork::bench::report(("sim_node_apps_wall_per_virtual_minute" + suffix).c_str(),
                                s.wall_s, "s", 60.0);
    }
    return 0;
}
