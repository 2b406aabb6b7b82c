// ICMPv6 (RFC 4443): echo reply bytes, error bytes, the error rate limit, and Packet Too Big
// into the path MTU cache (RFC 8201).
#include <gtest/gtest.h>

#include "IcmpSockets.h"
#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

struct Host : ::testing::Test {
    Host() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
    }
    Bytes data(const char *s) { return Bytes(s, s + std::strlen(s)); }
    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
};

TEST_F(Host, EchoReplyBytes) {
    const Bytes payload = data("hello, meshwork");
    auto req =
        icmp(peer, ours,
             wire::Icmp6Message::echo(false, 0x1234, 7, ByteSpan(payload.data(), payload.size())));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, req));
    auto frames = n.link.take();
    ASSERT_EQ(frames.size(), 1u);
    auto rep =
        icmp(ours, peer,
             wire::Icmp6Message::echo(true, 0x1234, 7, ByteSpan(payload.data(), payload.size())));
    EXPECT_EQ(frames[0], ethernet(mac(2), mac(1), ip6(ours, peer, wire::IpProto::kIcmp6, 64, rep)));
    EXPECT_EQ(n.stack.stats().echo_replies_sent, 1u);
    EXPECT_EQ(n.stack.stats().rx_delivered, 2u);  // the NS of learn() and the request
}

TEST_F(Host, EchoRequestWithBadChecksumIsDropped) {
    auto req = icmp(peer, ours, wire::Icmp6Message::echo(false, 1, 1, {}));
    req[2] ^= 0x01;
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, req));
    EXPECT_TRUE(n.link.take().empty());
    EXPECT_EQ(n.drops(StackDrop::kChecksum), 1u);
}

TEST_F(Host, EchoReplyReachesHandler) {
    std::vector<EchoReply> got;
    Bytes seen;
    n.stack.set_echo_reply_handler([&](const EchoReply &r) {
        got.push_back(r);
        seen.assign(r.data.begin(), r.data.end());
    });
    ASSERT_TRUE(
        n.stack.ping(peer, 9, 3, ByteSpan(reinterpret_cast<const std::uint8_t *>("ab"), 2)).ok());
    Decoded req = decode(n.link.take().at(0));
    ASSERT_TRUE(is_icmp(req, wire::Icmp6Type::kEchoRequest));
    EXPECT_EQ(req.ip.src, ours);
    const Bytes d = data("ab");
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 60,
                   icmp(peer, ours, wire::Icmp6Message::echo(true, 9, 3, ByteSpan(d.data(), 2)))));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].identifier, 9);
    EXPECT_EQ(got[0].sequence, 3);
    EXPECT_EQ(got[0].hop_limit, 60);
    EXPECT_EQ(seen, d);
}

TEST_F(Host, IcmpHandlerConsumesItsTypeAheadOfTheStack) {
    // A module's handler for Echo Request takes it: no reply. Declining lets the stack reply;
    // removing the handler restores the stack's own handling.
    int calls = 0;
    bool consume = true;
    std::uint8_t seen_type = 0;
    n.stack.set_icmp_handler(wire::Icmp6Type::kEchoRequest,
                             [&](IfIndex ifindex, const wire::Ip6View &ip, ByteSpan msg) {
                                 ++calls;
                                 EXPECT_EQ(ifindex, n.if0);
                                 EXPECT_EQ(ip.src(), peer);
                                 seen_type = msg.size ? msg[0] : 0;
                                 return consume;
                             });
    auto req = icmp(peer, ours, wire::Icmp6Message::echo(false, 5, 1, {}));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, req));
    EXPECT_TRUE(n.link.take().empty());
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(seen_type, wire::Icmp6Type::kEchoRequest);
    EXPECT_EQ(n.stack.stats().echo_replies_sent, 0u);
    consume = false;
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, req));
    EXPECT_EQ(n.link.take().size(), 1u);
    EXPECT_EQ(calls, 2);
    n.stack.set_icmp_handler(wire::Icmp6Type::kEchoRequest, {});
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, req));
    EXPECT_EQ(n.link.take().size(), 1u);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(n.stack.stats().echo_replies_sent, 2u);
}

TEST_F(Host, SendIcmpFillsTheChecksum) {
    // Type 155 (RPL control) as a module sends it: the stack fills the checksum.
    const std::uint8_t msg[] = {155, 0x00, 0, 0, 0, 0, 0, 0};
    auto route = n.stack.route_output(peer);
    ASSERT_TRUE(route);
    ASSERT_TRUE(n.stack.send_icmp(*route, peer, ByteSpan(msg, sizeof msg), 64).ok());
    auto frames = n.link.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded d = decode(frames[0]);
    EXPECT_TRUE(is_icmp(d, 155));
    wire::PseudoHeader ph{d.ip.src, d.ip.dst};
    EXPECT_TRUE(wire::Icmp6View::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()), &ph));
}

TEST_F(Host, PortUnreachableBytes) {
    const Bytes payload = data("anyone?");
    const Bytes pkt = ip6(peer, ours, wire::IpProto::kUdp, 64, udp(peer, ours, 4000, 9, payload));
    n.rx_ip(2, pkt);
    auto frames = n.link.take();
    ASSERT_EQ(frames.size(), 1u);
    auto err = icmp(ours, peer,
                    wire::Icmp6Message::error(wire::Icmp6Type::kDestinationUnreachable,
                                              wire::Icmp6Unreachable::kPortUnreachable, 0,
                                              ByteSpan(pkt.data(), pkt.size())));
    EXPECT_EQ(frames[0], ethernet(mac(2), mac(1), ip6(ours, peer, wire::IpProto::kIcmp6, 64, err)));
    EXPECT_EQ(n.drops(StackDrop::kPortUnreachable), 1u);
    EXPECT_EQ(n.stack.stats().icmp_errors_sent, 1u);
}

TEST_F(Host, NoErrorAboutMulticastOrErrors) {
    // UDP to a group we listen to but no socket: no port unreachable (RFC 4443 2.4 (e.3)).
    const Ip6Address all = Ip6Address::all_nodes_link_local();
    n.rx(ethernet(multicast_mac(all), mac(2),
                  ip6(peer, all, wire::IpProto::kUdp, 64, udp(peer, all, 1, 9, data("x")))));
    // An ICMPv6 error with an unknown next header inside is not answered either.
    auto err = icmp(peer, ours, wire::Icmp6Message::error(1, 0, 0, {}));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, err));
    EXPECT_TRUE(n.link.take().empty());
    EXPECT_EQ(n.stack.stats().icmp_errors_sent, 0u);
}

TEST_F(Host, ErrorsAreRateLimitedByTokenBucket) {
    auto closed = [&] {
        n.rx_ip(2, ip6(peer, ours, wire::IpProto::kUdp, 64, udp(peer, ours, 4000, 9, data("x"))));
    };
    for (int i = 0; i < 20; ++i)
        closed();
    EXPECT_EQ(n.stack.stats().icmp_errors_sent, 10u);  // the burst
    EXPECT_EQ(n.drops(StackDrop::kIcmpRateLimited), 10u);
    EXPECT_EQ(n.drops(StackDrop::kPortUnreachable), 20u);
    n.clock.advance(100ms);  // one token back
    closed();
    closed();
    EXPECT_EQ(n.stack.stats().icmp_errors_sent, 11u);
    n.clock.advance(5s);  // full again, never more than the burst
    for (int i = 0; i < 20; ++i)
        closed();
    EXPECT_EQ(n.stack.stats().icmp_errors_sent, 21u);
}

TEST_F(Host, PacketTooBigLowersPathMtuAndFragments) {
    const Ip6Address far = addr("2001:db8:99::5");
    Route def;
    def.ifindex = n.if0;
    def.next_hop = peer;
    n.stack.routes().add(def);
    // A PTB from a router on the path about a packet of ours to `far`.
    const Bytes quoted = ip6(ours, far, wire::IpProto::kUdp, 64, udp(ours, far, 1, 2, Bytes(1300)));
    auto ptb = icmp(peer, ours,
                    wire::Icmp6Message::error(wire::Icmp6Type::kPacketTooBig, 0, 1300,
                                              ByteSpan(quoted.data(), quoted.size())));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, ptb));
    EXPECT_EQ(n.stack.pmtu().mtu(far, 1500), 1300u);
    auto &udp_ = n.stack.udp();
    auto s = *udp_.open();
    ASSERT_TRUE(udp_.send_to(s, far, 7, ByteSpan(Bytes(1400, 0xab).data(), 1400)).ok());
    auto frames = n.link.take();
    ASSERT_EQ(frames.size(), 2u);
    std::size_t total = 0;
    for (const auto &f : frames) {
        Decoded d = decode(f);
        EXPECT_LE(40u + d.ip.payload_length, 1300u);
        EXPECT_EQ(d.ip.next_header, wire::IpProto::kFragment);
        total += d.ip.payload_length - 8u;
    }
    EXPECT_EQ(total, 1408u);
    EXPECT_EQ(n.stack.stats().tx_fragments, 2u);
    // Below the minimum MTU is taken as 1280 (RFC 8201 4); a larger value never raises it.
    auto ptb2 = icmp(peer, ours,
                     wire::Icmp6Message::error(wire::Icmp6Type::kPacketTooBig, 0, 600,
                                               ByteSpan(quoted.data(), quoted.size())));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, ptb2));
    EXPECT_EQ(n.stack.pmtu().mtu(far, 1500), 1280u);
    // Aged out after 10 minutes.
    n.run_for(std::chrono::minutes(11));
    EXPECT_EQ(n.stack.pmtu().mtu(far, 1500), 1500u);
}

TEST_F(Host, PacketTooBigAboutSomeoneElsesPacketIsIgnored) {
    const Ip6Address far = addr("2001:db8:99::5");
    const Bytes quoted = ip6(addr("2001:db8::77"), far, wire::IpProto::kUdp, 64,
                             udp(addr("2001:db8::77"), far, 1, 2, Bytes(10)));
    auto ptb = icmp(peer, ours,
                    wire::Icmp6Message::error(wire::Icmp6Type::kPacketTooBig, 0, 1300,
                                              ByteSpan(quoted.data(), quoted.size())));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 64, ptb));
    EXPECT_EQ(n.stack.pmtu().size(), 0u);
}

TEST_F(Host, IcmpSocketSendsWithChecksumAndReceivesEchoAndErrors) {
    IcmpSockets &ic = n.stack.icmp();
    auto s = *ic.open();
    int readable = 0;
    ic.set_callback(s, [&](SocketEvent e) { readable += e == SocketEvent::kReadable; });
    // An echo request as ICMPSocket users write it: checksum left zero.
    const Bytes req{128, 0, 0, 0, 0x12, 0x34, 0, 1, 'h', 'i'};
    ASSERT_EQ(*ic.send_to(s, peer, ByteSpan(req.data(), req.size())), req.size());
    Decoded d = decode(n.link.take().at(0));
    wire::PseudoHeader ph{ours, peer};
    auto m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()), &ph);
    ASSERT_TRUE(m.ok());  // the stack filled the checksum in
    EXPECT_EQ(m->identifier(), 0x1234);
    // The reply comes back to the socket, byte for byte.
    const Bytes hi = data("hi");
    const Bytes rep =
        icmp(peer, ours, wire::Icmp6Message::echo(true, 0x1234, 1, ByteSpan(hi.data(), 2)));
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kIcmp6, 61, rep));
    EXPECT_EQ(readable, 1);
    Bytes buf(64);
    IcmpMessageInfo info;
    auto got = ic.recv_from(s, MutableByteSpan(buf.data(), buf.size()), &info);
    ASSERT_TRUE(got.ok());
    buf.resize(*got);
    EXPECT_EQ(buf, rep);
    EXPECT_EQ(info.src, peer);
    EXPECT_EQ(info.hop_limit, 61);
    EXPECT_EQ(ic.recv_from(s, MutableByteSpan(buf.data(), buf.size()), nullptr).error(),
              Error::kWouldBlock);
    // ND stays inside the stack.
    n.learn(2, peer, ours);
    EXPECT_FALSE(ic.readable(s));
    EXPECT_EQ(ic.send_to(s, peer, ByteSpan(req.data(), 3)).error(), Error::kInvalidArgument);
    EXPECT_TRUE(ic.close(s).ok());
}

TEST(TokenBucket, RefillsOneTokenPerInterval) {
    TokenBucket b(2, std::chrono::milliseconds(100));
    Instant t{};
    EXPECT_TRUE(b.take(t));
    EXPECT_TRUE(b.take(t));
    EXPECT_FALSE(b.take(t));
    EXPECT_FALSE(b.take(t + std::chrono::milliseconds(99)));
    EXPECT_TRUE(b.take(t + std::chrono::milliseconds(100)));
    EXPECT_FALSE(b.take(t + std::chrono::milliseconds(150)));
    EXPECT_TRUE(b.take(t + std::chrono::milliseconds(200)));
    EXPECT_EQ(b.tokens(t + std::chrono::seconds(10)), 2u);
}

}  // namespace
}  // namespace meshwork::stack::test
