// A transport endpoint as protocol code sees it: an IPv6 address and a UDP/TCP port. IPv4 is held
// as an IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 2.5.5.2), so one 18-byte value with a
// total order keys tables (CoAP exchanges, TMF peers) in code that has no netsocket; the socket
// edge converts SocketAddress to and from it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace meshwork {

struct IpEndpoint {
    std::array<std::uint8_t, 16> address{};  // network byte order
    std::uint16_t port = 0;

    IpEndpoint() = default;
    IpEndpoint(const std::array<std::uint8_t, 16> &a, std::uint16_t p) : address(a), port(p) {}

    /// From 16 address bytes.
    static IpEndpoint v6(const std::uint8_t *bytes, std::uint16_t port);
    /// From 4 IPv4 address bytes, as ::ffff:a.b.c.d.
    static IpEndpoint v4(const std::uint8_t *bytes, std::uint16_t port);
    static IpEndpoint v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                         std::uint16_t port);

    /// True for an IPv4-mapped address.
    bool is_v4() const;
    /// The IPv4 address bytes (the last 4), meaningful when is_v4().
    const std::uint8_t *v4_bytes() const { return address.data() + 12; }
    /// True for the unspecified address (::), whatever the port.
    bool is_unspecified() const;

    /// "a.b.c.d:port" for IPv4, "[v6]:port" for IPv6 in RFC 5952 form (lower-case hex, the
    /// longest run of two or more zero groups as "::").
    std::string to_string() const;
    /// The address alone ("a.b.c.d" or the RFC 5952 text without brackets) into `out`,
    /// NUL-terminated, truncated to `size`. Returns the untruncated length.
    std::size_t format_address(char *out, std::size_t size) const;

    friend bool operator==(const IpEndpoint &a, const IpEndpoint &b) {
        return a.port == b.port && a.address == b.address;
    }
    friend bool operator!=(const IpEndpoint &a, const IpEndpoint &b) { return !(a == b); }
    /// Address bytes first, then port.
    friend bool operator<(const IpEndpoint &a, const IpEndpoint &b) {
        return a.address != b.address ? a.address < b.address : a.port < b.port;
    }
};

}  // namespace meshwork
