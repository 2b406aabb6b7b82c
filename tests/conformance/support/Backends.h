// The backends the behaviour suite runs against. A backend gives the suite two stacks (the
// same one for a single-host backend) and the address at which the server stack is reachable.
// Adding a backend is one line in all_backends() (support/Backends.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "netsocket/NetworkStack.h"
#include "netsocket/SocketAddress.h"

namespace meshwork::test {

class Backend {
  public:
    virtual ~Backend() = default;
    /// Where servers open their sockets.
    virtual NetworkStack &server_stack() = 0;
    /// Where clients open their sockets (may be the server stack).
    virtual NetworkStack &client_stack() = 0;
    /// The server stack's address as clients reach it (port 0).
    virtual SocketAddress server_address() = 0;
    /// A port the suite may bind; distinct on every call within one backend instance.
    virtual uint16_t fresh_port() = 0;
};

struct BackendFactory {
    std::string name;  // a valid GoogleTest parameter name
    std::function<std::unique_ptr<Backend>()> make;
};

std::vector<BackendFactory> all_backends();

}  // namespace meshwork::test
