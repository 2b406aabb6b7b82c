#include "wire/Rpl.h"

#include "wire/Icmp6.h"

namespace meshwork::wire {

namespace {

std::size_t prefix_bytes(unsigned bits) {
    return (bits + 7) / 8;
}

constexpr std::size_t kDioBaseSize = 24;
constexpr std::size_t kDodagConfigSize = 14;
constexpr std::size_t kSolicitedInfoSize = 19;
constexpr std::size_t kTransitSize = 4;
constexpr std::size_t kTransitWithParentSize = 20;
constexpr std::size_t kDescriptorSize = 4;

// Reads a prefix field of `r.remaining()` bytes that must hold `prefix_length` bits and be at
// most 16 bytes (the RIO and Target rule of 6.7.5 / 6.7.7), masked to the prefix length.
Result<Ip6Address> read_prefix_field(ByteReader &r, std::uint8_t prefix_length) {
    if (prefix_length > 128 || r.remaining() > 16 || r.remaining() < prefix_bytes(prefix_length))
        return Error::kMalformed;
    Ip6Address p;
    r.copy(p.bytes, r.remaining());
    return p.masked(prefix_length);
}

// Checks one option of a message being parsed.
Status validate_option(const Option &o) {
    switch (o.type) {
        case RplOptionType::kRouteInformation:
            return rpl_parse_route_info(o.value).ok() ? Status() : Status(Error::kMalformed);
        case RplOptionType::kDodagConfiguration:
            return RplDodagConfig::parse(o.value).error();
        case RplOptionType::kTarget:
            return RplTarget::parse(o.value).error();
        case RplOptionType::kTransitInformation:
            return RplTransit::parse(o.value).error();
        case RplOptionType::kSolicitedInformation:
            return RplSolicitedInfo::parse(o.value).error();
        case RplOptionType::kPrefixInformation:
            return rpl_parse_prefix_info(o.value).error();
        case RplOptionType::kTargetDescriptor:
            return RplTargetDescriptor::parse(o.value).error();
        default:
            return Status();  // padding, metric container (raw) and unknown types
    }
}

template <typename T>
std::optional<T> if_ok(Result<T> r) {
    if (!r)
        return std::nullopt;
    return *r;
}

}  // namespace

// ---- Bases -----------------------------------------------------------------------------------

bool RplDio::operator==(const RplDio &o) const {
    return instance_id == o.instance_id && version == o.version && rank == o.rank &&
           grounded == o.grounded && mop == o.mop && preference == o.preference && dtsn == o.dtsn &&
           flags == o.flags && dodag_id == o.dodag_id;
}

bool RplDao::operator==(const RplDao &o) const {
    return instance_id == o.instance_id && flags == o.flags && sequence == o.sequence &&
           (!has_dodag_id() || dodag_id == o.dodag_id);
}

bool RplDaoAck::operator==(const RplDaoAck &o) const {
    return instance_id == o.instance_id && flags == o.flags && sequence == o.sequence &&
           status == o.status && (!has_dodag_id() || dodag_id == o.dodag_id);
}

// ---- Option values -------------------------------------------------------------------------

Result<RplDodagConfig> RplDodagConfig::parse(ByteSpan value) {
    if (value.size != kDodagConfigSize)
        return Error::kMalformed;
    ByteReader q(value);
    RplDodagConfig c;
    c.flags = q.u8();
    c.dio_interval_doublings = q.u8();
    c.dio_interval_min = q.u8();
    c.dio_redundancy_constant = q.u8();
    c.max_rank_increase = q.u16();
    c.min_hop_rank_increase = q.u16();
    c.ocp = q.u16();
    q.skip(1);  // reserved
    c.default_lifetime = q.u8();
    c.lifetime_unit = q.u16();
    return c;
}

bool RplDodagConfig::operator==(const RplDodagConfig &o) const {
    return flags == o.flags && dio_interval_doublings == o.dio_interval_doublings &&
           dio_interval_min == o.dio_interval_min &&
           dio_redundancy_constant == o.dio_redundancy_constant &&
           max_rank_increase == o.max_rank_increase &&
           min_hop_rank_increase == o.min_hop_rank_increase && ocp == o.ocp &&
           default_lifetime == o.default_lifetime && lifetime_unit == o.lifetime_unit;
}

Result<RplRouteInfo> rpl_parse_route_info(ByteSpan value) {
    ByteReader q(value);
    RplRouteInfo ri;
    ri.prefix_length = q.u8();
    ri.preference = static_cast<std::uint8_t>((q.u8() >> 3) & 0x3);
    ri.route_lifetime = q.u32();
    if (!q.ok())
        return Error::kMalformed;
    Result<Ip6Address> p = read_prefix_field(q, ri.prefix_length);
    if (!p)
        return p.error();
    ri.prefix = *p;
    return ri;
}

Result<RplPrefixInfo> rpl_parse_prefix_info(ByteSpan value) {
    if (value.size != PrefixInfo::kBodySize)
        return Error::kMalformed;
    ByteReader q(value);
    return PrefixInfo::read(q);
}

Result<RplSolicitedInfo> RplSolicitedInfo::parse(ByteSpan value) {
    if (value.size != kSolicitedInfoSize)
        return Error::kMalformed;
    ByteReader q(value);
    RplSolicitedInfo s;
    s.instance_id = q.u8();
    s.flags = q.u8();
    q.copy(s.dodag_id.bytes, 16);
    s.version = q.u8();
    return s;
}

bool RplSolicitedInfo::operator==(const RplSolicitedInfo &o) const {
    return instance_id == o.instance_id && flags == o.flags && dodag_id == o.dodag_id &&
           version == o.version;
}

RplTarget RplTarget::make(const Ip6Address &a, std::uint8_t prefix_length) {
    RplTarget t;
    t.prefix_length = prefix_length;
    t.prefix = a.masked(prefix_length);
    return t;
}

Result<RplTarget> RplTarget::parse(ByteSpan value) {
    ByteReader q(value);
    RplTarget t;
    t.flags = q.u8();
    t.prefix_length = q.u8();
    if (!q.ok())
        return Error::kMalformed;
    Result<Ip6Address> p = read_prefix_field(q, t.prefix_length);
    if (!p)
        return p.error();
    t.prefix = *p;
    return t;
}

bool RplTarget::operator==(const RplTarget &o) const {
    return flags == o.flags && prefix_length == o.prefix_length && prefix == o.prefix;
}

RplTransit RplTransit::make(std::uint8_t path_sequence, std::uint8_t path_lifetime,
                            const Ip6Address *parent, std::uint8_t path_control) {
    RplTransit t;
    t.path_sequence = path_sequence;
    t.path_lifetime = path_lifetime;
    t.path_control = path_control;
    if (parent) {
        t.has_parent = true;
        t.parent = *parent;
    }
    return t;
}

Result<RplTransit> RplTransit::parse(ByteSpan value) {
    if (value.size != kTransitSize && value.size != kTransitWithParentSize)
        return Error::kMalformed;
    ByteReader q(value);
    RplTransit t;
    t.flags = q.u8();
    t.path_control = q.u8();
    t.path_sequence = q.u8();
    t.path_lifetime = q.u8();
    t.has_parent = value.size == kTransitWithParentSize;
    if (t.has_parent)
        q.copy(t.parent.bytes, 16);
    return t;
}

bool RplTransit::operator==(const RplTransit &o) const {
    return flags == o.flags && path_control == o.path_control && path_sequence == o.path_sequence &&
           path_lifetime == o.path_lifetime && has_parent == o.has_parent &&
           (!has_parent || parent == o.parent);
}

Result<RplTargetDescriptor> RplTargetDescriptor::parse(ByteSpan value) {
    if (value.size != kDescriptorSize)
        return Error::kMalformed;
    ByteReader q(value);
    RplTargetDescriptor d;
    d.descriptor = q.u32();
    return d;
}

// ---- RplOption -------------------------------------------------------------------------------

std::optional<ByteSpan> RplOption::metric_container() const {
    if (type != RplOptionType::kDagMetricContainer)
        return std::nullopt;
    return value;
}

std::optional<RplRouteInfo> RplOption::route_info() const {
    if (type != RplOptionType::kRouteInformation)
        return std::nullopt;
    return if_ok(rpl_parse_route_info(value));
}

std::optional<RplDodagConfig> RplOption::dodag_config() const {
    if (type != RplOptionType::kDodagConfiguration)
        return std::nullopt;
    return if_ok(RplDodagConfig::parse(value));
}

std::optional<RplTarget> RplOption::target() const {
    if (type != RplOptionType::kTarget)
        return std::nullopt;
    return if_ok(RplTarget::parse(value));
}

std::optional<RplTransit> RplOption::transit() const {
    if (type != RplOptionType::kTransitInformation)
        return std::nullopt;
    return if_ok(RplTransit::parse(value));
}

std::optional<RplSolicitedInfo> RplOption::solicited_info() const {
    if (type != RplOptionType::kSolicitedInformation)
        return std::nullopt;
    return if_ok(RplSolicitedInfo::parse(value));
}

std::optional<RplPrefixInfo> RplOption::prefix_info() const {
    if (type != RplOptionType::kPrefixInformation)
        return std::nullopt;
    return if_ok(rpl_parse_prefix_info(value));
}

std::optional<RplTargetDescriptor> RplOption::target_descriptor() const {
    if (type != RplOptionType::kTargetDescriptor)
        return std::nullopt;
    return if_ok(RplTargetDescriptor::parse(value));
}

bool RplOption::same_value(const RplOption &o) const {
    if (type != o.type)
        return false;
    switch (type) {
        case RplOptionType::kPad1:
        case RplOptionType::kPadN:
            return whole.size == o.whole.size;
        case RplOptionType::kRouteInformation:
            return route_info() == o.route_info();
        case RplOptionType::kDodagConfiguration:
            return dodag_config() == o.dodag_config();
        case RplOptionType::kTarget:
            return target() == o.target();
        case RplOptionType::kTransitInformation:
            return transit() == o.transit();
        case RplOptionType::kSolicitedInformation:
            return solicited_info() == o.solicited_info();
        case RplOptionType::kPrefixInformation:
            return prefix_info() == o.prefix_info();
        case RplOptionType::kTargetDescriptor:
            return target_descriptor() == o.target_descriptor();
        default:
            return value.equals(o.value);  // metric container and unknown types: raw
    }
}

// ---- RplView ---------------------------------------------------------------------------------

Result<RplView> RplView::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = Icmp6View::parse(bytes, verify);
    if (!v)
        return v.error();
    if (v->type() != Icmp6Type::kRpl)
        return Error::kMalformed;
    const ByteSpan body = v->body();
    std::size_t base = 0;
    switch (v->code()) {
        case RplCode::kDis:
            base = 2;
            break;
        case RplCode::kDio:
            base = kDioBaseSize;
            break;
        case RplCode::kDao:
            base = 4;
            if (body.size >= 2 && (body[1] & RplDao::kDodagIdPresent))
                base += 16;
            break;
        case RplCode::kDaoAck:
            base = 4;
            if (body.size >= 2 && (body[1] & RplDaoAck::kDodagIdPresent))
                base += 16;
            break;
        default:
            return Error::kUnsupported;  // secure RPL (0x80..0x83), consistency check (0x8a)
    }
    if (body.size < base)
        return Error::kTruncated;

    OptionIterator it(body.subspan(base), kRplOptionFormat);
    Option o;
    bool config = false, solicited = false;
    while (it.next(o)) {
        if (Status s = validate_option(o); !s)
            return s.error();
        // At most one of each (6.3.1 / 6.2.1 allow a single configuration and solicitation).
        bool *seen = o.type == RplOptionType::kDodagConfiguration     ? &config
                     : o.type == RplOptionType::kSolicitedInformation ? &solicited
                                                                      : nullptr;
        if (seen) {
            if (*seen)
                return Error::kMalformed;
            *seen = true;
        }
    }
    if (it.error() != Error::kOk)
        return it.error();
    return RplView(bytes, kIcmp6HeaderSize + base);
}

std::optional<RplDis> RplView::dis() const {
    if (code() != RplCode::kDis)
        return std::nullopt;
    RplDis d;
    d.flags = msg_[kIcmp6HeaderSize];
    return d;
}

std::optional<RplDio> RplView::dio() const {
    if (code() != RplCode::kDio)
        return std::nullopt;
    ByteReader r(msg_.subspan(kIcmp6HeaderSize));
    RplDio d;
    d.instance_id = r.u8();
    d.version = r.u8();
    d.rank = r.u16();
    const std::uint8_t b = r.u8();
    d.grounded = b & RplDio::kGrounded;
    d.mop = static_cast<std::uint8_t>((b >> 3) & 0x7);
    d.preference = static_cast<std::uint8_t>(b & 0x7);
    d.dtsn = r.u8();
    d.flags = r.u8();
    r.skip(1);  // reserved
    r.copy(d.dodag_id.bytes, 16);
    return d;
}

std::optional<RplDao> RplView::dao() const {
    if (code() != RplCode::kDao)
        return std::nullopt;
    ByteReader r(msg_.subspan(kIcmp6HeaderSize));
    RplDao d;
    d.instance_id = r.u8();
    d.flags = r.u8();
    r.skip(1);  // reserved
    d.sequence = r.u8();
    if (d.has_dodag_id())
        r.copy(d.dodag_id.bytes, 16);
    return d;
}

std::optional<RplDaoAck> RplView::dao_ack() const {
    if (code() != RplCode::kDaoAck)
        return std::nullopt;
    ByteReader r(msg_.subspan(kIcmp6HeaderSize));
    RplDaoAck d;
    d.instance_id = r.u8();
    d.flags = r.u8();
    d.sequence = r.u8();
    d.status = r.u8();
    if (d.has_dodag_id())
        r.copy(d.dodag_id.bytes, 16);
    return d;
}

std::optional<RplDodagConfig> RplView::dodag_config() const {
    for (RplOption o : options()) {
        if (auto c = o.dodag_config())
            return c;
    }
    return std::nullopt;
}

std::optional<RplSolicitedInfo> RplView::solicited_info() const {
    for (RplOption o : options()) {
        if (auto s = o.solicited_info())
            return s;
    }
    return std::nullopt;
}

// ---- RplWriter -------------------------------------------------------------------------------

RplWriter::RplWriter(MutableByteSpan out, std::uint8_t code, std::size_t base_size)
    : out_(out), w_(out) {
    reserve(kIcmp6HeaderSize + base_size);
    w_.u8(Icmp6Type::kRpl);
    w_.u8(code);
    w_.u16(0);  // checksum, filled in by finish()
}

RplWriter::RplWriter(MutableByteSpan out, const RplDis &b) : RplWriter(out, RplDis::kCode, 2) {
    w_.u8(b.flags);
    w_.u8(0);
}

RplWriter::RplWriter(MutableByteSpan out, const RplDio &b)
    : RplWriter(out, RplDio::kCode, kDioBaseSize) {
    if (b.mop > 7 || b.preference > 7)
        invalid();
    w_.u8(b.instance_id);
    w_.u8(b.version);
    w_.u16(b.rank);
    w_.u8(static_cast<std::uint8_t>((b.grounded ? RplDio::kGrounded : 0) | (b.mop & 7) << 3 |
                                    (b.preference & 7)));
    w_.u8(b.dtsn);
    w_.u8(b.flags);
    w_.u8(0);
    w_.bytes(b.dodag_id.span());
}

RplWriter::RplWriter(MutableByteSpan out, const RplDao &b)
    : RplWriter(out, RplDao::kCode, b.has_dodag_id() ? 20 : 4) {
    w_.u8(b.instance_id);
    w_.u8(b.flags);
    w_.u8(0);
    w_.u8(b.sequence);
    if (b.has_dodag_id())
        w_.bytes(b.dodag_id.span());
}

RplWriter::RplWriter(MutableByteSpan out, const RplDaoAck &b)
    : RplWriter(out, RplDaoAck::kCode, b.has_dodag_id() ? 20 : 4) {
    w_.u8(b.instance_id);
    w_.u8(b.flags);
    w_.u8(b.sequence);
    w_.u8(b.status);
    if (b.has_dodag_id())
        w_.bytes(b.dodag_id.span());
}

bool RplWriter::reserve(std::size_t n) {
    size_ += n;
    return w_.need(n);
}

RplWriter &RplWriter::add(const RplRouteInfo &o) {
    if (o.prefix_length > 128 || o.preference > 3) {
        invalid();
        return *this;
    }
    const std::size_t pb = prefix_bytes(o.prefix_length);
    if (reserve(2 + 6 + pb)) {
        w_.u8(RplOptionType::kRouteInformation);
        w_.u8(static_cast<std::uint8_t>(6 + pb));
        (void)o.write(w_, pb);
    }
    return *this;
}

RplWriter &RplWriter::add(const RplDodagConfig &c) {
    if (reserve(2 + kDodagConfigSize)) {
        w_.u8(RplOptionType::kDodagConfiguration);
        w_.u8(kDodagConfigSize);
        w_.u8(c.flags);
        w_.u8(c.dio_interval_doublings);
        w_.u8(c.dio_interval_min);
        w_.u8(c.dio_redundancy_constant);
        w_.u16(c.max_rank_increase);
        w_.u16(c.min_hop_rank_increase);
        w_.u16(c.ocp);
        w_.u8(0);
        w_.u8(c.default_lifetime);
        w_.u16(c.lifetime_unit);
    }
    return *this;
}

RplWriter &RplWriter::add(const RplTarget &t) {
    if (t.prefix_length > 128) {
        invalid();
        return *this;
    }
    const std::size_t pb = prefix_bytes(t.prefix_length);
    if (reserve(2 + 2 + pb)) {
        const Ip6Address p = t.prefix.masked(t.prefix_length);
        w_.u8(RplOptionType::kTarget);
        w_.u8(static_cast<std::uint8_t>(2 + pb));
        w_.u8(t.flags);
        w_.u8(t.prefix_length);
        w_.bytes(p.bytes, pb);
    }
    return *this;
}

RplWriter &RplWriter::add(const RplTransit &t) {
    const std::size_t len = t.has_parent ? kTransitWithParentSize : kTransitSize;
    if (reserve(2 + len)) {
        w_.u8(RplOptionType::kTransitInformation);
        w_.u8(static_cast<std::uint8_t>(len));
        w_.u8(t.flags);
        w_.u8(t.path_control);
        w_.u8(t.path_sequence);
        w_.u8(t.path_lifetime);
        if (t.has_parent)
            w_.bytes(t.parent.span());
    }
    return *this;
}

RplWriter &RplWriter::add(const RplSolicitedInfo &s) {
    if (reserve(2 + kSolicitedInfoSize)) {
        w_.u8(RplOptionType::kSolicitedInformation);
        w_.u8(kSolicitedInfoSize);
        w_.u8(s.instance_id);
        w_.u8(s.flags);
        w_.bytes(s.dodag_id.span());
        w_.u8(s.version);
    }
    return *this;
}

RplWriter &RplWriter::add(const RplPrefixInfo &p) {
    if (p.prefix_length > 128) {
        invalid();
        return *this;
    }
    if (reserve(2 + PrefixInfo::kBodySize)) {
        w_.u8(RplOptionType::kPrefixInformation);
        w_.u8(static_cast<std::uint8_t>(PrefixInfo::kBodySize));
        (void)p.write(w_);
    }
    return *this;
}

RplWriter &RplWriter::add(const RplTargetDescriptor &d) {
    if (reserve(2 + kDescriptorSize)) {
        w_.u8(RplOptionType::kTargetDescriptor);
        w_.u8(kDescriptorSize);
        w_.u32(d.descriptor);
    }
    return *this;
}

RplWriter &RplWriter::add_metric_container(ByteSpan value) {
    return add_raw(RplOptionType::kDagMetricContainer, value);
}

RplWriter &RplWriter::add_padding(std::size_t bytes) {
    if (reserve(bytes))
        write_ip6_padding(w_, bytes);
    return *this;
}

RplWriter &RplWriter::add_raw(std::uint8_t type, ByteSpan value) {
    if (type == RplOptionType::kPad1 || value.size > 255) {
        invalid();  // Pad1 has no length byte; use add_padding()
        return *this;
    }
    if (reserve(2 + value.size)) {
        w_.u8(type);
        w_.u8(static_cast<std::uint8_t>(value.size));
        w_.bytes(value);
    }
    return *this;
}

RplWriter &RplWriter::add(const RplOption &o) {
    switch (o.type) {
        case RplOptionType::kPad1:
        case RplOptionType::kPadN:
            return add_padding(o.whole.size);
        case RplOptionType::kRouteInformation:
            if (auto v = o.route_info())
                return add(*v);
            break;
        case RplOptionType::kDodagConfiguration:
            if (auto v = o.dodag_config())
                return add(*v);
            break;
        case RplOptionType::kTarget:
            if (auto v = o.target())
                return add(*v);
            break;
        case RplOptionType::kTransitInformation:
            if (auto v = o.transit())
                return add(*v);
            break;
        case RplOptionType::kSolicitedInformation:
            if (auto v = o.solicited_info())
                return add(*v);
            break;
        case RplOptionType::kPrefixInformation:
            if (auto v = o.prefix_info())
                return add(*v);
            break;
        case RplOptionType::kTargetDescriptor:
            if (auto v = o.target_descriptor())
                return add(*v);
            break;
        default:
            return add_raw(o.type, o.value);  // metric container and unknown types
    }
    invalid();  // a known type whose value does not decode (not from a parsed view)
    return *this;
}

Result<ByteSpan> RplWriter::finish(const PseudoHeader &ph) {
    if (error_ != Error::kOk)
        return error_;
    if (!w_.ok() || w_.offset() != size_)
        return Error::kNoSpace;
    MutableByteSpan msg = out_.subspan(0, size_);
    icmp6_finish_checksum(msg, ph);
    return ByteSpan(msg);
}

}  // namespace meshwork::wire
