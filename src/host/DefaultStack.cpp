// The compatibility edge: the process-wide HostStack behind
// OnboardNetworkStack::get_default_instance(), which EthernetInterface's default argument uses.
// This file is a library of its own that every program linking meshwork_host links whole
// (src/host/CMakeLists.txt); the definition is weak so an application may replace it.
#include "meshwork/HostStack.h"

#include <cstdio>
#include <cstdlib>

#include "meshwork/Executor.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/sim/NodeContext.h"
#include "platform/mbed_toolchain.h"

namespace meshwork {

std::size_t HostStack::default_socket_max() {
    return config::application_configuration().meshwork.host_socket_max;
}

HostStack &HostStack::default_instance() {
    // Never destroyed: sockets and interfaces of static objects may still be closed during
    // static destruction, after a function-local static would already be gone.
    static HostStack *const instance =
        new HostStack(Options::from(config::application_configuration().meshwork));
    return *instance;
}

}  // namespace meshwork

MBED_WEAK OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    // A simulated device's onboard stack is its own (its context's default_stack); it never
    // reaches the host's. A node without one is an error, as on a target without a stack.
    if (meshwork::sim::NodeContext *node = meshwork::current_node_context()) {
        if (node->default_stack != nullptr && node->default_stack->onboardNetworkStack()) {
            return *node->default_stack->onboardNetworkStack();
        }
        std::fprintf(stderr,
                     "meshwork: node %s asked for its onboard network stack "
                     "(OnboardNetworkStack::get_default_instance(), e.g. an EthernetInterface "
                     "of its own) and has none\n",
                     node->name().c_str());
        std::abort();
    }
    return meshwork::HostStack::default_instance();
}
