// The adaptation layer's compression path per address mode: a packet handed to one node's
// layer is sent through the MAC, its IPHC header is checked on the air, and the other node's
// layer must give the same packet back. Link-local from the MAC (fully elided), context-based
// global (SAC/DAC), inline, multicast; contexts with the compression flag and lifetimes.
#include <gtest/gtest.h>

#include <vector>

#include "LowpanNet.h"
#include "wire/Checksum.h"

namespace meshwork::lowpantest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

Ip6Address addr(const char *t) {
    return *Ip6Address::from_text(t);
}

std::vector<std::uint8_t> udp_packet(const Ip6Address &src, const Ip6Address &dst) {
    const std::size_t payload = 20;
    std::vector<std::uint8_t> p(40 + 8 + payload);
    p[0] = 0x60;
    p[4] = 0;
    p[5] = 8 + payload;
    p[6] = 17;
    p[7] = 64;
    std::memcpy(&p[8], src.bytes, 16);
    std::memcpy(&p[24], dst.bytes, 16);
    std::uint8_t *u = &p[40];
    u[0] = 0xf0, u[1] = 0xb1, u[2] = 0xf0, u[3] = 0xb2, u[4] = 0, u[5] = 8 + payload;
    for (std::size_t i = 0; i < payload; ++i)
        u[8 + i] = static_cast<std::uint8_t>(i);
    const std::uint16_t c = wire::Checksum::compute_upper(wire::PseudoHeader{src, dst}, 17,
                                                          ByteSpan(u, 8 + payload), 6);
    u[6] = static_cast<std::uint8_t>(c >> 8);
    u[7] = static_cast<std::uint8_t>(c & 0xff);
    return p;
}

struct Tap : sim::RadioMediumTap {
    std::vector<wire::MacFrame> frames;
    std::vector<std::vector<std::uint8_t>> payloads;
    void on_air_start(const sim::AirFrame &f) override {
        auto m = wire::MacFrame::parse(f.psdu);
        if (m && m->type == wire::MacFrameType::kData && f.sender == 0) {
            frames.push_back(*m);
            payloads.emplace_back(m->payload.begin(), m->payload.end());
        }
    }
};

struct Fixture : testing::Test {
    Net net{2};
    Tap tap;
    std::vector<std::vector<std::uint8_t>> delivered;
    void SetUp() override {
        net.settle();
        net.medium.add_tap(&tap);
        net[1].lowpan.set_deliver(
            [this](ByteSpan p) { delivered.emplace_back(p.begin(), p.end()); });
    }
    void TearDown() override { net.medium.remove_tap(&tap); }
    /// Sends `pkt` from node 0 to `next_hop`; returns the MAC payload on the air.
    std::vector<std::uint8_t> send(const std::vector<std::uint8_t> &pkt,
                                   const Ip6Address &next_hop) {
        tap.payloads.clear();
        tap.frames.clear();
        delivered.clear();
        auto b = net[0].pool.allocate(0, pkt.size());
        EXPECT_TRUE(b.ok());
        EXPECT_TRUE(b->append(ByteSpan(pkt.data(), pkt.size())));
        EXPECT_TRUE(net[0].lowpan.send_packet(std::move(*b), next_hop));
        net.sched.run_for(100ms);
        EXPECT_EQ(tap.payloads.size(), 1u);
        EXPECT_EQ(delivered.size(), 1u);
        if (delivered.size() == 1) {
            EXPECT_EQ(delivered[0], pkt);
        }
        return tap.payloads.empty() ? std::vector<std::uint8_t>() : tap.payloads[0];
    }
};

// IPHC byte 1: CID SAC SAM(2) M DAC DAM(2).
int sac(const std::vector<std::uint8_t> &p) {
    return (p[1] >> 6) & 1;
}
int sam(const std::vector<std::uint8_t> &p) {
    return (p[1] >> 4) & 3;
}
int mcast(const std::vector<std::uint8_t> &p) {
    return (p[1] >> 3) & 1;
}
int dac(const std::vector<std::uint8_t> &p) {
    return (p[1] >> 2) & 1;
}
int dam(const std::vector<std::uint8_t> &p) {
    return p[1] & 3;
}
bool cid(const std::vector<std::uint8_t> &p) {
    return (p[1] & 0x80) != 0;
}

TEST_F(Fixture, LinkLocalFromTheMacIsFullyElided) {
    const auto pkt = udp_packet(net[0].link_local(), net[1].link_local());
    const auto p = send(pkt, net[1].link_local());
    ASSERT_GE(p.size(), 2u);
    EXPECT_EQ(p[0] & 0xe0, 0x60);
    EXPECT_FALSE(cid(p));
    EXPECT_EQ(sac(p), 0);
    EXPECT_EQ(sam(p), 3);
    EXPECT_EQ(dac(p), 0);
    EXPECT_EQ(dam(p), 3);
    // Frame addresses are the extended ones the IIDs come from.
    EXPECT_EQ(tap.frames[0].src, wire::MacAddress::from_extended(eui_of(0)));
    EXPECT_EQ(tap.frames[0].dst, wire::MacAddress::from_extended(eui_of(1)));
    EXPECT_TRUE(tap.frames[0].ack_request);
    // IPHC 2 (hop limit 64 and both addresses elided) + UDP NHC 1 + 4-bit ports 1 + checksum 2.
    EXPECT_EQ(p.size(), 2u + 1 + 1 + 2 + 20);
}

TEST_F(Fixture, ContextBasedGlobalAddresses) {
    for (int n = 0; n < 2; ++n) {
        ASSERT_TRUE(net[n].lowpan.set_context(0, addr("2001:db8:1::"), 64, true));
        ASSERT_TRUE(net[n].lowpan.set_context(3, addr("2001:db8:3::"), 64, true));
    }
    const Ip6Address s0 = addr("2001:db8:1::212:4b00:0:1"), d0 = addr("2001:db8:1::212:4b00:0:2");
    auto p = send(udp_packet(s0, d0), net[1].link_local());
    ASSERT_GE(p.size(), 2u);
    EXPECT_FALSE(cid(p));  // context 0 needs no CID byte
    EXPECT_EQ(sac(p), 1);
    EXPECT_EQ(sam(p), 3);  // IID from the MAC address
    EXPECT_EQ(dac(p), 1);
    EXPECT_EQ(dam(p), 3);

    // Context 3 with IIDs not derived from the MAC: CID byte 0x33, 64-bit IIDs inline.
    const Ip6Address s3 = addr("2001:db8:3::a"), d3 = addr("2001:db8:3::b");
    p = send(udp_packet(s3, d3), net[1].link_local());
    ASSERT_GE(p.size(), 3u);
    EXPECT_TRUE(cid(p));
    EXPECT_EQ(p[2], 0x33);
    EXPECT_EQ(sac(p), 1);
    EXPECT_EQ(sam(p), 1);
    EXPECT_EQ(dac(p), 1);
    EXPECT_EQ(dam(p), 1);
}

TEST_F(Fixture, InlineWithoutAContextAndWithTheCompressionFlagOff) {
    const Ip6Address s = addr("2001:db8:99::5"), d = addr("2001:db8:99::6");
    auto p = send(udp_packet(s, d), net[1].link_local());
    ASSERT_GE(p.size(), 2u);
    EXPECT_EQ(sac(p), 0);
    EXPECT_EQ(sam(p), 0);  // 128 bits inline
    EXPECT_EQ(dac(p), 0);
    EXPECT_EQ(dam(p), 0);
    // A context usable only for decompression (C flag clear) is not used by the sender.
    for (int n = 0; n < 2; ++n)
        ASSERT_TRUE(net[n].lowpan.set_context(1, addr("2001:db8:99::"), 64, false));
    p = send(udp_packet(s, d), net[1].link_local());
    EXPECT_EQ(sam(p), 0);
    EXPECT_EQ(dam(p), 0);
    EXPECT_FALSE(cid(p));
}

TEST_F(Fixture, ContextLifetimeExpires) {
    for (int n = 0; n < 2; ++n)
        ASSERT_TRUE(net[n].lowpan.set_context(2, addr("2001:db8:2::"), 64, true, 10s));
    const Ip6Address s = addr("2001:db8:2::212:4b00:0:1"), d = addr("2001:db8:2::212:4b00:0:2");
    auto p = send(udp_packet(s, d), net[1].link_local());
    EXPECT_EQ(sac(p), 1);
    net.sched.run_for(10s);
    EXPECT_EQ(net[0].lowpan.contexts().get(2), nullptr);
    EXPECT_EQ(net[1].lowpan.contexts().get(2), nullptr);
    p = send(udp_packet(s, d), net[1].link_local());
    EXPECT_EQ(sac(p), 0);
    EXPECT_EQ(sam(p), 0);
    EXPECT_EQ(net[0].lowpan.set_context(16, addr("2001:db8::"), 64, true).error(),
              Error::kInvalidArgument);
    EXPECT_EQ(net[0].lowpan.set_context(1, addr("2001:db8::"), 129, true).error(),
              Error::kInvalidArgument);
    ASSERT_TRUE(net[0].lowpan.set_context(1, addr("2001:db8::"), 64, true));
    ASSERT_TRUE(net[0].lowpan.clear_context(1));
    EXPECT_EQ(net[0].lowpan.contexts().get(1), nullptr);
}

TEST_F(Fixture, MulticastGoesToTheBroadcastAddress) {
    const Ip6Address g = addr("ff02::1");
    auto p = send(udp_packet(net[0].link_local(), g), g);
    ASSERT_GE(p.size(), 2u);
    EXPECT_EQ(mcast(p), 1);
    EXPECT_EQ(dam(p), 3);  // ff02::00XX in 8 bits
    EXPECT_TRUE(tap.frames[0].dst.is_broadcast());
    EXPECT_FALSE(tap.frames[0].ack_request);
}

TEST_F(Fixture, UnknownContextOnReceiveIsCounted) {
    ASSERT_TRUE(net[0].lowpan.set_context(4, addr("2001:db8:4::"), 64, true));
    const auto pkt = udp_packet(addr("2001:db8:4::212:4b00:0:1"), addr("2001:db8:4::212:4b00:0:2"));
    auto b = net[0].pool.allocate(0, pkt.size());
    ASSERT_TRUE(b->append(ByteSpan(pkt.data(), pkt.size())));
    ASSERT_TRUE(net[0].lowpan.send_packet(std::move(*b), net[1].link_local()));
    net.sched.run_for(100ms);
    EXPECT_TRUE(delivered.empty());
    EXPECT_EQ(net[1].lowpan.drops()[lowpan::LowpanDrop::kDecompress], 1u);
}

TEST_F(Fixture, OversizeAndUnresolvableAreCounted) {
    std::vector<std::uint8_t> big(1300, 0);
    big[0] = 0x60;
    auto b = net[0].pool.allocate(0, big.size());
    ASSERT_TRUE(b->append(ByteSpan(big.data(), big.size())));
    ASSERT_TRUE(net[0].lowpan.send_packet(std::move(*b), net[1].link_local()));
    EXPECT_EQ(net[0].lowpan.drops()[lowpan::LowpanDrop::kTooBig], 1u);
    const auto pkt = udp_packet(addr("2001:db8::1"), addr("2001:db8::2"));
    auto c = net[0].pool.allocate(0, pkt.size());
    ASSERT_TRUE(c->append(ByteSpan(pkt.data(), pkt.size())));
    ASSERT_TRUE(net[0].lowpan.send_packet(std::move(*c), addr("2001:db8::2")));
    EXPECT_EQ(net[0].lowpan.drops()[lowpan::LowpanDrop::kNoLinkAddress], 1u);
    EXPECT_EQ(net[0].lowpan.send_frame(PacketBuffer()).error(), Error::kUnsupported);
}

TEST_F(Fixture, TransmitQueueIsBounded) {
    const auto pkt = udp_packet(net[0].link_local(), net[1].link_local());
    const std::uint64_t sent_before = net[0].lowpan.stats().tx_packets;  // DAD, MLD
    // One in the MAC and tx_queue_packets (8) waiting; the rest is dropped.
    for (int i = 0; i < 12; ++i) {
        auto b = net[0].pool.allocate(0, pkt.size());
        ASSERT_TRUE(b->append(ByteSpan(pkt.data(), pkt.size())));
        ASSERT_TRUE(net[0].lowpan.send_packet(std::move(*b), net[1].link_local()));
    }
    EXPECT_EQ(net[0].lowpan.tx_queue_size(), 9u);
    EXPECT_EQ(net[0].lowpan.drops()[lowpan::LowpanDrop::kTxQueueFull], 3u);
    net.sched.run_for(1s);
    EXPECT_EQ(net[0].lowpan.tx_queue_size(), 0u);
    EXPECT_EQ(delivered.size(), 9u);
    EXPECT_EQ(net[0].lowpan.stats().tx_packets - sent_before, 9u);
}

}  // namespace
}  // namespace meshwork::lowpantest
