#include "wire/ThreadNetData.h"

namespace meshwork::wire {

Result<NetDataPrefix> NetDataPrefix::parse(ByteSpan v) {
    ByteReader r(v);
    NetDataPrefix p;
    p.domain_id = r.u8();
    p.prefix_length = r.u8();
    if (!r.ok())
        return Error::kTruncated;
    if (p.prefix_length > 128)
        return Error::kMalformed;
    std::size_t n = (p.prefix_length + 7u) / 8u;
    r.copy(p.prefix.bytes, n);
    if (!r.ok())
        return Error::kTruncated;
    p.prefix = p.prefix.masked(p.prefix_length);
    Result<TlvList> l = TlvList::parse(r.rest(), kNetDataTlvFormat);
    if (!l)
        return l.error();
    p.sub_tlvs = *l;
    return p;
}

Result<NetDataContext> NetDataContext::parse(ByteSpan v) {
    if (v.size < 2)
        return Error::kTruncated;
    NetDataContext c;
    c.compress = (v[0] & 0x10) != 0;
    c.context_id = v[0] & 0x0f;
    c.context_length = v[1];
    if (c.context_length > 128)
        return Error::kMalformed;
    return c;
}

Status NetDataContext::emit(ByteWriter &w) const {
    if (context_id > 15 || context_length > 128)
        return Error::kInvalidArgument;
    w.u8(static_cast<std::uint8_t>((compress ? 0x10 : 0) | context_id));
    w.u8(context_length);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Result<NetDataService> NetDataService::parse(ByteSpan v) {
    ByteReader r(v);
    NetDataService s;
    std::uint8_t b = r.u8();
    s.thread_enterprise = (b & 0x80) != 0;
    s.service_id = b & 0x0f;
    if (!s.thread_enterprise)
        s.enterprise_number = r.u32();
    std::uint8_t len = r.u8();
    s.service_data = r.take(len);
    if (!r.ok())
        return Error::kTruncated;
    Result<TlvList> l = TlvList::parse(r.rest(), kNetDataTlvFormat);
    if (!l)
        return l.error();
    s.sub_tlvs = *l;
    return s;
}

Result<NetDataServer> NetDataServer::parse(ByteSpan v) {
    if (v.size < 2)
        return Error::kTruncated;
    NetDataServer s;
    s.rloc16 = static_cast<std::uint16_t>(v[0] << 8 | v[1]);
    s.server_data = v.subspan(2);
    return s;
}

Status NetDataService::emit(ByteWriter &w) const {
    if (service_id > 15 || service_data.size > 0xff)
        return Error::kInvalidArgument;
    w.u8(static_cast<std::uint8_t>((thread_enterprise ? 0x80 : 0) | service_id));
    if (!thread_enterprise)
        w.u32(enterprise_number);
    w.u8(static_cast<std::uint8_t>(service_data.size));
    w.bytes(service_data);
    w.bytes(sub_tlvs.bytes());
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

bool NetDataService::operator==(const NetDataService &o) const {
    return thread_enterprise == o.thread_enterprise && service_id == o.service_id &&
           (thread_enterprise || enterprise_number == o.enterprise_number) &&
           service_data.equals(o.service_data) && sub_tlvs.bytes().equals(o.sub_tlvs.bytes());
}

Status NetDataServer::emit(ByteWriter &w) const {
    w.u16(rloc16);
    w.bytes(server_data);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Status NetDataHasRouteEntry::emit(ByteWriter &w) const {
    w.u16(rloc16);
    w.u8(flags);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Status NetDataBorderRouterEntry::emit(ByteWriter &w) const {
    w.u16(rloc16);
    w.u16(flags);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

Status netdata_emit_prefix(ByteWriter &w, bool stable, std::uint8_t domain_id,
                           const Ip6Address &prefix, std::uint8_t prefix_length,
                           ByteSpan sub_tlvs) {
    if (prefix_length > 128)
        return Error::kInvalidArgument;
    TlvWriter tw(w, kNetDataTlvFormat);
    TlvWriter::Open o = tw.begin(NetDataTlvType::kPrefix, stable);
    w.u8(domain_id);
    w.u8(prefix_length);
    Ip6Address masked = prefix.masked(prefix_length);
    w.bytes(masked.bytes, (prefix_length + 7u) / 8u);
    w.bytes(sub_tlvs);
    tw.end(o);
    return w.ok() ? Status() : Status(Error::kNoSpace);
}

}  // namespace meshwork::wire
