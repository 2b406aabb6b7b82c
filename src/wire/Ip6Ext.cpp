#include "wire/Ip6Ext.h"

#include "wire/OptionIterator.h"

namespace meshwork::wire {

std::size_t find_hop_by_hop_option(ByteSpan packet, bool (*match)(const Option &), Option *found) {
    if (packet.size < kIp6HeaderSize + 8 || packet[6] != IpProto::kHopByHop)
        return 0;
    auto len = ip6_ext_header_length(IpProto::kHopByHop, packet.subspan(kIp6HeaderSize));
    if (!len)
        return 0;
    const std::size_t base = kIp6HeaderSize + 2;
    OptionIterator it(packet.subspan(base, *len - 2), kIp6OptionFormat);
    Option o;
    for (;;) {
        const std::size_t at = base + it.offset();
        if (!it.next(o))
            return 0;
        if (match(o)) {
            if (found)
                *found = o;
            return at + 2;
        }
    }
}

Result<std::size_t> ip6_ext_header_length(std::uint8_t type, ByteSpan bytes) {
    if (bytes.size < 8)
        return Error::kTruncated;
    std::size_t len = type == IpProto::kFragment ? kIp6FragmentHeaderSize : (bytes[1] + 1u) * 8u;
    if (len > bytes.size)
        return Error::kTruncated;
    return len;
}

bool Ip6ExtChain::next(Ip6ExtHeader &out) {
    if (stop_ || error_ != Error::kOk || !ip6_is_extension_header(next_))
        return false;
    ByteSpan rest = payload_.subspan(pos_);
    auto len = ip6_ext_header_length(next_, rest);
    if (!len) {
        error_ = len.error();
        return false;
    }
    out.type = next_;
    out.next_header = rest[0];
    out.bytes = rest.subspan(0, *len);
    if (next_ == IpProto::kFragment) {
        std::uint16_t off = static_cast<std::uint16_t>((rest[2] << 8 | rest[3]) >> 3);
        if (off != 0)
            stop_ = true;  // the rest is fragment data, not headers
    }
    pos_ += *len;
    next_ = out.next_header;
    return true;
}

// ---- Options headers -----------------------------------------------------------------------

Result<Ip6OptionsHeader> Ip6OptionsHeader::parse(ByteSpan bytes) {
    if (bytes.size < 2)
        return Error::kTruncated;
    std::size_t len = (bytes[1] + 1u) * 8u;
    if (len > bytes.size)
        return Error::kTruncated;
    Ip6OptionsHeader h;
    h.next_header = bytes[0];
    OptionIterator it(bytes.subspan(2, len - 2), kIp6OptionFormat);
    Option o;
    while (it.next(o)) {
        if (o.type == Ip6OptionType::kPad1 || o.type == Ip6OptionType::kPadN)
            continue;
        if (o.type == Ip6OptionType::kRpl || o.type == Ip6OptionType::kRplRfc9008) {
            if (h.has_rpl)
                return Error::kMalformed;  // RFC 6553: at most one
            if (o.value.size < 4)
                return Error::kMalformed;
            h.has_rpl = true;
            h.rpl.option_type = o.type;
            h.rpl.flags = o.value[0];
            h.rpl.instance_id = o.value[1];
            h.rpl.sender_rank = static_cast<std::uint16_t>(o.value[2] << 8 | o.value[3]);
            continue;
        }
        if (h.option_count == kMaxOptions)
            return Error::kUnsupported;
        h.options[h.option_count].type = o.type;
        h.options[h.option_count].value = o.value;
        ++h.option_count;
    }
    if (it.error() != Error::kOk)
        return it.error();
    return h;
}

std::size_t Ip6OptionsHeader::emitted_size() const {
    std::size_t n = 2;
    if (has_rpl)
        n += 6;
    for (std::size_t i = 0; i < option_count && i < kMaxOptions; ++i)
        n += 2 + options[i].value.size;
    return (n + 7) / 8 * 8;
}

Status Ip6OptionsHeader::emit(MutableByteSpan out) const {
    if (option_count > kMaxOptions)
        return Error::kInvalidArgument;
    for (std::size_t i = 0; i < option_count; ++i) {
        if (options[i].value.size > 255 || options[i].type == Ip6OptionType::kPad1 ||
            options[i].type == Ip6OptionType::kPadN) {
            return Error::kInvalidArgument;
        }
    }
    const std::size_t size = emitted_size();
    if (size > 256 * 8)
        return Error::kInvalidArgument;
    if (out.size < size)
        return Error::kNoSpace;
    ByteWriter w(out.subspan(0, size));
    w.u8(next_header);
    w.u8(static_cast<std::uint8_t>(size / 8 - 1));
    if (has_rpl) {
        w.u8(rpl.option_type);
        w.u8(4);
        w.u8(rpl.flags);
        w.u8(rpl.instance_id);
        w.u16(rpl.sender_rank);
    }
    for (std::size_t i = 0; i < option_count; ++i) {
        w.u8(options[i].type);
        w.u8(static_cast<std::uint8_t>(options[i].value.size));
        w.bytes(options[i].value);
    }
    std::size_t pad = size - w.offset();
    while (pad > 0) {  // at most 7 bytes here
        write_ip6_padding(w, pad);
        pad = size - w.offset();
    }
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool Ip6OptionsHeader::operator==(const Ip6OptionsHeader &o) const {
    if (next_header != o.next_header || has_rpl != o.has_rpl || option_count != o.option_count) {
        return false;
    }
    if (has_rpl && !(rpl == o.rpl))
        return false;
    for (std::size_t i = 0; i < option_count && i < kMaxOptions; ++i) {
        if (options[i].type != o.options[i].type || !options[i].value.equals(o.options[i].value)) {
            return false;
        }
    }
    return true;
}

// ---- Fragment header -----------------------------------------------------------------------

Result<Ip6FragmentHeader> Ip6FragmentHeader::parse(ByteSpan bytes) {
    ByteReader r(bytes);
    Ip6FragmentHeader h;
    h.next_header = r.u8();
    r.u8();  // reserved
    std::uint16_t v = r.u16();
    h.identification = r.u32();
    if (!r.ok())
        return Error::kTruncated;
    h.offset_units = static_cast<std::uint16_t>(v >> 3);
    h.more = v & 1;
    return h;
}

Status Ip6FragmentHeader::emit(MutableByteSpan out) const {
    if (offset_units > 0x1fff)
        return Error::kInvalidArgument;
    if (out.size < kIp6FragmentHeaderSize)
        return Error::kNoSpace;
    ByteWriter w(out);
    w.u8(next_header);
    w.u8(0);
    w.u16(static_cast<std::uint16_t>(offset_units << 3 | (more ? 1 : 0)));
    w.u32(identification);
    return Status();
}

// ---- Routing headers -----------------------------------------------------------------------

Result<Ip6RoutingHeaderView> Ip6RoutingHeaderView::parse(ByteSpan bytes) {
    auto len = ip6_ext_header_length(IpProto::kRouting, bytes);
    if (!len)
        return len.error();
    Ip6RoutingHeaderView v;
    v.next_header = bytes[0];
    v.hdr_ext_len = bytes[1];
    v.routing_type = bytes[2];
    v.segments_left = bytes[3];
    v.bytes = bytes.subspan(0, *len);
    return v;
}

Result<RplSourceRouteHeader> RplSourceRouteHeader::parse(ByteSpan bytes,
                                                         const Ip6Address &reference) {
    auto rv = Ip6RoutingHeaderView::parse(bytes);
    if (!rv)
        return rv.error();
    if (rv->routing_type != kRoutingTypeRplSourceRoute)
        return Error::kMalformed;
    RplSourceRouteHeader h;
    h.next_header = rv->next_header;
    h.segments_left = rv->segments_left;
    h.cmpr_i = static_cast<std::uint8_t>(bytes[4] >> 4);
    h.cmpr_e = static_cast<std::uint8_t>(bytes[4] & 0x0f);
    const std::size_t pad = bytes[5] >> 4;
    // RFC 6554 3: n = ((HdrExtLen * 8 - Pad - (16 - CmprE)) / (16 - CmprI)) + 1
    const std::size_t area = rv->hdr_ext_len * 8u;
    const std::size_t size_i = 16u - h.cmpr_i;
    const std::size_t size_e = 16u - h.cmpr_e;
    if (area < pad + size_e)
        return Error::kMalformed;
    const std::size_t middle = area - pad - size_e;
    if (middle % size_i != 0)
        return Error::kMalformed;
    const std::size_t n = middle / size_i + 1;
    if (n > kMaxAddresses)
        return Error::kUnsupported;
    if (h.segments_left > n)
        return Error::kMalformed;
    h.address_count = static_cast<std::uint8_t>(n);
    const std::uint8_t *p = bytes.data + 8;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t elided = i + 1 < n ? h.cmpr_i : h.cmpr_e;
        Ip6Address a = reference;
        std::memcpy(a.bytes + elided, p, 16 - elided);
        p += 16 - elided;
        h.addresses[i] = a;
    }
    return h;
}

void RplSourceRouteHeader::choose_compression(const Ip6Address &reference) {
    auto shared = [&](const Ip6Address &a) {
        unsigned bytes = a.common_prefix_length(reference) / 8;
        return static_cast<std::uint8_t>(bytes > 15 ? 15 : bytes);
    };
    // Each address becomes the IPv6 destination in turn, and the header's addresses stay
    // compressed relative to whichever it is (RFC 6554 4.2): elide only the prefix that every
    // address, the reference included, shares.
    const std::size_t n = address_count > kMaxAddresses ? kMaxAddresses : address_count;
    std::uint8_t m = 15;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t s = shared(addresses[i]);
        if (s < m)
            m = s;
    }
    cmpr_i = n > 1 ? m : 0;
    cmpr_e = n > 0 ? m : 0;
}

std::uint8_t RplSourceRouteHeader::pad() const {
    std::size_t n = address_count;
    std::size_t bytes = n == 0 ? 0 : (n - 1) * (16u - cmpr_i) + (16u - cmpr_e);
    return static_cast<std::uint8_t>((8 - bytes % 8) % 8);
}

std::size_t RplSourceRouteHeader::emitted_size() const {
    std::size_t n = address_count;
    std::size_t bytes = n == 0 ? 0 : (n - 1) * (16u - cmpr_i) + (16u - cmpr_e);
    return 8 + bytes + pad();
}

Status RplSourceRouteHeader::emit(MutableByteSpan out, const Ip6Address &reference) const {
    if (address_count == 0 || address_count > kMaxAddresses || cmpr_i > 15 || cmpr_e > 15 ||
        segments_left > address_count) {
        return Error::kInvalidArgument;
    }
    for (std::size_t i = 0; i < address_count; ++i) {
        const std::size_t elided = i + 1 < address_count ? cmpr_i : cmpr_e;
        if (std::memcmp(addresses[i].bytes, reference.bytes, elided) != 0) {
            return Error::kInvalidArgument;
        }
    }
    const std::size_t size = emitted_size();
    if (out.size < size)
        return Error::kNoSpace;
    ByteWriter w(out.subspan(0, size));
    w.u8(next_header);
    w.u8(static_cast<std::uint8_t>((size - 8) / 8));
    w.u8(kRoutingTypeRplSourceRoute);
    w.u8(segments_left);
    w.u8(static_cast<std::uint8_t>(cmpr_i << 4 | cmpr_e));
    w.u8(static_cast<std::uint8_t>(pad() << 4));
    w.u16(0);
    for (std::size_t i = 0; i < address_count; ++i) {
        const std::size_t elided = i + 1 < address_count ? cmpr_i : cmpr_e;
        w.bytes(addresses[i].bytes + elided, 16 - elided);
    }
    w.zeros(pad());
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool RplSourceRouteHeader::operator==(const RplSourceRouteHeader &o) const {
    if (next_header != o.next_header || segments_left != o.segments_left || cmpr_i != o.cmpr_i ||
        cmpr_e != o.cmpr_e || address_count != o.address_count) {
        return false;
    }
    for (std::size_t i = 0; i < address_count && i < kMaxAddresses; ++i) {
        if (addresses[i] != o.addresses[i])
            return false;
    }
    return true;
}

// ---- MPL option (RFC 7731 4) -------------------------------------------------------------

Result<MplOption> MplOption::parse(ByteSpan value) {
    if (value.size < 2)
        return Error::kTruncated;
    MplOption o;
    o.s = static_cast<std::uint8_t>(value[0] >> 6);
    o.m = (value[0] & kFlagM) != 0;
    o.v = (value[0] & kFlagV) != 0;
    o.sequence = value[1];
    const std::size_t n = seed_id_length(o.s);
    if (value.size != 2 + n)
        return Error::kMalformed;
    for (std::size_t i = 0; i < n; ++i)
        o.seed_id[i] = value[2 + i];
    return o;
}

Status MplOption::emit(MutableByteSpan out) const {
    if (out.size < value_size() || s > 3)
        return Error::kNoSpace;
    out.data[0] = static_cast<std::uint8_t>(s << 6 | (m ? kFlagM : 0) | (v ? kFlagV : 0));
    out.data[1] = sequence;
    for (std::size_t i = 0; i < seed_id_length(s); ++i)
        out.data[2 + i] = seed_id[i];
    return Status();
}

bool MplOption::operator==(const MplOption &o) const {
    if (s != o.s || m != o.m || v != o.v || sequence != o.sequence)
        return false;
    for (std::size_t i = 0; i < seed_id_length(s); ++i)
        if (seed_id[i] != o.seed_id[i])
            return false;
    return true;
}

}  // namespace meshwork::wire
