// Conversions between SocketAddress / nsapi_addr_t and kernel sockaddr structures. HostStack
// sockets are dual-stack AF_INET6 sockets when the host has IPv6, so IPv4 addresses travel as
// IPv4-mapped IPv6 addresses (RFC 4291 section 2.5.5.2) and are unmapped on the way back.
// The small conversions are inline: they are on every datagram's path.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "SocketAddress.h"
#include "nsapi_types.h"

namespace meshwork::host {

/// nsapi_addr_t <-> in_addr / in6_addr.
inline nsapi_addr_t nsapi_addr_from_in(const in_addr &a) {
    nsapi_addr_t out{};
    out.version = NSAPI_IPv4;
    std::memcpy(out.bytes, &a, 4);
    return out;
}

inline nsapi_addr_t nsapi_addr_from_in6(const in6_addr &a) {
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

inline in_addr in_from_nsapi_addr(const nsapi_addr_t &a) {
    in_addr out{};
    if (a.version == NSAPI_IPv4) {
        std::memcpy(&out, a.bytes, 4);
    }
    return out;
}

inline in6_addr in6_from_nsapi_addr(const nsapi_addr_t &a) {
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

/// True when every byte of the address is zero (or it is UNSPEC).
inline bool is_unspecified(const nsapi_addr_t &a) {
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

/// Builds the sockaddr for `address` on a socket of `family` (AF_INET6 or AF_INET). An
/// unspecified address becomes the wildcard of that family. Returns false when the address
/// cannot be expressed in the family (an IPv6 address on an IPv4-only host).
inline bool to_sockaddr(const SocketAddress &address, int family, sockaddr_storage *out,
                        socklen_t *len) {
    const nsapi_addr_t a = address.get_addr();
    if (family == AF_INET6) {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(address.get_port());
        // UNSPEC stays the all-zero wildcard, which accepts both families (IPV6_V6ONLY off).
        sin6.sin6_addr = in6_from_nsapi_addr(a);
        std::memcpy(out, &sin6, sizeof sin6);
        *len = sizeof(sockaddr_in6);
        return true;
    }
    if (a.version == NSAPI_IPv6) {
        return false;
    }
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(address.get_port());
    sin.sin_addr = in_from_nsapi_addr(a);
    std::memcpy(out, &sin, sizeof sin);
    *len = sizeof(sockaddr_in);
    return true;
}

/// The SocketAddress of a kernel address; IPv4-mapped IPv6 addresses come back as IPv4.
SocketAddress from_sockaddr(const sockaddr *sa, socklen_t len);
/// The same, stored into `*out` (no temporary: this is on every datagram's receive path).
void assign_from_sockaddr(SocketAddress *out, const sockaddr *sa, socklen_t len);

}  // namespace meshwork::host
