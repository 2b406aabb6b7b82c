// The in-memory LoopbackStack as a conformance backend, in its three event modes: sigio
// delivered synchronously, from a worker thread, and from a worker thread over IPv6.
#include "support/Backends.h"
#include "support/LoopbackStack.h"

namespace meshwork::test {
namespace {

class LoopbackBackend : public Backend {
  public:
    explicit LoopbackBackend(LoopbackStack::Options options) : stack_(options) {}
    NetworkStack &server_stack() override { return stack_; }
    NetworkStack &client_stack() override { return stack_; }
    SocketAddress server_address() override {
        SocketAddress a;
        stack_.get_ip_address(&a);
        return a;
    }
    uint16_t fresh_port() override { return next_port_++; }

  private:
    LoopbackStack stack_;
    uint16_t next_port_ = 7000;
};

std::function<std::unique_ptr<Backend>()> loopback(LoopbackStack::Events events, bool ipv6) {
    LoopbackStack::Options o;
    o.events = events;
    o.ipv6 = ipv6;
    return [o] { return std::unique_ptr<Backend>(new LoopbackBackend(o)); };
}

using E = LoopbackStack::Events;
const BackendRegistrar kSync{"LoopbackSync", loopback(E::kSynchronous, false)};
const BackendRegistrar kWorker{"LoopbackWorker", loopback(E::kWorker, false)};
const BackendRegistrar kWorkerIpv6{"LoopbackWorkerIPv6", loopback(E::kWorker, true)};

}  // namespace
}  // namespace meshwork::test
