// 6LoWPAN end to end in virtual time: two nodes on the simulated RadioMedium, each with the real
// MAC, the adaptation layer and a real Stack. Ping between link-local addresses, a 1200-byte UDP
// datagram fragmented and reassembled, a lost fragment timing out, fragments out of order, the
// reassembly limits, and identical captures for identical seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "LowpanNet.h"
#include "testbed/Capture802154.h"
#include "wire/LowpanFrag.h"

namespace meshwork::lowpantest {
namespace {

using namespace std::chrono_literals;
using lowpan::LowpanDrop;
using wire::Ip6Address;

Ip6Address addr(const char *t) {
    return *Ip6Address::from_text(t);
}

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(i * 13 + 7);
    return v;
}

/// Records the MAC payload of every data frame a node puts on the air (retries included).
struct PayloadTap : sim::RadioMediumTap {
    sim::RadioNodeId sender = 0;
    std::vector<std::vector<std::uint8_t>> payloads;
    std::function<void(const wire::MacFrame &)> on_end;
    void on_air_start(const sim::AirFrame &f) override {
        if (f.sender != sender)
            return;
        auto m = wire::MacFrame::parse(f.psdu);
        if (m && m->type == wire::MacFrameType::kData)
            payloads.emplace_back(m->payload.begin(), m->payload.end());
    }
    void on_air_end(const sim::AirFrame &f, bool) override {
        if (f.sender != sender || !on_end)
            return;
        auto m = wire::MacFrame::parse(f.psdu);
        if (m && m->type == wire::MacFrameType::kData)
            on_end(*m);
    }
};

bool is_frag(const std::vector<std::uint8_t> &p) {
    return !p.empty() && (wire::lowpan_dispatch(p[0]) == wire::LowpanDispatch::kFrag1 ||
                          wire::lowpan_dispatch(p[0]) == wire::LowpanDispatch::kFragN);
}

/// A UDP socket on `n` bound to `port`.
stack::UdpSockets::SocketId listen(Node &n, std::uint16_t port) {
    auto s = n.stack.udp().open();
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(n.stack.udp().bind(*s, Ip6Address(), port));
    return *s;
}

void send_udp(Node &from, const Ip6Address &to, std::uint16_t port, ByteSpan data) {
    auto s = from.stack.udp().open();
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(from.stack.udp().send_to(*s, to, port, data).ok());
    from.arm();
}

TEST(LowpanScenario, LinkLocalAddressesComeFromTheExtendedAddress) {
    Net net(2);
    net.settle();
    // EUI-64 00:12:4b:00:00:00:00:01 with the U/L bit inverted (RFC 4944 6).
    EXPECT_EQ(net[0].link_local(), addr("fe80::212:4b00:0:1"));
    EXPECT_EQ(net[1].link_local(), addr("fe80::212:4b00:0:2"));
    EXPECT_EQ(net[0].stack.netif(net[0].ifindex).mtu, 1280u);
    EXPECT_EQ(net[0].stack.stats().dad_failures, 0u);
}

TEST(LowpanScenario, PingBetweenLinkLocalAddresses) {
    Net net(2);
    net.settle();
    std::vector<stack::EchoReply> replies;
    std::vector<std::vector<std::uint8_t>> data;
    net[0].stack.set_echo_reply_handler([&](const stack::EchoReply &r) {
        replies.push_back(r);
        data.emplace_back(r.data.begin(), r.data.end());
    });
    const auto payload = pattern(40);
    for (std::uint16_t seq = 1; seq <= 3; ++seq) {
        ASSERT_TRUE(net[0].stack.ping(net[1].link_local(), 0x4242, seq,
                                      ByteSpan(payload.data(), payload.size())));
        net[0].arm();
        net.sched.run_for(1s);
    }
    ASSERT_EQ(replies.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(replies[i].src, net[1].link_local());
        EXPECT_EQ(replies[i].identifier, 0x4242);
        EXPECT_EQ(replies[i].sequence, i + 1);
        EXPECT_EQ(data[i], payload);
    }
    // No address resolution: the MAC address came from the IID.
    EXPECT_EQ(net[0].lowpan.drops().total(), 0u);
    EXPECT_EQ(net[1].lowpan.drops().total(), 0u);
    EXPECT_EQ(net[0].stack.drops()[stack::StackDrop::kAddressUnreachable], 0u);
    EXPECT_EQ(net[0].lowpan.stats().tx_fragmented, 0u);
    EXPECT_GE(net[1].lowpan.stats().rx_packets, 3u);
    EXPECT_EQ(net[1].stack.stats().echo_replies_sent, 3u);
}

TEST(LowpanScenario, Udp1200BytesFragmentedAndReassembled) {
    Net net(2);
    net.settle();
    PayloadTap tap;
    net.medium.add_tap(&tap);
    const stack::UdpSockets::SocketId rx = listen(net[1], 5683);
    const auto payload = pattern(1200);
    send_udp(net[0], net[1].link_local(), 5683, ByteSpan(payload.data(), payload.size()));
    net.sched.run_for(2s);
    net.medium.remove_tap(&tap);

    std::vector<std::uint8_t> got(1500);
    stack::UdpDatagramInfo info;
    auto n = net[1].stack.udp().recv_from(rx, MutableByteSpan(got.data(), got.size()), &info);
    ASSERT_TRUE(n.ok());
    got.resize(*n);
    EXPECT_EQ(got, payload);
    EXPECT_EQ(info.src, net[0].link_local());
    EXPECT_EQ(net[0].lowpan.stats().tx_fragmented, 1u);
    EXPECT_EQ(net[1].lowpan.stats().rx_reassembled, 1u);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 0u);
    EXPECT_EQ(net[1].lowpan.drops().total(), 0u);

    // One FRAG1 then FRAGNs, each frame within 127 octets, offsets in 8-byte units covering the
    // 1248-byte datagram (IPv6 40 + UDP 8 + 1200).
    std::size_t frag1 = 0, fragn = 0;
    std::uint16_t tag = 0;
    for (const auto &p : tap.payloads) {
        if (!is_frag(p))
            continue;
        auto h = wire::LowpanFragHeader::parse(ByteSpan(p.data(), p.size()));
        ASSERT_TRUE(h.ok());
        EXPECT_EQ(h->datagram_size, 1248);
        if (h->first) {
            ++frag1;
            tag = h->datagram_tag;
        } else {
            ++fragn;
            EXPECT_EQ(h->datagram_tag, tag);
        }
    }
    EXPECT_EQ(frag1, 1u);
    EXPECT_GE(fragn, 10u);
    EXPECT_EQ(net[0].lowpan.max_payload(wire::MacAddress::from_extended(eui_of(1))),
              127u - 2 - 1 - 2 - 8 - 8 - 2);  // FCF, seq, PAN, dst, src, FCS
}

TEST(LowpanScenario, LostFragmentTimesOutAndIsCounted) {
    NodeOptions o;
    o.lowpan.reassembly.timeout = 60s;
    Net net(2, 1, o);
    net.settle();
    PayloadTap tap;
    // Once the FRAG1 is on the air, nothing more from node 0 reaches node 1.
    tap.on_end = [&](const wire::MacFrame &f) {
        if (!f.payload.empty() &&
            wire::lowpan_dispatch(f.payload[0]) == wire::LowpanDispatch::kFrag1)
            net.sched.at(net.sched.now(), [&] { net.medium.set_link_cut(0, 1, true, false); });
    };
    net.medium.add_tap(&tap);
    const stack::UdpSockets::SocketId rx = listen(net[1], 9000);
    const auto payload = pattern(1200);
    send_udp(net[0], net[1].link_local(), 9000, ByteSpan(payload.data(), payload.size()));
    net.sched.run_for(5s);
    net.medium.remove_tap(&tap);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 1u);
    EXPECT_EQ(net[0].lowpan.drops()[LowpanDrop::kTxFailed], 1u);  // the sender gave up
    net.sched.run_for(50s);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 1u);  // still within the timeout
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kReassemblyTimeout], 0u);
    net.sched.run_for(10s);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 0u);
    EXPECT_EQ(net[1].lowpan.reassembler().bytes(), 0u);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kReassemblyTimeout], 1u);
    std::uint8_t buf[8];
    EXPECT_EQ(net[1].stack.udp().recv_from(rx, MutableByteSpan(buf, 8), nullptr).error(),
              Error::kWouldBlock);
}

/// The fragments of one 1200-byte datagram from node 0 to node 1, as sent on the air.
std::vector<std::vector<std::uint8_t>> record_fragments(Net &net, std::uint16_t port) {
    PayloadTap tap;
    net.medium.add_tap(&tap);
    const auto payload = pattern(1200);
    send_udp(net[0], net[1].link_local(), port, ByteSpan(payload.data(), payload.size()));
    net.sched.run_for(2s);
    net.medium.remove_tap(&tap);
    std::vector<std::vector<std::uint8_t>> frags;
    for (auto &p : tap.payloads)
        if (is_frag(p))
            frags.push_back(p);
    return frags;
}

TEST(LowpanScenario, FragmentsOutOfOrderAreReassembled) {
    Net net(2);
    net.settle();
    const stack::UdpSockets::SocketId rx = listen(net[1], 7000);
    auto frags = record_fragments(net, 7000);
    ASSERT_GE(frags.size(), 10u);
    std::uint8_t buf[1500];
    ASSERT_TRUE(net[1].stack.udp().recv_from(rx, MutableByteSpan(buf, sizeof buf), nullptr).ok());

    // The same fragments again, FRAG1 last and the others interleaved from both ends.
    std::vector<std::vector<std::uint8_t>> order;
    for (std::size_t lo = 1, hi = frags.size() - 1; lo <= hi; ++lo, --hi) {
        order.push_back(frags[hi]);
        if (lo != hi)
            order.push_back(frags[lo]);
    }
    order.push_back(frags[0]);
    const auto src = wire::MacAddress::from_extended(eui_of(0));
    const auto dst = wire::MacAddress::from_extended(eui_of(1));
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        net[1].lowpan.input(ByteSpan(order[i].data(), order[i].size()), src, dst);
        EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 1u);
    }
    // A duplicate of one already held is dropped without harming the datagram.
    net[1].lowpan.input(ByteSpan(order[0].data(), order[0].size()), src, dst);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kFragmentOverlap], 1u);
    net[1].lowpan.input(ByteSpan(order.back().data(), order.back().size()), src, dst);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 0u);
    EXPECT_EQ(net[1].lowpan.stats().rx_reassembled, 2u);
    net.sched.run_for(100ms);
    stack::UdpDatagramInfo info;
    auto n = net[1].stack.udp().recv_from(rx, MutableByteSpan(buf, sizeof buf), &info);
    ASSERT_TRUE(n.ok());
    const auto payload = pattern(1200);
    EXPECT_EQ(std::vector<std::uint8_t>(buf, buf + *n), payload);
    EXPECT_EQ(info.src, net[0].link_local());
}

TEST(LowpanScenario, ReassemblyLimitsDropNewDatagrams) {
    NodeOptions o;
    o.lowpan.reassembly.max_datagrams = 2;
    o.lowpan.reassembly.max_bytes = 4000;
    Net net(2, 1, o);
    net.settle();
    auto frags = record_fragments(net, 7001);
    ASSERT_GE(frags.size(), 2u);
    const auto src = wire::MacAddress::from_extended(eui_of(0));
    const auto dst = wire::MacAddress::from_extended(eui_of(1));
    // FRAG1s of four datagrams (tags patched): two are held, the rest hit the count limit.
    for (std::uint16_t t = 0; t < 4; ++t) {
        auto f = frags[0];
        f[2] = static_cast<std::uint8_t>(0x10 + t);
        f[3] = 0x99;
        net[1].lowpan.input(ByteSpan(f.data(), f.size()), src, dst);
    }
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 2u);
    EXPECT_EQ(net[1].lowpan.reassembler().bytes(), 2u * 1248);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kReassemblyLimit], 2u);
    // Later fragments of a datagram not held are dropped too (they cannot start one).
    auto later = frags[1];
    later[2] = 0x13;
    later[3] = 0x99;
    net[1].lowpan.input(ByteSpan(later.data(), later.size()), src, dst);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kReassemblyLimit], 3u);
    // Both held datagrams time out; room again afterwards.
    net.sched.run_for(61s);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kReassemblyTimeout], 2u);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 0u);
}

TEST(LowpanScenario, ReassemblyByteLimit) {
    NodeOptions o;
    o.lowpan.reassembly.max_bytes = 2000;  // one 1248-byte datagram at a time
    Net net(2, 1, o);
    net.settle();
    auto frags = record_fragments(net, 7002);
    const auto src = wire::MacAddress::from_extended(eui_of(0));
    const auto dst = wire::MacAddress::from_extended(eui_of(1));
    for (std::uint8_t t = 0; t < 2; ++t) {
        auto f = frags[0];
        f[3] = static_cast<std::uint8_t>(0xa0 + t);
        net[1].lowpan.input(ByteSpan(f.data(), f.size()), src, dst);
    }
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 1u);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kReassemblyLimit], 1u);
}

TEST(LowpanScenario, MeshHeaderForAnotherNodeIsDropped) {
    Net net(2);
    net.settle();
    auto frags = record_fragments(net, 7003);
    // Mesh header (RFC 4944 5.2): 10 V F HopsLeft, 64-bit originator, 16-bit final destination.
    std::vector<std::uint8_t> f = {0x80 | 0x20 | 0x00 | 0x05};
    f[0] = static_cast<std::uint8_t>(0x80 | 0x10 | 0x05);  // V=0 (64-bit orig), F=1 (16-bit final)
    for (int i = 7; i >= 0; --i)
        f.push_back(static_cast<std::uint8_t>(eui_of(0) >> (8 * i)));
    f.push_back(0x12);
    f.push_back(0x34);
    f.insert(f.end(), frags[0].begin(), frags[0].end());
    const auto src = wire::MacAddress::from_extended(eui_of(0));
    net[1].lowpan.input(ByteSpan(f.data(), f.size()), src, wire::MacAddress::from_short(0xffff));
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kNotForUs], 1u);
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 0u);
    // The same frame with node 1 as the final destination goes into reassembly.
    std::vector<std::uint8_t> g = {static_cast<std::uint8_t>(0x80 | 0x05)};  // V=0, F=0
    for (int k = 0; k < 2; ++k)
        for (int i = 7; i >= 0; --i)
            g.push_back(static_cast<std::uint8_t>(eui_of(k) >> (8 * i)));
    g.insert(g.end(), frags[0].begin(), frags[0].end());
    net[1].lowpan.input(ByteSpan(g.data(), g.size()), src, wire::MacAddress::from_short(0xffff));
    EXPECT_EQ(net[1].lowpan.reassembler().datagrams(), 1u);
}

/// Ping and a fragmented UDP datagram, captured; returns the capture.
std::vector<std::uint8_t> captured_run(std::uint64_t seed) {
    Net net(2, seed);
    testbed::Capture802154 cap(net.medium);
    net.settle();
    (void)net[0].stack.ping(net[1].link_local(), 1, 1);
    net[0].arm();
    net.sched.run_for(1s);
    const auto payload = pattern(1200);
    send_udp(net[0], net[1].link_local(), 5683, ByteSpan(payload.data(), payload.size()));
    net.sched.run_for(2s);
    return cap.bytes();
}

TEST(LowpanScenario, SameSeedSameCapture) {
    const auto a = captured_run(7), b = captured_run(7);
    EXPECT_GT(a.size(), 2000u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, captured_run(8));  // the seed does reach the run (backoffs, tags)
}

TEST(LowpanScenario, NeighbourTableAndResolverForNonLinkLocalNextHops) {
    Net net(2);
    net.settle();
    const Ip6Address g1 = addr("2001:db8::1234");
    EXPECT_FALSE(net[0].lowpan.resolve(g1).has_value());
    ASSERT_TRUE(net[0].lowpan.add_neighbor(g1, wire::MacAddress::from_extended(eui_of(1))));
    EXPECT_EQ(*net[0].lowpan.resolve(g1), wire::MacAddress::from_extended(eui_of(1)));
    EXPECT_EQ(net[0].lowpan.add_neighbor(addr("ff02::1"), wire::MacAddress::from_short(1)).error(),
              Error::kInvalidArgument);
    ASSERT_TRUE(net[0].lowpan.remove_neighbor(g1));
    EXPECT_EQ(net[0].lowpan.remove_neighbor(g1).error(), Error::kNotFound);
    net[0].lowpan.set_resolver([](const Ip6Address &) -> std::optional<wire::MacAddress> {
        return wire::MacAddress::from_short(0x0042);
    });
    EXPECT_EQ(*net[0].lowpan.resolve(g1), wire::MacAddress::from_short(0x0042));
    // Link-local short-address IIDs map to the short address.
    EXPECT_EQ(*net[0].lowpan.resolve(addr("fe80::ff:fe00:beef")),
              wire::MacAddress::from_short(0xbeef));

    // A global address on node 1 reached through the neighbour table.
    ASSERT_TRUE(net[1].stack.add_address(net[1].ifindex, g1, 64, true));
    net[0].lowpan.set_resolver(nullptr);
    ASSERT_TRUE(net[0].lowpan.add_neighbor(g1, wire::MacAddress::from_extended(eui_of(1))));
    ASSERT_TRUE(net[0].stack.add_address(net[0].ifindex, addr("2001:db8::1"), 64, true));
    int replies = 0;
    net[0].stack.set_echo_reply_handler([&](const stack::EchoReply &) { ++replies; });
    ASSERT_TRUE(net[0].stack.ping(g1, 2, 1));
    net[0].arm();
    net.sched.run_for(1s);
    // Node 1 has no entry for 2001:db8::1 (and no ND here): its reply has no next hop.
    EXPECT_EQ(replies, 0);
    EXPECT_EQ(net[1].lowpan.drops()[LowpanDrop::kNoLinkAddress], 1u);
    ASSERT_TRUE(net[1].lowpan.add_neighbor(addr("2001:db8::1"),
                                           wire::MacAddress::from_extended(eui_of(0))));
    ASSERT_TRUE(net[0].stack.ping(g1, 2, 2));
    net[0].arm();
    net.sched.run_for(1s);
    EXPECT_EQ(replies, 1);
}

}  // namespace

// A unicast frame the MAC gave up on (no ack after macMaxFrameRetries) is requested again
// after a random delay, up to LowpanConfig::link_retries times; the link estimator hears one
// outcome for the frame, that of its last request.
TEST(LowpanScenario, LinkRetriesRequestAFrameTheMacGaveUpOnAgain) {
    NodeOptions o;
    o.lowpan.link_retries = 2;
    o.lowpan.link_retry_delay = 50ms;
    Net net(2, 1, o);
    net.settle();
    std::vector<std::pair<bool, unsigned>> outcomes;
    net[0].lowpan.set_tx_observer([&](const wire::MacAddress &, bool ok, unsigned attempts) {
        outcomes.emplace_back(ok, attempts);
    });
    const stack::UdpSockets::SocketId rx = listen(net[1], 9000);
    const std::uint8_t msg[4] = {1, 2, 3, 4};
    // The link stays cut: three MAC requests of four attempts each, then the frame is dropped.
    net.medium.set_link_cut(0, 1, true);
    const auto no_ack0 = net[0].mac.counters().no_ack;
    send_udp(net[0], net[1].link_local(), 9000, ByteSpan(msg, 4));
    net.sched.run_for(1s);
    EXPECT_EQ(net[0].mac.counters().no_ack - no_ack0, 3u);
    EXPECT_EQ(net[0].lowpan.stats().link_retries, 2u);
    EXPECT_EQ(net[0].lowpan.drops()[LowpanDrop::kTxFailed], 1u);
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_FALSE(outcomes[0].first);
    EXPECT_EQ(outcomes[0].second, 4u);  // the last request's attempts
    // Cut only while the first request runs: the link retry delivers it.
    outcomes.clear();
    send_udp(net[0], net[1].link_local(), 9000, ByteSpan(msg, 4));
    for (int i = 0; i < 100 && net[0].mac.counters().no_ack - no_ack0 < 4; ++i)
        net.sched.run_for(1ms);
    ASSERT_EQ(net[0].mac.counters().no_ack - no_ack0, 4u);
    net.medium.set_link_cut(0, 1, false);
    net.sched.run_for(1s);
    EXPECT_EQ(net[0].lowpan.stats().link_retries, 3u);
    EXPECT_EQ(net[0].lowpan.drops()[LowpanDrop::kTxFailed], 1u);
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_TRUE(outcomes[0].first);
    std::uint8_t buf[8];
    auto got = net[1].stack.udp().recv_from(rx, MutableByteSpan(buf, 8), nullptr);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, 4u);
}

}  // namespace meshwork::lowpantest
