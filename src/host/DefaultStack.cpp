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

#include <cstdlib>

#include "platform/mbed_toolchain.h"

#ifndef MBED_CONF_MESHWORK_HOST_SOCKET_MAX
#define MBED_CONF_MESHWORK_HOST_SOCKET_MAX 1024
#endif

extern "C" {
// Referenced only through the linker's --undefined option.
extern const int meshwork_host_default_stack_anchor;
const int meshwork_host_default_stack_anchor = 1;

// The pool size an application build configured (meshwork.host-socket-max). The library is
// compiled without the application's mbed_config.h, so an application passes its value by
// defining this symbol strongly, e.g. in a generated source:
//   extern "C" const unsigned meshwork_host_socket_max_config = MBED_CONF_MESHWORK_HOST_SOCKET_MAX;
MBED_WEAK extern const unsigned meshwork_host_socket_max_config =
    MBED_CONF_MESHWORK_HOST_SOCKET_MAX;
}

namespace meshwork {

std::size_t HostStack::default_socket_max() {
    if (const char *env = std::getenv("MESHWORK_HOST_SOCKET_MAX"); env && *env) {
        char *end = nullptr;
        const unsigned long v = std::strtoul(env, &end, 10);
        if (end && *end == '\0' && v > 0) {
            return v;
        }
    }
    // Read through volatile: the compiler must not fold the weak default into this function.
    const unsigned configured =
        *static_cast<const volatile unsigned *>(&meshwork_host_socket_max_config);
    return configured > 0 ? configured : 1024;
}

HostStack &HostStack::default_instance() {
    // Never destroyed: sockets and interfaces of static objects may still be closed during
    // static destruction, after a function-local static would already be gone.
    static HostStack *const instance = new HostStack();
    return *instance;
}

}  // namespace meshwork

OnboardNetworkStack &OnboardNetworkStack::get_default_instance() {
    return meshwork::HostStack::default_instance();
}
