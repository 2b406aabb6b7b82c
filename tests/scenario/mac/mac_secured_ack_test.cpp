// Secured enh-acks (IEEE 802.15.4-2015 7.3.3, 9.2): a secured version-2 frame is answered by an
// enh-ack secured with the frame's level and key identifier under the acker's own frame counter;
// the sender verifies it (nonce from the destination's extended address) and applies the replay
// rules, so a replayed, forged, unsecured or wrongly keyed ack is no ack and the frame is sent
// again. On SimRadio in virtual time.
#include <gtest/gtest.h>

#include <functional>

#include "MacTestNode.h"

namespace meshwork {
namespace {

using namespace mactest;
using mac::MacKeyDescriptor;
using mac::MacRxDrop;
using mac::MacTxStatus;
using wire::MacAddress;
using wire::MacFrame;

MacKeyDescriptor make_key(std::uint8_t mode, std::uint8_t index, std::uint8_t seed) {
    MacKeyDescriptor k;
    k.key_id_mode = mode;
    k.key_index = mode == 0 ? 0 : index;
    for (int i = 0; i < 16; ++i)
        k.key[i] = static_cast<std::uint8_t>(seed * 29 + i);
    for (int i = 0; i < 8; ++i)
        k.key_source[i] = static_cast<std::uint8_t>(0xb0 + i);
    return k;
}

void add_peer(Node &self, const Node &peer) {
    mac::MacDeviceDescriptor d;
    d.pan_id = kPan;
    d.short_address = peer.short_address();
    d.extended_address = ext_of(peer.radio.node());
    ASSERT_TRUE(self.mac.security().add_device(d));
}

void pair(Net &n, const MacKeyDescriptor &key) {
    for (int x = 0; x < 2; ++x) {
        ASSERT_TRUE(n[x].mac.security().add_key(key));
        add_peer(n[x], n[1 - x]);
    }
}

MacFrame secured_v2(Node &from, const MacAddress &dst, std::uint8_t level,
                    const MacKeyDescriptor &k) {
    MacFrame f = from.frame(dst, 12);
    f.version = wire::MacFrameVersion::k2015;
    f.security_enabled = true;
    f.security.security_level = level;
    f.security.key_id_mode = k.key_id_mode;
    f.security.key_index = k.key_index;
    std::memcpy(f.security.key_source, k.key_source, 8);
    return f;
}

MacFrame parse_air(const std::vector<std::uint8_t> &b) {
    Result<MacFrame> f = MacFrame::parse(ByteSpan(b.data(), b.size()));
    EXPECT_TRUE(f);
    return f ? *f : MacFrame{};
}

TEST(MacSecuredEnhAck, SecuredWithTheFramesKeyAndTheAckersCounter) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(2);
    for (std::uint8_t mode = 0; mode <= 3; ++mode)
        pair(n, make_key(mode, 2, mode));
    std::uint64_t exchanges = 0;
    for (std::uint8_t mode = 0; mode <= 3; ++mode) {
        const MacKeyDescriptor k = make_key(mode, 2, mode);
        std::uint32_t ack_counter = 0;  // node 1's counter under this key: acks only
        for (std::uint8_t level = 1; level <= 7; ++level) {
            for (bool ext : {false, true}) {
                const MacAddress dst = ext ? MacAddress::from_extended(ext_of(1))
                                           : MacAddress::from_short(n[1].short_address());
                MacFrame f = secured_v2(n[0], dst, level, k);
                if (ext)
                    f.src = MacAddress::from_extended(ext_of(0));
                ASSERT_TRUE(n[0].mac.data_request(f, 7));
                n.sched.run_until_idle();
                ++exchanges;
                ASSERT_EQ(n[0].confirms.size(), exchanges);
                const mac::MacTxConfirm &c = n[0].confirms.back();
                EXPECT_EQ(c.status, MacTxStatus::kSuccess) << int(mode) << " " << int(level);
                EXPECT_EQ(c.retries, 0) << int(mode) << " " << int(level);
                // The last frame on the air is the ack, secured like the data frame.
                ASSERT_GE(n.air.frames.size(), 2u);
                const std::size_t ai = n.air.frames.size() - 1;
                ASSERT_EQ(n.air.senders[ai], 1u);
                const MacFrame ack = parse_air(n.air.frames[ai]);
                EXPECT_EQ(ack.type, wire::MacFrameType::kAck);
                EXPECT_EQ(ack.version, wire::MacFrameVersion::k2015);
                ASSERT_TRUE(ack.security_enabled);
                EXPECT_EQ(ack.security.security_level, level);
                EXPECT_EQ(ack.security.key_id_mode, mode);
                if (mode != 0) {
                    EXPECT_EQ(ack.security.key_index, 2);
                }
                EXPECT_EQ(ack.security.frame_counter, ack_counter++);
                EXPECT_EQ(ack.mic.size, wire::AuxSecurityHeader::mic_size_for(level));
                EXPECT_EQ(ack.dst, f.src);
                // Independently: the MIC is over the ack under the key, with the acker's
                // extended address in the nonce.
                std::vector<std::uint8_t> mpdu(n.air.frames[ai].begin(),
                                               n.air.frames[ai].end() - 2);
                std::uint8_t nonce[13];
                mac::mac_ccm_nonce(ext_of(1), ack.security.frame_counter, level, nonce);
                EXPECT_TRUE(mac::mac_ccm_unsecure(k.key, nonce, level,
                                                  MutableByteSpan(mpdu.data(), mpdu.size()),
                                                  mpdu.size() - ack.mic.size));
                // Turnaround after the frame, and its start within macAckWaitDuration (864 us)
                // although it may end after it.
                const Duration gap = n.air.starts[ai] - n.air.ends[ai - 1];
                EXPECT_EQ(gap, Duration(12 * 16));  // aTurnaroundTime
                EXPECT_LE(n.air.sfds[ai] - n.air.ends[ai - 1], Duration(54 * 16));
                EXPECT_EQ(c.time, n.air.ends[ai]);
            }
        }
    }
    EXPECT_EQ(n[1].mac.counters().secured_acks_sent, exchanges);
    EXPECT_EQ(n[0].mac.counters().secured_acks_verified, exchanges);
    EXPECT_EQ(n[1].mac.counters().secured_rx, exchanges);
    EXPECT_EQ(n[0].mac.counters().secured_tx, exchanges);  // acks counted apart
    EXPECT_EQ(n[0].mac.counters().drops.total(), 0u);
    EXPECT_EQ(n[1].mac.counters().drops.total(), 0u);
    // Some of these acks end after 864 us: a level-7 ack to an extended address does.
    EXPECT_GT(n.air.ends.back() - n.air.ends[n.air.ends.size() - 2], Duration(54 * 16));

    // An unsecured version-2 frame still gets an unsecured enh-ack.
    MacFrame plain = n[0].frame(MacAddress::from_short(n[1].short_address()), 12);
    plain.version = wire::MacFrameVersion::k2015;
    ASSERT_TRUE(n[0].mac.data_request(plain, 8));
    n.sched.run_until_idle();
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kSuccess);
    EXPECT_FALSE(parse_air(n.air.frames.back()).security_enabled);
}

// A radio that answers each data frame from node 0 with bytes of its choosing, at the
// turnaround like a real ack (or later).
struct Responder : RadioListener {
    Responder(Net &n, sim::RadioNodeId id) : radio(n.medium, id), sched(n.sched) {
        radio.set_listener(this);
    }
    void on_radio_tx_done(const RadioTxResult &) override {}
    void on_radio_receive(const RadioRxFrame &rx) override {
        if (!answer || rx.psdu.size < 3 || (rx.psdu[0] & 7) != 1)
            return;
        const std::vector<std::uint8_t> bytes = answer(rx.psdu[2]);
        if (bytes.empty())
            return;
        auto send = [this, bytes] {
            RadioTxRequest r;
            r.psdu = ByteSpan(bytes.data(), bytes.size());
            r.cca = false;
            ASSERT_TRUE(radio.transmit(r));
            ++sent;
        };
        if (delay.count() > 0)
            sched.after(delay, send);
        else
            send();
    }
    sim::SimRadio radio;
    sim::Scheduler &sched;
    std::function<std::vector<std::uint8_t>(std::uint8_t seq)> answer;
    Duration delay{0};
    int sent = 0;
};

void fix_fcs(std::vector<std::uint8_t> &b) {
    const std::uint16_t fcs = wire::mac_fcs(ByteSpan(b.data(), b.size() - 2));
    b[b.size() - 2] = static_cast<std::uint8_t>(fcs);
    b[b.size() - 1] = static_cast<std::uint8_t>(fcs >> 8);
}

TEST(MacSecuredEnhAck, ReplayedForgedUnsecuredAndLateAcksAreNoAcks) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(2);
    const MacKeyDescriptor k = make_key(1, 1, 7);
    pair(n, k);
    const MacAddress dst = MacAddress::from_short(n[1].short_address());
    // One real exchange: record the secured ack.
    ASSERT_TRUE(n[0].mac.data_request(secured_v2(n[0], dst, 5, k), 1));
    n.sched.run_until_idle();
    ASSERT_EQ(n[0].confirms.back().status, MacTxStatus::kSuccess);
    const std::vector<std::uint8_t> recorded = n.air.frames.back();
    const std::uint8_t seq = recorded[2];
    ASSERT_TRUE(parse_air(recorded).security_enabled);

    // The real peer goes deaf; a responder answers in its place.
    ASSERT_TRUE(n[1].radio.sleep());
    n.medium.add_node({2, 0, 0});
    Responder eve(n, 2);
    const mac::MacCounters before = n[0].mac.counters();
    auto attempt = [&](std::function<std::vector<std::uint8_t>(std::uint8_t)> answer) {
        eve.answer = std::move(answer);
        eve.sent = 0;
        ASSERT_TRUE(n[0].mac.mlme_set(mac::MacPib::kDsn, seq));  // the recorded ack's number
        ASSERT_TRUE(n[0].mac.data_request(secured_v2(n[0], dst, 5, k), 2));
        n.sched.run_until_idle();
    };
    auto drops = [&](MacRxDrop r) { return n[0].mac.counters().drops[r] - before.drops[r]; };

    // 1. The recorded ack replayed: its counter is old.
    attempt([&](std::uint8_t) { return recorded; });
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(n[0].confirms.back().retries, 3);
    EXPECT_EQ(eve.sent, 4);
    EXPECT_EQ(drops(MacRxDrop::kReplay), 4u);

    // 2. Forged: a fresh counter, the old MIC.
    attempt([&](std::uint8_t) {
        std::vector<std::uint8_t> b = recorded;
        b[8] = 0x40;  // aux header: FCF 2, seq 1, dst PAN 2, dst 2, control 1, counter 4
        fix_fcs(b);
        return b;
    });
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(drops(MacRxDrop::kMicFailure), 4u);

    // 3. Unsecured: an imm-ack and an unsecured enh-ack with the right sequence number.
    attempt([&](std::uint8_t s) {
        std::vector<std::uint8_t> b(5);
        (void)MacFrame::imm_ack(s, false).emit(MutableByteSpan(b.data(), b.size()));
        return b;
    });
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(drops(MacRxDrop::kUnsecured), 4u);
    attempt([&](std::uint8_t s) {
        MacFrame a;
        a.type = wire::MacFrameType::kAck;
        a.version = wire::MacFrameVersion::k2015;
        a.seq = s;
        a.dst = MacAddress::from_short(n[0].short_address());
        a.has_dst_pan = true;
        a.dst_pan = kPan;
        std::vector<std::uint8_t> b(a.emitted_size());
        EXPECT_TRUE(a.emit(MutableByteSpan(b.data(), b.size())));
        return b;
    });
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(drops(MacRxDrop::kUnsecured), 8u);

    // 4. A valid ack (node 1's key and a counter it never used) that starts too late: after
    //    the 864 us ack wait. The same ack at the turnaround is taken.
    std::uint32_t fresh = 1000;
    auto valid_ack = [&](std::uint8_t s) {
        MacFrame a;
        a.type = wire::MacFrameType::kAck;
        a.version = wire::MacFrameVersion::k2015;
        a.seq = s;
        a.dst = MacAddress::from_short(n[0].short_address());
        a.has_dst_pan = true;
        a.dst_pan = kPan;
        a.security_enabled = true;
        a.security.security_level = 5;
        a.security.key_id_mode = 1;
        a.security.key_index = 1;
        a.security.frame_counter = fresh++;
        std::uint8_t zero[4] = {};
        a.mic = ByteSpan(zero, 4);
        std::vector<std::uint8_t> b(a.emitted_size());
        EXPECT_TRUE(a.emit(MutableByteSpan(b.data(), b.size())));
        std::uint8_t nonce[13];
        mac::mac_ccm_nonce(ext_of(1), a.security.frame_counter, 5, nonce);
        EXPECT_TRUE(mac::mac_ccm_secure(k.key, nonce, 5, MutableByteSpan(b.data(), b.size() - 2),
                                        b.size() - 2 - 4));
        fix_fcs(b);
        return b;
    };
    // 600 us + turnaround + SHR: the SFD ends 952 us after the frame, the ack 1592 us after
    // it, before the wait for a secured ack (864 us + its 800 us) is over.
    eve.delay = Duration(600);
    attempt(valid_ack);
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(drops(MacRxDrop::kUnexpectedAck), 4u);
    eve.delay = Duration(0);
    attempt(valid_ack);
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kSuccess);
    EXPECT_EQ(n[0].confirms.back().retries, 0);
    // And that counter is now spent: the same ack again is a replay.
    fresh -= 1;
    attempt(valid_ack);
    EXPECT_EQ(n[0].confirms.back().retries, 1);  // the second one (counter + 1) is fresh
    EXPECT_EQ(drops(MacRxDrop::kReplay), 5u);
}

TEST(MacSecuredEnhAck, WrongKeyOrNoKeyAtTheAckerMeansRetries) {
    if (!mac::mac_security_available())
        GTEST_SKIP() << "MAC built without mbed TLS: no AES-CCM*";
    Net n(2);
    const MacKeyDescriptor k = make_key(1, 1, 3);
    MacKeyDescriptor other = k;
    other.key[0] ^= 0xff;  // same identifier, different key
    ASSERT_TRUE(n[0].mac.security().add_key(k));
    ASSERT_TRUE(n[1].mac.security().add_key(other));
    add_peer(n[0], n[1]);
    add_peer(n[1], n[0]);
    const MacAddress dst = MacAddress::from_short(n[1].short_address());
    ASSERT_TRUE(n[0].mac.data_request(secured_v2(n[0], dst, 6, k), 1));
    n.sched.run_until_idle();
    // Node 1 acks each attempt under its key; node 0 finds the MIC wrong and sends again.
    ASSERT_EQ(n[0].confirms.size(), 1u);
    EXPECT_EQ(n[0].confirms[0].status, MacTxStatus::kNoAck);
    EXPECT_EQ(n[0].confirms[0].retries, 3);
    EXPECT_EQ(n[1].mac.counters().secured_acks_sent, 4u);
    EXPECT_EQ(n[0].mac.counters().drops[MacRxDrop::kMicFailure], 4u);
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kMicFailure], 4u);
    EXPECT_EQ(n[0].mac.counters().secured_acks_verified, 0u);

    // No key for the identifier at the acker: no ack at all.
    MacKeyDescriptor k2 = make_key(1, 5, 4);
    ASSERT_TRUE(n[0].mac.security().add_key(k2));
    const std::size_t frames = n.air.frames.size();
    ASSERT_TRUE(n[0].mac.data_request(secured_v2(n[0], dst, 5, k2), 2));
    n.sched.run_until_idle();
    EXPECT_EQ(n[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(n.air.frames.size(), frames + 4);  // four attempts, no acks
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kAckNotSent], 4u);
    EXPECT_EQ(n[1].mac.counters().drops[MacRxDrop::kUnknownKey], 4u);
    EXPECT_EQ(n[1].mac.counters().tx_unavailable_key, 0u);  // an ack is not a request

    // A destination the sender cannot name (short address without a device entry): the ack
    // cannot be verified, the frame is not acknowledged.
    Net m(2);
    ASSERT_TRUE(m[0].mac.security().add_key(k));
    ASSERT_TRUE(m[1].mac.security().add_key(k));
    add_peer(m[1], m[0]);
    ASSERT_TRUE(m[0].mac.data_request(
        secured_v2(m[0], MacAddress::from_short(m[1].short_address()), 5, k), 1));
    m.sched.run_until_idle();
    EXPECT_EQ(m[0].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(m[0].mac.counters().drops[MacRxDrop::kUnknownDevice], 4u);
    EXPECT_EQ(m[1].payloads.size(), 1u);  // delivered once, the retransmissions replays
}

}  // namespace
}  // namespace meshwork
