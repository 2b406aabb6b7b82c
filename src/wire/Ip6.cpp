#include "wire/Ip6.h"

namespace meshwork::wire {

bool ip6_is_extension_header(std::uint8_t next_header) {
    return next_header == IpProto::kHopByHop || next_header == IpProto::kRouting ||
           next_header == IpProto::kFragment || next_header == IpProto::kDestOpts;
}

Result<Ip6View> Ip6View::parse(ByteSpan bytes) {
    if (bytes.size < kIp6HeaderSize)
        return Error::kTruncated;
    if ((bytes[0] >> 4) != 6)
        return Error::kMalformed;
    std::size_t payload = static_cast<std::size_t>(bytes[4] << 8 | bytes[5]);
    if (bytes.size < kIp6HeaderSize + payload)
        return Error::kTruncated;
    return Ip6View(bytes);
}

Ip6Header Ip6Header::from_view(const Ip6View &v) {
    Ip6Header h;
    h.traffic_class = v.traffic_class();
    h.flow_label = v.flow_label();
    h.payload_length = v.payload_length();
    h.next_header = v.next_header();
    h.hop_limit = v.hop_limit();
    h.src = v.src();
    h.dst = v.dst();
    return h;
}

Result<Ip6Header> Ip6Header::parse(ByteSpan bytes) {
    auto v = Ip6View::parse(bytes);
    if (!v)
        return v.error();
    return from_view(*v);
}

Status Ip6Header::emit(MutableByteSpan out) const {
    if (flow_label > 0xfffff)
        return Error::kInvalidArgument;
    if (out.size < kIp6HeaderSize)
        return Error::kNoSpace;
    ByteWriter w(out);
    w.u32(static_cast<std::uint32_t>(6u << 28 | static_cast<std::uint32_t>(traffic_class) << 20 |
                                     flow_label));
    w.u16(payload_length);
    w.u8(next_header);
    w.u8(hop_limit);
    w.bytes(src.span());
    w.bytes(dst.span());
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool Ip6Header::operator==(const Ip6Header &o) const {
    return traffic_class == o.traffic_class && flow_label == o.flow_label &&
           payload_length == o.payload_length && next_header == o.next_header &&
           hop_limit == o.hop_limit && src == o.src && dst == o.dst;
}

}  // namespace meshwork::wire
