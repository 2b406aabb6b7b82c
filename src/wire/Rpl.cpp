#include "wire/Rpl.h"

#include "wire/Icmp6.h"
#include "wire/OptionIterator.h"

namespace meshwork::wire {

namespace {

std::size_t prefix_bytes(unsigned bits) {
    return (bits + 7) / 8;
}

std::size_t base_size(const RplMessage &m) {
    const std::size_t id = m.has_dodag_id() ? 16 : 0;
    switch (m.code) {
        case RplCode::kDis:
            return 2;
        case RplCode::kDio:
            return 24;
        case RplCode::kDao:
        case RplCode::kDaoAck:
            return 4 + id;
        default:
            return 0;
    }
}

std::size_t item_size(const RplDaoItem &d) {
    switch (d.kind) {
        case RplDaoItem::Kind::kTarget:
            return 4 + prefix_bytes(d.prefix_length);
        case RplDaoItem::Kind::kTransit:
            return d.has_parent ? 22 : 6;
        case RplDaoItem::Kind::kDescriptor:
            return 6;
    }
    return 0;
}

}  // namespace

bool RplDodagConfig::operator==(const RplDodagConfig &o) const {
    return flags == o.flags && dio_interval_doublings == o.dio_interval_doublings &&
           dio_interval_min == o.dio_interval_min &&
           dio_redundancy_constant == o.dio_redundancy_constant &&
           max_rank_increase == o.max_rank_increase &&
           min_hop_rank_increase == o.min_hop_rank_increase && ocp == o.ocp &&
           default_lifetime == o.default_lifetime && lifetime_unit == o.lifetime_unit;
}

bool RplSolicitedInfo::operator==(const RplSolicitedInfo &o) const {
    return instance_id == o.instance_id && flags == o.flags && dodag_id == o.dodag_id &&
           version == o.version;
}

RplDaoItem RplDaoItem::make_target(const Ip6Address &a, std::uint8_t prefix_length) {
    RplDaoItem d;
    d.kind = Kind::kTarget;
    d.prefix_length = prefix_length;
    d.target = a.masked(prefix_length);
    return d;
}

RplDaoItem RplDaoItem::make_transit(std::uint8_t path_sequence, std::uint8_t path_lifetime,
                                    const Ip6Address *parent, std::uint8_t path_control) {
    RplDaoItem d;
    d.kind = Kind::kTransit;
    d.path_sequence = path_sequence;
    d.path_lifetime = path_lifetime;
    d.path_control = path_control;
    if (parent) {
        d.has_parent = true;
        d.parent = *parent;
    }
    return d;
}

bool RplDaoItem::operator==(const RplDaoItem &o) const {
    if (kind != o.kind)
        return false;
    switch (kind) {
        case Kind::kTarget:
            return target_flags == o.target_flags && prefix_length == o.prefix_length &&
                   target == o.target;
        case Kind::kTransit:
            return transit_flags == o.transit_flags && path_control == o.path_control &&
                   path_sequence == o.path_sequence && path_lifetime == o.path_lifetime &&
                   has_parent == o.has_parent && (!has_parent || parent == o.parent);
        case Kind::kDescriptor:
            return descriptor == o.descriptor;
    }
    return false;
}

bool RplMessage::has_dodag_id() const {
    switch (code) {
        case RplCode::kDio:
            return true;
        case RplCode::kDao:
            return flags & kDaoDodagIdPresent;
        case RplCode::kDaoAck:
            return flags & kDaoAckDodagIdPresent;
        default:
            return false;
    }
}

Result<RplMessage> RplMessage::parse(ByteSpan bytes, const PseudoHeader *verify) {
    auto v = Icmp6View::parse(bytes, verify);
    if (!v)
        return v.error();
    if (v->type() != Icmp6Type::kRpl)
        return Error::kMalformed;
    RplMessage m;
    m.code = v->code();
    ByteReader r(v->body());
    switch (m.code) {
        case RplCode::kDis:
            m.flags = r.u8();
            r.skip(1);
            break;
        case RplCode::kDio: {
            m.instance_id = r.u8();
            m.version = r.u8();
            m.rank = r.u16();
            std::uint8_t b = r.u8();
            m.grounded = b & kDioGrounded;
            m.mop = static_cast<std::uint8_t>((b >> 3) & 0x7);
            m.preference = static_cast<std::uint8_t>(b & 0x7);
            m.dtsn = r.u8();
            m.flags = r.u8();
            r.skip(1);
            r.copy(m.dodag_id.bytes, 16);
            break;
        }
        case RplCode::kDao:
            m.instance_id = r.u8();
            m.flags = r.u8();
            r.skip(1);
            m.sequence = r.u8();
            if (m.has_dodag_id())
                r.copy(m.dodag_id.bytes, 16);
            break;
        case RplCode::kDaoAck:
            m.instance_id = r.u8();
            m.flags = r.u8();
            m.sequence = r.u8();
            m.status = r.u8();
            if (m.has_dodag_id())
                r.copy(m.dodag_id.bytes, 16);
            break;
        default:
            return Error::kUnsupported;  // secure RPL and consistency checks
    }
    if (!r.ok())
        return Error::kTruncated;

    OptionIterator it(r.rest(), kRplOptionFormat);
    Option o;
    while (it.next(o)) {
        ByteReader q(o.value);
        switch (o.type) {
            case RplOptionType::kPad1:
            case RplOptionType::kPadN:
                break;
            case RplOptionType::kDagMetricContainer:
                if (m.has_metric_container)
                    return Error::kUnsupported;
                m.has_metric_container = true;
                m.metric_container = o.value;
                break;
            case RplOptionType::kRouteInformation: {
                if (m.route_count == kMaxRoutes)
                    return Error::kUnsupported;
                RplRouteInfo &ri = m.routes[m.route_count++];
                ri.prefix_length = q.u8();
                ri.preference = static_cast<std::uint8_t>((q.u8() >> 3) & 0x3);
                ri.route_lifetime = q.u32();
                if (!q.ok() || ri.prefix_length > 128 || q.remaining() > 16 ||
                    q.remaining() < prefix_bytes(ri.prefix_length)) {
                    return Error::kMalformed;
                }
                Ip6Address p;
                q.copy(p.bytes, q.remaining());
                ri.prefix = p.masked(ri.prefix_length);
                break;
            }
            case RplOptionType::kDodagConfiguration: {
                if (o.value.size != 14)
                    return Error::kMalformed;
                if (m.has_config)
                    return Error::kMalformed;
                m.has_config = true;
                RplDodagConfig &c = m.config;
                c.flags = q.u8();
                c.dio_interval_doublings = q.u8();
                c.dio_interval_min = q.u8();
                c.dio_redundancy_constant = q.u8();
                c.max_rank_increase = q.u16();
                c.min_hop_rank_increase = q.u16();
                c.ocp = q.u16();
                q.skip(1);
                c.default_lifetime = q.u8();
                c.lifetime_unit = q.u16();
                break;
            }
            case RplOptionType::kTarget: {
                if (m.dao_item_count == kMaxDaoItems)
                    return Error::kUnsupported;
                RplDaoItem &d = m.dao_items[m.dao_item_count++];
                d.kind = RplDaoItem::Kind::kTarget;
                d.target_flags = q.u8();
                d.prefix_length = q.u8();
                if (!q.ok() || d.prefix_length > 128 || q.remaining() > 16 ||
                    q.remaining() < prefix_bytes(d.prefix_length)) {
                    return Error::kMalformed;
                }
                Ip6Address p;
                q.copy(p.bytes, q.remaining());
                d.target = p.masked(d.prefix_length);
                break;
            }
            case RplOptionType::kTransitInformation: {
                if (o.value.size != 4 && o.value.size != 20)
                    return Error::kMalformed;
                if (m.dao_item_count == kMaxDaoItems)
                    return Error::kUnsupported;
                RplDaoItem &d = m.dao_items[m.dao_item_count++];
                d.kind = RplDaoItem::Kind::kTransit;
                d.transit_flags = q.u8();
                d.path_control = q.u8();
                d.path_sequence = q.u8();
                d.path_lifetime = q.u8();
                d.has_parent = o.value.size == 20;
                if (d.has_parent)
                    q.copy(d.parent.bytes, 16);
                break;
            }
            case RplOptionType::kTargetDescriptor: {
                if (o.value.size != 4)
                    return Error::kMalformed;
                if (m.dao_item_count == kMaxDaoItems)
                    return Error::kUnsupported;
                RplDaoItem &d = m.dao_items[m.dao_item_count++];
                d.kind = RplDaoItem::Kind::kDescriptor;
                d.descriptor = q.u32();
                break;
            }
            case RplOptionType::kSolicitedInformation:
                if (o.value.size != 19)
                    return Error::kMalformed;
                if (m.has_solicited)
                    return Error::kMalformed;
                m.has_solicited = true;
                m.solicited.instance_id = q.u8();
                m.solicited.flags = q.u8();
                q.copy(m.solicited.dodag_id.bytes, 16);
                m.solicited.version = q.u8();
                break;
            case RplOptionType::kPrefixInformation: {
                if (o.value.size != 30)
                    return Error::kMalformed;
                if (m.prefix_count == kMaxPrefixes)
                    return Error::kUnsupported;
                Result<RplPrefixInfo> p = RplPrefixInfo::read(q);
                if (!p)
                    return p.error();
                m.prefixes[m.prefix_count++] = *p;
                break;
            }
            default:
                break;  // unknown options are ignored
        }
        if (!q.ok())
            return Error::kMalformed;
    }
    if (it.error() != Error::kOk)
        return it.error();
    return m;
}

std::size_t RplMessage::emitted_size() const {
    std::size_t n = kIcmp6HeaderSize + base_size(*this);
    if (has_metric_container)
        n += 2 + metric_container.size;
    for (std::size_t i = 0; i < route_count && i < kMaxRoutes; ++i) {
        n += 8 + prefix_bytes(routes[i].prefix_length);
    }
    if (has_config)
        n += 16;
    n += 32u * (prefix_count > kMaxPrefixes ? kMaxPrefixes : prefix_count);
    if (has_solicited)
        n += 21;
    for (std::size_t i = 0; i < dao_item_count && i < kMaxDaoItems; ++i)
        n += item_size(dao_items[i]);
    return n;
}

Status RplMessage::emit(MutableByteSpan out, const PseudoHeader &ph) const {
    if (code > RplCode::kDaoAck || prefix_count > kMaxPrefixes || route_count > kMaxRoutes ||
        dao_item_count > kMaxDaoItems || mop > 7 || preference > 7 || metric_container.size > 255) {
        return Error::kInvalidArgument;
    }
    const std::size_t size = emitted_size();
    if (out.size < size)
        return Error::kNoSpace;
    MutableByteSpan msg = out.subspan(0, size);
    ByteWriter w(msg);
    w.u8(Icmp6Type::kRpl);
    w.u8(code);
    w.u16(0);
    switch (code) {
        case RplCode::kDis:
            w.u8(flags);
            w.u8(0);
            break;
        case RplCode::kDio:
            w.u8(instance_id);
            w.u8(version);
            w.u16(rank);
            w.u8(static_cast<std::uint8_t>((grounded ? kDioGrounded : 0) | mop << 3 | preference));
            w.u8(dtsn);
            w.u8(flags);
            w.u8(0);
            w.bytes(dodag_id.span());
            break;
        case RplCode::kDao:
            w.u8(instance_id);
            w.u8(flags);
            w.u8(0);
            w.u8(sequence);
            if (has_dodag_id())
                w.bytes(dodag_id.span());
            break;
        case RplCode::kDaoAck:
            w.u8(instance_id);
            w.u8(flags);
            w.u8(sequence);
            w.u8(status);
            if (has_dodag_id())
                w.bytes(dodag_id.span());
            break;
    }
    if (has_metric_container) {
        w.u8(RplOptionType::kDagMetricContainer);
        w.u8(static_cast<std::uint8_t>(metric_container.size));
        w.bytes(metric_container);
    }
    for (std::size_t i = 0; i < route_count; ++i) {
        const RplRouteInfo &ri = routes[i];
        if (ri.prefix_length > 128 || ri.preference > 3)
            return Error::kInvalidArgument;
        const std::size_t pb = prefix_bytes(ri.prefix_length);
        w.u8(RplOptionType::kRouteInformation);
        w.u8(static_cast<std::uint8_t>(6 + pb));
        if (Status s = ri.write(w, pb); !s)
            return s;
    }
    if (has_config) {
        w.u8(RplOptionType::kDodagConfiguration);
        w.u8(14);
        w.u8(config.flags);
        w.u8(config.dio_interval_doublings);
        w.u8(config.dio_interval_min);
        w.u8(config.dio_redundancy_constant);
        w.u16(config.max_rank_increase);
        w.u16(config.min_hop_rank_increase);
        w.u16(config.ocp);
        w.u8(0);
        w.u8(config.default_lifetime);
        w.u16(config.lifetime_unit);
    }
    for (std::size_t i = 0; i < prefix_count; ++i) {
        if (prefixes[i].prefix_length > 128)
            return Error::kInvalidArgument;
        w.u8(RplOptionType::kPrefixInformation);
        w.u8(static_cast<std::uint8_t>(RplPrefixInfo::kBodySize));
        if (Status s = prefixes[i].write(w); !s)
            return s;
    }
    if (has_solicited) {
        w.u8(RplOptionType::kSolicitedInformation);
        w.u8(19);
        w.u8(solicited.instance_id);
        w.u8(solicited.flags);
        w.bytes(solicited.dodag_id.span());
        w.u8(solicited.version);
    }
    for (std::size_t i = 0; i < dao_item_count; ++i) {
        const RplDaoItem &d = dao_items[i];
        switch (d.kind) {
            case RplDaoItem::Kind::kTarget: {
                if (d.prefix_length > 128)
                    return Error::kInvalidArgument;
                const std::size_t pb = prefix_bytes(d.prefix_length);
                Ip6Address t = d.target.masked(d.prefix_length);
                w.u8(RplOptionType::kTarget);
                w.u8(static_cast<std::uint8_t>(2 + pb));
                w.u8(d.target_flags);
                w.u8(d.prefix_length);
                w.bytes(t.bytes, pb);
                break;
            }
            case RplDaoItem::Kind::kTransit:
                w.u8(RplOptionType::kTransitInformation);
                w.u8(d.has_parent ? 20 : 4);
                w.u8(d.transit_flags);
                w.u8(d.path_control);
                w.u8(d.path_sequence);
                w.u8(d.path_lifetime);
                if (d.has_parent)
                    w.bytes(d.parent.span());
                break;
            case RplDaoItem::Kind::kDescriptor:
                w.u8(RplOptionType::kTargetDescriptor);
                w.u8(4);
                w.u32(d.descriptor);
                break;
        }
    }
    if (!w.ok() || w.offset() != size)
        return Error::kNoSpace;
    icmp6_finish_checksum(msg, ph);
    return Status();
}

bool RplMessage::operator==(const RplMessage &o) const {
    if (code != o.code || instance_id != o.instance_id || flags != o.flags ||
        version != o.version || rank != o.rank || grounded != o.grounded || mop != o.mop ||
        preference != o.preference || dtsn != o.dtsn || sequence != o.sequence ||
        status != o.status || dodag_id != o.dodag_id) {
        return false;
    }
    if (has_metric_container != o.has_metric_container ||
        (has_metric_container && !metric_container.equals(o.metric_container))) {
        return false;
    }
    if (has_config != o.has_config || (has_config && !(config == o.config)))
        return false;
    if (has_solicited != o.has_solicited || (has_solicited && !(solicited == o.solicited))) {
        return false;
    }
    if (prefix_count != o.prefix_count || route_count != o.route_count ||
        dao_item_count != o.dao_item_count) {
        return false;
    }
    return equal_items(prefixes, o.prefixes, prefix_count, kMaxPrefixes) &&
           equal_items(routes, o.routes, route_count, kMaxRoutes) &&
           equal_items(dao_items, o.dao_items, dao_item_count, kMaxDaoItems);
}

}  // namespace meshwork::wire
