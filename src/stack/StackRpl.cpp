// The RPL data plane of the stack (docs/rpl.md): source routing header processing on a
// forwarding node (RFC 6554 4.2), IPv6-in-IPv6 decapsulation (RFC 2473 3, RFC 9008 7), the
// root's source route insertion and tunnelling (RFC 6554 4.1, RFC 9008 7.1), and the RPL
// option on originated packets (RFC 6553 3, RFC 6550 11.2). The routing decisions are the RPL
// module's, behind RplDataPlane.
#include <cstring>

#include "Stack.h"
#include "wire/Icmp6.h"
#include "wire/OptionIterator.h"

namespace meshwork::stack {

namespace {
constexpr unsigned kMaxTunnelNesting = 2;  // a tunnel in a tunnel, no deeper
}

std::size_t Stack::find_mpl_option(ByteSpan packet) {
    return wire::find_hop_by_hop_option(
        packet, [](const wire::Option &o) { return o.type == wire::Ip6OptionType::kMpl; });
}

std::size_t Stack::find_rpl_option(ByteSpan packet) {
    return wire::find_hop_by_hop_option(packet, [](const wire::Option &o) {
        return (o.type == wire::Ip6OptionType::kRpl ||
                o.type == wire::Ip6OptionType::kRplRfc9008) &&
               o.value.size == 4;
    });
}

Status Stack::compose_ext(ByteSpan ext, const wire::Ip6Address &dst, MutableByteSpan chain,
                          std::size_t &chain_len, std::uint8_t &first, std::size_t &last_nh,
                          wire::Ip6Address &ip_dst, OutputRoute &route) {
    chain_len = 0;
    last_nh = 0;
    if (ext.size > 64)
        return Error::kInvalidArgument;
    if (!ext.empty()) {
        std::memcpy(chain.data, ext.data, ext.size);
        chain_len = ext.size;
        first = wire::IpProto::kHopByHop;
    }
    if (!rpl_ || !config_.rpl_data_plane || dst.is_multicast() || dst.is_link_scope())
        return Status();
    if (ext.empty()) {
        if (auto opt = rpl_->rpl_option(dst)) {
            wire::Ip6OptionsHeader hbh;
            hbh.has_rpl = true;
            hbh.rpl = *opt;
            if (Status s = hbh.emit(chain); !s)
                return s;
            chain_len = hbh.emitted_size();
            first = wire::IpProto::kHopByHop;
        }
    }
    if (route.direct)
        return Status();
    SourceRoute sr;
    if (!rpl_->source_route(dst, sr) || sr.count < 2 || sr.count > SourceRoute::kMaxHops)
        return Status();
    // RFC 6554 4.1: the IPv6 destination is the first hop; the header lists the rest, the
    // destination last, all still to visit. Compression is relative to the first hop.
    wire::RplSourceRouteHeader srh;
    srh.address_count = static_cast<std::uint8_t>(sr.count - 1);
    for (std::size_t i = 1; i < sr.count; ++i)
        srh.addresses[i - 1] = sr.hops[i];
    srh.segments_left = srh.address_count;
    srh.choose_compression(sr.hops[0]);
    if (Status s = srh.emit(chain.subspan(chain_len), sr.hops[0]); !s)
        return s;
    if (chain_len == 0)
        first = wire::IpProto::kRouting;
    else
        chain.data[last_nh] = wire::IpProto::kRouting;
    last_nh = chain_len;
    chain_len += srh.emitted_size();
    ip_dst = sr.hops[0];
    route.next_hop = sr.hops[0];
    ++stats_.srh_originated;
    return Status();
}

Stack::Verdict Stack::source_route_input(Netif &nif, ByteSpan packet, const wire::Ip6View &ip,
                                         std::size_t off) {
    auto param_problem = [&](std::uint8_t code, std::size_t pointer) {
        send_error(nif, packet, wire::Icmp6Type::kParameterProblem, code,
                   static_cast<std::uint32_t>(pointer));
    };
    auto srh = wire::RplSourceRouteHeader::parse(packet.subspan(off), ip.dst());
    if (!srh) {
        // RFC 6554 4.2: Segments Left > n points at Segments Left; an impossible length at
        // Hdr Ext Len.
        param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField,
                      srh.error() == Error::kMalformed ? off + 3 : off + 1);
        return drop(StackDrop::kRoutingHeader);
    }
    if (!config_.forwarding) {
        // A host never routes: as for a routing type it does not implement (RFC 8200 4.4).
        param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField, off + 2);
        return drop(StackDrop::kRoutingHeader);
    }
    const std::size_t n = srh->address_count;
    srh->segments_left = static_cast<std::uint8_t>(srh->segments_left - 1);
    const std::size_t i = n - srh->segments_left;  // 1-based index of the next address
    const wire::Ip6Address next = srh->addresses[i - 1];
    const wire::Ip6Address dst = ip.dst();
    if (next.is_multicast() || dst.is_multicast())
        return drop(StackDrop::kRoutingHeader);
    // Two addresses of ours with another between them: a loop.
    bool seen_local = false, gap = false;
    for (std::size_t k = 0; k < n; ++k) {
        if (is_local_address(srh->addresses[k])) {
            if (seen_local && gap) {
                param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField, off);
                return drop(StackDrop::kRplLoop);
            }
            seen_local = true;
            gap = false;
        } else if (seen_local) {
            gap = true;
        }
    }
    // Swap the destination and Address[i]; the compression stays, relative to the new
    // destination (the DODAG's addresses share their prefix).
    srh->addresses[i - 1] = dst;
    const std::size_t size = packet.size;
    auto buf = pool_.allocate(0, size);
    if (!buf)
        return drop(StackDrop::kNoMemory);
    auto area = buf->append(size);
    std::memcpy(area->data, packet.data, size);
    std::memcpy(area->data + 24, next.bytes, 16);
    const std::size_t old_size = (packet[off + 1] + 1u) * 8u;
    if (srh->emitted_size() != old_size || !srh->emit(area->subspan(off, old_size), next)) {
        param_problem(wire::Icmp6ParamProblem::kErroneousHeaderField, off + 8);
        return drop(StackDrop::kRoutingHeader);
    }
    auto ip2 = wire::Ip6View::parse(buf->data());
    if (!ip2)
        return drop(StackDrop::kIp6Invalid);
    const Verdict v = forward(nif, buf->data(), *ip2, true);
    if (v == Verdict::kForwarded)
        ++stats_.srh_forwarded;
    return v;
}

Stack::Verdict Stack::decapsulate(Netif &nif, ByteSpan packet, std::size_t off) {
    if (nesting_ >= kMaxTunnelNesting)
        return drop(StackDrop::kUnsupported);
    ++stats_.decapsulated;
    ++nesting_;
    // RFC 2473 3.3 / RFC 9008: the inner packet is a new arrival on this interface (it may be
    // for us, or for a neighbour the tunnel ends in front of).
    const Verdict v = input_ip6(nif, packet.subspan(off), false);
    --nesting_;
    return v;
}

Stack::Verdict Stack::tunnel(Netif &in, ByteSpan packet, const SourceRoute &sr, std::size_t rpi_at,
                             const wire::RplHopOption &rpi) {
    auto route = route_output(sr.hops[0]);
    Netif *out = route ? get(route->ifindex) : nullptr;
    if (!out || !out->up || out->disabled) {
        send_error(in, packet, wire::Icmp6Type::kDestinationUnreachable,
                   wire::Icmp6Unreachable::kNoRoute, 0);
        return drop(StackDrop::kNoRoute);
    }
    wire::RplSourceRouteHeader srh;
    srh.next_header = wire::IpProto::kIpv6;
    srh.address_count = static_cast<std::uint8_t>(sr.count - 1);
    for (std::size_t i = 1; i < sr.count; ++i)
        srh.addresses[i - 1] = sr.hops[i];
    srh.segments_left = srh.address_count;
    srh.choose_compression(sr.hops[0]);
    const std::size_t overhead = wire::kIp6HeaderSize + srh.emitted_size();
    if (packet.size + overhead > out->mtu) {
        // RFC 2473 7.1: the tunnel's MTU is the link's less the encapsulation.
        send_error(in, packet, wire::Icmp6Type::kPacketTooBig, 0,
                   static_cast<std::uint32_t>(out->mtu - overhead), true);
        return drop(StackDrop::kPacketTooBig);
    }
    auto buf = pool_.allocate(config_.link_headroom, overhead + packet.size);
    if (!buf)
        return drop(StackDrop::kNoMemory);
    auto area = buf->append(overhead + packet.size);
    wire::Ip6Header h;
    h.payload_length = static_cast<std::uint16_t>(overhead - wire::kIp6HeaderSize + packet.size);
    h.next_header = wire::IpProto::kRouting;
    h.hop_limit = config_.default_hop_limit;
    h.src = route->src;
    h.dst = sr.hops[0];
    (void)h.emit(*area);
    if (!srh.emit(area->subspan(wire::kIp6HeaderSize), sr.hops[0]))
        return drop(StackDrop::kRoutingHeader);
    std::uint8_t *inner = area->data + overhead;
    std::memcpy(inner, packet.data, packet.size);
    inner[7] = static_cast<std::uint8_t>(packet[7] - 1);
    if (rpi_at != 0) {
        inner[rpi_at] = rpi.flags;
        inner[rpi_at + 2] = static_cast<std::uint8_t>(rpi.sender_rank >> 8);
        inner[rpi_at + 3] = static_cast<std::uint8_t>(rpi.sender_rank & 0xff);
    }
    ++stats_.tunnelled;
    link_output(*out, sr.hops[0], std::move(*buf));
    return Verdict::kForwarded;
}

}  // namespace meshwork::stack
