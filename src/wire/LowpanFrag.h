// 6LoWPAN fragmentation headers (RFC 4944 section 5.3): FRAG1 (11000, 4 bytes) and FRAGN (11100,
// 5 bytes, offset in units of 8 octets), plus the dispatch classification of RFC 4944 5.1 and
// RFC 6282 so a receiver can walk mesh -> broadcast -> fragment -> IPHC headers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/Bytes.h"
#include "core/Error.h"

namespace meshwork::wire {

enum class LowpanDispatch : std::uint8_t {
    kNalp,   // 00xxxxxx: not a 6LoWPAN frame
    kIpv6,   // 01000001: uncompressed IPv6
    kHc1,    // 01000010: LOWPAN_HC1 (obsolete, unsupported)
    kBc0,    // 01010000: broadcast header
    kIphc,   // 011xxxxx
    kMesh,   // 10xxxxxx
    kFrag1,  // 11000xxx
    kFragN,  // 11100xxx
    kReserved,
};

LowpanDispatch lowpan_dispatch(std::uint8_t first_byte);
const char *lowpan_dispatch_name(LowpanDispatch d);

struct LowpanFragHeader {
    static constexpr std::size_t kFrag1Size = 4;
    static constexpr std::size_t kFragNSize = 5;
    static constexpr std::uint16_t kMaxDatagramSize = 0x7ff;

    bool first = true;                // FRAG1, else FRAGN
    std::uint16_t datagram_size = 0;  // 11 bits
    std::uint16_t datagram_tag = 0;
    std::uint8_t offset_units = 0;  // FRAGN only: offset / 8

    std::size_t offset_bytes() const {
        return first ? 0 : static_cast<std::size_t>(offset_units) * 8;
    }

    static Result<LowpanFragHeader> parse(ByteReader &r);
    static Result<LowpanFragHeader> parse(ByteSpan bytes) {
        ByteReader r(bytes);
        return parse(r);
    }
    std::size_t emitted_size() const { return first ? kFrag1Size : kFragNSize; }
    Status emit(ByteWriter &w) const;
    Status emit(MutableByteSpan out) const {
        ByteWriter w(out);
        return emit(w);
    }
    bool operator==(const LowpanFragHeader &o) const {
        return first == o.first && datagram_size == o.datagram_size &&
               datagram_tag == o.datagram_tag && (first || offset_units == o.offset_units);
    }
};

}  // namespace meshwork::wire
