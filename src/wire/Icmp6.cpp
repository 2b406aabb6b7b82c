#include "wire/Icmp6.h"

#include "wire/Ip6.h"

namespace meshwork::wire {

Result<Icmp6View> Icmp6View::parse(ByteSpan bytes, const PseudoHeader *verify) {
    if (bytes.size < kIcmp6HeaderSize)
        return Error::kTruncated;
    Icmp6View v(bytes);
    if (verify && !v.verify_checksum(*verify))
        return Error::kChecksum;
    return v;
}

bool Icmp6View::verify_checksum(const PseudoHeader &ph) const {
    return Checksum::verify_upper(ph, IpProto::kIcmp6, b_);
}

void icmp6_finish_checksum(MutableByteSpan message, const PseudoHeader &ph) {
    if (message.size < kIcmp6HeaderSize)
        return;
    std::uint16_t sum = Checksum::compute_upper(ph, IpProto::kIcmp6, message, 2);
    message.data[2] = static_cast<std::uint8_t>(sum >> 8);
    message.data[3] = static_cast<std::uint8_t>(sum);
}

Result<Icmp6Message> Icmp6Message::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = Icmp6View::parse(bytes, verify);
    if (!v)
        return v.error();
    const std::uint8_t t = v->type();
    if (t != Icmp6Type::kEchoRequest && t != Icmp6Type::kEchoReply && !icmp6_is_error(t)) {
        return Error::kUnsupported;  // ND, MLD, RPL have their own parsers
    }
    ByteReader r(v->body());
    Icmp6Message m;
    m.type = t;
    m.code = v->code();
    m.word = r.u32();
    if (!r.ok())
        return Error::kTruncated;
    m.data = r.rest();
    return m;
}

Icmp6Message Icmp6Message::echo(bool reply, std::uint16_t identifier, std::uint16_t sequence,
                                ByteSpan data) {
    Icmp6Message m;
    m.type = reply ? Icmp6Type::kEchoReply : Icmp6Type::kEchoRequest;
    m.word = static_cast<std::uint32_t>(identifier) << 16 | sequence;
    m.data = data;
    return m;
}

Icmp6Message Icmp6Message::error(std::uint8_t type, std::uint8_t code, std::uint32_t word,
                                 ByteSpan invoking) {
    Icmp6Message m;
    m.type = type;
    m.code = code;
    m.word = word;
    m.data = invoking.subspan(0, kIp6MinMtu - kIp6HeaderSize - 8);
    return m;
}

Status Icmp6Message::emit(MutableByteSpan out, const PseudoHeader &ph) const {
    if (out.size < emitted_size())
        return Error::kNoSpace;
    MutableByteSpan msg = out.subspan(0, emitted_size());
    ByteWriter w(msg);
    w.u8(type);
    w.u8(code);
    w.u16(0);
    w.u32(word);
    w.bytes(data);
    if (!w.ok())
        return Error::kNoSpace;
    icmp6_finish_checksum(msg, ph);
    return Status();
}

}  // namespace meshwork::wire
