// Thread placement for the benchmarks whose figure depends on it. A benchmark with two busy
// threads (a client and its echo peer, a writer and its reader) on a small machine measures
// mostly whether they share a core: on a 2-core VM, TCP ping-pong runs at about 60 k or 15 k
// round trips per second depending on it. Such benchmarks pin both threads, meshwork's side and
// the baseline's alike, once on one core and once on two, and report both figures
// (<name>_same_core, <name>_cross_core).
#pragma once

#include <vector>

namespace meshwork::bench {

struct Placement {
    const char *suffix;  // "_same_core" or "_cross_core"
    int main_cpu;        // the measuring thread (and a stack's own threads, which it starts)
    int peer_cpu;        // the other thread: echo server, reader, receiver
};

/// Same core, then cross core when the process may run on two CPUs (from its affinity mask).
std::vector<Placement> placements();

/// Pins the calling thread to `cpu`; threads it creates afterwards inherit the pin. False (and
/// a note on stderr) when the kernel refuses.
bool pin_this_thread(int cpu);

}  // namespace meshwork::bench
