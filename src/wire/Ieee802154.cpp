#include "wire/Ieee802154.h"

#include <cstring>

namespace meshwork::wire {

namespace {

bool spans_equal(ByteSpan a, ByteSpan b) {
    return a.equals(b);
}

// Which PAN IDs an 802.15.4 frame carries, given its addressing modes and PAN ID compression
// bit. Returns false for a combination the version reserves.
bool pan_presence(MacFrameVersion version, MacAddrMode dmode, MacAddrMode smode, bool comp,
                  bool *has_dst, bool *has_src) {
    const bool d = dmode != MacAddrMode::kNone;
    const bool s = smode != MacAddrMode::kNone;
    if (version != MacFrameVersion::k2015) {
        // 2006 7.2.1.1.5: compression only when both addresses are present.
        if (comp && !(d && s))
            return false;
        *has_dst = d;
        *has_src = s && !comp;
        return true;
    }
    // 2015 table 7-2.
    if (!d && !s) {
        *has_dst = comp;
        *has_src = false;
    } else if (d && !s) {
        *has_dst = !comp;
        *has_src = false;
    } else if (!d && s) {
        *has_dst = false;
        *has_src = !comp;
    } else if (dmode == MacAddrMode::kExtended && smode == MacAddrMode::kExtended) {
        *has_dst = !comp;
        *has_src = false;
    } else {
        *has_dst = true;
        *has_src = !comp;
    }
    return true;
}

MacAddress read_address(ByteReader &r, MacAddrMode mode) {
    if (mode == MacAddrMode::kShort)
        return MacAddress::from_short(r.u16_le());
    if (mode == MacAddrMode::kExtended)
        return MacAddress::from_extended(r.u64_le());
    return MacAddress();
}

void write_address(ByteWriter &w, const MacAddress &a) {
    if (a.mode == MacAddrMode::kShort)
        w.u16_le(a.short_address);
    if (a.mode == MacAddrMode::kExtended)
        w.u64_le(a.extended);
}

constexpr std::uint16_t kHt1Descriptor = 0x7e << 7;  // element 0x7e, length 0, type 0
constexpr std::uint16_t kHt2Descriptor = 0x7f << 7;
constexpr std::uint16_t kPayloadTermination = 0x8000 | 0xf << 11;

}  // namespace

MacAddress MacAddress::from_eui64(const std::uint8_t eui64[8]) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = v << 8 | eui64[i];
    return from_extended(v);
}

void MacAddress::to_eui64(std::uint8_t eui64[8]) const {
    for (int i = 0; i < 8; ++i)
        eui64[i] = static_cast<std::uint8_t>(extended >> (56 - 8 * i));
}

bool MacAddress::operator==(const MacAddress &o) const {
    if (mode != o.mode)
        return false;
    if (mode == MacAddrMode::kShort)
        return short_address == o.short_address;
    if (mode == MacAddrMode::kExtended)
        return extended == o.extended;
    return true;
}

std::uint8_t AuxSecurityHeader::security_control() const {
    return static_cast<std::uint8_t>((security_level & 7) | (key_id_mode & 3) << 3 |
                                     (frame_counter_suppressed ? 0x20 : 0) |
                                     (asn_in_nonce ? 0x40 : 0));
}

Result<AuxSecurityHeader> AuxSecurityHeader::parse(ByteReader &r) {
    AuxSecurityHeader h;
    std::uint8_t sc = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (sc & 0x80)
        return Error::kMalformed;  // reserved bit
    h.security_level = sc & 7;
    h.key_id_mode = (sc >> 3) & 3;
    h.frame_counter_suppressed = (sc & 0x20) != 0;
    h.asn_in_nonce = (sc & 0x40) != 0;
    if (!h.frame_counter_suppressed)
        h.frame_counter = r.u32_le();
    r.copy(h.key_source, key_source_size(h.key_id_mode));
    if (h.key_id_mode != 0)
        h.key_index = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    return h;
}

std::size_t AuxSecurityHeader::emitted_size() const {
    return 1 + (frame_counter_suppressed ? 0 : 4) + key_source_size(key_id_mode) +
           (key_id_mode ? 1 : 0);
}

Status AuxSecurityHeader::emit(ByteWriter &w) const {
    if (security_level > 7 || key_id_mode > 3)
        return Error::kInvalidArgument;
    w.u8(security_control());
    if (!frame_counter_suppressed)
        w.u32_le(frame_counter);
    w.bytes(key_source, key_source_size(key_id_mode));
    if (key_id_mode != 0)
        w.u8(key_index);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool AuxSecurityHeader::operator==(const AuxSecurityHeader &o) const {
    return security_level == o.security_level && key_id_mode == o.key_id_mode &&
           frame_counter_suppressed == o.frame_counter_suppressed &&
           asn_in_nonce == o.asn_in_nonce &&
           (frame_counter_suppressed || frame_counter == o.frame_counter) &&
           std::memcmp(key_source, o.key_source, key_source_size(key_id_mode)) == 0 &&
           (key_id_mode == 0 || key_index == o.key_index);
}

namespace {

// Checks that `bytes` is a whole list of IEs of one kind: the descriptor's type bit (15) must be
// `payload` (a header IE has 0, a payload IE 1) and its length field is 7 bits for header IEs,
// 11 bits for payload IEs (802.15.4-2015 7.4.2.1, 7.4.3.1).
Status check_ie_list(ByteSpan bytes, bool payload) {
    const std::uint16_t length_mask = payload ? 0x7ff : 0x7f;
    std::size_t pos = 0;
    while (pos < bytes.size) {
        if (bytes.size - pos < 2)
            return Error::kTruncated;
        std::uint16_t d = static_cast<std::uint16_t>(bytes[pos] | bytes[pos + 1] << 8);
        if (((d & 0x8000) != 0) != payload)
            return Error::kMalformed;  // an IE of the other kind
        std::size_t len = d & length_mask;
        if (bytes.size - pos - 2 < len)
            return Error::kTruncated;
        pos += 2 + len;
    }
    return Status();
}

}  // namespace

Result<HeaderIeList> HeaderIeList::parse(ByteSpan bytes) {
    if (Status s = check_ie_list(bytes, false); !s)
        return s.error();
    HeaderIeList l;
    l.bytes_ = bytes;
    return l;
}

bool HeaderIeList::find(std::uint8_t id, HeaderIe *out) const {
    bool found = false;
    for_each([&](const HeaderIe &ie) {
        if (!found && ie.id == id) {
            found = true;
            if (out)
                *out = ie;
        }
    });
    return found;
}

void HeaderIeList::emit(ByteWriter &w, std::uint8_t id, ByteSpan content) {
    if (content.size > 0x7f) {
        w.need(SIZE_MAX);
        return;
    }
    w.u16_le(static_cast<std::uint16_t>(id << 7 | content.size));
    w.bytes(content);
}

Result<PayloadIeList> PayloadIeList::parse(ByteSpan bytes) {
    if (Status s = check_ie_list(bytes, true); !s)
        return s.error();
    PayloadIeList l;
    l.bytes_ = bytes;
    return l;
}

void PayloadIeList::emit(ByteWriter &w, std::uint8_t group, ByteSpan content) {
    if (content.size > 0x7ff || group > 0xf) {
        w.need(SIZE_MAX);
        return;
    }
    w.u16_le(static_cast<std::uint16_t>(0x8000 | group << 11 | content.size));
    w.bytes(content);
}

Result<CslIe> CslIe::parse(ByteSpan content) {
    if (content.size != 4 && content.size != 6)
        return content.size < 4 ? Error::kTruncated : Error::kMalformed;
    ByteReader r(content);
    CslIe c;
    c.phase = r.u16_le();
    c.period = r.u16_le();
    if (content.size == 6) {
        c.has_rendezvous_time = true;
        c.rendezvous_time = r.u16_le();
    }
    return c;
}

namespace {

// Byte-at-a-time table for the reflected ITU-T polynomial 0x8408, computed at compile time.
struct FcsTable {
    std::uint16_t t[256];
    constexpr FcsTable() : t() {
        for (unsigned i = 0; i < 256; ++i) {
            std::uint16_t crc = static_cast<std::uint16_t>(i);
            for (int b = 0; b < 8; ++b)
                crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408)
                                : static_cast<std::uint16_t>(crc >> 1);
            t[i] = crc;
        }
    }
};
constexpr FcsTable kFcsTable;

}  // namespace

std::uint16_t mac_fcs(ByteSpan bytes) {
    std::uint16_t crc = 0;
    for (std::size_t i = 0; i < bytes.size; ++i)
        crc = static_cast<std::uint16_t>((crc >> 8) ^ kFcsTable.t[(crc ^ bytes[i]) & 0xff]);
    return crc;
}

Result<MacFrame> MacFrame::parse(ByteSpan psdu) {
    if (psdu.size < 2 + kFcsSize)
        return Error::kTruncated;
    ByteSpan mpdu = psdu.subspan(0, psdu.size - kFcsSize);
    std::uint16_t fcs = static_cast<std::uint16_t>(psdu[psdu.size - 2] | psdu[psdu.size - 1] << 8);
    Result<MacFrame> f = parse_without_fcs(mpdu);
    if (!f)
        return f;
    if (mac_fcs(mpdu) != fcs)
        return Error::kChecksum;
    return f;
}

Result<MacFrame> MacFrame::parse_without_fcs(ByteSpan mpdu) {
    ByteReader r(mpdu);
    MacFrame f;
    std::uint16_t fcf = r.u16_le();
    if (!r.ok())
        return Error::kTruncated;
    std::uint8_t type = fcf & 7;
    if (type > 3)
        return Error::kUnsupported;  // multipurpose, fragment, extended, LLDN
    f.type = static_cast<MacFrameType>(type);
    f.security_enabled = (fcf & 0x0008) != 0;
    f.frame_pending = (fcf & 0x0010) != 0;
    f.ack_request = (fcf & 0x0020) != 0;
    const bool comp = (fcf & 0x0040) != 0;
    f.seq_suppressed = (fcf & 0x0100) != 0;
    const bool ie_present = (fcf & 0x0200) != 0;
    std::uint8_t dmode = (fcf >> 10) & 3;
    std::uint8_t version = (fcf >> 12) & 3;
    std::uint8_t smode = (fcf >> 14) & 3;
    if (version == 3)
        return Error::kUnsupported;
    if (dmode == 1 || smode == 1)
        return Error::kMalformed;
    f.version = static_cast<MacFrameVersion>(version);
    if (f.version != MacFrameVersion::k2015 && (f.seq_suppressed || ie_present))
        return Error::kMalformed;
    if (f.security_enabled && f.version == MacFrameVersion::k2003)
        return Error::kUnsupported;
    if (!pan_presence(f.version, static_cast<MacAddrMode>(dmode), static_cast<MacAddrMode>(smode),
                      comp, &f.has_dst_pan, &f.has_src_pan))
        return Error::kMalformed;
    if (!f.seq_suppressed)
        f.seq = r.u8();
    if (f.has_dst_pan)
        f.dst_pan = r.u16_le();
    f.dst = read_address(r, static_cast<MacAddrMode>(dmode));
    if (f.has_src_pan)
        f.src_pan = r.u16_le();
    f.src = read_address(r, static_cast<MacAddrMode>(smode));
    if (!r.ok())
        return Error::kTruncated;
    if (f.security_enabled) {
        Result<AuxSecurityHeader> sec = AuxSecurityHeader::parse(r);
        if (!sec)
            return sec.error();
        f.security = *sec;
        if (f.version != MacFrameVersion::k2015 &&
            (f.security.frame_counter_suppressed || f.security.asn_in_nonce))
            return Error::kMalformed;
    }
    const std::size_t mic = f.security_enabled ? f.security.mic_size() : 0;
    if (r.remaining() < mic)
        return Error::kTruncated;
    ByteSpan body = r.rest().subspan(0, r.remaining() - mic);
    f.mic = r.rest().subspan(r.remaining() - mic);

    std::size_t pos = 0;
    if (ie_present) {
        // Header IEs until HT1, HT2 or the end of the frame.
        bool payload_ies_follow = false;
        std::size_t hstart = 0;
        std::size_t hend = body.size;
        while (pos < body.size) {
            if (body.size - pos < 2)
                return Error::kTruncated;
            std::uint16_t d = static_cast<std::uint16_t>(body[pos] | body[pos + 1] << 8);
            if (d & 0x8000)
                return Error::kMalformed;
            std::size_t len = d & 0x7f;
            std::uint8_t id = static_cast<std::uint8_t>((d >> 7) & 0xff);
            if (id == 0x7e || id == 0x7f) {
                if (len != 0)
                    return Error::kMalformed;
                hend = pos;
                pos += 2;
                payload_ies_follow = id == 0x7e;
                break;
            }
            if (body.size - pos - 2 < len)
                return Error::kTruncated;
            pos += 2 + len;
            hend = pos;
        }
        f.header_ies = body.subspan(hstart, hend - hstart);
        if (payload_ies_follow) {
            if (f.security_enabled) {
                f.payload_ies_encrypted = true;
            } else {
                std::size_t pstart = pos;
                std::size_t pend = body.size;
                while (pos < body.size) {
                    if (body.size - pos < 2)
                        return Error::kTruncated;
                    std::uint16_t d = static_cast<std::uint16_t>(body[pos] | body[pos + 1] << 8);
                    if (!(d & 0x8000))
                        return Error::kMalformed;
                    std::size_t len = d & 0x7ff;
                    if (((d >> 11) & 0xf) == 0xf) {
                        if (len != 0)
                            return Error::kMalformed;
                        pend = pos;
                        pos += 2;
                        break;
                    }
                    if (body.size - pos - 2 < len)
                        return Error::kTruncated;
                    pos += 2 + len;
                    pend = pos;
                }
                f.payload_ies = body.subspan(pstart, pend - pstart);
                // A payload termination IE is only sent when payload follows; without payload
                // IEs HT1 would be meaningless.
                if (f.payload_ies.empty())
                    return Error::kMalformed;
            }
        }
        if (!payload_ies_follow && f.header_ies.empty() && pos == 0)
            return Error::kMalformed;
    }
    f.payload = body.subspan(pos);
    if (f.payload_ies_encrypted && f.payload.empty())
        return Error::kMalformed;
    return f;
}

Result<bool> MacFrame::pan_id_compression() const {
    for (int comp = 0; comp < 2; ++comp) {
        bool d = false, s = false;
        if (pan_presence(version, dst.mode, src.mode, comp != 0, &d, &s) && d == has_dst_pan &&
            s == has_src_pan)
            return comp != 0;
    }
    return Error::kInvalidArgument;
}

Result<std::uint16_t> MacFrame::frame_control() const {
    Result<bool> comp = pan_id_compression();
    if (!comp)
        return comp.error();
    const bool ie_present = !header_ies.empty() || !payload_ies.empty() || payload_ies_encrypted;
    if (version != MacFrameVersion::k2015 && (ie_present || seq_suppressed))
        return Error::kInvalidArgument;
    if (static_cast<std::uint8_t>(version) > 2 || static_cast<std::uint8_t>(type) > 3)
        return Error::kInvalidArgument;
    std::uint16_t fcf = static_cast<std::uint16_t>(type);
    if (security_enabled)
        fcf |= 0x0008;
    if (frame_pending)
        fcf |= 0x0010;
    if (ack_request)
        fcf |= 0x0020;
    if (*comp)
        fcf |= 0x0040;
    if (seq_suppressed)
        fcf |= 0x0100;
    if (ie_present)
        fcf |= 0x0200;
    fcf |= static_cast<std::uint16_t>(static_cast<std::uint16_t>(dst.mode) << 10);
    fcf |= static_cast<std::uint16_t>(static_cast<std::uint16_t>(version) << 12);
    fcf |= static_cast<std::uint16_t>(static_cast<std::uint16_t>(src.mode) << 14);
    return fcf;
}

std::size_t MacFrame::header_size() const {
    std::size_t n = 2 + (seq_suppressed ? 0 : 1) + (has_dst_pan ? 2 : 0) + dst.size() +
                    (has_src_pan ? 2 : 0) + src.size();
    if (security_enabled)
        n += security.emitted_size();
    n += header_ies.size;
    if (!payload_ies.empty() || payload_ies_encrypted)
        n += 2;  // HT1
    else if (!header_ies.empty() && !payload.empty())
        n += 2;  // HT2
    return n;
}

std::size_t MacFrame::emitted_size() const {
    std::size_t n = header_size() + payload_ies.size;
    if (!payload_ies.empty() && !payload.empty())
        n += 2;  // payload termination
    return n + payload.size + mic.size + kFcsSize;
}

Status MacFrame::emit_header(MutableByteSpan out, std::size_t *written) const {
    Result<std::uint16_t> fcf = frame_control();
    if (!fcf)
        return fcf.error();
    if (security_enabled && mic.size != security.mic_size())
        return Error::kInvalidArgument;
    if (!security_enabled && (!mic.empty() || payload_ies_encrypted))
        return Error::kInvalidArgument;
    if (security_enabled && !payload_ies.empty())
        return Error::kInvalidArgument;  // must be encrypted
    if (security_enabled && version == MacFrameVersion::k2003)
        return Error::kInvalidArgument;
    if (version != MacFrameVersion::k2015 && security_enabled &&
        (security.frame_counter_suppressed || security.asn_in_nonce))
        return Error::kInvalidArgument;
    if (!HeaderIeList::parse(header_ies) || !PayloadIeList::parse(payload_ies))
        return Error::kInvalidArgument;
    ByteWriter w(out);
    w.u16_le(*fcf);
    if (!seq_suppressed)
        w.u8(seq);
    if (has_dst_pan)
        w.u16_le(dst_pan);
    write_address(w, dst);
    if (has_src_pan)
        w.u16_le(src_pan);
    write_address(w, src);
    if (security_enabled) {
        Status s = security.emit(w);
        if (!s)
            return s;
    }
    w.bytes(header_ies);
    if (!payload_ies.empty() || payload_ies_encrypted)
        w.u16_le(kHt1Descriptor);
    else if (!header_ies.empty() && !payload.empty())
        w.u16_le(kHt2Descriptor);
    if (!w.ok())
        return Error::kNoSpace;
    if (written)
        *written = w.offset();
    return Status();
}

Status MacFrame::emit(MutableByteSpan out) const {
    std::size_t hlen = 0;
    Status s = emit_header(out, &hlen);
    if (!s)
        return s;
    if (emitted_size() > out.size)
        return Error::kNoSpace;
    ByteWriter w(out.subspan(hlen));
    w.bytes(payload_ies);
    if (!payload_ies.empty() && !payload.empty())
        w.u16_le(kPayloadTermination);
    w.bytes(payload);
    w.bytes(mic);
    if (!w.ok())
        return Error::kNoSpace;
    const std::size_t mpdu_len = hlen + w.offset();
    std::uint16_t fcs = mac_fcs(ByteSpan(out.data, mpdu_len));
    w.u16_le(fcs);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool MacFrame::command_id(std::uint8_t *id) const {
    if (type != MacFrameType::kMacCommand || payload.empty())
        return false;
    if (security_enabled && version == MacFrameVersion::k2015)
        return false;  // encrypted
    if (id)
        *id = payload[0];
    return true;
}

bool MacFrame::operator==(const MacFrame &o) const {
    return type == o.type && version == o.version && security_enabled == o.security_enabled &&
           frame_pending == o.frame_pending && ack_request == o.ack_request &&
           seq_suppressed == o.seq_suppressed && (seq_suppressed || seq == o.seq) &&
           has_dst_pan == o.has_dst_pan && (!has_dst_pan || dst_pan == o.dst_pan) && dst == o.dst &&
           has_src_pan == o.has_src_pan && (!has_src_pan || src_pan == o.src_pan) && src == o.src &&
           (!security_enabled || security == o.security) && spans_equal(header_ies, o.header_ies) &&
           spans_equal(payload_ies, o.payload_ies) &&
           payload_ies_encrypted == o.payload_ies_encrypted && spans_equal(payload, o.payload) &&
           spans_equal(mic, o.mic);
}

MacFrame MacFrame::imm_ack(std::uint8_t seq, bool frame_pending) {
    MacFrame f;
    f.type = MacFrameType::kAck;
    f.version = MacFrameVersion::k2006;
    f.seq = seq;
    f.frame_pending = frame_pending;
    return f;
}

Result<BeaconPayload> BeaconPayload::parse(ByteSpan payload) {
    ByteReader r(payload);
    BeaconPayload b;
    b.superframe_spec = r.u16_le();
    b.gts_spec = r.u8();
    std::size_t gts_count = b.gts_spec & 7;
    if (gts_count)
        b.gts_fields = r.take(1 + 3 * gts_count);
    b.pending_spec = r.u8();
    std::size_t pend =
        static_cast<std::size_t>(2 * (b.pending_spec & 7) + 8 * ((b.pending_spec >> 4) & 7));
    b.pending_addresses = r.take(pend);
    if (!r.ok())
        return Error::kTruncated;
    b.beacon_payload = r.rest();
    return b;
}

std::size_t BeaconPayload::emitted_size() const {
    return 2 + 1 + gts_fields.size + 1 + pending_addresses.size + beacon_payload.size;
}

Status BeaconPayload::emit(MutableByteSpan out) const {
    std::size_t gts_count = gts_spec & 7;
    if (gts_fields.size != (gts_count ? 1 + 3 * gts_count : 0))
        return Error::kInvalidArgument;
    if (pending_addresses.size !=
        static_cast<std::size_t>(2 * (pending_spec & 7) + 8 * ((pending_spec >> 4) & 7)))
        return Error::kInvalidArgument;
    ByteWriter w(out);
    w.u16_le(superframe_spec);
    w.u8(gts_spec);
    w.bytes(gts_fields);
    w.u8(pending_spec);
    w.bytes(pending_addresses);
    w.bytes(beacon_payload);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Result<ThreadBeacon> ThreadBeacon::parse(ByteSpan p) {
    ByteReader r(p);
    ThreadBeacon t;
    t.protocol_id = r.u8();
    t.version_flags = r.u8();
    r.copy(t.network_name, 16);
    r.copy(t.extended_pan_id, 8);
    if (!r.ok())
        return Error::kTruncated;
    if (t.protocol_id != kProtocolId)
        return Error::kMalformed;
    t.network_name[16] = '\0';
    return t;
}

}  // namespace meshwork::wire
