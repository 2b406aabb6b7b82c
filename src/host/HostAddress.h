// Conversions between SocketAddress / nsapi_addr_t and kernel sockaddr structures. HostStack
// sockets are dual-stack AF_INET6 sockets when the host has IPv6, so IPv4 addresses travel as
// IPv4-mapped IPv6 addresses (RFC 4291 section 2.5.5.2) and are unmapped on the way back.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include "SocketAddress.h"
#include "nsapi_types.h"

namespace meshwork::host {

/// Builds the sockaddr for `address` on a socket of `family` (AF_INET6 or AF_INET). An
/// unspecified address becomes the wildcard of that family. Returns false when the address
/// cannot be expressed in the family (an IPv6 address on an IPv4-only host).
bool to_sockaddr(const SocketAddress &address, int family, sockaddr_storage *out, socklen_t *len);

/// The SocketAddress of a kernel address; IPv4-mapped IPv6 addresses come back as IPv4.
SocketAddress from_sockaddr(const sockaddr *sa, socklen_t len);

/// nsapi_addr_t <-> in_addr / in6_addr.
nsapi_addr_t nsapi_addr_from_in(const in_addr &a);
nsapi_addr_t nsapi_addr_from_in6(const in6_addr &a);
in_addr in_from_nsapi_addr(const nsapi_addr_t &a);
in6_addr in6_from_nsapi_addr(const nsapi_addr_t &a);

/// True when every byte of the address is zero (or it is UNSPEC).
bool is_unspecified(const nsapi_addr_t &a);

}  // namespace meshwork::host
