// Generic TLV lists in the three formats (MLE, Network Data with its stable bit, MeshCoP with the
// 0xff length escape) and the typed Network Data values: parse -> emit -> parse must give the same
// TLVs back. Input byte 0 picks the format; the rest is the list.
#include <cstdint>
#include <vector>

#include "wire/ThreadNetData.h"
#include "wire/Tlv.h"

using namespace meshwork;
using namespace meshwork::wire;

namespace {

bool same_tlvs(const TlvList &a, const TlvList &b) {
    TlvList::Iterator ia = a.begin(), ib = b.begin();
    for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
        Tlv x = *ia, y = *ib;
        if (x.type != y.type || x.stable != y.stable || !x.value.equals(y.value))
            return false;
    }
    return !(ia != a.end()) && !(ib != b.end());
}

// A typed value (Service, Server) emits into value_size() bytes (the input's, when `exact`) and
// parses back to an equal value.
template <typename T>
void round_trip_value(const T &v, ByteSpan in, bool exact) {
    std::vector<std::uint8_t> buf(v.value_size());
    ByteWriter w(MutableByteSpan(buf.data(), buf.size()));
    if (!v.emit(w).ok() || w.offset() != buf.size() || (exact && !w.written().equals(in)))
        __builtin_trap();
    Result<T> again = T::parse(w.written());
    if (!again || !(*again == v))
        __builtin_trap();
}

// Round-trips every typed Network Data value; recurses into sub-TLVs.
void netdata_values(const TlvList &l, int depth) {
    if (depth > 3)
        return;
    for (Tlv t : l) {
        if (t.type == NetDataTlvType::kPrefix) {
            Result<NetDataPrefix> p = NetDataPrefix::parse(t.value);
            if (!p)
                continue;
            std::vector<std::uint8_t> buf(t.value.size + 2);
            ByteWriter w(MutableByteSpan(buf.data(), buf.size()));
            if (!netdata_emit_prefix(w, t.stable, p->domain_id, p->prefix, p->prefix_length,
                                     p->sub_tlvs.bytes())
                     .ok())
                __builtin_trap();
            // The emitted prefix is masked and shortest; it parses back to the same value.
            Result<TlvList> l2 = netdata_parse(w.written());
            Tlv t2;
            if (!l2 || l2->count() != 1 || !l2->find(NetDataTlvType::kPrefix, &t2) ||
                t2.stable != t.stable)
                __builtin_trap();
            Result<NetDataPrefix> p2 = NetDataPrefix::parse(t2.value);
            if (!p2 || p2->domain_id != p->domain_id || p2->prefix_length != p->prefix_length ||
                !(p2->prefix == p->prefix) || !same_tlvs(p2->sub_tlvs, p->sub_tlvs))
                __builtin_trap();
            netdata_values(p->sub_tlvs, depth + 1);
        } else if (t.type == NetDataTlvType::kContext) {
            Result<NetDataContext> c = NetDataContext::parse(t.value);
            if (!c)
                continue;
            std::uint8_t buf[2];
            ByteWriter w{MutableByteSpan(buf)};
            if (!c->emit(w).ok())
                __builtin_trap();
            Result<NetDataContext> c2 = NetDataContext::parse(w.written());
            if (!c2 || !(*c2 == *c))
                __builtin_trap();
        } else if (t.type == NetDataTlvType::kService) {
            Result<NetDataService> s = NetDataService::parse(t.value);
            if (!s)
                continue;
            round_trip_value(*s, t.value, /*exact=*/false);  // reserved bits are sent as zero
            netdata_values(s->sub_tlvs, depth + 1);
        } else if (t.type == NetDataTlvType::kServer) {
            Result<NetDataServer> s = NetDataServer::parse(t.value);
            if (s)
                round_trip_value(*s, t.value, /*exact=*/true);
        } else if (t.type == NetDataTlvType::kHasRoute) {
            std::vector<std::uint8_t> buf(t.value.size);
            ByteWriter w(MutableByteSpan(buf.data(), buf.size()));
            if (netdata_for_each_has_route(t.value,
                                           [&](const NetDataHasRouteEntry &e) {
                                               if (!e.emit(w).ok())
                                                   __builtin_trap();
                                           })
                    .ok() &&
                !w.written().equals(t.value))
                __builtin_trap();
        } else if (t.type == NetDataTlvType::kBorderRouter) {
            std::vector<std::uint8_t> buf(t.value.size);
            ByteWriter w(MutableByteSpan(buf.data(), buf.size()));
            if (netdata_for_each_border_router(t.value,
                                               [&](const NetDataBorderRouterEntry &e) {
                                                   if (!e.emit(w).ok())
                                                       __builtin_trap();
                                               })
                    .ok() &&
                !w.written().equals(t.value))
                __builtin_trap();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size < 1)
        return 0;
    const TlvFormat formats[] = {kMleTlvFormat, kNetDataTlvFormat, kMeshCopTlvFormat};
    const TlvFormat format = formats[data[0] % 3];
    const ByteSpan in(data + 1, size - 1);
    Result<TlvList> l = TlvList::parse(in, format);
    if (!l)
        return 0;
    std::size_t need = 0, n = 0;
    for (Tlv t : *l) {
        need += TlvWriter::size_of(t.value.size, format);
        ++n;
    }
    if (n != l->count())
        __builtin_trap();
    std::vector<std::uint8_t> out(need);
    ByteWriter w(MutableByteSpan(out.data(), out.size()));
    TlvWriter tw(w, format);
    for (Tlv t : *l)
        tw.put(t.type, t.value, t.stable);
    if (!w.ok() || w.offset() != need)
        __builtin_trap();
    // MLE and Network Data have one encoding per TLV; MeshCoP may escape a short length.
    if (!format.extended_length && !w.written().equals(in))
        __builtin_trap();
    Result<TlvList> l2 = TlvList::parse(w.written(), format);
    if (!l2 || !same_tlvs(*l, *l2))
        __builtin_trap();
    if (format.type_has_stable_bit)
        netdata_values(*l, 0);
    return 0;
}
