// Per-node C library random state for the meshwork-sim runner (docs/sim.md "Running your own
// application as N nodes"). The runner executable defines rand(), srand(), random() and
// srandom(); an application module binds to these as it does to the runner's stdio. Called by a
// task of a node bound here, they use that node's own generator (glibc's, with random_r(): the
// same numbers glibc gives for the same srand() seed), first seeded from the node's stream of
// the scenario seed; from anywhere else, the C library's own functions run.
#pragma once

#include <cstdint>

namespace meshwork::sim {
class NodeContext;
}

namespace meshwork::tools {

/// Gives `node` its own rand()/random() state, seeded with `seed` (as by srandom(seed)).
void bind_libc_random(const sim::NodeContext &node, std::uint32_t seed);
/// Forgets `node`'s state (its tasks fall back to the C library's).
void unbind_libc_random(const sim::NodeContext &node);

}  // namespace meshwork::tools
