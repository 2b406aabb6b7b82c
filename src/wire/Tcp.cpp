#include "wire/Tcp.h"

#include "wire/Ip6.h"
#include "wire/OptionIterator.h"

namespace meshwork::wire {

Result<TcpView> TcpView::parse(ByteSpan bytes, const PseudoHeader *verify) {
    if (bytes.size < kTcpHeaderSize)
        return Error::kTruncated;
    std::size_t hlen = (bytes[12] >> 4) * 4u;
    if (hlen < kTcpHeaderSize)
        return Error::kMalformed;
    if (hlen > bytes.size)
        return Error::kTruncated;
    TcpView v(bytes);
    if (verify && !v.verify_checksum(*verify))
        return Error::kChecksum;
    return v;
}

bool TcpView::verify_checksum(const PseudoHeader &ph) const {
    return Checksum::verify_upper(ph, IpProto::kTcp, b_);
}

Result<TcpHeader> TcpHeader::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = TcpView::parse(bytes, verify);
    if (!v)
        return v.error();
    TcpHeader h;
    h.src_port = v->src_port();
    h.dst_port = v->dst_port();
    h.seq = v->seq();
    h.ack = v->ack();
    h.flags = v->flags();
    h.window = v->window();
    h.urgent_pointer = v->urgent_pointer();
    h.payload_length = v->payload().size;

    OptionIterator it(v->options(), kTcpOptionFormat);
    Option o;
    while (it.next(o)) {
        ByteReader r(o.value);
        switch (o.type) {
            case TcpOptionKind::kMss:
                if (o.value.size != 2)
                    return Error::kMalformed;
                h.has_mss = true;
                h.mss = r.u16();
                break;
            case TcpOptionKind::kWindowScale:
                if (o.value.size != 1)
                    return Error::kMalformed;
                h.has_window_scale = true;
                h.window_scale = r.u8();
                break;
            case TcpOptionKind::kSackPermitted:
                if (o.value.size != 0)
                    return Error::kMalformed;
                h.sack_permitted = true;
                break;
            case TcpOptionKind::kTimestamp:
                if (o.value.size != 8)
                    return Error::kMalformed;
                h.has_timestamp = true;
                h.ts_val = r.u32();
                h.ts_ecr = r.u32();
                break;
            case TcpOptionKind::kSack: {
                if (o.value.size == 0 || o.value.size % 8 != 0 ||
                    o.value.size / 8 > kMaxSackBlocks) {
                    return Error::kMalformed;
                }
                h.sack_count = static_cast<std::uint8_t>(o.value.size / 8);
                for (std::size_t i = 0; i < h.sack_count; ++i) {
                    h.sack[i].left = r.u32();
                    h.sack[i].right = r.u32();
                }
                break;
            }
            default:
                break;  // NOP and unknown options
        }
    }
    if (it.error() != Error::kOk)
        return it.error();
    return h;
}

namespace {

// Options with NOPs keeping every option's 32-bit fields aligned, as common stacks lay them
// out: MSS(4) | NOP WS(4) | SACK-perm TS(12) or NOP NOP SACK-perm(4) or NOP NOP TS(12) |
// NOP NOP SACK(2+8n).
std::size_t aligned_options_size(const TcpHeader &h) {
    std::size_t n = 0;
    if (h.has_mss)
        n += 4;
    if (h.has_window_scale)
        n += 4;
    if (h.sack_permitted && h.has_timestamp) {
        n += 12;
    } else if (h.sack_permitted) {
        n += 4;
    } else if (h.has_timestamp) {
        n += 12;
    }
    if (h.sack_count > 0)
        n += 4 + 8u * h.sack_count;
    return n;
}

// Options back to back, then zero (EOL) padding to a multiple of 4: the fallback when the
// aligned layout would not fit in 40 bytes (e.g. MSS, SACK-perm and four SACK blocks).
std::size_t packed_options_size(const TcpHeader &h) {
    std::size_t n = 0;
    if (h.has_mss)
        n += 4;
    if (h.has_window_scale)
        n += 3;
    if (h.sack_permitted)
        n += 2;
    if (h.has_timestamp)
        n += 10;
    if (h.sack_count > 0)
        n += 2 + 8u * h.sack_count;
    return (n + 3) / 4 * 4;
}

bool use_packed(const TcpHeader &h) {
    return aligned_options_size(h) > kTcpMaxOptionsSize;
}

}  // namespace

std::size_t TcpHeader::options_size() const {
    return use_packed(*this) ? packed_options_size(*this) : aligned_options_size(*this);
}

Status TcpHeader::emit(MutableByteSpan out, const PseudoHeader &ph) const {
    return emit_impl(out, ph, nullptr);
}

Status TcpHeader::emit(MutableByteSpan out, const PseudoHeader &ph,
                       const Checksum &payload_sum) const {
    return emit_impl(out, ph, &payload_sum);
}

Status TcpHeader::emit_impl(MutableByteSpan out, const PseudoHeader &ph,
                            const Checksum *payload_sum) const {
    if (sack_count > kMaxSackBlocks)
        return Error::kInvalidArgument;
    const std::size_t opt = options_size();
    if (opt > kTcpMaxOptionsSize)
        return Error::kInvalidArgument;
    if (out.size < emitted_size())
        return Error::kNoSpace;
    const bool packed = use_packed(*this);
    MutableByteSpan seg = out.subspan(0, emitted_size());
    ByteWriter w(seg);
    w.u16(src_port);
    w.u16(dst_port);
    w.u32(seq);
    w.u32(ack);
    w.u8(static_cast<std::uint8_t>(header_size() / 4 << 4));
    w.u8(flags);
    w.u16(window);
    w.u16(0);
    w.u16(urgent_pointer);
    auto nops = [&](std::size_t n) {
        if (packed)
            return;
        for (std::size_t i = 0; i < n; ++i)
            w.u8(TcpOptionKind::kNop);
    };
    if (has_mss) {
        w.u8(TcpOptionKind::kMss);
        w.u8(4);
        w.u16(mss);
    }
    if (has_window_scale) {
        nops(1);
        w.u8(TcpOptionKind::kWindowScale);
        w.u8(3);
        w.u8(window_scale);
    }
    if (sack_permitted) {
        if (!has_timestamp)
            nops(2);
        w.u8(TcpOptionKind::kSackPermitted);
        w.u8(2);
    }
    if (has_timestamp) {
        if (!sack_permitted)
            nops(2);
        w.u8(TcpOptionKind::kTimestamp);
        w.u8(10);
        w.u32(ts_val);
        w.u32(ts_ecr);
    }
    if (sack_count > 0) {
        nops(2);
        w.u8(TcpOptionKind::kSack);
        w.u8(static_cast<std::uint8_t>(2 + 8 * sack_count));
        for (std::size_t i = 0; i < sack_count; ++i) {
            w.u32(sack[i].left);
            w.u32(sack[i].right);
        }
    }
    if (w.offset() < header_size())
        w.zeros(header_size() - w.offset());  // EOL padding
    if (!w.ok() || w.offset() != header_size())
        return Error::kNoSpace;
    std::uint16_t sum = 0;
    if (payload_sum) {
        Checksum c;
        c.add_ip6_pseudo_header(ph, static_cast<std::uint32_t>(seg.size), IpProto::kTcp);
        c.add(ByteSpan(seg.data, 16));
        c.add(ByteSpan(seg.data + 18, header_size() - 18));
        sum = c.append(*payload_sum).finish();
    } else {
        sum = Checksum::compute_upper(ph, IpProto::kTcp, seg, 16);
    }
    seg.data[16] = static_cast<std::uint8_t>(sum >> 8);
    seg.data[17] = static_cast<std::uint8_t>(sum);
    return Status();
}

Status TcpHeader::emit(MutableByteSpan out, ByteSpan payload, const PseudoHeader &ph) {
    payload_length = payload.size;
    if (out.size < emitted_size())
        return Error::kNoSpace;
    if (payload.size > 0)
        std::memmove(out.data + header_size(), payload.data, payload.size);
    return emit(out, ph);
}

bool TcpHeader::operator==(const TcpHeader &o) const {
    if (sack_count != o.sack_count)
        return false;
    for (std::size_t i = 0; i < sack_count && i < kMaxSackBlocks; ++i) {
        if (!(sack[i] == o.sack[i]))
            return false;
    }
    return src_port == o.src_port && dst_port == o.dst_port && seq == o.seq && ack == o.ack &&
           flags == o.flags && window == o.window && urgent_pointer == o.urgent_pointer &&
           has_mss == o.has_mss && mss == o.mss && has_window_scale == o.has_window_scale &&
           window_scale == o.window_scale && sack_permitted == o.sack_permitted &&
           has_timestamp == o.has_timestamp && ts_val == o.ts_val && ts_ecr == o.ts_ecr &&
           payload_length == o.payload_length;
}

}  // namespace meshwork::wire
