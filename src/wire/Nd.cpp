#include "wire/Nd.h"

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

std::size_t units_of(std::size_t value_bytes) {
    return (2 + value_bytes + 7) / 8;
}

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

Result<std::uint32_t> parse_mtu(ByteSpan value) {
    if (value.size != value_size(1))
        return Error::kMalformed;
    ByteReader r(value);
    r.skip(2);  // reserved
    return r.u32();
}

Result<ByteSpan> parse_redirected(ByteSpan value) {
    return value.subspan(6);  // after the reserved bytes; the walker guarantees >= 6
}

// Checks one option of a message being parsed; `seen` tracks the single-instance options.
Status validate_option(const Option &o, std::uint32_t &seen) {
    int single = -1;
    Error e = Error::kOk;
    switch (o.type) {
        case NdOptionType::kSourceLinkLayerAddress:
        case NdOptionType::kTargetLinkLayerAddress:
        case NdOptionType::kRedirectedHeader:
        case NdOptionType::kMtu:
            single = o.type;
            if (o.type == NdOptionType::kMtu)
                e = parse_mtu(o.value).error();
            break;
        case NdOptionType::kPrefixInformation:
            e = nd_parse_prefix_info(o.value).error();
            break;
        case NdOptionType::kRouteInformation:
            e = nd_parse_route_info(o.value).error();
            break;
        case NdOptionType::kAddressRegistration:
            single = 6;
            e = NdAddressRegistration::parse(o.value).error();
            break;
        case NdOptionType::kSixLowpanContext:
            e = NdSixLowpanContext::parse(o.value).error();
            break;
        case NdOptionType::kAuthoritativeBorderRouter:
            single = 7;
            e = NdBorderRouter::parse(o.value).error();
            break;
        default:
            break;  // RFC 4861 4.6: unknown options are ignored
    }
    if (single >= 0) {
        if (seen & (1u << single))
            return Error::kMalformed;
        seen |= 1u << single;
    }
    return e;
}

template <typename T>
std::optional<T> if_ok(Result<T> r) {
    if (!r)
        return std::nullopt;
    return *r;
}

}  // namespace

// ---- Fixed parts -----------------------------------------------------------------------------

bool NdRouterAdvertisement::operator==(const NdRouterAdvertisement &o) const {
    return cur_hop_limit == o.cur_hop_limit && flags == o.flags &&
           router_lifetime == o.router_lifetime && reachable_time == o.reachable_time &&
           retrans_timer == o.retrans_timer;
}

bool NdDuplicateAddress::operator==(const NdDuplicateAddress &o) const {
    return type == o.type && status == o.status && tid == o.tid && lifetime == o.lifetime &&
           rovr_size == o.rovr_size &&
           std::memcmp(rovr, o.rovr, rovr_size > kMaxRovr ? kMaxRovr : rovr_size) == 0 &&
           registered == o.registered;
}

// ---- Option values -------------------------------------------------------------------------

Result<NdPrefixInfo> nd_parse_prefix_info(ByteSpan value) {
    if (value.size != value_size(4))
        return Error::kMalformed;
    ByteReader r(value);
    return PrefixInfo::read(r);
}

Result<NdRouteInfo> nd_parse_route_info(ByteSpan value) {
    const std::size_t units = (value.size + 2) / 8;
    if (units > 3)
        return Error::kMalformed;
    ByteReader r(value);
    NdRouteInfo ri;
    ri.prefix_length = r.u8();
    ri.preference = static_cast<std::uint8_t>((r.u8() >> 3) & 0x3);
    ri.route_lifetime = r.u32();
    // RFC 4191 2.3: the length must cover the prefix length.
    if (!r.ok() || ri.prefix_length > 128 || value.size - 6 < prefix_field_size(ri.prefix_length)) {
        return Error::kMalformed;
    }
    Ip6Address p;
    r.copy(p.bytes, r.remaining());
    ri.prefix = p.masked(ri.prefix_length);
    return ri;
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

Result<NdAddressRegistration> NdAddressRegistration::parse(ByteSpan value) {
    const std::size_t units = (value.size + 2) / 8;
    if (units < 2)
        return Error::kMalformed;
    if (units > 5)
        return Error::kUnsupported;  // RFC 8505 defines ROVRs of 64 to 256 bits
    ByteReader r(value);
    NdAddressRegistration a;
    a.status = r.u8();
    a.opaque = r.u8();
    a.flags = r.u8();
    a.tid = r.u8();
    a.lifetime = r.u16();
    a.rovr_size = static_cast<std::uint8_t>((units - 1) * 8);
    r.copy(a.rovr, a.rovr_size);
    if (!r.ok())
        return Error::kMalformed;
    return a;
}

bool NdAddressRegistration::operator==(const NdAddressRegistration &o) const {
    return status == o.status && opaque == o.opaque && flags == o.flags && tid == o.tid &&
           lifetime == o.lifetime && rovr_size == o.rovr_size &&
           std::memcmp(rovr, o.rovr, rovr_size > kMaxRovr ? kMaxRovr : rovr_size) == 0;
}

Result<NdSixLowpanContext> NdSixLowpanContext::parse(ByteSpan value) {
    const std::size_t units = (value.size + 2) / 8;
    if (units != 2 && units != 3)
        return Error::kMalformed;
    ByteReader r(value);
    NdSixLowpanContext c;
    c.context_length = r.u8();
    c.flags = static_cast<std::uint8_t>(r.u8() & 0x1f);  // the reserved bits are ignored
    r.skip(2);
    c.valid_lifetime = r.u16();
    if (c.context_length > 128 || (c.context_length > 64 && units != 3))
        return Error::kMalformed;
    Ip6Address p;
    r.copy(p.bytes, units == 3 ? 16 : 8);
    if (!r.ok())
        return Error::kMalformed;
    c.prefix = p.masked(c.context_length);
    return c;
}

bool NdSixLowpanContext::operator==(const NdSixLowpanContext &o) const {
    return context_length == o.context_length && flags == o.flags &&
           valid_lifetime == o.valid_lifetime && prefix == o.prefix;
}

Result<NdBorderRouter> NdBorderRouter::parse(ByteSpan value) {
    if (value.size != value_size(3))
        return Error::kMalformed;
    ByteReader r(value);
    NdBorderRouter b;
    const std::uint16_t low = r.u16();
    const std::uint16_t high = r.u16();
    b.version = static_cast<std::uint32_t>(high) << 16 | low;
    b.valid_lifetime = r.u16();
    r.copy(b.address.bytes, 16);
    return b;
}

// ---- NdOption --------------------------------------------------------------------------------

bool NdOption::known() const {
    switch (type) {
        case NdOptionType::kSourceLinkLayerAddress:
        case NdOptionType::kTargetLinkLayerAddress:
        case NdOptionType::kPrefixInformation:
        case NdOptionType::kRedirectedHeader:
        case NdOptionType::kMtu:
        case NdOptionType::kRouteInformation:
        case NdOptionType::kAddressRegistration:
        case NdOptionType::kSixLowpanContext:
        case NdOptionType::kAuthoritativeBorderRouter:
            return true;
        default:
            return false;
    }
}

std::optional<NdLinkLayerAddress> NdOption::sllao() const {
    if (type != NdOptionType::kSourceLinkLayerAddress)
        return std::nullopt;
    return NdLinkLayerAddress{value};
}

std::optional<NdLinkLayerAddress> NdOption::tllao() const {
    if (type != NdOptionType::kTargetLinkLayerAddress)
        return std::nullopt;
    return NdLinkLayerAddress{value};
}

std::optional<NdPrefixInfo> NdOption::prefix_info() const {
    if (type != NdOptionType::kPrefixInformation)
        return std::nullopt;
    return if_ok(nd_parse_prefix_info(value));
}

std::optional<ByteSpan> NdOption::redirected() const {
    if (type != NdOptionType::kRedirectedHeader)
        return std::nullopt;
    return if_ok(parse_redirected(value));
}

std::optional<std::uint32_t> NdOption::mtu() const {
    if (type != NdOptionType::kMtu)
        return std::nullopt;
    return if_ok(parse_mtu(value));
}

std::optional<NdRouteInfo> NdOption::route_info() const {
    if (type != NdOptionType::kRouteInformation)
        return std::nullopt;
    return if_ok(nd_parse_route_info(value));
}

std::optional<NdAddressRegistration> NdOption::address_registration() const {
    if (type != NdOptionType::kAddressRegistration)
        return std::nullopt;
    return if_ok(NdAddressRegistration::parse(value));
}

std::optional<NdSixLowpanContext> NdOption::context() const {
    if (type != NdOptionType::kSixLowpanContext)
        return std::nullopt;
    return if_ok(NdSixLowpanContext::parse(value));
}

std::optional<NdBorderRouter> NdOption::border_router() const {
    if (type != NdOptionType::kAuthoritativeBorderRouter)
        return std::nullopt;
    return if_ok(NdBorderRouter::parse(value));
}

bool NdOption::same_value(const NdOption &o) const {
    if (type != o.type)
        return false;
    switch (type) {
        case NdOptionType::kPrefixInformation:
            return prefix_info() == o.prefix_info();
        case NdOptionType::kRedirectedHeader:
            return redirected()->equals(*o.redirected());
        case NdOptionType::kMtu:
            return mtu() == o.mtu();
        case NdOptionType::kRouteInformation:
            return route_info() == o.route_info();
        case NdOptionType::kAddressRegistration:
            return address_registration() == o.address_registration();
        case NdOptionType::kSixLowpanContext:
            return context() == o.context();
        case NdOptionType::kAuthoritativeBorderRouter:
            return border_router() == o.border_router();
        default:
            return value.equals(o.value);  // link-layer addresses and unknown types
    }
}

// ---- NdOptions -------------------------------------------------------------------------------

Result<NdOptions> NdOptions::parse(ByteSpan bytes) {
    OptionIterator it(bytes, kNdOptionFormat);
    Option o;
    std::uint32_t seen = 0;
    while (it.next(o)) {
        if (Status s = validate_option(o, seen); !s)
            return s.error();
    }
    if (it.error() != Error::kOk)
        return it.error();
    return NdOptions(bytes);
}

template <typename T, typename F>
std::optional<T> NdOptions::first(F get) const {
    for (NdOption o : *this) {
        if (std::optional<T> v = get(o))
            return v;
    }
    return std::nullopt;
}

std::optional<NdLinkLayerAddress> NdOptions::sllao() const {
    return first<NdLinkLayerAddress>([](const NdOption &o) { return o.sllao(); });
}

std::optional<NdLinkLayerAddress> NdOptions::tllao() const {
    return first<NdLinkLayerAddress>([](const NdOption &o) { return o.tllao(); });
}

std::optional<std::uint32_t> NdOptions::mtu() const {
    return first<std::uint32_t>([](const NdOption &o) { return o.mtu(); });
}

std::optional<ByteSpan> NdOptions::redirected() const {
    return first<ByteSpan>([](const NdOption &o) { return o.redirected(); });
}

std::optional<NdAddressRegistration> NdOptions::aro() const {
    return first<NdAddressRegistration>([](const NdOption &o) { return o.address_registration(); });
}

std::optional<NdBorderRouter> NdOptions::abro() const {
    return first<NdBorderRouter>([](const NdOption &o) { return o.border_router(); });
}

// ---- NdView ----------------------------------------------------------------------------------

bool NdView::is_nd_type(std::uint8_t type) {
    return (type >= Icmp6Type::kRouterSolicitation && type <= Icmp6Type::kRedirect) ||
           is_dar_dac(type);
}

Result<NdView> NdView::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = Icmp6View::parse(bytes, verify);
    if (!v)
        return v.error();
    const std::uint8_t type = v->type();
    if (!is_nd_type(type))
        return Error::kUnsupported;
    if (is_dar_dac(type)) {
        // RFC 8505 6.1: Code = CodePfx (4 bits, 0) | CodeSfx (ROVR size in 64-bit words - 1).
        const std::uint8_t code = v->code();
        if ((code >> 4) != 0 || (code & 0x0f) > 3)
            return Error::kMalformed;
        if (v->body().size < 4 + ((code & 0x0f) + 1u) * 8 + 16)
            return Error::kTruncated;
        return NdView(bytes, NdOptions());  // trailing bytes are ignored
    }
    if (v->code() != 0)
        return Error::kMalformed;  // RFC 4861 6.1: code must be 0
    const std::size_t fixed = fixed_body_size(type);
    if (v->body().size < fixed)
        return Error::kTruncated;
    auto opts = NdOptions::parse(v->body().subspan(fixed));
    if (!opts)
        return opts.error();
    return NdView(bytes, *opts);
}

std::optional<NdRouterSolicitation> NdView::rs() const {
    if (type() != NdRouterSolicitation::kType)
        return std::nullopt;
    return NdRouterSolicitation{};
}

std::optional<NdRouterAdvertisement> NdView::ra() const {
    if (type() != NdRouterAdvertisement::kType)
        return std::nullopt;
    ByteReader r(msg_.subspan(kIcmp6HeaderSize));
    NdRouterAdvertisement m;
    m.cur_hop_limit = r.u8();
    m.flags = r.u8();
    m.router_lifetime = r.u16();
    m.reachable_time = r.u32();
    m.retrans_timer = r.u32();
    return m;
}

std::optional<NdNeighborSolicitation> NdView::ns() const {
    if (type() != NdNeighborSolicitation::kType)
        return std::nullopt;
    NdNeighborSolicitation m;
    std::memcpy(m.target.bytes, msg_.data + 8, 16);
    return m;
}

std::optional<NdNeighborAdvertisement> NdView::na() const {
    if (type() != NdNeighborAdvertisement::kType)
        return std::nullopt;
    NdNeighborAdvertisement m;
    m.flags = static_cast<std::uint8_t>(msg_[4] & 0xe0);
    std::memcpy(m.target.bytes, msg_.data + 8, 16);
    return m;
}

std::optional<NdRedirect> NdView::redirect() const {
    if (type() != NdRedirect::kType)
        return std::nullopt;
    NdRedirect m;
    std::memcpy(m.target.bytes, msg_.data + 8, 16);
    std::memcpy(m.destination.bytes, msg_.data + 24, 16);
    return m;
}

std::optional<NdDuplicateAddress> NdView::duplicate_address() const {
    if (!is_dar_dac(type()))
        return std::nullopt;
    ByteReader r(msg_.subspan(kIcmp6HeaderSize));
    NdDuplicateAddress m;
    m.type = type();
    m.status = r.u8();
    m.tid = r.u8();
    m.lifetime = r.u16();
    m.rovr_size = static_cast<std::uint8_t>(((msg_[1] & 0x0f) + 1) * 8);
    r.copy(m.rovr, m.rovr_size);
    r.copy(m.registered.bytes, 16);
    return m;
}

// ---- NdWriter --------------------------------------------------------------------------------

NdWriter::NdWriter(MutableByteSpan out, std::uint8_t type, std::uint8_t code, std::size_t fixed)
    : out_(out), w_(out) {
    size_ = kIcmp6HeaderSize + fixed;
    w_.need(size_);
    w_.u8(type);
    w_.u8(code);
    w_.u16(0);  // checksum, filled in by finish()
}

NdWriter::NdWriter(MutableByteSpan out, const NdRouterSolicitation &)
    : NdWriter(out, NdRouterSolicitation::kType, 0, 4) {
    w_.u32(0);
}

NdWriter::NdWriter(MutableByteSpan out, const NdRouterAdvertisement &m)
    : NdWriter(out, NdRouterAdvertisement::kType, 0, 12) {
    w_.u8(m.cur_hop_limit);
    w_.u8(m.flags);
    w_.u16(m.router_lifetime);
    w_.u32(m.reachable_time);
    w_.u32(m.retrans_timer);
}

NdWriter::NdWriter(MutableByteSpan out, const NdNeighborSolicitation &m)
    : NdWriter(out, NdNeighborSolicitation::kType, 0, 20) {
    w_.u32(0);
    w_.bytes(m.target.span());
}

NdWriter::NdWriter(MutableByteSpan out, const NdNeighborAdvertisement &m)
    : NdWriter(out, NdNeighborAdvertisement::kType, 0, 20) {
    w_.u8(static_cast<std::uint8_t>(m.flags & 0xe0));
    w_.zeros(3);
    w_.bytes(m.target.span());
}

NdWriter::NdWriter(MutableByteSpan out, const NdRedirect &m)
    : NdWriter(out, NdRedirect::kType, 0, 36) {
    w_.u32(0);
    w_.bytes(m.target.span());
    w_.bytes(m.destination.span());
}

NdWriter::NdWriter(MutableByteSpan out, const NdDuplicateAddress &m)
    : NdWriter(out, m.type, static_cast<std::uint8_t>(m.rovr_size / 8 - 1),
               4 + (m.rovr_size > 32 ? 32 : m.rovr_size) + 16) {
    no_options_ = true;
    if (!is_dar_dac(m.type) || m.rovr_size < 8 || m.rovr_size > 32 || m.rovr_size % 8 != 0)
        invalid();
    w_.u8(m.status);
    w_.u8(m.tid);
    w_.u16(m.lifetime);
    w_.bytes(m.rovr, m.rovr_size > 32 ? 32 : m.rovr_size);
    w_.bytes(m.registered.span());
}

bool NdWriter::option(std::size_t size) {
    if (no_options_) {
        invalid();  // DAR/DAC carry no options
        return false;
    }
    size_ += size;
    return w_.need(size);
}

NdWriter &NdWriter::lla(std::uint8_t type, const NdLinkLayerAddress &a) {
    const std::size_t units = units_of(a.address.size);
    if (a.address.empty() || units > 255) {
        invalid();
        return *this;
    }
    if (option(units * 8)) {
        w_.u8(type);
        w_.u8(static_cast<std::uint8_t>(units));
        w_.bytes(a.address);
        w_.zeros(value_size(units) - a.address.size);
    }
    return *this;
}

NdWriter &NdWriter::add_sllao(const NdLinkLayerAddress &a) {
    return lla(NdOptionType::kSourceLinkLayerAddress, a);
}

NdWriter &NdWriter::add_tllao(const NdLinkLayerAddress &a) {
    return lla(NdOptionType::kTargetLinkLayerAddress, a);
}

NdWriter &NdWriter::add(const NdPrefixInfo &p) {
    if (p.prefix_length > 128) {
        invalid();
        return *this;
    }
    if (option(32)) {
        w_.u8(NdOptionType::kPrefixInformation);
        w_.u8(4);
        (void)p.write(w_);
    }
    return *this;
}

NdWriter &NdWriter::add(const NdRouteInfo &ri) {
    if (ri.prefix_length > 128 || ri.preference > 3) {
        invalid();
        return *this;
    }
    const std::size_t field = prefix_field_size(ri.prefix_length);
    if (option(8 + field)) {
        w_.u8(NdOptionType::kRouteInformation);
        w_.u8(static_cast<std::uint8_t>(1 + field / 8));
        (void)ri.write(w_, field);
    }
    return *this;
}

NdWriter &NdWriter::add_mtu(std::uint32_t mtu) {
    if (option(8)) {
        w_.u8(NdOptionType::kMtu);
        w_.u8(1);
        w_.u16(0);
        w_.u32(mtu);
    }
    return *this;
}

NdWriter &NdWriter::add_redirected(ByteSpan packet) {
    const std::size_t units = units_of(6 + packet.size);
    if (units > 255) {
        invalid();
        return *this;
    }
    if (option(units * 8)) {
        w_.u8(NdOptionType::kRedirectedHeader);
        w_.u8(static_cast<std::uint8_t>(units));
        w_.zeros(6);
        w_.bytes(packet);
        w_.zeros(value_size(units) - 6 - packet.size);
    }
    return *this;
}

NdWriter &NdWriter::add(const NdAddressRegistration &a) {
    if (a.rovr_size < 8 || a.rovr_size > NdAddressRegistration::kMaxRovr || a.rovr_size % 8 != 0) {
        invalid();
        return *this;
    }
    if (option(8 + a.rovr_size)) {
        w_.u8(NdOptionType::kAddressRegistration);
        w_.u8(static_cast<std::uint8_t>(1 + a.rovr_size / 8));
        w_.u8(a.status);
        w_.u8(a.opaque);
        w_.u8(a.flags);
        w_.u8(a.tid);
        w_.u16(a.lifetime);
        w_.bytes(a.rovr, a.rovr_size);
    }
    return *this;
}

NdWriter &NdWriter::add(const NdSixLowpanContext &c) {
    if (c.context_length > 128) {
        invalid();
        return *this;
    }
    const std::size_t field = c.context_length > 64 ? 16 : 8;
    if (option(8 + field)) {
        const Ip6Address p = c.prefix.masked(c.context_length);
        w_.u8(NdOptionType::kSixLowpanContext);
        w_.u8(static_cast<std::uint8_t>(1 + field / 8));
        w_.u8(c.context_length);
        w_.u8(static_cast<std::uint8_t>(c.flags & 0x1f));
        w_.u16(0);
        w_.u16(c.valid_lifetime);
        w_.bytes(p.bytes, field);
    }
    return *this;
}

NdWriter &NdWriter::add(const NdBorderRouter &b) {
    if (option(24)) {
        w_.u8(NdOptionType::kAuthoritativeBorderRouter);
        w_.u8(3);
        w_.u16(static_cast<std::uint16_t>(b.version));
        w_.u16(static_cast<std::uint16_t>(b.version >> 16));
        w_.u16(b.valid_lifetime);
        w_.bytes(b.address.span());
    }
    return *this;
}

NdWriter &NdWriter::add_raw(std::uint8_t type, ByteSpan value) {
    if ((2 + value.size) % 8 != 0 || (2 + value.size) / 8 > 255) {
        invalid();
        return *this;
    }
    if (option(2 + value.size)) {
        w_.u8(type);
        w_.u8(static_cast<std::uint8_t>((2 + value.size) / 8));
        w_.bytes(value);
    }
    return *this;
}

NdWriter &NdWriter::add(const NdOption &o) {
    switch (o.type) {
        case NdOptionType::kSourceLinkLayerAddress:
            return add_sllao(*o.sllao());
        case NdOptionType::kTargetLinkLayerAddress:
            return add_tllao(*o.tllao());
        case NdOptionType::kPrefixInformation:
            if (auto v = o.prefix_info())
                return add(*v);
            break;
        case NdOptionType::kRedirectedHeader:
            return add_redirected(*o.redirected());
        case NdOptionType::kMtu:
            if (auto v = o.mtu())
                return add_mtu(*v);
            break;
        case NdOptionType::kRouteInformation:
            if (auto v = o.route_info())
                return add(*v);
            break;
        case NdOptionType::kAddressRegistration:
            if (auto v = o.address_registration())
                return add(*v);
            break;
        case NdOptionType::kSixLowpanContext:
            if (auto v = o.context())
                return add(*v);
            break;
        case NdOptionType::kAuthoritativeBorderRouter:
            if (auto v = o.border_router())
                return add(*v);
            break;
        default:
            return add_raw(o.type, o.value);
    }
    invalid();  // a known type whose value does not decode (not from a parsed view)
    return *this;
}

Result<ByteSpan> NdWriter::finish(const PseudoHeader &ph) {
    if (error_ != Error::kOk)
        return error_;
    if (!w_.ok() || w_.offset() != size_)
        return Error::kNoSpace;
    MutableByteSpan msg = out_.subspan(0, size_);
    icmp6_finish_checksum(msg, ph);
    return ByteSpan(msg);
}

}  // namespace meshwork::wire
