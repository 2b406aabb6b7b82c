// The IPv6 input path (RFC 8200 4: extension headers and unknown options, RFC 5095 routing
// type 0) and forwarding between interfaces (hop limit, no route, packet too big, redirect).
#include <gtest/gtest.h>

#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

struct ExtHeaders : ::testing::Test {
    ExtHeaders() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
        sock = *n.stack.udp().open();
        EXPECT_TRUE(n.stack.udp().bind(sock, Ip6Address(), 5000).ok());
    }
    /// UDP behind one extension header `ext` of type `type` (its first byte is set to UDP).
    void send_with(std::uint8_t type, Bytes ext, const Ip6Address &dst) {
        ext[0] = wire::IpProto::kUdp;
        Bytes u = udp(peer, dst, 1000, 5000, Bytes{1, 2, 3});
        ext.insert(ext.end(), u.begin(), u.end());
        n.rx(ethernet(dst.is_multicast() ? multicast_mac(dst) : mac(1), mac(2),
                      ip6(peer, dst, type, 64, ext)));
    }
    Bytes option(std::uint8_t type) { return Bytes{0, 0, type, 4, 0, 0, 0, 0}; }
    Decoded only_icmp() {
        auto frames = n.link.take();
        EXPECT_EQ(frames.size(), 1u);
        return frames.empty() ? Decoded{} : decode(frames[0]);
    }
    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    UdpSockets::SocketId sock = 0;
};

TEST_F(ExtHeaders, UnknownOptionWithSkipActionIsSkipped) {
    send_with(wire::IpProto::kDestOpts, option(0x1e), ours);
    EXPECT_TRUE(n.stack.udp().readable(sock));
    send_with(wire::IpProto::kHopByHop, option(0x1e), ours);
    std::uint8_t buf[8];
    EXPECT_EQ(*n.stack.udp().recv_from(sock, MutableByteSpan(buf), nullptr), 3u);
    EXPECT_TRUE(n.stack.udp().readable(sock));
}

TEST_F(ExtHeaders, DiscardActionDropsSilently) {
    send_with(wire::IpProto::kDestOpts, option(0x5e), ours);
    EXPECT_FALSE(n.stack.udp().readable(sock));
    EXPECT_TRUE(n.link.take().empty());
    EXPECT_EQ(n.drops(StackDrop::kUnknownOption), 1u);
}

TEST_F(ExtHeaders, DiscardIcmpActionSendsParameterProblemPointingAtOption) {
    send_with(wire::IpProto::kDestOpts, option(0x9e), ours);
    Decoded d = only_icmp();
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kParameterProblem));
    auto m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
    EXPECT_EQ(m->code, wire::Icmp6ParamProblem::kUnrecognizedOption);
    EXPECT_EQ(m->pointer(), 42u);  // 40 + 2: the option type
    EXPECT_FALSE(n.stack.udp().readable(sock));
}

TEST_F(ExtHeaders, ActionElevenAnswersOnlyUnicast) {
    const Ip6Address all = Ip6Address::all_nodes_link_local();
    send_with(wire::IpProto::kDestOpts, option(0xde), all);
    EXPECT_TRUE(n.link.take().empty());
    send_with(wire::IpProto::kDestOpts, option(0xde), ours);
    EXPECT_TRUE(is_icmp(only_icmp(), wire::Icmp6Type::kParameterProblem));
    // Action 10 answers even a multicast destination (RFC 8200 4.2).
    send_with(wire::IpProto::kDestOpts, option(0x9e), all);
    EXPECT_TRUE(is_icmp(only_icmp(), wire::Icmp6Type::kParameterProblem));
    EXPECT_EQ(n.drops(StackDrop::kUnknownOption), 3u);
}

TEST_F(ExtHeaders, RoutingType0WithSegmentsLeftIsRefused) {
    Bytes rh(24, 0);
    rh[1] = 2;  // (2 + 1) * 8 bytes
    rh[2] = 0;  // type 0
    rh[3] = 1;  // segments left
    send_with(wire::IpProto::kRouting, rh, ours);
    Decoded d = only_icmp();
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kParameterProblem));
    auto m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
    EXPECT_EQ(m->code, wire::Icmp6ParamProblem::kErroneousHeaderField);
    EXPECT_EQ(m->pointer(), 42u);  // RFC 5095 3: the Routing Type field
    EXPECT_EQ(n.drops(StackDrop::kRoutingHeader), 1u);
    // With no segments left the header is ignored (RFC 8200 4.4).
    rh[3] = 0;
    send_with(wire::IpProto::kRouting, rh, ours);
    EXPECT_TRUE(n.stack.udp().readable(sock));
}

TEST_F(ExtHeaders, HopByHopNotFirstAndUnknownNextHeader) {
    Bytes two = option(0x1e);  // destination options, then hop-by-hop
    two[0] = wire::IpProto::kHopByHop;
    Bytes hbh = option(0x1e);
    hbh[0] = wire::IpProto::kUdp;
    two.insert(two.end(), hbh.begin(), hbh.end());
    Bytes u = udp(peer, ours, 1000, 5000, Bytes{1});
    two.insert(two.end(), u.begin(), u.end());
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kDestOpts, 64, two));
    Decoded d = only_icmp();
    auto m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
    EXPECT_EQ(m->code, wire::Icmp6ParamProblem::kUnrecognizedNextHeader);
    EXPECT_EQ(m->pointer(), 40u);  // the destination options' Next Header byte
    n.rx_ip(2, ip6(peer, ours, 253, 64, Bytes(8)));
    d = only_icmp();
    m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
    EXPECT_EQ(m->code, wire::Icmp6ParamProblem::kUnrecognizedNextHeader);
    EXPECT_EQ(m->pointer(), 6u);
    EXPECT_EQ(n.drops(StackDrop::kUnknownNextHeader), 1u);
}

TEST_F(ExtHeaders, TruncatedHeaderAndForeignFramesAreCounted) {
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kDestOpts, 64, Bytes{17, 3, 0, 0}));
    EXPECT_EQ(n.drops(StackDrop::kExtHeaderInvalid), 1u);
    n.rx(Bytes(10, 0));
    Bytes other = ethernet(mac(7), mac(2), ip6(peer, ours, wire::IpProto::kNoNext, 64, {}));
    n.rx(other);  // another MAC
    EXPECT_EQ(n.drops(StackDrop::kFrameInvalid), 2u);
    const auto &s = n.stack.stats();
    EXPECT_EQ(s.rx_frames, s.rx_delivered + s.rx_forwarded + s.rx_fragments + s.rx_dropped);
}

// A router with two interfaces, each on a recording link.
struct Forwarding : ::testing::Test {
    Forwarding() : rnd(7), pool(1 << 20, 256), stack(clock, rnd, pool, config()) {
        NetifConfig a;
        a.mac = mac(0x10);
        NetifConfig b;
        b.mac = mac(0x20);
        b.mtu = 1280;
        if0 = *stack.add_interface(a, link0);
        if1 = *stack.add_interface(b, link1);
        EXPECT_TRUE(stack.set_up(if0).ok());
        EXPECT_TRUE(stack.set_up(if1).ok());
        EXPECT_TRUE(stack.add_address(if0, addr("2001:db8:a::1"), 64, true).ok());
        EXPECT_TRUE(stack.add_address(if1, addr("2001:db8:b::1"), 64, true).ok());
        for (int i = 0; i < 5; ++i) {
            clock.advance(1s);
            stack.poll();
        }
        learn(if0, 0x11, addr("2001:db8:a::2"), addr("2001:db8:a::1"));
        learn(if1, 0x22, addr("2001:db8:b::2"), addr("2001:db8:b::1"));
        link0.take();
        link1.take();
    }
    static StackConfig config() {
        StackConfig c;
        c.forwarding = true;
        return c;
    }
    void learn(IfIndex i, std::uint8_t m, const Ip6Address &ip, const Ip6Address &ours) {
        wire::NdNeighborSolicitation ns;
        ns.target = ours;
        auto msg = nd(ip, ours, ns, [&](wire::NdWriter &w) {
            w.add_sllao(wire::NdLinkLayerAddress::from(mac(m).span()));
        });
        rx(i, m, ip6(ip, ours, wire::IpProto::kIcmp6, 255, msg));
    }
    void rx(IfIndex i, std::uint8_t from, const Bytes &packet) {
        Bytes f = ethernet(stack.netif(i).config.mac, mac(from), packet);
        stack.receive_frame(i, ByteSpan(f.data(), f.size()));
    }
    Bytes datagram(std::uint8_t hop, const Ip6Address &dst, std::size_t size = 4) {
        const Ip6Address src = addr("2001:db8:a::2");
        return ip6(src, dst, wire::IpProto::kUdp, hop, udp(src, dst, 1, 2, Bytes(size, 0x5a)));
    }
    ManualClock clock;
    SeededRandom rnd;
    PacketPool pool;
    CaptureLink link0, link1;
    Stack stack;
    IfIndex if0 = 0, if1 = 1;
};

TEST_F(Forwarding, DecrementsHopLimitAndForwardsByLongestPrefix) {
    const Bytes in = datagram(5, addr("2001:db8:b::2"));
    rx(if0, 0x11, in);
    auto frames = link1.take();
    ASSERT_EQ(frames.size(), 1u);
    Bytes want = in;
    want[7] = 4;
    EXPECT_EQ(frames[0], ethernet(mac(0x22), mac(0x20), want));
    EXPECT_EQ(stack.stats().rx_forwarded, 1u);
    // A more specific static route wins over the connected /64.
    Route r;
    r.prefix = addr("2001:db8:b::2");
    r.prefix_length = 128;
    r.ifindex = if0;
    r.next_hop = addr("2001:db8:a::2");
    stack.routes().add(r);
    rx(if0, 0x11, datagram(5, addr("2001:db8:b::2")));
    EXPECT_TRUE(link1.take().empty());
    ASSERT_EQ(link0.frames.size(), 2u);  // forwarded back out + a redirect
}

TEST_F(Forwarding, HopLimitExhaustedSendsTimeExceeded) {
    rx(if0, 0x11, datagram(1, addr("2001:db8:b::2")));
    EXPECT_TRUE(link1.take().empty());
    auto frames = link0.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded d = decode(frames[0]);
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kTimeExceeded));
    EXPECT_EQ(d.ip.src, addr("2001:db8:a::1"));  // the router's address on the way back
    EXPECT_EQ(d.ip.dst, addr("2001:db8:a::2"));
    EXPECT_EQ(stack.drops()[StackDrop::kHopLimit], 1u);
}

TEST_F(Forwarding, NoRouteSendsDestinationUnreachable) {
    rx(if0, 0x11, datagram(9, addr("2001:db8:c::1")));
    Decoded d = decode(link0.take().at(0));
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kDestinationUnreachable));
    EXPECT_EQ(d.upper_bytes[1], wire::Icmp6Unreachable::kNoRoute);
    EXPECT_EQ(stack.drops()[StackDrop::kNoRoute], 1u);
}

TEST_F(Forwarding, TooBigForNextLinkSendsPacketTooBig) {
    rx(if0, 0x11, datagram(9, addr("2001:db8:b::2"), 1300));
    EXPECT_TRUE(link1.take().empty());
    Decoded d = decode(link0.take().at(0));
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kPacketTooBig));
    auto m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
    EXPECT_EQ(m->mtu(), 1280u);
    EXPECT_LE(d.ip.payload_length + 40u, 1280u);  // the quote is cut to the minimum MTU
}

TEST_F(Forwarding, OutTheSameInterfaceSendsRedirect) {
    const Ip6Address dst = addr("2001:db8:a::3");
    learn(if0, 0x13, dst, addr("2001:db8:a::1"));
    link0.take();
    rx(if0, 0x11, datagram(9, dst));
    auto frames = link0.take();
    ASSERT_EQ(frames.size(), 2u);
    Decoded rd = decode(frames[0]);
    ASSERT_TRUE(is_icmp(rd, wire::Icmp6Type::kRedirect));
    auto v = wire::NdView::parse(ByteSpan(rd.upper_bytes.data(), rd.upper_bytes.size()), nullptr);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->redirect()->target, dst);  // on-link: target == destination
    EXPECT_EQ(v->redirect()->destination, dst);
    EXPECT_TRUE(v->options().tllao()->address.subspan(0, 6).equals(mac(0x13).span()));
    EXPECT_EQ(decode(frames[1]).dst_mac, mac(0x13));
    EXPECT_EQ(stack.stats().redirects_sent, 1u);
}

TEST_F(Forwarding, LinkLocalIsNeverForwarded) {
    const Ip6Address src = ll_of(0x11);
    const Ip6Address dst = addr("2001:db8:b::2");
    rx(if0, 0x11, ip6(src, dst, wire::IpProto::kUdp, 9, udp(src, dst, 1, 2, Bytes(4))));
    EXPECT_TRUE(link1.take().empty());
    EXPECT_EQ(stack.drops()[StackDrop::kBeyondScope], 1u);
    rx(if0, 0x11, ip6(addr("2001:db8:a::2"), ll_of(0x22), wire::IpProto::kUdp, 9, Bytes(8)));
    EXPECT_TRUE(link1.take().empty());
    EXPECT_EQ(stack.drops()[StackDrop::kNotForUs], 1u);
}

}  // namespace
}  // namespace meshwork::stack::test
