// 6LoWPAN next-header compression (RFC 6282 section 4): LOWPAN_NHC for UDP (4.3, every port form
// and checksum elision) and for IPv6 extension headers (4.2: hop-by-hop, routing, fragment,
// destination options, mobility, and an encapsulated IPv6 header). The IPHC codec drives these;
// they are exposed for the decoder tool and for tests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"
#include "wire/Ip6.h"

namespace meshwork::wire {

/// The UDP NHC (11110CPP) and its inline fields.
struct UdpNhc {
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    bool checksum_elided = false;
    std::uint16_t checksum = 0;  // valid unless elided
    /// The P bits chosen on parse (or to be emitted: see best_port_mode()).
    std::uint8_t port_mode = 0;

    static bool is_udp_nhc(std::uint8_t b) { return (b & 0xf8) == 0xf0; }
    /// Reads the NHC byte and the inline fields.
    static Result<UdpNhc> parse(ByteReader &r);
    /// Smallest P encoding for the ports.
    static std::uint8_t best_port_mode(std::uint16_t src, std::uint16_t dst);
    std::size_t emitted_size() const;
    /// Writes with port_mode (which must be able to express the ports).
    Status emit(ByteWriter &w) const;
};

/// Extension header NHC (1110EEEN).
struct ExtHeaderNhc {
    /// EID values (RFC 6282 4.2).
    enum Eid : std::uint8_t {
        kHopByHop = 0,
        kRouting = 1,
        kFragment = 2,
        kDestOpts = 3,
        kMobility = 4,
        kIpv6 = 7,
    };
    std::uint8_t eid = 0;
    bool next_header_compressed = false;  // N bit
    std::uint8_t next_header = 0;         // inline next header when N == 0 (not for kIpv6)
    ByteSpan data;                        // header bytes after next-header and length fields

    static bool is_ext_nhc(std::uint8_t b) { return (b & 0xf0) == 0xe0; }
    static Result<ExtHeaderNhc> parse(ByteReader &r);
    std::size_t emitted_size() const;
    Status emit(ByteWriter &w) const;

    /// IPv6 protocol number of an EID, or -1 if reserved.
    static int protocol_of(std::uint8_t eid);
    /// EID of an IPv6 protocol number, or -1 if it has no NHC encoding.
    static int eid_of(std::uint8_t protocol);
};

}  // namespace meshwork::wire
