// ICMPv6 (RFC 4443): echo, errors with their rules and rate limit, Packet Too Big into the
// path MTU cache (RFC 8201), and errors about our own packets to the UDP socket or TCP
// connection that sent them.
#include <cstring>

#include "IcmpSockets.h"
#include "Stack.h"
#include "TcpSockets.h"
#include "UdpSockets.h"
#include "wire/Icmp6.h"
#include "wire/Mld.h"
#include "wire/Nd.h"

namespace meshwork::stack {

Stack::Verdict Stack::input_icmp(Netif &nif, const wire::Ip6View &ip, ByteSpan packet,
                                 ByteSpan msg) {
    wire::PseudoHeader ph{ip.src(), ip.dst()};
    auto v = wire::Icmp6View::parse(msg, &ph);
    if (!v)
        return drop(v.error() == Error::kChecksum ? StackDrop::kChecksum : StackDrop::kIcmpInvalid);
    const std::uint8_t type = v->type();
    for (auto &h : icmp_handlers_)
        if (h.first == type && h.second(nif.index, ip, msg))
            return Verdict::kDelivered;
    bool tentative = false;
    (void)accepts_destination(nif, ip.dst(), &tentative);
    if (tentative && type != wire::Icmp6Type::kNeighborSolicitation &&
        type != wire::Icmp6Type::kNeighborAdvertisement)
        return drop(StackDrop::kNotForUs);
    if (type == wire::Icmp6Type::kEchoRequest || type == wire::Icmp6Type::kEchoReply ||
        wire::icmp6_is_error(type))
        icmp_->deliver(nif.index, ip.src(), ip.dst(), ip.hop_limit(), msg);
    switch (type) {
        case wire::Icmp6Type::kEchoRequest: {
            auto m = wire::Icmp6Message::parse(msg);
            if (!m)
                return drop(StackDrop::kIcmpInvalid);
            if (ip.src().is_unspecified())
                return drop(StackDrop::kIp6Invalid);
            // RFC 4443 4.2: reply from the address the request went to, or for a multicast
            // request from one of the interface's unicast addresses.
            const wire::Ip6Address to = ip.dst();
            const wire::Ip6Address *src = to.is_multicast() ? nullptr : &to;
            auto route = route_output(ip.src(), nif.index, src);
            if (!route && src)
                route = route_output(ip.src(), kAnyInterface, src);
            if (!route)
                return drop(StackDrop::kNoRoute);
            auto reply = wire::Icmp6Message::echo(true, m->identifier(), m->sequence(), m->data);
            auto b = allocate(reply.emitted_size());
            if (!b)
                return Verdict::kDropped;
            (void)reply.emit(b->mutable_data(), wire::PseudoHeader{route->src, ip.src()});
            if (output(std::move(*b), *route, ip.src(), wire::IpProto::kIcmp6, 0))
                ++stats_.echo_replies_sent;
            return Verdict::kDelivered;
        }
        case wire::Icmp6Type::kEchoReply: {
            auto m = wire::Icmp6Message::parse(msg);
            if (!m)
                return drop(StackDrop::kIcmpInvalid);
            if (echo_handler_)
                echo_handler_(
                    EchoReply{ip.src(), m->identifier(), m->sequence(), ip.hop_limit(), m->data});
            return Verdict::kDelivered;
        }
        case wire::Icmp6Type::kDestinationUnreachable:
        case wire::Icmp6Type::kPacketTooBig:
        case wire::Icmp6Type::kTimeExceeded:
        case wire::Icmp6Type::kParameterProblem: {
            auto m = wire::Icmp6Message::parse(msg);
            if (!m)
                return drop(StackDrop::kIcmpInvalid);
            on_icmp_error(ip, type, m->code, m->word, m->data);
            return Verdict::kDelivered;
        }
        case wire::MldType::kQuery:
        case wire::MldType::kV1Report:
        case wire::MldType::kV1Done:
        case wire::MldType::kV2Report:
            return input_mld(nif, ip, msg);
        default:
            if (wire::NdView::is_nd_type(type))
                return input_nd(nif, ip, msg);
            // RFC 4443 2.4 (b): an unknown informational message is silently discarded; an
            // unknown error goes to the upper layer, which has nothing to do with it here.
            return Verdict::kDelivered;
    }
}

void Stack::set_icmp_handler(std::uint8_t type, IcmpHandler handler) {
    for (auto it = icmp_handlers_.begin(); it != icmp_handlers_.end(); ++it)
        if (it->first == type) {
            if (handler)
                it->second = std::move(handler);
            else
                icmp_handlers_.erase(it);
            return;
        }
    if (handler)
        icmp_handlers_.emplace_back(type, std::move(handler));
}

void Stack::on_icmp_error(const wire::Ip6View &ip, std::uint8_t type, std::uint8_t code,
                          std::uint32_t word, ByteSpan quoted) {
    // The quoted packet tells which destination the error is about.
    if (quoted.size < wire::kIp6HeaderSize)
        return;
    const wire::Ip6Address orig_src = wire::Ip6Address::from_bytes(quoted.data + 8);
    const wire::Ip6Address orig_dst = wire::Ip6Address::from_bytes(quoted.data + 24);
    if (!is_local_address(orig_src))
        return;  // not about a packet of ours
    ++stats_.icmp_errors_received;
    if (type == wire::Icmp6Type::kPacketTooBig)
        (void)pmtu_.on_packet_too_big(orig_dst, word, now());
    // The transport header behind the quoted packet's extension headers (as much of it as was
    // quoted: its first 8 bytes hold both ports and, for TCP, the sequence number).
    std::uint8_t nh = quoted[6];
    std::size_t off = wire::kIp6HeaderSize;
    for (int guard = 0; guard < 8; ++guard) {
        if (nh != wire::IpProto::kHopByHop && nh != wire::IpProto::kRouting &&
            nh != wire::IpProto::kDestOpts && nh != wire::IpProto::kFragment)
            break;
        if (quoted.size < off + 8)
            return;
        const std::uint8_t next = quoted[off];
        if (nh == wire::IpProto::kFragment) {
            // Only the first fragment carries the transport header.
            if ((quoted[off + 2] << 8 | quoted[off + 3]) >> 3 != 0)
                return;
            off += 8;
        } else {
            off += (static_cast<std::size_t>(quoted[off + 1]) + 1) * 8;
        }
        nh = next;
    }
    if (quoted.size < off + 8)
        return;
    const std::uint8_t *t = quoted.data + off;
    const auto sport = static_cast<std::uint16_t>(t[0] << 8 | t[1]);
    const auto dport = static_cast<std::uint16_t>(t[2] << 8 | t[3]);
    if (nh == wire::IpProto::kUdp) {
        udp_->on_icmp_error(orig_src, orig_dst, sport, dport, type, code);
    } else if (nh == wire::IpProto::kTcp) {
        const std::uint32_t seq = static_cast<std::uint32_t>(t[4]) << 24 |
                                  static_cast<std::uint32_t>(t[5]) << 16 |
                                  static_cast<std::uint32_t>(t[6]) << 8 | t[7];
        tcp_->on_icmp_error(orig_src, orig_dst, sport, dport, seq, type, code);
    }
}

void Stack::send_error(Netif &nif, ByteSpan invoking, std::uint8_t type, std::uint8_t code,
                       std::uint32_t word, bool even_multicast) {
    auto ip = wire::Ip6View::parse(invoking);
    if (!ip)
        return;
    const wire::Ip6Address src = ip->src(), dst = ip->dst();
    // RFC 4443 2.4 (e): not to an unspecified, multicast or anycast-looking source; not for a
    // multicast destination except PTB and unknown option with action 10.
    if (src.is_unspecified() || src.is_multicast() || is_local_address(src))
        return;
    if (dst.is_multicast() && !even_multicast)
        return;
    // (e.1): never about an ICMPv6 error (nor a redirect). Only a direct ICMPv6 header is
    // looked at; an error behind extension headers is rare and then answered.
    if (ip->next_header() == wire::IpProto::kIcmp6) {
        ByteSpan p = ip->payload();
        if (p.size == 0 || wire::icmp6_is_error(p[0]) || p[0] == wire::Icmp6Type::kRedirect)
            return;
    }
    if (!icmp_bucket_.take(now())) {
        drops_.count(StackDrop::kIcmpRateLimited);
        return;
    }
    const wire::Ip6Address *from = dst.is_multicast() ? nullptr : &dst;  // a local copy
    if (from && !is_local_address(*from))
        from = nullptr;  // a forwarded packet: the router's own address
    auto route = route_output(src, src.is_link_local() ? nif.index : kAnyInterface, from);
    if (!route && from)
        route = route_output(src, src.is_link_local() ? nif.index : kAnyInterface, nullptr);
    if (!route)
        return;
    auto m = wire::Icmp6Message::error(type, code, word, ip->packet());
    auto b = allocate(m.emitted_size());
    if (!b)
        return;
    (void)m.emit(b->mutable_data(), wire::PseudoHeader{route->src, src});
    if (output(std::move(*b), *route, src, wire::IpProto::kIcmp6, 0))
        ++stats_.icmp_errors_sent;
}

Status Stack::ping(const wire::Ip6Address &dst, std::uint16_t identifier, std::uint16_t sequence,
                   ByteSpan data, IfIndex ifindex) {
    auto route = route_output(dst, ifindex);
    if (!route)
        return route.error();
    auto m = wire::Icmp6Message::echo(false, identifier, sequence, data);
    auto b = allocate(m.emitted_size());
    if (!b)
        return Error::kNoMemory;
    (void)m.emit(b->mutable_data(), wire::PseudoHeader{route->src, dst});
    return output(std::move(*b), *route, dst, wire::IpProto::kIcmp6, 0);
}

}  // namespace meshwork::stack
