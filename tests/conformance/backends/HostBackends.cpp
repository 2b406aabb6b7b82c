// HostStack (the Linux kernel's sockets) as a conformance backend, over the loopback interface:
// HostKernel on 127.0.0.1 and HostKernelIPv6 on ::1.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "meshwork/HostStack.h"
#include "support/Backends.h"

namespace meshwork::test {
namespace {

/// A port free for both TCP and UDP on both families right now (the kernel picks it).
uint16_t free_dual_port() {
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int t = ::socket(AF_INET6, SOCK_STREAM, 0);
        sockaddr_in6 sa{};
        sa.sin6_family = AF_INET6;
        socklen_t len = sizeof sa;
        if (::bind(t, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 ||
            ::getsockname(t, reinterpret_cast<sockaddr *>(&sa), &len) != 0) {
            ::close(t);
            continue;
        }
        const int u = ::socket(AF_INET6, SOCK_DGRAM, 0);
        const bool udp_free = ::bind(u, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
        ::close(u);
        ::close(t);
        if (udp_free) {
            return ntohs(sa.sin6_port);
        }
    }
    return 0;
}

class HostBackend : public Backend {
  public:
    explicit HostBackend(bool ipv6) : ipv6_(ipv6) {}
    NetworkStack &server_stack() override { return stack_; }
    NetworkStack &client_stack() override { return stack_; }
    SocketAddress server_address() override {
        return SocketAddress(ipv6_ ? "::1" : "127.0.0.1", 0);
    }
    uint16_t fresh_port() override { return free_dual_port(); }

  private:
    const bool ipv6_;
    HostStack stack_;
};

const BackendRegistrar kIpv4{"HostKernel",
                             [] { return std::unique_ptr<Backend>(new HostBackend(false)); }};
const BackendRegistrar kIpv6{"HostKernelIPv6",
                             [] { return std::unique_ptr<Backend>(new HostBackend(true)); }};

}  // namespace
}  // namespace meshwork::test
