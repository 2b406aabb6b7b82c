// MAC security over SimRadio in virtual time: every level with every key identifier mode,
// replayed frames and wrong keys rejected (all of them, with counters), unsecured frames where
// security is required, a key switch with per-key counters, frame counter exhaustion, devices
// learned only from frames that authenticate.
#include <gtest/gtest.h>

#include "MacTestNode.h"

namespace meshwork {
namespace {

using namespace mactest;
using mac::MacKeyDescriptor;
using mac::MacRxDrop;
using wire::MacAddress;
using wire::MacFrame;

MacKeyDescriptor make_key(std::uint8_t mode, std::uint8_t index, std::uint8_t seed) {
    MacKeyDescriptor k;
    k.key_id_mode = mode;
    k.key_index = mode == 0 ? 0 : index;
    for (int i = 0; i < 16; ++i)
        k.key[i] = static_cast<std::uint8_t>(seed * 17 + i);
    for (int i = 0; i < 8; ++i)
        k.key_source[i] = static_cast<std::uint8_t>(0xa0 + i);
    return k;
}

// Both nodes know each other and share `key`.
void pair(Net &n, int a, int b, const MacKeyDescriptor &key) {
    for (int x : {a, b}) {
        ASSERT_TRUE(n[x].mac.security().add_key(key));
        const int y = x == a ? b : a;
        mac::MacDeviceDescriptor d;
        d.pan_id = kPan;
        d.short_address = n[y].short_address();
        d.extended_address = ext_of(sim::RadioNodeId(y));
        ASSERT_TRUE(n[x].mac.security().add_device(d));
    }
}

void secure(MacFrame &f, std::uint8_t level, const MacKeyDescriptor &k) {
    f.security_enabled = true;
    f.security.security_level = level;
    f.security.key_id_mode = k.key_id_mode;
    f.security.key_index = k.key_index;
    std::memcpy(f.security.key_source, k.key_source, 8);
}

TEST(MacSecurityScenario, EveryLevelWithEveryKeyIdMode) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(2);
    for (std::uint8_t mode = 0; mode <= 3; ++mode)
        pair(n, 0, 1, make_key(mode, 3, mode));
    std::size_t expected = 0;
    for (std::uint8_t mode = 0; mode <= 3; ++mode) {
        for (std::uint8_t level = 1; level <= 7; ++level) {
            for (bool ext_src : {false, true}) {
                MacFrame f = n[0].frame(MacAddress::from_short(0x11), 20, level);
                if (ext_src)
                    f.src = MacAddress::from_extended(ext_of(0));
                if (mode == 2)
                    f.version = wire::MacFrameVersion::k2015;  // both frame versions
                secure(f, level, make_key(mode, 3, mode));
                ASSERT_TRUE(n[0].mac.data_request(f, 1));
                n.sched.run_until_idle();
                ++expected;
                ASSERT_EQ(n[1].payloads.size(), expected) << int(mode) << " " << int(level);
                EXPECT_EQ(n[1].payloads.back(), n[0].payload);
                EXPECT_EQ(n[1].levels.back(), level);
                EXPECT_EQ(n[0].confirms.back().status, mac::MacTxStatus::kSuccess);
                // The frame on the air: encrypted levels do not show the payload.
                const std::vector<std::uint8_t> &air = n.air.frames[n.air.frames.size() - 2];
                const bool clear = std::search(air.begin(), air.end(), n[0].payload.begin(),
                                               n[0].payload.end()) != air.end();
                EXPECT_EQ(clear, level < 4) << int(level);
                EXPECT_EQ(air.size(), 9u + (ext_src ? 6 : 0) + 1 + 4 +
                                          wire::AuxSecurityHeader::key_source_size(mode) +
                                          (mode ? 1 : 0) + 20 +
                                          wire::AuxSecurityHeader::mic_size_for(level) + 2);
            }
        }
    }
    EXPECT_EQ(n[1].mac.counters().secured_rx, expected);
    EXPECT_EQ(n[0].mac.counters().secured_tx, expected);
    EXPECT_EQ(n[1].mac.counters().drops.total(), 0u);
}

// A node that puts recorded bytes back on the air.
struct Attacker : RadioListener {
    explicit Attacker(sim::RadioMedium &m, sim::RadioNodeId id) : radio(m, id) {
        radio.set_listener(this);
    }
    void on_radio_tx_done(const RadioTxResult &) override {}
    void on_radio_receive(const RadioRxFrame &) override {}
    void replay(const std::vector<std::uint8_t> &psdu) {
        RadioTxRequest r;
        r.psdu = ByteSpan(psdu.data(), psdu.size());
        r.cca = false;
        ASSERT_TRUE(radio.transmit(r));
    }
    sim::SimRadio radio;
};

TEST(MacSecurityScenario, ReplayedFramesAllRejected) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(2);
    n.medium.add_node({2, 0, 0});
    Attacker eve(n.medium, 2);
    const MacKeyDescriptor k = make_key(1, 1, 9);
    pair(n, 0, 1, k);
    std::vector<std::vector<std::uint8_t>> recorded;
    for (int i = 0; i < 10; ++i) {
        MacFrame f = n[0].frame(MacAddress::from_short(0x11), 30, static_cast<std::uint8_t>(i));
        f.ack_request = false;  // no ack: each frame is delivered once, duplicates cannot hide it
        secure(f, 5, k);
        ASSERT_TRUE(n[0].mac.data_request(f, 1));
        n.sched.run_until_idle();
        recorded.push_back(n.air.frames.back());
    }
    ASSERT_EQ(n[1].payloads.size(), 10u);
    for (int round = 0; round < 2; ++round) {
        for (const auto &psdu : recorded) {
            eve.replay(psdu);
            n.sched.run_until_idle();
        }
    }
    EXPECT_EQ(n[1].payloads.size(), 10u);  // not one replay got through
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kReplay], 20u);
}

TEST(MacSecurityScenario, WrongKeyUnknownKeyUnknownDeviceAndUnsecured) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    mac::MacConfig cfg;
    cfg.min_security_level = 5;
    Net n(2, cfg);
    const MacKeyDescriptor k = make_key(1, 1, 1);
    pair(n, 0, 1, k);
    MacKeyDescriptor wrong = make_key(1, 1, 2);  // same identifier, other key
    ASSERT_TRUE(n[1].mac.security().add_key(wrong));
    auto send = [&](std::uint8_t level, std::uint8_t index) {
        MacFrame f = n[0].frame(MacAddress::from_short(0x11), 10);
        if (level) {
            secure(f, level, k);
            f.security.key_index = index;
        }
        return n[0].mac.data_request(f, 1);
    };
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(send(5, 1));
        n.sched.run_until_idle();
    }
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kMicFailure], 5u);
    // An index the receiver does not have.
    ASSERT_TRUE(n[0].mac.security().add_key(make_key(1, 2, 3)));
    ASSERT_TRUE(send(5, 2));
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kUnknownKey], 1u);
    // Unsecured, and secured below the minimum level.
    ASSERT_TRUE(send(0, 0));
    n.sched.run_until_idle();
    ASSERT_TRUE(send(1, 1));
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kUnsecured], 2u);
    // A sender the receiver has no device descriptor for.
    ASSERT_TRUE(n[1].mac.security().remove_device(ext_of(0)));
    ASSERT_TRUE(n[1].mac.security().add_key(k));
    ASSERT_TRUE(send(5, 1));
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kUnknownDevice], 1u);
    EXPECT_TRUE(n[1].payloads.empty());
    // An exempt device may send in the clear.
    mac::MacDeviceDescriptor d;
    d.pan_id = kPan;
    d.short_address = 0x10;
    d.extended_address = ext_of(0);
    d.exempt = true;
    ASSERT_TRUE(n[1].mac.security().add_device(d));
    ASSERT_TRUE(send(0, 0));
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].payloads.size(), 1u);
    // The sender refuses a key it does not have.
    EXPECT_EQ(send(5, 7).error(), Error::kNotFound);
    EXPECT_EQ(n[0].mac.counters().tx_unavailable_key, 1u);
}

TEST(MacSecurityScenario, LearnedDevicesOnlyOnceTheyAuthenticate) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    mac::MacConfig cfg;
    cfg.min_security_level = 5;
    cfg.learn_devices = true;
    Net n(3, cfg);
    n.medium.add_node({2, 0, 0});
    Attacker eve(n.medium, 3);
    const MacKeyDescriptor k = make_key(1, 1, 4);
    ASSERT_TRUE(n[0].mac.security().add_key(k));
    ASSERT_TRUE(n[1].mac.security().add_key(k));
    ASSERT_TRUE(n[2].mac.security().add_key(make_key(1, 1, 5)));  // same index, other key
    auto send = [&](int from, bool ext_src) {
        MacFrame f = n[from].frame(MacAddress::from_short(0x11), 12);
        f.ack_request = false;
        if (ext_src)
            f.src = MacAddress::from_extended(ext_of(sim::RadioNodeId(from)));
        secure(f, 5, k);
        ASSERT_TRUE(n[from].mac.data_request(f, 1));
        n.sched.run_until_idle();
    };
    mac::MacSecurityTable &t = n[1].mac.security();
    const auto &drops = n[1].mac.counters().drops;
    // A wrong key teaches nothing.
    send(2, true);
    EXPECT_EQ(drops[MacRxDrop::kMicFailure], 1u);
    EXPECT_EQ(t.device_count(), 0u);
    // The first frame that authenticates adds its sender, with its counter.
    send(0, true);
    ASSERT_EQ(n[1].payloads.size(), 1u);
    EXPECT_EQ(n[1].mac.counters().devices_learned, 1u);
    const int dev = t.find_device(ext_of(0));
    ASSERT_GE(dev, 0);
    wire::AuxSecurityHeader h;
    h.key_id_mode = 1;
    h.key_index = 1;
    EXPECT_EQ(t.next_counter(dev, t.find_key(h, 0)), 1u);
    // From then on it is replay-protected like a configured device.
    eve.replay(n.air.frames.back());
    n.sched.run_until_idle();
    EXPECT_EQ(drops[MacRxDrop::kReplay], 1u);
    send(0, true);
    EXPECT_EQ(n[1].payloads.size(), 2u);
    EXPECT_EQ(n[1].mac.counters().devices_learned, 1u);
    // A short source cannot be learned (no extended address for the nonce).
    send(2, false);
    EXPECT_EQ(drops[MacRxDrop::kUnknownDevice], 1u);
    // A full table refuses new devices even with the right key.
    for (std::uint64_t i = 1; t.device_count() < mac::MacSecurityTable::kMaxDevices; ++i) {
        mac::MacDeviceDescriptor d;
        d.pan_id = kPan;
        d.extended_address = 0x7700000000000000ull + i;
        ASSERT_TRUE(t.add_device(d));
    }
    ASSERT_TRUE(n[2].mac.security().add_key(k));
    send(2, true);
    EXPECT_EQ(drops[MacRxDrop::kUnknownDevice], 2u);
    EXPECT_EQ(n[1].payloads.size(), 2u);
    EXPECT_LT(t.find_device(ext_of(2)), 0);
    // Learning off: an unknown sender is refused as before.
    n[1].mac.set_learn_devices(false);
    ASSERT_TRUE(t.remove_device(0x7700000000000001ull));
    send(2, true);
    EXPECT_EQ(drops[MacRxDrop::kUnknownDevice], 3u);
}

TEST(MacSecurityScenario, KeySwitchCountersPerKey) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(3);
    n.medium.add_node({2, 0, 0});
    Attacker eve(n.medium, 3);
    const MacKeyDescriptor k1 = make_key(1, 1, 1), k2 = make_key(1, 2, 2);
    pair(n, 0, 1, k1);
    ASSERT_TRUE(n[0].mac.security().add_key(k2));
    ASSERT_TRUE(n[1].mac.security().add_key(k2));
    std::vector<std::uint8_t> old_frame;
    auto send = [&](const MacKeyDescriptor &k) {
        MacFrame f = n[0].frame(MacAddress::from_short(0x11), 12);
        f.ack_request = false;
        secure(f, 5, k);
        ASSERT_TRUE(n[0].mac.data_request(f, 1));
        n.sched.run_until_idle();
    };
    for (int i = 0; i < 3; ++i)
        send(k1);
    old_frame = n.air.frames.back();
    // Switch: the new key's counter starts at 0 and its frames are accepted although their
    // counters are below the old key's.
    send(k2);
    send(k2);
    ASSERT_EQ(n[1].payloads.size(), 5u);
    Result<MacFrame> last =
        MacFrame::parse(ByteSpan(n.air.frames.back().data(), n.air.frames.back().size()));
    ASSERT_TRUE(last);
    EXPECT_EQ(last->security.key_index, 2);
    EXPECT_EQ(last->security.frame_counter, 1u);
    mac::MacSecurityTable &t = n[1].mac.security();
    const int dev = t.find_device(ext_of(0));
    wire::AuxSecurityHeader h;
    h.key_id_mode = 1;
    h.key_index = 1;
    EXPECT_EQ(t.next_counter(dev, t.find_key(h, 0)), 3u);
    h.key_index = 2;
    EXPECT_EQ(t.next_counter(dev, t.find_key(h, 0)), 2u);
    // The old key's frames stay replay-protected; after the old key is removed they are
    // unknown.
    eve.replay(old_frame);
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kReplay], 1u);
    ASSERT_TRUE(t.remove_key(1, k1.key_source, 1));
    eve.replay(old_frame);
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kUnknownKey], 1u);
    EXPECT_EQ(n[1].payloads.size(), 5u);
}

TEST(MacSecurityScenario, FrameCounterExhaustion) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(2);
    MacKeyDescriptor k = make_key(1, 1, 1);
    k.frame_counter = 0xfffffffeu;
    pair(n, 0, 1, k);
    MacFrame f = n[0].frame(MacAddress::from_short(0x11), 12);
    secure(f, 6, k);
    ASSERT_TRUE(n[0].mac.data_request(f, 1));  // the last usable counter
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].payloads.size(), 1u);
    EXPECT_EQ(n[0].mac.data_request(f, 2).error(), Error::kNoSpace);
    EXPECT_EQ(n[0].mac.counters().tx_counter_exhausted, 1u);
    // A frame that carries 0xffffffff is refused by the receiver (forged: the sender never
    // emits one), before its MIC is even checked.
    n.medium.add_node({2, 0, 0});
    Attacker eve(n.medium, 2);
    std::vector<std::uint8_t> forged = n.air.frames[n.air.frames.size() - 2];
    Result<MacFrame> p = MacFrame::parse(ByteSpan(forged.data(), forged.size()));
    ASSERT_TRUE(p);
    const std::size_t fc_at = static_cast<std::size_t>(p->payload.data - forged.data()) -
                              5;  // counter, then the key index
    for (int i = 0; i < 4; ++i)
        forged[fc_at + i] = 0xff;
    const std::uint16_t fcs = wire::mac_fcs(ByteSpan(forged.data(), forged.size() - 2));
    forged[forged.size() - 2] = static_cast<std::uint8_t>(fcs);
    forged[forged.size() - 1] = static_cast<std::uint8_t>(fcs >> 8);
    eve.replay(forged);
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kCounterError], 1u);
}

}  // namespace
}  // namespace meshwork
