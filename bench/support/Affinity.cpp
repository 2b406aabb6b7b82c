#include "Affinity.h"

#include <pthread.h>
#include <sched.h>

#include <cstdio>
#include <cstring>

namespace meshwork::bench {

std::vector<Placement> placements() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        for (int c = 0; c < CPU_SETSIZE && cpus.size() < 2; ++c) {
            if (CPU_ISSET(c, &set)) {
                cpus.push_back(c);
            }
        }
    }
    if (cpus.empty()) {
        cpus.push_back(0);
    }
    std::vector<Placement> out{{"_same_core", cpus[0], cpus[0]}};
    if (cpus.size() > 1) {
        out.push_back({"_cross_core", cpus[0], cpus[1]});
    } else {
        std::fprintf(stderr, "# one CPU available: no _cross_core figures\n");
    }
    return out;
}

bool pin_this_thread(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    const int err = ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set);
    if (err != 0) {
        std::fprintf(stderr, "# cannot pin to CPU %d: %s\n", cpu, std::strerror(err));
        return false;
    }
    return true;
}

}  // namespace meshwork::bench
