// ICMPv6 errors about a node's own packets, delivered to the transport that sent them: the UDP
// socket (recorded: Mbed has no way to report them), the TCP connection (RFC 9293 3.9.2.2,
// RFC 5461 in SYN-SENT, soft in synchronized states, RFC 5927 sequence check) and Packet Too
// Big lowering a connection's effective MSS. One node, the peer played by the test.
#include <gtest/gtest.h>

#include "TcpPair.h"
#include "wire/Icmp6.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;
using wire::TcpFlag::kAck;
using wire::TcpFlag::kSyn;
namespace Icmp6Type = wire::Icmp6Type;

constexpr std::uint32_t kIrs = 7000;

struct IcmpErrors : ::testing::Test {
    IcmpErrors() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
    }
    TcpSockets &tcp() { return n.stack.tcp(); }
    UdpSockets &udp() { return n.stack.udp(); }
    /// The TCP and UDP frames the node sent since the last call (not ND).
    std::vector<Bytes> sent() {
        std::vector<Bytes> v;
        for (auto &f : n.link.take()) {
            const std::uint8_t upper = decode(f).upper;
            if (upper == wire::IpProto::kTcp || upper == wire::IpProto::kUdp)
                v.push_back(f);
        }
        return v;
    }
    /// An ICMPv6 error from a router on the path quoting the IPv6 packet of `frame`.
    void rx_error(std::uint8_t type, std::uint8_t code, std::uint32_t word, const Bytes &frame) {
        const Ip6Address src = router;
        auto m = wire::Icmp6Message::error(type, code, word,
                                           ByteSpan(frame.data() + 14, frame.size() - 14));
        n.rx_ip(2, ip6(src, ours, wire::IpProto::kIcmp6, 64, icmp(src, ours, m)));
    }
    void rx_tcp(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint16_t mss) {
        wire::TcpHeader h;
        h.src_port = 40000;
        h.dst_port = 80;
        h.seq = seq;
        h.ack = ack;
        h.flags = flags;
        h.window = 60000;
        h.has_mss = (flags & kSyn) != 0;
        h.mss = mss;
        h.has_timestamp = true;
        h.ts_val = 1;
        h.ts_ecr = 0;
        Bytes seg(h.emitted_size());
        EXPECT_TRUE(h.emit(MutableByteSpan(seg.data(), seg.size()), {peer, ours}).ok());
        n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, seg));
    }
    /// A passive open by the peer (MSS `mss`, timestamps); returns the accepted connection.
    int accept_from_peer(std::uint16_t mss) {
        const int l = *tcp().open();
        EXPECT_TRUE(tcp().bind(l, Ip6Address(), 80).ok());
        EXPECT_TRUE(tcp().listen(l, 2).ok());
        rx_tcp(kSyn, kIrs, 0, mss);
        auto synack = sent();
        EXPECT_EQ(synack.size(), 1u);
        auto h = tcp_of(synack.at(0));
        iss = h ? h->seq : 0;
        rx_tcp(kAck, kIrs + 1, iss + 1, 0);
        auto s = tcp().accept(l);
        EXPECT_TRUE(s.ok());
        return s ? *s : -1;
    }
    /// The node's SYN to the peer's port 80.
    int connect_to_peer(Bytes *syn) {
        n.learn(2, peer, ours);  // the neighbour entry may have aged since
        const int c = *tcp().open();
        EXPECT_TRUE(tcp().connect(c, peer, 80).ok());
        auto p = sent();
        EXPECT_EQ(p.size(), 1u);
        if (!p.empty())
            *syn = p[0];
        return c;
    }

    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    Ip6Address router = addr("2001:db8::fe");
    std::uint32_t iss = 0;
};

/// `frame` with its TCP sequence number changed (the quoted copy an error carries).
Bytes with_seq(Bytes frame, std::uint32_t seq) {
    for (int i = 0; i < 4; ++i)
        frame[54 + 4 + i] = static_cast<std::uint8_t>(seq >> (24 - 8 * i));
    return frame;
}

TEST_F(IcmpErrors, PortUnreachableIsRecordedOnTheUdpSocketThatSentTheDatagram) {
    const int a = *udp().open(), b = *udp().open();
    ASSERT_TRUE(udp().bind(a, Ip6Address(), 5000).ok());
    ASSERT_TRUE(udp().bind(b, Ip6Address(), 5001).ok());
    const Bytes d{1, 2, 3};
    ASSERT_TRUE(udp().send_to(a, peer, 7, ByteSpan(d.data(), d.size())).ok());
    auto f = sent();
    ASSERT_EQ(f.size(), 1u);
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, f[0]);
    EXPECT_EQ(udp().icmp_error_count(a), 1u);
    EXPECT_EQ(udp().icmp_error_count(b), 0u);
    auto e = udp().last_icmp_error(a);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->type, Icmp6Type::kDestinationUnreachable);
    EXPECT_EQ(e->code, 4);
    EXPECT_EQ(e->dst, peer);
    EXPECT_EQ(e->dst_port, 7);
    EXPECT_FALSE(udp().last_icmp_error(b).has_value());
    EXPECT_EQ(udp().stats().icmp_errors, 1u);
    EXPECT_EQ(n.stack.stats().icmp_errors_received, 1u);
    // Nothing else changes for the socket (Mbed's recv has no error to give).
    std::uint8_t buf[8];
    UdpDatagramInfo info;
    EXPECT_EQ(udp().recv_from(a, MutableByteSpan(buf, sizeof buf), &info).error(),
              Error::kWouldBlock);
    EXPECT_TRUE(udp().send_to(a, peer, 7, ByteSpan(d.data(), d.size())).ok());
    // An error about a datagram from a port nobody has is counted by the node only.
    ASSERT_TRUE(udp().close(a).ok());
    rx_error(Icmp6Type::kTimeExceeded, 0, 0, sent().at(0));
    EXPECT_EQ(udp().stats().icmp_errors, 1u);
    EXPECT_EQ(n.stack.stats().icmp_errors_received, 2u);
}

TEST_F(IcmpErrors, ErrorAboutAnotherNodesPacketIsIgnored) {
    const int a = *udp().open();
    ASSERT_TRUE(udp().bind(a, Ip6Address(), 5000).ok());
    // A datagram "from" another address to us, quoted back: not ours.
    const Bytes pkt = ip6(addr("2001:db8::77"), peer, wire::IpProto::kUdp, 64,
                          test::udp(addr("2001:db8::77"), peer, 5000, 7, Bytes{1}));
    Bytes frame(14, 0);
    frame.insert(frame.end(), pkt.begin(), pkt.end());
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, frame);
    EXPECT_EQ(udp().icmp_error_count(a), 0u);
    EXPECT_EQ(n.stack.stats().icmp_errors_received, 0u);
}

TEST_F(IcmpErrors, UnreachableInSynSentFailsTheConnect) {
    for (std::uint8_t code : {std::uint8_t{4}, std::uint8_t{1}, std::uint8_t{0}, std::uint8_t{3}}) {
        Bytes syn;
        const int c = connect_to_peer(&syn);
        ASSERT_FALSE(syn.empty());
        rx_error(Icmp6Type::kDestinationUnreachable, code, 0, syn);
        EXPECT_EQ(tcp().state(c), TcpState::kClosed) << int(code);
        EXPECT_EQ(tcp().last_error(c), Error::kBadState) << int(code);  // NO_CONNECTION
        EXPECT_TRUE(tcp().readable(c) && tcp().writable(c));
        EXPECT_EQ(tcp().info(c).stats.icmp_errors, 1u);
        n.run_for(10s);
        EXPECT_TRUE(sent().empty()) << "no SYN retransmission after the abort";
        ASSERT_TRUE(tcp().close(c).ok());
    }
}

TEST_F(IcmpErrors, SoftErrorInSynSentKeepsTrying) {
    Bytes syn;
    const int c = connect_to_peer(&syn);
    rx_error(Icmp6Type::kTimeExceeded, 0, 0, syn);
    rx_error(Icmp6Type::kParameterProblem, 1, 40, syn);
    EXPECT_EQ(tcp().state(c), TcpState::kSynSent);
    EXPECT_EQ(tcp().info(c).soft_error_type, Icmp6Type::kParameterProblem);
    EXPECT_EQ(tcp().info(c).soft_error_code, 1);
    EXPECT_EQ(tcp().info(c).stats.icmp_errors, 2u);
    n.run_for(1100ms);
    auto again = sent();
    ASSERT_EQ(again.size(), 1u);  // the SYN retransmitted on its timer
    EXPECT_EQ(tcp_of(again[0])->flags, kSyn);
}

TEST_F(IcmpErrors, ErrorQuotingASequenceNumberNotInFlightIsIgnored) {
    Bytes syn;
    const int c = connect_to_peer(&syn);
    const std::uint32_t seq = tcp_of(syn)->seq;
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, with_seq(syn, seq + 1));
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, with_seq(syn, seq - 1));
    EXPECT_EQ(tcp().state(c), TcpState::kSynSent);
    EXPECT_EQ(tcp().info(c).stats.icmp_ignored, 2u);
    EXPECT_EQ(tcp().info(c).stats.icmp_errors, 0u);
    // Another port: no connection at all.
    Bytes other = syn;
    other[54] ^= 1;
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, other);
    EXPECT_EQ(tcp().state(c), TcpState::kSynSent);
    EXPECT_EQ(n.stack.stats().icmp_errors_received, 3u);
}

TEST_F(IcmpErrors, HardErrorsAreSoftInSynchronizedStates) {
    const int s = accept_from_peer(1000);
    ASSERT_GE(s, 0);
    const Bytes d(100, 9);
    ASSERT_EQ(*tcp().send(s, ByteSpan(d.data(), d.size())), 100u);
    auto f = sent();
    ASSERT_EQ(f.size(), 1u);
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, f[0]);
    rx_error(Icmp6Type::kDestinationUnreachable, 1, 0, f[0]);
    EXPECT_EQ(tcp().state(s), TcpState::kEstablished);
    EXPECT_EQ(tcp().last_error(s), Error::kOk);
    EXPECT_EQ(tcp().info(s).soft_error_type, Icmp6Type::kDestinationUnreachable);
    EXPECT_EQ(tcp().info(s).soft_error_code, 1);
    EXPECT_EQ(tcp().info(s).stats.icmp_errors, 2u);
    // Once acknowledged, the segment is no longer in flight: an error about it is ignored. The
    // soft error goes too: data got through, it no longer explains a later timeout.
    rx_tcp(kAck, kIrs + 1, iss + 101, 0);
    EXPECT_EQ(tcp().info(s).soft_error_type, 0);
    EXPECT_EQ(tcp().info(s).soft_error_code, 0);
    rx_error(Icmp6Type::kDestinationUnreachable, 4, 0, f[0]);
    EXPECT_EQ(tcp().info(s).stats.icmp_ignored, 1u);
}

TEST_F(IcmpErrors, SoftErrorIsStillThereWhenTheRetransmissionsGiveUp) {
    const int s = accept_from_peer(1000);
    ASSERT_GE(s, 0);
    const Bytes d(100, 9);
    ASSERT_EQ(*tcp().send(s, ByteSpan(d.data(), d.size())), 100u);
    auto f = sent();
    ASSERT_EQ(f.size(), 1u);
    rx_error(Icmp6Type::kDestinationUnreachable, 0, 0, f[0]);
    EXPECT_EQ(tcp().state(s), TcpState::kEstablished);
    n.run_for(std::chrono::minutes(15));  // tcp.data_retries with backoff: about 6 minutes
    EXPECT_EQ(tcp().state(s), TcpState::kClosed);
    EXPECT_EQ(tcp().last_error(s), Error::kTimeout);
    // The reason the adapter reports (NSAPI_ERROR_NO_CONNECTION rather than TIMEOUT).
    EXPECT_EQ(tcp().info(s).soft_error_type, Icmp6Type::kDestinationUnreachable);
    EXPECT_EQ(tcp().info(s).soft_error_code, 0);
}

TEST_F(IcmpErrors, PacketTooBigLowersTheMssAndResendsTheFlight) {
    const int s = accept_from_peer(1440);
    ASSERT_GE(s, 0);
    const std::size_t mss = tcp().info(s).mss;
    EXPECT_EQ(mss, 1440u - 12u);  // the link's 1500 less 60, less the timestamps
    Bytes d(3 * mss, 0x33);
    ASSERT_EQ(*tcp().send(s, ByteSpan(d.data(), d.size())), d.size());
    auto f = sent();
    ASSERT_EQ(f.size(), 3u);  // the initial window
    EXPECT_EQ(f[0].size(), 14u + 1500u);
    rx_error(Icmp6Type::kPacketTooBig, 0, 1280, f[0]);
    EXPECT_EQ(n.stack.pmtu().mtu(peer, 1500), 1280u);
    const std::size_t small = 1280 - 60 - 12;
    EXPECT_EQ(tcp().info(s).mss, small);
    EXPECT_EQ(tcp().info(s).stats.icmp_errors, 1u);
    // The flight again at once, from SND.UNA, in segments that fit the path (no fragments).
    auto again = sent();
    ASSERT_GE(again.size(), 3u);
    std::uint32_t seq = iss + 1;
    for (const auto &g : again) {
        Bytes payload;
        auto h = tcp_of(g, &payload);
        ASSERT_TRUE(h.has_value()) << "a fragment or not TCP";
        EXPECT_EQ(h->seq, seq);
        EXPECT_EQ(payload.size(), small);
        EXPECT_LE(g.size() - 14, 1280u);
        seq += static_cast<std::uint32_t>(payload.size());
    }
    EXPECT_EQ(tcp().info(s).cwnd, 3u * mss);  // not a congestion signal
    // A second PTB for the same flight changes nothing more.
    rx_error(Icmp6Type::kPacketTooBig, 0, 1280, f[1]);
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(tcp().info(s).mss, small);
}

TEST_F(IcmpErrors, PacketTooBigBeforeTheSynAckSetsTheMssOfTheConnection) {
    Bytes syn;
    const int c = connect_to_peer(&syn);
    rx_error(Icmp6Type::kPacketTooBig, 0, 1300, syn);
    EXPECT_EQ(tcp().state(c), TcpState::kSynSent);
    // The SYN-ACK offers 1440; the path allows 1300 - 60.
    auto h = tcp_of(syn);
    wire::TcpHeader sa;
    sa.src_port = 80;
    sa.dst_port = h->src_port;
    sa.seq = kIrs;
    sa.ack = h->seq + 1;
    sa.flags = kSyn | kAck;
    sa.window = 60000;
    sa.has_mss = true;
    sa.mss = 1440;
    Bytes seg(sa.emitted_size());
    ASSERT_TRUE(sa.emit(MutableByteSpan(seg.data(), seg.size()), {peer, ours}).ok());
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, seg));
    EXPECT_EQ(tcp().state(c), TcpState::kEstablished);
    EXPECT_EQ(tcp().info(c).mss, 1300u - 60u);  // no timestamps: the SYN-ACK had none
}
}  // namespace
}  // namespace meshwork::stack::test
