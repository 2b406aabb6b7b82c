#include "host/HostAddress.h"

#include <arpa/inet.h>

#include <cstring>

namespace meshwork::host {

nsapi_addr_t nsapi_addr_from_in(const in_addr &a) {
    nsapi_addr_t out{};
    out.version = NSAPI_IPv4;
    std::memcpy(out.bytes, &a, 4);
    return out;
}

nsapi_addr_t nsapi_addr_from_in6(const in6_addr &a) {
    nsapi_addr_t out{};
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
        out.version = NSAPI_IPv4;
        std::memcpy(out.bytes, &a.s6_addr[12], 4);
    } else {
        out.version = NSAPI_IPv6;
        std::memcpy(out.bytes, &a, 16);
    }
    return out;
}

in_addr in_from_nsapi_addr(const nsapi_addr_t &a) {
    in_addr out{};
    if (a.version == NSAPI_IPv4) {
        std::memcpy(&out, a.bytes, 4);
    }
    return out;
}

in6_addr in6_from_nsapi_addr(const nsapi_addr_t &a) {
    in6_addr out{};
    if (a.version == NSAPI_IPv6) {
        std::memcpy(&out, a.bytes, 16);
    } else if (a.version == NSAPI_IPv4) {
        out.s6_addr[10] = 0xff;
        out.s6_addr[11] = 0xff;
        std::memcpy(&out.s6_addr[12], a.bytes, 4);
    }
    return out;
}

bool is_unspecified(const nsapi_addr_t &a) {
    if (a.version == NSAPI_UNSPEC) {
        return true;
    }
    const int n = a.version == NSAPI_IPv4 ? 4 : 16;
    for (int i = 0; i < n; ++i) {
        if (a.bytes[i] != 0) {
            return false;
        }
    }
    return true;
}

bool to_sockaddr(const SocketAddress &address, int family, sockaddr_storage *out, socklen_t *len) {
    std::memset(out, 0, sizeof *out);
    const nsapi_addr_t a = address.get_addr();
    if (family == AF_INET6) {
        auto *sin6 = reinterpret_cast<sockaddr_in6 *>(out);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(address.get_port());
        // UNSPEC stays the all-zero wildcard, which accepts both families (IPV6_V6ONLY off).
        sin6->sin6_addr = in6_from_nsapi_addr(a);
        *len = sizeof(sockaddr_in6);
        return true;
    }
    if (a.version == NSAPI_IPv6) {
        return false;
    }
    auto *sin = reinterpret_cast<sockaddr_in *>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(address.get_port());
    sin->sin_addr = in_from_nsapi_addr(a);
    *len = sizeof(sockaddr_in);
    return true;
}

SocketAddress from_sockaddr(const sockaddr *sa, socklen_t len) {
    if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        const auto *sin = reinterpret_cast<const sockaddr_in *>(sa);
        return SocketAddress(nsapi_addr_from_in(sin->sin_addr), ntohs(sin->sin_port));
    }
    if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        const auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        return SocketAddress(nsapi_addr_from_in6(sin6->sin6_addr), ntohs(sin6->sin6_port));
    }
    return SocketAddress();
}

}  // namespace meshwork::host
