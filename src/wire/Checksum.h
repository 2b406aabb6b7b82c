// The Internet checksum (RFC 1071): the 16-bit one's-complement of the one's-complement sum of
// 16-bit big-endian words. Accumulates over any number of spans of any (odd) length, as if they
// were one contiguous buffer, and adds the IPv6 pseudo-header of RFC 8200 8.1 for upper layers
// (UDP, TCP, ICMPv6).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "wire/Ip6Address.h"

namespace meshwork::wire {

/// The addresses of the IPv6 pseudo-header; the upper layer supplies length and next header.
struct PseudoHeader {
    Ip6Address src;
    Ip6Address dst;
};

class Checksum {
  public:
    /// Adds bytes; a span may end on an odd byte, which pairs with the next span's first byte.
    Checksum &add(ByteSpan bytes);
    Checksum &add_u8(std::uint8_t v) { return add(ByteSpan(&v, 1)); }
    Checksum &add_u16(std::uint16_t v);
    Checksum &add_u32(std::uint32_t v);
    /// add(bytes), also copying them to `out` (bytes.size bytes, not overlapping) in the same
    /// pass: for a payload copied into a packet as its checksum is computed.
    Checksum &add_copy(ByteSpan bytes, std::uint8_t *out);
    /// Adds what `next` accumulated, as if its bytes followed those added here. This must be
    /// at an even offset (no odd byte pending), as after a header.
    Checksum &append(const Checksum &next);
    /// RFC 8200 8.1: source, destination, 32-bit upper-layer length, three zero bytes and the
    /// next-header value. Must be added at an even offset (normally first).
    Checksum &add_ip6_pseudo_header(const Ip6Address &src, const Ip6Address &dst,
                                    std::uint32_t upper_layer_length, std::uint8_t next_header);
    Checksum &add_ip6_pseudo_header(const PseudoHeader &ph, std::uint32_t upper_layer_length,
                                    std::uint8_t next_header) {
        return add_ip6_pseudo_header(ph.src, ph.dst, upper_layer_length, next_header);
    }

    /// The folded one's-complement sum (not inverted). A received packet whose checksum field
    /// is included verifies when this equals 0xffff.
    std::uint16_t sum() const;
    /// The value to put in a checksum field: ~sum(). (UDP maps 0 to 0xffff itself.)
    std::uint16_t finish() const { return static_cast<std::uint16_t>(~sum()); }
    /// True if the data added so far, checksum field included, verifies.
    bool verifies() const { return sum() == 0xffff; }

    /// One-shot helper: finish() over one span.
    static std::uint16_t compute(ByteSpan bytes) { return Checksum().add(bytes).finish(); }
    /// finish() over pseudo-header plus an upper-layer message whose checksum field (at
    /// `checksum_offset`) is treated as zero.
    static std::uint16_t compute_upper(const PseudoHeader &ph, std::uint8_t next_header,
                                       ByteSpan message, std::size_t checksum_offset);
    /// True if an upper-layer message (checksum field included) verifies.
    static bool verify_upper(const PseudoHeader &ph, std::uint8_t next_header, ByteSpan message);

  private:
    std::uint64_t acc_ = 0;
    bool odd_ = false;  // an odd byte is pending in the high half of the next word
};

}  // namespace meshwork::wire
