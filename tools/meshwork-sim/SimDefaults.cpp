// The host network's defaults, replaced in the runner: a simulated node never reaches the host
// network, so it has no target Ethernet interface (its default interface is what its node
// composition gives, e.g. the mesh interface with --mesh) and no onboard host stack.
#include <cstdio>
#include <cstdlib>

#include "EthInterface.h"
#include "OnboardNetworkStack.h"
#include "meshwork/Executor.h"
#include "meshwork/sim/NodeContext.h"

EthInterface *EthInterface::get_target_default_instance() {
    return nullptr;
}

OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    // A node's own onboard stack, if its composition gave it one (never the host's).
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        if (node->default_stack != nullptr && node->default_stack->onboardNetworkStack()) {
            return *node->default_stack->onboardNetworkStack();
        }
    }
    std::fprintf(stderr,
                 "meshwork-sim: an application asked for the host's onboard network stack "
                 "(an EthernetInterface of its own): simulated nodes have only their "
                 "simulated network\n");
    std::abort();
}
