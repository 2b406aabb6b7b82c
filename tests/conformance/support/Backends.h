// The backends the behaviour suite runs against, kept in a registry. A backend gives the suite
// two stacks (the same one for a single-host backend) and the address at which the server
// stack is reachable. Each backend registers itself with a BackendRegistrar in its own
// translation unit under tests/conformance/backends/, compiled into the one conformance
// binary; adding a backend is adding such a file to that binary's sources.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
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
    /// The client stack's address as servers reach it (port 0); a single-host backend's is the
    /// server's.
    virtual SocketAddress client_address() { return server_address(); }
    /// A port the suite may bind; distinct on every call within one backend instance.
    virtual uint16_t fresh_port() = 0;
};

struct BackendFactory {
    std::string name;  // a valid GoogleTest parameter name: letters, digits, '_'
    std::function<std::unique_ptr<Backend>()> make;
};

/// GoogleTest prints a parameter with this (its name instead of its bytes).
inline void PrintTo(const BackendFactory &backend, std::ostream *os) {
    *os << backend.name;
}

/// Every registered backend, sorted by name (registration order across translation units is
/// unspecified; the test names must not depend on it).
std::vector<BackendFactory> all_backends();

/// Registers one backend when constructed; define one per backend at namespace scope:
///   const BackendRegistrar kRegistrar{"Name", [] { return std::make_unique<MyBackend>(); }};
/// A name registered twice, or not a valid parameter name, aborts the binary with a message.
class BackendRegistrar {
  public:
    BackendRegistrar(std::string name, std::function<std::unique_ptr<Backend>()> make);
};

}  // namespace meshwork::test
