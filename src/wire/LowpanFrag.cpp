#include "wire/LowpanFrag.h"

namespace meshwork::wire {

LowpanDispatch lowpan_dispatch(std::uint8_t b) {
    if ((b & 0xc0) == 0x00)
        return LowpanDispatch::kNalp;
    if ((b & 0xc0) == 0x80)
        return LowpanDispatch::kMesh;
    if ((b & 0xf8) == 0xc0)
        return LowpanDispatch::kFrag1;
    if ((b & 0xf8) == 0xe0)
        return LowpanDispatch::kFragN;
    if ((b & 0xe0) == 0x60)
        return LowpanDispatch::kIphc;  // RFC 6282 took over 0x7f (ESC) too
    if (b == 0x41)
        return LowpanDispatch::kIpv6;
    if (b == 0x42)
        return LowpanDispatch::kHc1;
    if (b == 0x50)
        return LowpanDispatch::kBc0;
    return LowpanDispatch::kReserved;
}

const char *lowpan_dispatch_name(LowpanDispatch d) {
    switch (d) {
        case LowpanDispatch::kNalp:
            return "nalp";
        case LowpanDispatch::kIpv6:
            return "ipv6";
        case LowpanDispatch::kHc1:
            return "hc1";
        case LowpanDispatch::kBc0:
            return "bc0";
        case LowpanDispatch::kIphc:
            return "iphc";
        case LowpanDispatch::kMesh:
            return "mesh";
        case LowpanDispatch::kFrag1:
            return "frag1";
        case LowpanDispatch::kFragN:
            return "fragn";
        case LowpanDispatch::kReserved:
            return "reserved";
    }
    return "reserved";
}

Result<LowpanFragHeader> LowpanFragHeader::parse(ByteReader &r) {
    std::uint16_t w0 = r.u16();
    if (!r.ok())
        return Error::kTruncated;
    LowpanFragHeader h;
    std::uint8_t kind = static_cast<std::uint8_t>(w0 >> 11);
    if (kind == 0x18)
        h.first = true;
    else if (kind == 0x1c)
        h.first = false;
    else
        return Error::kMalformed;
    h.datagram_size = w0 & 0x7ff;
    h.datagram_tag = r.u16();
    if (!h.first)
        h.offset_units = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    return h;
}

Status LowpanFragHeader::emit(ByteWriter &w) const {
    if (datagram_size > kMaxDatagramSize)
        return Error::kInvalidArgument;
    w.u16(static_cast<std::uint16_t>((first ? 0xc000 : 0xe000) | datagram_size));
    w.u16(datagram_tag);
    if (!first)
        w.u8(offset_units);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

}  // namespace meshwork::wire
