// TCP ingress: a verified segment goes to the connection table (TcpSockets); one that no
// connection or listener takes meets the CLOSED state (RFC 9293 3.10.7.1) and is answered with a
// reset so that a peer's connect fails at once instead of timing out: if it had no ACK,
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, else <SEQ=SEG.ACK><CTL=RST>. An incoming RST is
// dropped.
#include "Stack.h"
#include "TcpSockets.h"
#include "wire/Tcp.h"

namespace meshwork::stack {

Stack::Verdict Stack::input_tcp(Netif &nif, const wire::Ip6View &ip, ByteSpan segment) {
    wire::PseudoHeader ph{ip.src(), ip.dst()};
    auto seg = wire::TcpView::parse(segment, &ph);
    if (!seg)
        return drop(seg.error() == Error::kChecksum ? StackDrop::kChecksum
                                                    : StackDrop::kIp6Invalid);
    StackDrop why = StackDrop::kCount;
    if (tcp_->input(nif, ip, *seg, &why))
        return why == StackDrop::kCount ? Verdict::kDelivered : drop(why);
    const std::uint8_t flags = seg->flags();
    if ((flags & wire::TcpFlag::kRst) || ip.dst().is_multicast() || ip.src().is_unspecified())
        return drop(StackDrop::kNoListener);
    wire::TcpHeader rst;
    rst.src_port = seg->dst_port();
    rst.dst_port = seg->src_port();
    if (flags & wire::TcpFlag::kAck) {
        rst.seq = seg->ack();
        rst.flags = wire::TcpFlag::kRst;
    } else {
        std::uint32_t len = static_cast<std::uint32_t>(seg->payload().size);
        if (flags & wire::TcpFlag::kSyn)
            ++len;
        if (flags & wire::TcpFlag::kFin)
            ++len;
        rst.ack = seg->seq() + len;
        rst.flags = wire::TcpFlag::kRst | wire::TcpFlag::kAck;
    }
    const wire::Ip6Address to = ip.src(), from = ip.dst();
    auto route = route_output(to, to.is_link_local() ? nif.index : kAnyInterface, &from);
    if (route) {
        if (auto b = allocate(rst.emitted_size())) {
            if (rst.emit(b->mutable_data(), wire::PseudoHeader{route->src, to}))
                (void)output(std::move(*b), *route, to, wire::IpProto::kTcp, 0);
        }
    }
    return drop(StackDrop::kNoListener);
}

}  // namespace meshwork::stack
