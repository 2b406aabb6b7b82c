#include "wire/Nd.h"

#include "wire/OptionIterator.h"

namespace meshwork::wire {

namespace {

// Option value bytes (after type and length) for a total length of `units` 8-octet units.
constexpr std::size_t value_size(std::size_t units) {
    return units * 8 - 2;
}

// Bytes needed to carry a prefix of `bits` bits, in the RIO / 6CO sense (0, 8 or 16).
std::size_t prefix_field_size(unsigned bits) {
    return bits == 0 ? 0 : bits <= 64 ? 8 : 16;
}

std::size_t lla_units(const NdLinkLayerAddress &a) {
    return (2 + a.size + 7) / 8;
}

}  // namespace

NdLinkLayerAddress NdLinkLayerAddress::from(ByteSpan address) {
    NdLinkLayerAddress a;
    a.size = static_cast<std::uint8_t>(address.size > kMaxSize ? kMaxSize : address.size);
    if (a.size > 0)
        std::memcpy(a.bytes, address.data, a.size);
    return a;
}

bool NdLinkLayerAddress::operator==(const NdLinkLayerAddress &o) const {
    return size == o.size && std::memcmp(bytes, o.bytes, size > kMaxSize ? kMaxSize : size) == 0;
}

NdAddressRegistration NdAddressRegistration::aro(std::uint8_t status, std::uint16_t lifetime,
                                                 const std::uint8_t eui64[8]) {
    NdAddressRegistration a;
    a.status = status;
    a.lifetime = lifetime;
    a.rovr_size = 8;
    std::memcpy(a.rovr, eui64, 8);
    return a;
}

bool NdAddressRegistration::operator==(const NdAddressRegistration &o) const {
    return status == o.status && opaque == o.opaque && flags == o.flags && tid == o.tid &&
           lifetime == o.lifetime && rovr_size == o.rovr_size &&
           std::memcmp(rovr, o.rovr, rovr_size > kMaxRovr ? kMaxRovr : rovr_size) == 0;
}

bool NdSixLowpanContext::operator==(const NdSixLowpanContext &o) const {
    return context_length == o.context_length && flags == o.flags &&
           valid_lifetime == o.valid_lifetime && prefix == o.prefix;
}

// ---- Options -------------------------------------------------------------------------------

Result<NdOptions> NdOptions::parse(ByteSpan bytes) {
    NdOptions opts;
    OptionIterator it(bytes, kNdOptionFormat);
    Option o;
    while (it.next(o)) {
        ByteReader r(o.value);
        const std::size_t units = o.whole.size / 8;
        switch (o.type) {
            case NdOptionType::kSourceLinkLayerAddress:
            case NdOptionType::kTargetLinkLayerAddress: {
                bool src = o.type == NdOptionType::kSourceLinkLayerAddress;
                if (src ? opts.has_sllao : opts.has_tllao)
                    return Error::kMalformed;
                if (units > 2)
                    return Error::kUnsupported;
                NdLinkLayerAddress a = NdLinkLayerAddress::from(o.value);
                (src ? opts.sllao : opts.tllao) = a;
                (src ? opts.has_sllao : opts.has_tllao) = true;
                break;
            }
            case NdOptionType::kPrefixInformation: {
                if (units != 4)
                    return Error::kMalformed;
                if (opts.prefix_count == kMaxPrefixes)
                    return Error::kUnsupported;
                Result<NdPrefixInfo> p = NdPrefixInfo::read(r);
                if (!p)
                    return p.error();
                opts.prefixes[opts.prefix_count++] = *p;
                break;
            }
            case NdOptionType::kRedirectedHeader:
                if (opts.has_redirected)
                    return Error::kMalformed;
                opts.has_redirected = true;
                r.skip(6);
                opts.redirected = r.rest();
                break;
            case NdOptionType::kMtu:
                if (units != 1)
                    return Error::kMalformed;
                if (opts.has_mtu)
                    return Error::kMalformed;
                opts.has_mtu = true;
                r.skip(2);
                opts.mtu = r.u32();
                break;
            case NdOptionType::kRouteInformation: {
                if (units > 3)
                    return Error::kMalformed;
                if (opts.route_count == kMaxRoutes)
                    return Error::kUnsupported;
                NdRouteInfo &ri = opts.routes[opts.route_count++];
                ri.prefix_length = r.u8();
                ri.preference = static_cast<std::uint8_t>((r.u8() >> 3) & 0x3);
                ri.route_lifetime = r.u32();
                // RFC 4191 2.3: the length must cover the prefix length.
                if (ri.prefix_length > 128 ||
                    value_size(units) - 6 < prefix_field_size(ri.prefix_length)) {
                    return Error::kMalformed;
                }
                Ip6Address p;
                std::size_t n = r.remaining() > 16 ? 16 : r.remaining();
                r.copy(p.bytes, n);
                ri.prefix = p.masked(ri.prefix_length);
                break;
            }
            case NdOptionType::kAddressRegistration: {
                if (opts.has_aro)
                    return Error::kMalformed;
                if (units < 2)
                    return Error::kMalformed;
                if (units > 5)
                    return Error::kUnsupported;
                NdAddressRegistration &a = opts.aro;
                a.status = r.u8();
                a.opaque = r.u8();
                a.flags = r.u8();
                a.tid = r.u8();
                a.lifetime = r.u16();
                a.rovr_size = static_cast<std::uint8_t>((units - 1) * 8);
                r.copy(a.rovr, a.rovr_size);
                opts.has_aro = true;
                break;
            }
            case NdOptionType::kSixLowpanContext: {
                if (units != 2 && units != 3)
                    return Error::kMalformed;
                if (opts.context_count == kMaxContexts)
                    return Error::kUnsupported;
                NdSixLowpanContext &c = opts.contexts[opts.context_count++];
                c.context_length = r.u8();
                c.flags = static_cast<std::uint8_t>(r.u8() & 0x1f);
                r.skip(2);
                c.valid_lifetime = r.u16();
                if (c.context_length > 128 || (c.context_length > 64 && units != 3)) {
                    return Error::kMalformed;
                }
                Ip6Address p;
                r.copy(p.bytes, units == 3 ? 16 : 8);
                c.prefix = p.masked(c.context_length);
                break;
            }
            case NdOptionType::kAuthoritativeBorderRouter: {
                if (units != 3)
                    return Error::kMalformed;
                if (opts.has_abro)
                    return Error::kMalformed;
                opts.has_abro = true;
                std::uint16_t low = r.u16();
                std::uint16_t high = r.u16();
                opts.abro.version = static_cast<std::uint32_t>(high) << 16 | low;
                opts.abro.valid_lifetime = r.u16();
                r.copy(opts.abro.address.bytes, 16);
                break;
            }
            default:
                break;  // RFC 4861 4.6: unknown options are ignored
        }
        if (!r.ok())
            return Error::kMalformed;
    }
    if (it.error() != Error::kOk)
        return it.error();
    return opts;
}

std::size_t NdOptions::emitted_size() const {
    std::size_t n = 0;
    if (has_sllao)
        n += lla_units(sllao) * 8;
    if (has_tllao)
        n += lla_units(tllao) * 8;
    if (has_mtu)
        n += 8;
    n += 32u * prefix_count;
    for (std::size_t i = 0; i < route_count && i < kMaxRoutes; ++i) {
        n += 8 + prefix_field_size(routes[i].prefix_length);
    }
    for (std::size_t i = 0; i < context_count && i < kMaxContexts; ++i) {
        n += contexts[i].context_length > 64 ? 24 : 16;
    }
    if (has_abro)
        n += 24;
    if (has_aro)
        n += 8 + aro.rovr_size;
    if (has_redirected)
        n += (8 + redirected.size + 7) / 8 * 8;
    return n;
}

Status NdOptions::emit(ByteWriter &w) const {
    if (prefix_count > kMaxPrefixes || route_count > kMaxRoutes || context_count > kMaxContexts) {
        return Error::kInvalidArgument;
    }
    auto lla = [&](std::uint8_t type, const NdLinkLayerAddress &a) -> Status {
        if (a.size == 0 || a.size > NdLinkLayerAddress::kMaxSize)
            return Error::kInvalidArgument;
        std::size_t units = lla_units(a);
        w.u8(type);
        w.u8(static_cast<std::uint8_t>(units));
        w.bytes(a.bytes, a.size);
        w.zeros(units * 8 - 2 - a.size);
        return Status();
    };
    if (has_sllao) {
        Status s = lla(NdOptionType::kSourceLinkLayerAddress, sllao);
        if (!s)
            return s;
    }
    if (has_tllao) {
        Status s = lla(NdOptionType::kTargetLinkLayerAddress, tllao);
        if (!s)
            return s;
    }
    if (has_mtu) {
        w.u8(NdOptionType::kMtu);
        w.u8(1);
        w.u16(0);
        w.u32(mtu);
    }
    for (std::size_t i = 0; i < prefix_count; ++i) {
        if (prefixes[i].prefix_length > 128)
            return Error::kInvalidArgument;
        w.u8(NdOptionType::kPrefixInformation);
        w.u8(4);
        if (Status s = prefixes[i].write(w); !s)
            return s;
    }
    for (std::size_t i = 0; i < route_count; ++i) {
        const NdRouteInfo &ri = routes[i];
        if (ri.prefix_length > 128 || ri.preference > 3)
            return Error::kInvalidArgument;
        std::size_t field = prefix_field_size(ri.prefix_length);
        w.u8(NdOptionType::kRouteInformation);
        w.u8(static_cast<std::uint8_t>(1 + field / 8));
        if (Status s = ri.write(w, field); !s)
            return s;
    }
    for (std::size_t i = 0; i < context_count; ++i) {
        const NdSixLowpanContext &c = contexts[i];
        if (c.context_length > 128)
            return Error::kInvalidArgument;
        std::size_t field = c.context_length > 64 ? 16 : 8;
        Ip6Address p = c.prefix.masked(c.context_length);
        w.u8(NdOptionType::kSixLowpanContext);
        w.u8(static_cast<std::uint8_t>(1 + field / 8));
        w.u8(c.context_length);
        w.u8(static_cast<std::uint8_t>(c.flags & 0x1f));
        w.u16(0);
        w.u16(c.valid_lifetime);
        w.bytes(p.bytes, field);
    }
    if (has_abro) {
        w.u8(NdOptionType::kAuthoritativeBorderRouter);
        w.u8(3);
        w.u16(static_cast<std::uint16_t>(abro.version));
        w.u16(static_cast<std::uint16_t>(abro.version >> 16));
        w.u16(abro.valid_lifetime);
        w.bytes(abro.address.span());
    }
    if (has_aro) {
        if (aro.rovr_size < 8 || aro.rovr_size > NdAddressRegistration::kMaxRovr ||
            aro.rovr_size % 8 != 0) {
            return Error::kInvalidArgument;
        }
        w.u8(NdOptionType::kAddressRegistration);
        w.u8(static_cast<std::uint8_t>(1 + aro.rovr_size / 8));
        w.u8(aro.status);
        w.u8(aro.opaque);
        w.u8(aro.flags);
        w.u8(aro.tid);
        w.u16(aro.lifetime);
        w.bytes(aro.rovr, aro.rovr_size);
    }
    if (has_redirected) {
        std::size_t total = (8 + redirected.size + 7) / 8 * 8;
        if (total / 8 > 255)
            return Error::kInvalidArgument;
        w.u8(NdOptionType::kRedirectedHeader);
        w.u8(static_cast<std::uint8_t>(total / 8));
        w.zeros(6);
        w.bytes(redirected);
        w.zeros(total - 8 - redirected.size);
    }
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool NdOptions::operator==(const NdOptions &o) const {
    if (has_sllao != o.has_sllao || (has_sllao && !(sllao == o.sllao)))
        return false;
    if (has_tllao != o.has_tllao || (has_tllao && !(tllao == o.tllao)))
        return false;
    if (has_mtu != o.has_mtu || (has_mtu && mtu != o.mtu))
        return false;
    if (has_aro != o.has_aro || (has_aro && !(aro == o.aro)))
        return false;
    if (has_abro != o.has_abro || (has_abro && !(abro == o.abro)))
        return false;
    if (has_redirected != o.has_redirected ||
        (has_redirected && !redirected.equals(o.redirected))) {
        return false;
    }
    if (prefix_count != o.prefix_count || route_count != o.route_count ||
        context_count != o.context_count) {
        return false;
    }
    return equal_items(prefixes, o.prefixes, prefix_count, kMaxPrefixes) &&
           equal_items(routes, o.routes, route_count, kMaxRoutes) &&
           equal_items(contexts, o.contexts, context_count, kMaxContexts);
}

// ---- Messages ------------------------------------------------------------------------------

bool NdMessage::is_nd_type(std::uint8_t type) {
    return (type >= Icmp6Type::kRouterSolicitation && type <= Icmp6Type::kRedirect) ||
           type == Icmp6Type::kDuplicateAddressRequest ||
           type == Icmp6Type::kDuplicateAddressConfirmation;
}

namespace {

bool is_dar_dac(std::uint8_t type) {
    return type == Icmp6Type::kDuplicateAddressRequest ||
           type == Icmp6Type::kDuplicateAddressConfirmation;
}

// Fixed body bytes after the 4-byte ICMPv6 header, before the options.
std::size_t fixed_body_size(std::uint8_t type) {
    switch (type) {
        case Icmp6Type::kRouterSolicitation:
            return 4;
        case Icmp6Type::kRouterAdvertisement:
            return 12;
        case Icmp6Type::kNeighborSolicitation:
        case Icmp6Type::kNeighborAdvertisement:
            return 20;
        case Icmp6Type::kRedirect:
            return 36;
        default:
            return 0;
    }
}

}  // namespace

Result<NdMessage> NdMessage::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = Icmp6View::parse(bytes, verify);
    if (!v)
        return v.error();
    NdMessage m;
    m.type = v->type();
    if (!is_nd_type(m.type))
        return Error::kUnsupported;
    ByteReader r(v->body());
    if (is_dar_dac(m.type)) {
        // RFC 8505 6.1: Code = CodePfx (4 bits, 0) | CodeSfx (ROVR size in 64-bit words - 1).
        const std::uint8_t code = v->code();
        if ((code >> 4) != 0 || (code & 0x0f) > 3)
            return Error::kMalformed;
        NdAddressRegistration &a = m.dar;
        a.status = r.u8();
        a.tid = r.u8();
        a.lifetime = r.u16();
        a.rovr_size = static_cast<std::uint8_t>(((code & 0x0f) + 1) * 8);
        r.copy(a.rovr, a.rovr_size);
        r.copy(m.target.bytes, 16);
        if (!r.ok())
            return Error::kTruncated;
        return m;  // trailing bytes are ignored
    }
    if (v->code() != 0)
        return Error::kMalformed;  // RFC 4861 6.1: code must be 0
    switch (m.type) {
        case Icmp6Type::kRouterSolicitation:
            r.skip(4);
            break;
        case Icmp6Type::kRouterAdvertisement:
            m.cur_hop_limit = r.u8();
            m.ra_flags = r.u8();
            m.router_lifetime = r.u16();
            m.reachable_time = r.u32();
            m.retrans_timer = r.u32();
            break;
        case Icmp6Type::kNeighborSolicitation:
            r.skip(4);
            r.copy(m.target.bytes, 16);
            break;
        case Icmp6Type::kNeighborAdvertisement:
            m.na_flags = static_cast<std::uint8_t>(r.u8() & 0xe0);
            r.skip(3);
            r.copy(m.target.bytes, 16);
            break;
        case Icmp6Type::kRedirect:
            r.skip(4);
            r.copy(m.target.bytes, 16);
            r.copy(m.destination.bytes, 16);
            break;
        default:
            break;
    }
    if (!r.ok())
        return Error::kTruncated;
    auto opts = NdOptions::parse(r.rest());
    if (!opts)
        return opts.error();
    m.options = *opts;
    return m;
}

std::size_t NdMessage::emitted_size() const {
    if (is_dar_dac(type))
        return kIcmp6HeaderSize + 4 + dar.rovr_size + 16;
    return kIcmp6HeaderSize + fixed_body_size(type) + options.emitted_size();
}

Status NdMessage::emit(MutableByteSpan out, const PseudoHeader &ph) const {
    if (!is_nd_type(type))
        return Error::kInvalidArgument;
    const std::size_t size = emitted_size();
    if (out.size < size)
        return Error::kNoSpace;
    MutableByteSpan msg = out.subspan(0, size);
    ByteWriter w(msg);
    w.u8(type);
    if (is_dar_dac(type)) {
        if (dar.rovr_size < 8 || dar.rovr_size > 32 || dar.rovr_size % 8 != 0) {
            return Error::kInvalidArgument;
        }
        w.u8(static_cast<std::uint8_t>(dar.rovr_size / 8 - 1));
        w.u16(0);
        w.u8(dar.status);
        w.u8(dar.tid);
        w.u16(dar.lifetime);
        w.bytes(dar.rovr, dar.rovr_size);
        w.bytes(target.span());
    } else {
        w.u8(0);
        w.u16(0);
        switch (type) {
            case Icmp6Type::kRouterSolicitation:
                w.u32(0);
                break;
            case Icmp6Type::kRouterAdvertisement:
                w.u8(cur_hop_limit);
                w.u8(ra_flags);
                w.u16(router_lifetime);
                w.u32(reachable_time);
                w.u32(retrans_timer);
                break;
            case Icmp6Type::kNeighborSolicitation:
                w.u32(0);
                w.bytes(target.span());
                break;
            case Icmp6Type::kNeighborAdvertisement:
                w.u8(static_cast<std::uint8_t>(na_flags & 0xe0));
                w.zeros(3);
                w.bytes(target.span());
                break;
            case Icmp6Type::kRedirect:
                w.u32(0);
                w.bytes(target.span());
                w.bytes(destination.span());
                break;
            default:
                break;
        }
        Status s = options.emit(w);
        if (!s)
            return s;
    }
    if (!w.ok() || w.offset() != size)
        return Error::kNoSpace;
    icmp6_finish_checksum(msg, ph);
    return Status();
}

bool NdMessage::operator==(const NdMessage &o) const {
    if (type != o.type)
        return false;
    if (is_dar_dac(type))
        return dar == o.dar && target == o.target;
    return cur_hop_limit == o.cur_hop_limit && ra_flags == o.ra_flags &&
           router_lifetime == o.router_lifetime && reachable_time == o.reachable_time &&
           retrans_timer == o.retrans_timer && na_flags == o.na_flags && target == o.target &&
           destination == o.destination && options == o.options;
}

}  // namespace meshwork::wire
