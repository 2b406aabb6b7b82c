// The compatibility edge: the process-wide HostStack behind
// OnboardNetworkStack::get_default_instance(), which EthernetInterface's default argument uses.
//
// meshwork_netsocket carries a weak placeholder of that function. A static archive member is
// only linked when it resolves an undefined symbol, so this object might never be pulled in
// after the placeholder already satisfied the reference. meshwork_host therefore asks every
// executable that links it to treat meshwork_host_default_stack_anchor as undefined (see
// src/host/CMakeLists.txt); resolving it links this object, whose strong definition then wins
// over the weak one.
#include "meshwork/HostStack.h"

#include "meshwork/config/ApplicationConfiguration.h"

extern "C" {
// Referenced only through the linker's --undefined option.
extern const int meshwork_host_default_stack_anchor;
const int meshwork_host_default_stack_anchor = 1;
}

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

OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    return meshwork::HostStack::default_instance();
}
