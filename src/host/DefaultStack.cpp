// The compatibility edge: the process-wide HostStack behind
// OnboardNetworkStack::get_default_instance(), which EthernetInterface's default argument uses.
// This file is a library of its own that every program linking meshwork_host links whole
// (src/host/CMakeLists.txt); the definition is weak so an application may replace it.
#include "meshwork/HostStack.h"

#include "meshwork/config/ApplicationConfiguration.h"
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
    return meshwork::HostStack::default_instance();
}
