// The adaptation layer with link-layer security (LowpanConfig::security_level): the payload
// room of a frame shrinks by the auxiliary security header and the MIC at every level, every
// data frame on the air is secured with key identifier mode 1 and the configured index, a
// fragmented packet crosses a secured link within that room, the receiver learns its new
// neighbour as the first frame authenticates, and unsecured or wrongly keyed frames are refused.
#include <gtest/gtest.h>

#include <vector>

#include "LowpanNet.h"

namespace meshwork::lowpantest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;
using wire::MacAddress;

constexpr std::uint8_t kKeyIndex = 3;

mac::MacKeyDescriptor network_key(std::uint8_t seed) {
    mac::MacKeyDescriptor k;
    k.key_id_mode = 1;
    k.key_index = kKeyIndex;
    for (int i = 0; i < 16; ++i)
        k.key[i] = static_cast<std::uint8_t>(seed + 7 * i);
    return k;
}

NodeOptions secured(std::uint8_t level) {
    NodeOptions o;
    o.lowpan.security_level = level;
    o.lowpan.key_index = kKeyIndex;
    return o;
}

// An IPv6 + UDP packet of `total` bytes between two link-local addresses.
std::vector<std::uint8_t> packet(const Ip6Address &src, const Ip6Address &dst, std::size_t total) {
    std::vector<std::uint8_t> p(total);
    const std::size_t udp = total - 40;
    p[0] = 0x60;
    p[4] = static_cast<std::uint8_t>(udp >> 8);
    p[5] = static_cast<std::uint8_t>(udp & 0xff);
    p[6] = 17;
    p[7] = 64;
    std::memcpy(&p[8], src.bytes, 16);
    std::memcpy(&p[24], dst.bytes, 16);
    p[40] = 0x12, p[41] = 0x34, p[42] = 0x56, p[43] = 0x78;
    p[44] = p[4], p[45] = p[5], p[46] = 0xab, p[47] = 0xcd;
    for (std::size_t i = 48; i < total; ++i)
        p[i] = static_cast<std::uint8_t>(i * 13);
    return p;
}

struct Air : sim::RadioMediumTap {
    std::vector<std::vector<std::uint8_t>> data_frames;
    void on_air_start(const sim::AirFrame &f) override {
        auto m = wire::MacFrame::parse(f.psdu);
        if (m && m->type == wire::MacFrameType::kData)
            data_frames.emplace_back(f.psdu.begin(), f.psdu.end());
    }
};

TEST(LowpanSecurity, PayloadRoomLosesTheAuxHeaderAndTheMic) {
    const MacAddress bcast = MacAddress::from_short(MacAddress::kBroadcastShort);
    const MacAddress ext = MacAddress::from_extended(eui_of(1));
    // Unsecured, from the extended source: FCF 2, sequence 1, PAN 2, FCS 2, the destination
    // (2 or 8) and the source (8).
    Net plain(1);
    EXPECT_EQ(plain[0].lowpan.max_payload(bcast), 127u - (2 + 1 + 2 + 2 + 8 + 2));
    EXPECT_EQ(plain[0].lowpan.max_payload(ext), 127u - (2 + 1 + 2 + 8 + 8 + 2));
    for (std::uint8_t level = 1; level <= 7; ++level) {
        Net n(1, 1, secured(level));
        // Security control 1, frame counter 4, key index 1 (mode 1); MIC 0, 4, 8 or 16.
        const std::size_t mic = (level & 3) == 0 ? 0 : std::size_t{2} << (level & 3);
        for (const MacAddress &dst : {bcast, ext})
            EXPECT_EQ(n[0].lowpan.max_payload(dst), plain[0].lowpan.max_payload(dst) - 6 - mic)
                << int(level);
    }
    // Turned on and off at run time.
    ASSERT_TRUE(plain[0].lowpan.set_security(7, kKeyIndex));
    EXPECT_EQ(plain[0].lowpan.max_payload(bcast), 110u - 6 - 16);
    EXPECT_EQ(*plain[0].mac.mlme_get(mac::MacPib::kMinSecurityLevel), 7u);
    EXPECT_TRUE(plain[0].mac.config().learn_devices);
    ASSERT_TRUE(plain[0].lowpan.set_security(0, 0));
    EXPECT_EQ(plain[0].lowpan.max_payload(bcast), 110u);
    EXPECT_FALSE(plain[0].mac.config().learn_devices);
    EXPECT_EQ(plain[0].lowpan.set_security(8, 1).error(), Error::kInvalidArgument);
    EXPECT_EQ(plain[0].lowpan.set_security(5, 0).error(), Error::kInvalidArgument);
}

TEST(LowpanSecurity, FragmentedPacketOverASecuredLinkWithinTheRoom) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    for (std::uint8_t level : {std::uint8_t{4}, std::uint8_t{5}, std::uint8_t{7}}) {
        Net net(2, 1, secured(level));
        for (int i = 0; i < 2; ++i)
            ASSERT_TRUE(net[i].mac.security().add_key(network_key(1)));
        net.settle();  // DAD's multicast, secured too
        EXPECT_EQ(net[1].mac.counters().devices_learned, 1u);
        Air air;
        net.medium.add_tap(&air);
        std::vector<std::vector<std::uint8_t>> got;
        net[1].lowpan.set_deliver([&](ByteSpan p) { got.emplace_back(p.begin(), p.end()); });
        const auto pkt = packet(net[0].link_local(), net[1].link_local(), 600);
        auto b = net[0].pool.allocate(0, pkt.size());
        ASSERT_TRUE(b.ok());
        ASSERT_TRUE(b->append(ByteSpan(pkt.data(), pkt.size())));
        ASSERT_TRUE(net[0].lowpan.send_packet(std::move(*b), net[1].link_local()));
        net.sched.run_for(1s);
        net.medium.remove_tap(&air);
        ASSERT_EQ(got.size(), 1u) << int(level);
        EXPECT_EQ(got[0], pkt);
        EXPECT_EQ(net[0].lowpan.stats().tx_fragmented, 1u);
        const std::size_t room = net[0].lowpan.max_payload(MacAddress::from_extended(eui_of(1)));
        ASSERT_GE(air.data_frames.size(), 600 / room);
        for (const auto &psdu : air.data_frames) {
            auto f = wire::MacFrame::parse(ByteSpan(psdu.data(), psdu.size()));
            ASSERT_TRUE(f);
            EXPECT_TRUE(f->security_enabled);
            EXPECT_EQ(f->security.security_level, level);
            EXPECT_EQ(f->security.key_id_mode, 1);
            EXPECT_EQ(f->security.key_index, kKeyIndex);
            EXPECT_LE(psdu.size(), 127u);
            // The payload as the MAC received it (ciphertext from level 4) fits the room.
            EXPECT_LE(f->payload.size, room);
        }
        // The first frame that authenticated made node 0 a device of node 1, once.
        EXPECT_EQ(net[1].mac.counters().devices_learned, 1u);
        EXPECT_GE(net[1].mac.security().find_device(eui_of(0)), 0);
        EXPECT_EQ(net[1].mac.counters().secured_rx, net[0].mac.counters().secured_tx);
    }
}

TEST(LowpanSecurity, UnsecuredAndWrongKeyFramesAreRefused) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net net(3, 1, secured(5));
    ASSERT_TRUE(net[1].mac.security().add_key(network_key(1)));
    ASSERT_TRUE(net[2].mac.security().add_key(network_key(2)));  // same index, other key
    ASSERT_TRUE(net[0].lowpan.set_security(0, 0));               // node 0 sends in the clear
    std::size_t delivered = 0;
    net[1].lowpan.set_deliver([&](ByteSpan) { ++delivered; });
    auto send = [&](int from) {
        const auto pkt = packet(net[from].link_local(), net[1].link_local(), 80);
        auto b = net[from].pool.allocate(0, pkt.size());
        ASSERT_TRUE(b.ok());
        ASSERT_TRUE(b->append(ByteSpan(pkt.data(), pkt.size())));
        ASSERT_TRUE(net[from].lowpan.send_packet(std::move(*b), net[1].link_local()));
        net.sched.run_for(200ms);
    };
    send(0);
    send(2);
    EXPECT_EQ(delivered, 0u);
    const auto &drops = net[1].mac.counters().drops;
    EXPECT_GE(drops[mac::MacRxDrop::kUnsecured], 1u);
    EXPECT_GE(drops[mac::MacRxDrop::kMicFailure], 1u);
    EXPECT_EQ(net[1].mac.counters().devices_learned, 0u);  // nothing learned from either
    EXPECT_EQ(net[1].mac.security().device_count(), 0u);
}

}  // namespace
}  // namespace meshwork::lowpantest
