// UDP sockets (RFC 768 over IPv6): bind and ephemeral ports, checksums, delivery and events,
// multicast, receive-queue limits and pool exhaustion (kNoMemory, then a writable event).
#include <gtest/gtest.h>

#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

struct Udp : ::testing::Test {
    Udp() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
    }
    void from_peer(std::uint16_t dport, const Bytes &payload, const Ip6Address *dst = nullptr) {
        const Ip6Address d = dst ? *dst : ours;
        n.rx(ethernet(d.is_multicast() ? multicast_mac(d) : mac(1), mac(2),
                      ip6(peer, d, wire::IpProto::kUdp, 64, udp(peer, d, 1234, dport, payload))));
    }
    UdpSockets &u() { return n.stack.udp(); }
    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
};

TEST_F(Udp, BindRulesAndEphemeralPorts) {
    auto a = *u().open(), b = *u().open(), c = *u().open();
    EXPECT_TRUE(u().bind(a, Ip6Address(), 5000).ok());
    EXPECT_EQ(u().bind(b, Ip6Address(), 5000).error(), Error::kInvalidArgument);
    EXPECT_EQ(u().bind(b, ours, 5000).error(), Error::kInvalidArgument);
    EXPECT_EQ(u().bind(b, addr("2001:db8::99"), 5001).error(), Error::kInvalidArgument);
    EXPECT_TRUE(u().bind(b, ours, 5001).ok());
    EXPECT_EQ(u().bind(b, ours, 5002).error(), Error::kBadState);
    EXPECT_TRUE(u().bind(c, Ip6Address(), 0).ok());
    EXPECT_GE(u().local_port(c), 49152);
    auto d = *u().open();
    EXPECT_TRUE(u().bind(d, Ip6Address(), 0).ok());
    EXPECT_NE(u().local_port(d), u().local_port(c));
    EXPECT_TRUE(u().close(a).ok());
    EXPECT_TRUE(u().bind(*u().open(), Ip6Address(), 5000).ok());  // free again
}

TEST_F(Udp, ReceiveWithEventsAndWouldBlock) {
    auto s = *u().open();
    ASSERT_TRUE(u().bind(s, Ip6Address(), 7000).ok());
    std::uint8_t buf[64];
    EXPECT_EQ(u().recv_from(s, MutableByteSpan(buf), nullptr).error(), Error::kWouldBlock);
    int readable = 0;
    u().set_callback(s, [&](SocketEvent e) { readable += e == SocketEvent::kReadable; });
    from_peer(7000, Bytes{1, 2, 3, 4, 5});
    EXPECT_EQ(readable, 1);
    UdpDatagramInfo info;
    auto r = u().recv_from(s, MutableByteSpan(buf, 3), &info);  // truncated
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 3u);
    EXPECT_EQ(info.size, 5u);
    EXPECT_EQ(info.src, peer);
    EXPECT_EQ(info.src_port, 1234);
    EXPECT_EQ(info.dst, ours);
    EXPECT_EQ(buf[2], 3);
    EXPECT_FALSE(u().readable(s));
}

TEST_F(Udp, SendBuildsChecksummedDatagram) {
    auto s = *u().open();
    ASSERT_TRUE(u().bind(s, Ip6Address(), 7001).ok());
    const Bytes data{'p', 'i', 'n', 'g'};
    auto r = u().send_to(s, peer, 9000, ByteSpan(data.data(), data.size()));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 4u);
    auto frames = n.link.take();
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0], ethernet(mac(2), mac(1),
                                  ip6(ours, peer, wire::IpProto::kUdp, 64,
                                      udp(ours, peer, 7001, 9000, data))));
}

TEST_F(Udp, BadChecksumAndLengthAreDropped) {
    auto s = *u().open();
    ASSERT_TRUE(u().bind(s, Ip6Address(), 7002).ok());
    Bytes dg = udp(peer, ours, 1, 7002, Bytes{1, 2});
    dg[9] ^= 0xff;
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kUdp, 64, dg));
    EXPECT_EQ(n.drops(StackDrop::kChecksum), 1u);
    EXPECT_FALSE(u().readable(s));
    EXPECT_TRUE(n.link.take().empty());  // no port unreachable for a corrupt datagram
}

TEST_F(Udp, MulticastGoesToEverySocketOnThePort) {
    const Ip6Address g = addr("ff02::1:2");
    auto a = *u().open(), b = *u().open(), c = *u().open();
    ASSERT_TRUE(u().bind(a, Ip6Address(), 6000).ok());
    ASSERT_TRUE(u().bind(b, g, 6000).ok());
    ASSERT_TRUE(u().bind(c, Ip6Address(), 6001).ok());
    from_peer(6000, Bytes{1}, &g);  // not joined yet
    EXPECT_EQ(n.drops(StackDrop::kNotForUs), 1u);
    ASSERT_TRUE(u().join_group(a, g).ok());
    EXPECT_TRUE(n.stack.netif(n.if0).listening(g));
    from_peer(6000, Bytes{2}, &g);
    EXPECT_TRUE(u().readable(a));
    EXPECT_TRUE(u().readable(b));
    EXPECT_FALSE(u().readable(c));
    ASSERT_TRUE(u().close(a).ok());  // leaves the group
    EXPECT_FALSE(n.stack.netif(n.if0).listening(g));
}

TEST_F(Udp, MulticastSendUsesHopLimitOneAndGroupMac) {
    auto s = *u().open();
    const Ip6Address g = addr("ff02::fb");
    ASSERT_TRUE(u().send_to(s, g, 5353, ByteSpan()).ok());
    Decoded d = decode(n.link.take().at(0));
    EXPECT_EQ(d.dst_mac, multicast_mac(g));
    EXPECT_EQ(d.ip.hop_limit, 1);
    EXPECT_EQ(d.ip.src, ll_of(1));  // link scope: the link-local source
}

TEST_F(Udp, ReceiveQueueIsBounded) {
    auto s = *u().open();
    ASSERT_TRUE(u().bind(s, Ip6Address(), 7003).ok());
    for (int i = 0; i < 20; ++i)
        from_peer(7003, Bytes{static_cast<std::uint8_t>(i)});
    EXPECT_EQ(n.drops(StackDrop::kSocketQueueFull), 4u);
    std::uint8_t b[4];
    int count = 0;
    while (u().recv_from(s, MutableByteSpan(b), nullptr))
        ++count;
    EXPECT_EQ(count, 16);
}

TEST_F(Udp, PoolExhaustionGivesNoMemoryThenWritable) {
    auto s = *u().open();
    ASSERT_TRUE(u().bind(s, Ip6Address(), 7004).ok());
    int writable = 0, readable = 0;
    u().set_callback(s, [&](SocketEvent e) {
        writable += e == SocketEvent::kWritable;
        readable += e == SocketEvent::kReadable;
    });
    std::vector<PacketBuffer> hold;
    while (auto b = n.pool.allocate(0, 8192))
        hold.push_back(std::move(*b));
    while (auto b = n.pool.allocate(0, 16))
        hold.push_back(std::move(*b));
    const Bytes data(100, 1);
    const auto drops_before = n.drops(StackDrop::kNoMemory);
    EXPECT_EQ(u().send_to(s, peer, 9, ByteSpan(data.data(), data.size())).error(),
              Error::kNoMemory);
    EXPECT_EQ(n.drops(StackDrop::kNoMemory), drops_before + 1);
    // Ingress with no memory: the datagram is a counted drop.
    from_peer(7004, Bytes{1});
    EXPECT_EQ(readable, 0);
    EXPECT_EQ(n.drops(StackDrop::kNoMemory), drops_before + 2);
    n.stack.poll();
    EXPECT_EQ(writable, 0);  // still no room
    hold.clear();
    EXPECT_EQ(n.stack.next_deadline(), n.clock.now());
    n.stack.poll();
    EXPECT_EQ(writable, 1);
    EXPECT_TRUE(u().send_to(s, peer, 9, ByteSpan(data.data(), data.size())).ok());
    const auto &st = n.stack.stats();
    EXPECT_EQ(st.rx_frames, st.rx_delivered + st.rx_forwarded + st.rx_fragments + st.rx_dropped);
}

TEST_F(Udp, SendToSelfLoopsBack) {
    auto a = *u().open(), b = *u().open();
    ASSERT_TRUE(u().bind(a, Ip6Address(), 7005).ok());
    const Bytes data{4, 2};
    ASSERT_TRUE(u().send_to(b, ours, 7005, ByteSpan(data.data(), 2)).ok());
    EXPECT_TRUE(n.link.take().empty());
    EXPECT_EQ(n.stack.next_deadline(), n.clock.now());
    n.stack.poll();
    UdpDatagramInfo info;
    std::uint8_t buf[4];
    ASSERT_EQ(*u().recv_from(a, MutableByteSpan(buf), &info), 2u);
    EXPECT_EQ(info.src, ours);
    EXPECT_EQ(info.src_port, u().local_port(b));
}

TEST_F(Udp, ReuseAddressTrafficClassAndReceiveBuffer) {
    auto a = *u().open(), b = *u().open(), c = *u().open();
    ASSERT_TRUE(u().set_reuse_address(a, true).ok());
    ASSERT_TRUE(u().bind(a, Ip6Address(), 8000).ok());
    EXPECT_EQ(u().bind(b, Ip6Address(), 8000).error(), Error::kInvalidArgument);
    ASSERT_TRUE(u().set_reuse_address(b, true).ok());
    EXPECT_TRUE(u().bind(b, Ip6Address(), 8000).ok());  // both asked for it
    // NSAPI_IPTOS goes into the Traffic Class.
    ASSERT_TRUE(u().set_traffic_class(c, 0xb8).ok());
    ASSERT_TRUE(u().send_to(c, peer, 9, ByteSpan()).ok());
    EXPECT_EQ(decode(n.link.take().at(0)).ip.traffic_class, 0xb8);
    // NSAPI_RCVBUF bounds the queued payload bytes.
    auto d = *u().open();
    ASSERT_TRUE(u().bind(d, Ip6Address(), 8001).ok());
    ASSERT_TRUE(u().set_receive_buffer(d, 250).ok());
    for (int i = 0; i < 3; ++i)
        from_peer(8001, Bytes(100, 1));
    EXPECT_EQ(n.drops(StackDrop::kSocketQueueFull), 1u);
    std::uint8_t buf[200];
    ASSERT_TRUE(u().recv_from(d, MutableByteSpan(buf), nullptr).ok());
    from_peer(8001, Bytes(100, 1));  // room again
    EXPECT_EQ(n.drops(StackDrop::kSocketQueueFull), 1u);
}

TEST_F(Udp, NoRouteIsNotFound) {
    auto s = *u().open();
    EXPECT_EQ(u().send_to(s, addr("2001:db8:55::1"), 9, ByteSpan()).error(), Error::kNotFound);
    EXPECT_EQ(u().send_to(s, peer, 0, ByteSpan()).error(), Error::kInvalidArgument);
}

}  // namespace
}  // namespace meshwork::stack::test
