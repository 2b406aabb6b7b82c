#include "wire/Udp.h"

#include "wire/Ip6.h"

namespace meshwork::wire {

Result<UdpView> UdpView::parse(ByteSpan bytes, const PseudoHeader *verify) {
    if (bytes.size < kUdpHeaderSize)
        return Error::kTruncated;
    std::size_t length = static_cast<std::size_t>(bytes[4] << 8 | bytes[5]);
    if (length < kUdpHeaderSize)
        return Error::kMalformed;
    if (length > bytes.size)
        return Error::kTruncated;
    UdpView v(bytes);
    if (verify && !v.verify_checksum(*verify))
        return Error::kChecksum;
    return v;
}

bool UdpView::verify_checksum(const PseudoHeader &ph) const {
    if (checksum() == 0)
        return false;  // RFC 8200 8.1: zero checksums are not allowed
    return Checksum::verify_upper(ph, IpProto::kUdp, datagram());
}

Result<UdpHeader> UdpHeader::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = UdpView::parse(bytes, verify);
    if (!v)
        return v.error();
    UdpHeader h;
    h.src_port = v->src_port();
    h.dst_port = v->dst_port();
    h.payload_length = static_cast<std::uint16_t>(v->length() - kUdpHeaderSize);
    return h;
}

Status UdpHeader::emit(MutableByteSpan out, const PseudoHeader &ph) const {
    if (payload_length > 0xffff - kUdpHeaderSize)
        return Error::kInvalidArgument;
    if (out.size < emitted_size())
        return Error::kNoSpace;
    MutableByteSpan d = out.subspan(0, emitted_size());
    ByteWriter w(d);
    w.u16(src_port);
    w.u16(dst_port);
    w.u16(static_cast<std::uint16_t>(emitted_size()));
    w.u16(0);
    std::uint16_t sum = Checksum::compute_upper(ph, IpProto::kUdp, d, 6);
    if (sum == 0)
        sum = 0xffff;  // RFC 768: 0 means "no checksum"
    d.data[6] = static_cast<std::uint8_t>(sum >> 8);
    d.data[7] = static_cast<std::uint8_t>(sum);
    return Status();
}

Status UdpHeader::emit(MutableByteSpan out, ByteSpan payload, const PseudoHeader &ph) {
    if (payload.size > 0xffff - kUdpHeaderSize)
        return Error::kInvalidArgument;
    payload_length = static_cast<std::uint16_t>(payload.size);
    if (out.size < emitted_size())
        return Error::kNoSpace;
    if (payload.size > 0)
        std::memmove(out.data + kUdpHeaderSize, payload.data, payload.size);
    return emit(out, ph);
}

}  // namespace meshwork::wire
