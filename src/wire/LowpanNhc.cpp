#include "wire/LowpanNhc.h"

namespace meshwork::wire {

Result<UdpNhc> UdpNhc::parse(ByteReader &r) {
    UdpNhc u;
    std::uint8_t b = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (!is_udp_nhc(b))
        return Error::kMalformed;
    u.checksum_elided = (b & 0x04) != 0;
    u.port_mode = b & 3;
    switch (u.port_mode) {
        case 0:
            u.src_port = r.u16();
            u.dst_port = r.u16();
            break;
        case 1:
            u.src_port = r.u16();
            u.dst_port = static_cast<std::uint16_t>(0xf000 | r.u8());
            break;
        case 2:
            u.src_port = static_cast<std::uint16_t>(0xf000 | r.u8());
            u.dst_port = r.u16();
            break;
        default: {
            std::uint8_t v = r.u8();
            u.src_port = static_cast<std::uint16_t>(0xf0b0 | v >> 4);
            u.dst_port = static_cast<std::uint16_t>(0xf0b0 | (v & 0xf));
            break;
        }
    }
    if (!u.checksum_elided)
        u.checksum = r.u16();
    if (!r.ok())
        return Error::kTruncated;
    return u;
}

std::uint8_t UdpNhc::best_port_mode(std::uint16_t src, std::uint16_t dst) {
    if ((src & 0xfff0) == 0xf0b0 && (dst & 0xfff0) == 0xf0b0)
        return 3;
    if ((dst & 0xff00) == 0xf000)
        return 1;
    if ((src & 0xff00) == 0xf000)
        return 2;
    return 0;
}

std::size_t UdpNhc::emitted_size() const {
    static constexpr std::size_t kPorts[4] = {4, 3, 3, 1};
    return 1 + kPorts[port_mode & 3] + (checksum_elided ? 0 : 2);
}

Status UdpNhc::emit(ByteWriter &w) const {
    switch (port_mode) {
        case 0:
            break;
        case 1:
            if ((dst_port & 0xff00) != 0xf000)
                return Error::kInvalidArgument;
            break;
        case 2:
            if ((src_port & 0xff00) != 0xf000)
                return Error::kInvalidArgument;
            break;
        case 3:
            if ((src_port & 0xfff0) != 0xf0b0 || (dst_port & 0xfff0) != 0xf0b0)
                return Error::kInvalidArgument;
            break;
        default:
            return Error::kInvalidArgument;
    }
    w.u8(static_cast<std::uint8_t>(0xf0 | (checksum_elided ? 4 : 0) | port_mode));
    switch (port_mode) {
        case 0:
            w.u16(src_port);
            w.u16(dst_port);
            break;
        case 1:
            w.u16(src_port);
            w.u8(static_cast<std::uint8_t>(dst_port));
            break;
        case 2:
            w.u8(static_cast<std::uint8_t>(src_port));
            w.u16(dst_port);
            break;
        default:
            w.u8(static_cast<std::uint8_t>((src_port & 0xf) << 4 | (dst_port & 0xf)));
            break;
    }
    if (!checksum_elided)
        w.u16(checksum);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

int ExtHeaderNhc::protocol_of(std::uint8_t eid) {
    switch (eid) {
        case kHopByHop:
            return IpProto::kHopByHop;
        case kRouting:
            return IpProto::kRouting;
        case kFragment:
            return IpProto::kFragment;
        case kDestOpts:
            return IpProto::kDestOpts;
        case kMobility:
            return IpProto::kMobility;
        case kIpv6:
            return IpProto::kIpv6;
        default:
            return -1;
    }
}

int ExtHeaderNhc::eid_of(std::uint8_t protocol) {
    switch (protocol) {
        case IpProto::kHopByHop:
            return kHopByHop;
        case IpProto::kRouting:
            return kRouting;
        case IpProto::kFragment:
            return kFragment;
        case IpProto::kDestOpts:
            return kDestOpts;
        case IpProto::kMobility:
            return kMobility;
        case IpProto::kIpv6:
            return kIpv6;
        default:
            return -1;
    }
}

Result<ExtHeaderNhc> ExtHeaderNhc::parse(ByteReader &r) {
    ExtHeaderNhc e;
    std::uint8_t b = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (!is_ext_nhc(b))
        return Error::kMalformed;
    e.eid = (b >> 1) & 7;
    e.next_header_compressed = (b & 1) != 0;
    if (protocol_of(e.eid) < 0)
        return Error::kUnsupported;
    if (e.eid == kIpv6) {
        // The encapsulated header follows directly as LOWPAN_IPHC.
        e.next_header_compressed = true;
        return e;
    }
    if (!e.next_header_compressed)
        e.next_header = r.u8();
    std::uint8_t len = r.u8();
    e.data = r.take(len);
    if (!r.ok())
        return Error::kTruncated;
    return e;
}

std::size_t ExtHeaderNhc::emitted_size() const {
    if (eid == kIpv6)
        return 1;
    return 1 + (next_header_compressed ? 0 : 1) + 1 + data.size;
}

Status ExtHeaderNhc::emit(ByteWriter &w) const {
    if (protocol_of(eid) < 0 || data.size > 0xff)
        return Error::kInvalidArgument;
    // An encapsulated IPv6 header is always sent as 0xee (N clear); either N is accepted.
    w.u8(static_cast<std::uint8_t>(0xe0 | eid << 1 |
                                   (next_header_compressed && eid != kIpv6 ? 1 : 0)));
    if (eid != kIpv6) {
        if (!next_header_compressed)
            w.u8(next_header);
        w.u8(static_cast<std::uint8_t>(data.size));
        w.bytes(data);
    }
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

}  // namespace meshwork::wire
