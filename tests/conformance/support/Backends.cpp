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

template <typename B, typename... Args>
BackendFactory make_factory(std::string name, Args... args) {
    return BackendFactory{std::move(name),
                          [=] { return std::unique_ptr<Backend>(new B(args...)); }};
}

LoopbackStack::Options loopback(LoopbackStack::Events events, bool ipv6) {
    LoopbackStack::Options o;
    o.events = events;
    o.ipv6 = ipv6;
    return o;
}

}  // namespace

std::vector<BackendFactory> all_backends() {
    using E = LoopbackStack::Events;
    return {
        make_factory<LoopbackBackend>("LoopbackSync", loopback(E::kSynchronous, false)),
        make_factory<LoopbackBackend>("LoopbackWorker", loopback(E::kWorker, false)),
        make_factory<LoopbackBackend>("LoopbackWorkerIPv6", loopback(E::kWorker, true)),
        // Later: make_factory<HostBackend>("HostKernel"), make_factory<NodeBackend>("UserSpace").
    };
}

}  // namespace meshwork::test
