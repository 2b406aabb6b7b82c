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

Status MlePlaintext::emit(MutableByteSpan out) const {
    ByteWriter w(out);
    w.u8(command);
    w.bytes(tlvs.bytes());
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

}  // namespace meshwork::wire
