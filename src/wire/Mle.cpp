#include "wire/Mle.h"

namespace meshwork::wire {

const char *mle_command_name(std::uint8_t c) {
    static const char *const kNames[] = {
        "link-request",      "link-accept",          "link-accept-and-request",
        "link-reject",       "advertisement",        "update",
        "update-request",    "data-request",         "data-response",
        "parent-request",    "parent-response",      "child-id-request",
        "child-id-response", "child-update-request", "child-update-response",
        "announce",          "discovery-request",    "discovery-response"};
    return c < sizeof kNames / sizeof kNames[0] ? kNames[c] : "unknown";
}

Result<MleMessage> MleMessage::parse(ByteSpan b) {
    ByteReader r(b);
    MleMessage m;
    m.security_suite = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (m.security_suite == kSuiteUnsecured) {
        if (r.remaining() < 1)
            return Error::kTruncated;
        m.plaintext = r.rest();
        return m;
    }
    if (m.security_suite != kSuiteSecured)
        return Error::kMalformed;
    Result<AuxSecurityHeader> aux = AuxSecurityHeader::parse(r);
    if (!aux)
        return aux.error();
    m.aux = *aux;
    const std::size_t mic = m.aux.mic_size();
    if (r.remaining() < mic + 1)
        return Error::kTruncated;  // at least the command byte
    m.ciphertext = r.rest().subspan(0, r.remaining() - mic);
    m.mic = r.rest().subspan(r.remaining() - mic);
    return m;
}

std::size_t MleMessage::emitted_size() const {
    if (security_suite == kSuiteUnsecured)
        return 1 + plaintext.size;
    return 1 + aux.emitted_size() + ciphertext.size + mic.size;
}

Status MleMessage::emit(MutableByteSpan out) const {
    ByteWriter w(out);
    w.u8(security_suite);
    if (security_suite == kSuiteUnsecured) {
        if (plaintext.empty())
            return Error::kInvalidArgument;
        w.bytes(plaintext);
    } else if (security_suite == kSuiteSecured) {
        if (mic.size != aux.mic_size() || ciphertext.empty())
            return Error::kInvalidArgument;
        Status s = aux.emit(w);
        if (!s)
            return s;
        w.bytes(ciphertext);
        w.bytes(mic);
    } else {
        return Error::kInvalidArgument;
    }
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool MleMessage::operator==(const MleMessage &o) const {
    if (security_suite != o.security_suite)
        return false;
    if (security_suite == kSuiteUnsecured)
        return plaintext.equals(o.plaintext);
    return aux == o.aux && ciphertext.equals(o.ciphertext) && mic.equals(o.mic);
}

AuxSecurityHeader MleMessage::thread_aux_header(std::uint32_t key_sequence,
                                                std::uint32_t frame_counter) {
    AuxSecurityHeader a;
    a.security_level = 5;
    a.key_id_mode = 2;
    a.frame_counter = frame_counter;
    a.key_source[0] = static_cast<std::uint8_t>(key_sequence >> 24);
    a.key_source[1] = static_cast<std::uint8_t>(key_sequence >> 16);
    a.key_source[2] = static_cast<std::uint8_t>(key_sequence >> 8);
    a.key_source[3] = static_cast<std::uint8_t>(key_sequence);
    a.key_index = static_cast<std::uint8_t>((key_sequence & 0x7f) + 1);
    return a;
}

Result<MlePlaintext> MlePlaintext::parse(ByteSpan b) {
    if (b.empty())
        return Error::kTruncated;
    MlePlaintext p;
    p.command = b[0];
    Result<TlvList> l = TlvList::parse(b.subspan(1), kMleTlvFormat);
    if (!l)
        return l.error();
    p.tlvs = *l;
    return p;
}

Result<MleLeaderData> MleLeaderData::parse(ByteSpan v) {
    if (v.size < 8)
        return Error::kTruncated;
    if (v.size > 8)
        return Error::kMalformed;
    ByteReader r(v);
    MleLeaderData d;
    d.partition_id = r.u32();
    d.weighting = r.u8();
    d.data_version = r.u8();
    d.stable_data_version = r.u8();
    d.leader_router_id = r.u8();
    return d;
}

Status MleLeaderData::emit(ByteWriter &w) const {
    w.u32(partition_id);
    w.u8(weighting);
    w.u8(data_version);
    w.u8(stable_data_version);
    w.u8(leader_router_id);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

std::size_t MleRoute64::router_count() const {
    std::size_t n = 0;
    for (std::uint8_t b : router_mask)
        for (int i = 0; i < 8; ++i)
            n += (b >> i) & 1;
    return n;
}

Result<MleRoute64> MleRoute64::parse(ByteSpan v) {
    if (v.size < 9)
        return Error::kTruncated;
    MleRoute64 r;
    r.id_sequence = v[0];
    for (int i = 0; i < 8; ++i)
        r.router_mask[i] = v[1 + i];
    r.route_data = v.subspan(9);
    if (r.route_data.size != r.router_count())
        return Error::kMalformed;
    return r;
}

Result<MleConnectivity> MleConnectivity::parse(ByteSpan v) {
    if (v.size < 7)
        return Error::kTruncated;
    if (v.size != 7 && v.size != 10)
        return Error::kMalformed;
    ByteReader r(v);
    MleConnectivity c;
    c.flags = r.u8();
    c.link_quality_3 = r.u8();
    c.link_quality_2 = r.u8();
    c.link_quality_1 = r.u8();
    c.leader_cost = r.u8();
    c.id_sequence = r.u8();
    c.active_routers = r.u8();
    if (v.size == 10) {
        c.has_sed_info = true;
        c.sed_buffer_size = r.u16();
        c.sed_datagram_count = r.u8();
    }
    return c;
}

}  // namespace meshwork::wire
