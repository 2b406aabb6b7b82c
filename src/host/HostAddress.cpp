#include "HostAddress.h"

#include <arpa/inet.h>

#include <cstring>

namespace meshwork::host {

SocketAddress from_sockaddr(const sockaddr *sa, socklen_t len) {
    SocketAddress out;
    assign_from_sockaddr(&out, sa, len);
    return out;
}

void assign_from_sockaddr(SocketAddress *out, const sockaddr *sa, socklen_t len) {
    if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        const auto *sin = reinterpret_cast<const sockaddr_in *>(sa);
        out->set_addr(nsapi_addr_from_in(sin->sin_addr));
        out->set_port(ntohs(sin->sin_port));
    } else if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        const auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        out->set_addr(nsapi_addr_from_in6(sin6->sin6_addr));
        out->set_port(ntohs(sin6->sin6_port));
    } else {
        *out = SocketAddress();
    }
}

}  // namespace meshwork::host
