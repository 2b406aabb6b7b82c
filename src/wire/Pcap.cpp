#include "wire/Pcap.h"

#include <cstring>

namespace meshwork::wire {

namespace {

std::uint32_t rd32(const std::uint8_t *p, bool swapped) {
    return swapped ? static_cast<std::uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]
                   : static_cast<std::uint32_t>(p[3]) << 24 | p[2] << 16 | p[1] << 8 | p[0];
}

std::size_t pad4(std::size_t n) {
    return (n + 3) & ~std::size_t{3};
}

}  // namespace

Result<PcapFileHeader> PcapFileHeader::parse(ByteSpan b) {
    if (b.size < kSize)
        return Error::kTruncated;
    PcapFileHeader h;
    std::uint32_t magic = rd32(b.data, false);
    if (magic == kMagicMicro || magic == kMagicNano) {
        h.swapped = false;
    } else {
        magic = rd32(b.data, true);
        if (magic != kMagicMicro && magic != kMagicNano)
            return Error::kMalformed;
        h.swapped = true;
    }
    h.nanosecond = magic == kMagicNano;
    h.snap_len = rd32(b.data + 16, h.swapped);
    h.link_type = rd32(b.data + 20, h.swapped) & 0x0fffffff;  // upper bits: FCS length hints
    return h;
}

Status PcapFileHeader::emit(MutableByteSpan out) const {
    ByteWriter w(out);
    w.u32_le(nanosecond ? kMagicNano : kMagicMicro);
    w.u16_le(2);
    w.u16_le(4);
    w.u32_le(0);  // thiszone
    w.u32_le(0);  // sigfigs
    w.u32_le(snap_len);
    w.u32_le(link_type);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Result<TapHeader> TapHeader::parse(ByteSpan b) {
    ByteReader r(b);
    std::uint8_t version = r.u8();
    r.u8();
    std::uint16_t len = r.u16_le();
    if (!r.ok())
        return Error::kTruncated;
    if (version != 0)
        return Error::kUnsupported;
    if (len < 4 || len % 4 != 0)
        return Error::kMalformed;
    if (len > b.size)
        return Error::kTruncated;
    TapHeader t;
    t.has_fcs_type = false;
    ByteReader tr(b.subspan(4, len - 4u));
    while (!tr.at_end()) {
        std::uint16_t type = tr.u16_le();
        std::uint16_t tlen = tr.u16_le();
        ByteSpan v = tr.take(tlen);
        tr.skip(pad4(tlen) - tlen);
        if (!tr.ok())
            return Error::kMalformed;
        ByteReader vr(v);
        switch (type) {
            case kFcsType:
                if (tlen != 1)
                    return Error::kMalformed;
                t.has_fcs_type = true;
                t.fcs_type = vr.u8();
                break;
            case kRss: {
                if (tlen != 4)
                    return Error::kMalformed;
                std::uint32_t bits = vr.u32_le();
                std::memcpy(&t.rss_dbm, &bits, 4);
                t.has_rss = true;
                break;
            }
            case kChannelAssignment:
                if (tlen != 3)
                    return Error::kMalformed;
                t.has_channel = true;
                t.channel = vr.u16_le();
                t.page = vr.u8();
                break;
            case kLqi:
                if (tlen != 1)
                    return Error::kMalformed;
                t.has_lqi = true;
                t.lqi = vr.u8();
                break;
            default:
                break;  // other TLVs are skipped
        }
    }
    t.frame = b.subspan(len);
    return t;
}

std::size_t TapHeader::emitted_size() const {
    return 4 + (has_fcs_type ? 8 : 0) + (has_rss ? 8 : 0) + (has_channel ? 8 : 0) +
           (has_lqi ? 8 : 0);
}

Status TapHeader::emit(ByteWriter &w) const {
    w.u8(0);
    w.u8(0);
    w.u16_le(static_cast<std::uint16_t>(emitted_size()));
    if (has_fcs_type) {
        w.u16_le(kFcsType);
        w.u16_le(1);
        w.u8(fcs_type);
        w.zeros(3);
    }
    if (has_rss) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &rss_dbm, 4);
        w.u16_le(kRss);
        w.u16_le(4);
        w.u32_le(bits);
    }
    if (has_channel) {
        w.u16_le(kChannelAssignment);
        w.u16_le(3);
        w.u16_le(channel);
        w.u8(page);
        w.zeros(1);
    }
    if (has_lqi) {
        w.u16_le(kLqi);
        w.u16_le(1);
        w.u8(lqi);
        w.zeros(3);
    }
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

std::size_t pcap_record_size(PcapLinkType link_type, std::size_t psdu_len, const TapHeader *tap) {
    switch (link_type) {
        case PcapLinkType::kEthernet:
        case PcapLinkType::kIeee802154WithFcs:
            return PcapRecord::kHeaderSize + psdu_len;
        case PcapLinkType::kIeee802154NoFcs:
            return PcapRecord::kHeaderSize + (psdu_len >= 2 ? psdu_len - 2 : 0);
        case PcapLinkType::kIeee802154Tap:
            return PcapRecord::kHeaderSize + (tap ? tap->emitted_size() : 0) + psdu_len -
                   (tap && tap->fcs_size() == 0 && psdu_len >= 2 ? 2 : 0);
    }
    return 0;
}

Status pcap_emit_record(PcapLinkType link_type, std::uint64_t timestamp_ns, ByteSpan psdu,
                        const TapHeader *tap, MutableByteSpan out, std::size_t *written,
                        bool nanosecond) {
    if (psdu.size < 2)
        return Error::kInvalidArgument;
    if (link_type == PcapLinkType::kIeee802154Tap && (!tap || tap->fcs_size() > 2))
        return Error::kInvalidArgument;
    ByteSpan frame = psdu;
    if (link_type == PcapLinkType::kIeee802154NoFcs ||
        (link_type == PcapLinkType::kIeee802154Tap && tap->fcs_size() == 0))
        frame = psdu.subspan(0, psdu.size - 2);
    const std::size_t caplen =
        frame.size +
        (link_type == PcapLinkType::kIeee802154Tap ? tap->emitted_size() : std::size_t{0});
    ByteWriter w(out);
    w.u32_le(static_cast<std::uint32_t>(timestamp_ns / 1000000000u));
    const std::uint64_t frac = timestamp_ns % 1000000000u;
    w.u32_le(static_cast<std::uint32_t>(nanosecond ? frac : frac / 1000u));
    w.u32_le(static_cast<std::uint32_t>(caplen));
    w.u32_le(static_cast<std::uint32_t>(caplen));
    if (link_type == PcapLinkType::kIeee802154Tap) {
        Status s = tap->emit(w);
        if (!s)
            return s;
    }
    w.bytes(frame);
    if (!w.ok())
        return Error::kNoSpace;
    if (written)
        *written = w.offset();
    return Status();
}

Result<PcapReader> PcapReader::parse(ByteSpan file) {
    Result<PcapFileHeader> h = PcapFileHeader::parse(file);
    if (!h)
        return h.error();
    PcapReader r;
    r.file_ = file;
    r.header_ = *h;
    return r;
}

Result<bool> PcapReader::next(PcapRecord *out) {
    if (pos_ >= file_.size)
        return false;
    if (file_.size - pos_ < PcapRecord::kHeaderSize)
        return Error::kTruncated;
    const std::uint8_t *p = file_.data + pos_;
    std::uint32_t sec = rd32(p, header_.swapped);
    std::uint32_t frac = rd32(p + 4, header_.swapped);
    std::uint32_t caplen = rd32(p + 8, header_.swapped);
    std::uint32_t origlen = rd32(p + 12, header_.swapped);
    if (file_.size - pos_ - PcapRecord::kHeaderSize < caplen)
        return Error::kTruncated;
    out->timestamp_ns = static_cast<std::uint64_t>(sec) * 1000000000u +
                        (header_.nanosecond ? frac : static_cast<std::uint64_t>(frac) * 1000u);
    out->data = file_.subspan(pos_ + PcapRecord::kHeaderSize, caplen);
    out->original_length = origlen;
    pos_ += PcapRecord::kHeaderSize + caplen;
    return true;
}

Result<PcapMacFrame> pcap_mac_frame(std::uint32_t link_type, ByteSpan data) {
    PcapMacFrame f;
    switch (link_type) {
        case 195:
            f.frame = data;
            f.has_fcs = true;
            return f;
        case 230:
            f.frame = data;
            return f;
        case 283: {
            Result<TapHeader> t = TapHeader::parse(data);
            if (!t)
                return t.error();
            if (t->fcs_size() == 4)
                return Error::kUnsupported;
            f.tap = *t;
            f.has_tap = true;
            f.frame = t->frame;
            f.has_fcs = t->fcs_size() == 2;
            return f;
        }
        default:
            return Error::kUnsupported;
    }
}

}  // namespace meshwork::wire
