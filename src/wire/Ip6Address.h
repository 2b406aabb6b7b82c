// IPv6 addresses (RFC 4291) as a 16-byte value type, with the classification helpers the stack
// and the 6LoWPAN adaptation need, interface identifiers (RFC 4291 2.5.1, RFC 4944 6) and text in
// the RFC 5952 canonical form. No allocation: text goes into a caller buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

/// Multicast scopes (RFC 4291 2.7, RFC 7346).
enum class Ip6Scope : std::uint8_t {
    kInterfaceLocal = 0x1,
    kLinkLocal = 0x2,
    kRealmLocal = 0x3,
    kAdminLocal = 0x4,
    kSiteLocal = 0x5,
    kOrganizationLocal = 0x8,
    kGlobal = 0xe,
};

/// An interface identifier: the low 64 bits of a unicast address.
struct Ip6Iid {
    std::uint8_t bytes[8] = {};

    /// Modified EUI-64 (RFC 4291 appendix A): the EUI-64 with the U/L bit (0x02 of byte 0)
    /// inverted.
    static Ip6Iid from_eui64(const std::uint8_t eui64[8]);
    /// The inverse of from_eui64.
    void to_eui64(std::uint8_t eui64[8]) const;
    /// The IID for an IEEE 802.15.4 short address: 0000:00ff:fe00:XXXX (RFC 4944 6, RFC 6282).
    static Ip6Iid from_short_address(std::uint16_t short_address);
    /// True if this IID has the 0000:00ff:fe00:XXXX short-address form.
    bool is_short_address_form() const;

    bool operator==(const Ip6Iid &o) const { return std::memcmp(bytes, o.bytes, 8) == 0; }
    bool operator!=(const Ip6Iid &o) const { return !(*this == o); }
};

struct Ip6Address {
    static constexpr std::size_t kSize = 16;
    /// Longest RFC 5952 text including the terminating NUL (INET6_ADDRSTRLEN).
    static constexpr std::size_t kTextMax = 46;

    std::uint8_t bytes[kSize] = {};

    constexpr Ip6Address() = default;
    static Ip6Address from_bytes(const std::uint8_t *p);
    static Ip6Address from_span(ByteSpan s);  // first 16 bytes; zeros if shorter
    /// Parses RFC 4291 2.2 text (all three forms, incl. embedded dotted IPv4). No zone index.
    static Result<Ip6Address> from_text(const char *text);
    /// Prefix (first 64 bits taken from `prefix`) plus interface identifier.
    static Ip6Address from_prefix_iid(const Ip6Address &prefix, const Ip6Iid &iid);
    /// fe80::<iid>
    static Ip6Address link_local(const Ip6Iid &iid);
    /// ff02::1:ffXX:XXXX for `unicast` (RFC 4291 2.7.1).
    static Ip6Address solicited_node(const Ip6Address &unicast);
    /// ffSS::<group> with scope SS and a 16-bit group id, e.g. (kLinkLocal, 1) = ff02::1.
    static Ip6Address multicast(Ip6Scope scope, std::uint16_t group);

    static Ip6Address unspecified() { return Ip6Address(); }
    static Ip6Address loopback();
    static Ip6Address all_nodes_link_local() { return multicast(Ip6Scope::kLinkLocal, 0x1); }
    static Ip6Address all_routers_link_local() { return multicast(Ip6Scope::kLinkLocal, 0x2); }
    static Ip6Address all_mldv2_routers() { return multicast(Ip6Scope::kLinkLocal, 0x16); }
    static Ip6Address all_rpl_nodes() { return multicast(Ip6Scope::kLinkLocal, 0x1a); }

    bool is_unspecified() const;
    bool is_loopback() const;
    bool is_multicast() const { return bytes[0] == 0xff; }
    /// fe80::/10
    bool is_link_local() const { return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80; }
    /// fc00::/7
    bool is_unique_local() const { return (bytes[0] & 0xfe) == 0xfc; }
    /// ::ffff:0:0/96
    bool is_ipv4_mapped() const;
    /// ff02::1:ff00:0/104
    bool is_solicited_node() const;
    bool is_unicast() const { return !is_multicast() && !is_unspecified(); }
    /// Multicast scope nibble (RFC 4291 2.7); 0 if not multicast.
    std::uint8_t multicast_scope() const { return is_multicast() ? (bytes[1] & 0x0f) : 0; }
    /// Link-local multicast, or link-local unicast.
    bool is_link_scope() const;

    Ip6Iid iid() const;
    void set_iid(const Ip6Iid &iid) { std::memcpy(bytes + 8, iid.bytes, 8); }
    /// True if the first `prefix_len` bits equal those of `prefix` (prefix_len <= 128).
    bool matches_prefix(const Ip6Address &prefix, unsigned prefix_len) const;
    /// A copy with all bits after `prefix_len` cleared.
    Ip6Address masked(unsigned prefix_len) const;
    /// Number of leading bits shared with `o` (0..128).
    unsigned common_prefix_length(const Ip6Address &o) const;

    /// Writes RFC 5952 text plus NUL. Returns the length without the NUL, or 0 if `size` is too
    /// small (out is then an empty string when size > 0).
    std::size_t to_text(char *out, std::size_t size) const;

    ByteSpan span() const { return ByteSpan(bytes, kSize); }
    bool operator==(const Ip6Address &o) const { return std::memcmp(bytes, o.bytes, kSize) == 0; }
    bool operator!=(const Ip6Address &o) const { return !(*this == o); }
    bool operator<(const Ip6Address &o) const { return std::memcmp(bytes, o.bytes, kSize) < 0; }
};

/// Hash for unordered containers keyed by address (FNV-1a over the 16 bytes).
struct Ip6AddressHash {
    std::size_t operator()(const Ip6Address &a) const {
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (std::uint8_t b : a.bytes)
            h = (h ^ b) * 0x100000001b3ull;
        return static_cast<std::size_t>(h);
    }
};

}  // namespace meshwork::wire
