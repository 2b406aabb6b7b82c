// The MAC data service over SimRadio: CSMA-CA, acks, retries and their exhaustion, channel
// access failure on a busy channel, filtering, with timings checked against the constants.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/Random.h"
#include "mesh/mac/Mac.h"
#include "sim/RadioMedium.h"
#include "sim/SimRadio.h"
#include "testbed/RadioMacTimer.h"

namespace meshwork {
namespace {

using mac::Mac;
using mac::MacTxConfirm;
using mac::MacTxStatus;
using wire::MacAddress;
using wire::MacFrame;

constexpr std::uint16_t kPan = 0x1234;

struct Node : mac::MacListener {
    Node(sim::Scheduler &s, sim::RadioMedium &m, sim::RadioNodeId id)
        : radio(m, id), rng(77, id), timer(s), mac(radio, s.clock(), rng, timer), sched(s) {
        timer.bind(&mac);
        mac.set_listener(this);
        mac.set_pan_id(kPan);
        mac.set_short_address(static_cast<std::uint16_t>(0x10 + id));
    }
    void mcps_data_confirm(const MacTxConfirm &c) override { confirms.push_back(c); }
    void mcps_data_indication(const MacFrame &f, const RadioRxFrame &) override {
        payloads.emplace_back(f.payload.begin(), f.payload.end());
    }
    Status send(std::uint16_t dst, std::size_t len, bool ack = true, std::uint16_t pan = kPan) {
        MacFrame f;
        f.type = wire::MacFrameType::kData;
        f.ack_request = ack;
        f.has_dst_pan = true;
        f.dst_pan = pan;
        f.dst = MacAddress::from_short(dst);
        f.src = MacAddress::from_short(static_cast<std::uint16_t>(0x10 + radio.node()));
        payload.assign(len, 0x5a);
        f.payload = ByteSpan(payload.data(), payload.size());
        requested_at = sched.now();
        return mac.data_request(f, 9);
    }

    sim::SimRadio radio;
    SeededRandom rng;
    testbed::RadioMacTimer timer;
    Mac mac;
    sim::Scheduler &sched;
    std::vector<MacTxConfirm> confirms;
    std::vector<std::vector<std::uint8_t>> payloads;
    std::vector<std::uint8_t> payload;
    Instant requested_at{};
};

struct Net {
    sim::Scheduler sched;
    sim::RadioMedium medium;
    std::vector<std::unique_ptr<Node>> nodes;
    explicit Net(int n, double range = 10)
        : medium(sched, std::make_unique<sim::UnitDiskPropagation>(range)) {
        for (int i = 0; i < n; ++i) {
            medium.add_node({8.0 * i, 0, 0});
            nodes.push_back(std::make_unique<Node>(sched, medium, sim::RadioNodeId(i)));
        }
    }
    Node &operator[](int i) { return *nodes[i]; }
};

// MHR short/short with PAN compression (9) + payload + FCS (2).
std::size_t psdu_len(std::size_t payload) {
    return 9 + payload + 2;
}

TEST(MacCsma, AckedUnicastTimingWithinTheBackoffBounds) {
    Net n(2);
    for (int k = 0; k < 20; ++k) {
        ASSERT_TRUE(n[0].send(0x11, 100));
        EXPECT_EQ(n[0].send(0x11, 100).error(), Error::kBadState);
        n.sched.run_until_idle();
        ASSERT_EQ(n[0].confirms.size(), std::size_t(k + 1));
        const MacTxConfirm &c = n[0].confirms.back();
        EXPECT_EQ(c.status, MacTxStatus::kSuccess);
        EXPECT_EQ(c.handle, 9);
        EXPECT_EQ(c.retries, 0);
        // Backoff + CCA 128 + turnaround 192 + frame + turnaround 192 + ack 352 (+ the LIFS of
        // the previous exchange, 640 us, before the backoff when requests follow at once).
        const std::int64_t fixed = 128 + 192 + (6 + std::int64_t(psdu_len(100))) * 32 + 192 + 352;
        const std::int64_t took = (c.time - n[0].requested_at).count() - (k == 0 ? 0 : 640);
        const std::int64_t backoff = took - fixed;
        EXPECT_GE(backoff, 0) << k;
        EXPECT_LE(backoff, 7 * 320) << k;
        EXPECT_EQ(backoff % 320, 0) << k;
    }
    EXPECT_EQ(n[1].payloads.size(), 20u);
    EXPECT_EQ(n[1].payloads[0], n[0].payload);
    EXPECT_EQ(n[1].mac.counters().acks_sent, 20u);
    EXPECT_EQ(n[0].mac.counters().success, 20u);
    EXPECT_EQ(n.medium.stats().frames, 40u);
}

TEST(MacCsma, RetriesExhaustedWithoutAReceiver) {
    Net n(2);
    ASSERT_TRUE(n[1].radio.sleep());
    ASSERT_TRUE(n[0].send(0x11, 30));
    n.sched.run_until_idle();
    ASSERT_EQ(n[0].confirms.size(), 1u);
    EXPECT_EQ(n[0].confirms[0].status, MacTxStatus::kNoAck);
    EXPECT_EQ(n[0].confirms[0].retries, 3);
    EXPECT_EQ(n.medium.stats().frames, 4u);  // 1 + macMaxFrameRetries
    EXPECT_EQ(n[0].mac.counters().no_ack, 1u);
    EXPECT_EQ(n[0].mac.counters().retries, 3u);
    // Each attempt: backoff + CCA + turnaround + frame + macAckWaitDuration (864 us).
    const std::int64_t attempt = 128 + 192 + (6 + std::int64_t(psdu_len(30))) * 32 + 864;
    const std::int64_t backoffs = (n[0].confirms[0].time - n[0].requested_at).count() - 4 * attempt;
    EXPECT_GE(backoffs, 0);
    EXPECT_LE(backoffs, 4 * 7 * 320);
    EXPECT_EQ(backoffs % 320, 0);
}

TEST(MacCsma, LostAckIsRetriedOnce) {
    Net n(2);
    ASSERT_TRUE(n[0].send(0x11, 30));
    struct Watch : sim::RadioMediumTap {
        sim::RadioMedium *m = nullptr;
        int frames = 0;
        void on_air_start(const sim::AirFrame &f) override {
            if (++frames == 2)  // the first ack: jam it at the sender
                m->start_interference(f.channel, Duration(400), -50, {0});
        }
    } watch;
    watch.m = &n.medium;
    n.medium.add_tap(&watch);
    n.sched.run_until_idle();
    n.medium.remove_tap(&watch);
    ASSERT_EQ(n[0].confirms.size(), 1u);
    EXPECT_EQ(n[0].confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(n[0].confirms[0].retries, 1);
    EXPECT_EQ(n.medium.stats().frames, 4u);  // data, ack (lost), data, ack
    EXPECT_EQ(n[1].payloads.size(), 1u);     // the retransmission is a duplicate: acked, dropped
    EXPECT_EQ(n[1].mac.counters().drops[mac::MacRxDrop::kDuplicate], 1u);
    EXPECT_EQ(n[1].mac.counters().acks_sent, 2u);
}

TEST(MacCsma, ChannelAccessFailureOnABusyChannel) {
    Net n(2);
    n.medium.start_interference({0, 11}, Duration(1'000'000), -60, {0});
    ASSERT_TRUE(n[0].send(0x11, 30));
    n.sched.run_until(Instant(Duration(500'000)));
    ASSERT_EQ(n[0].confirms.size(), 1u);
    EXPECT_EQ(n[0].confirms[0].status, MacTxStatus::kChannelAccessFailure);
    EXPECT_EQ(n[0].confirms[0].busy_ccas, 5);  // macMaxCSMABackoffs + 1
    EXPECT_EQ(n[0].mac.counters().channel_access_failures, 1u);
    EXPECT_EQ(n.medium.stats().frames, 0u);
    EXPECT_EQ(n.medium.stats().cca_busy, 5u);
    // BE 3, 4, 5, 5, 5: at most 7 + 15 + 31 + 31 + 31 periods, plus five CCAs.
    const std::int64_t took = (n[0].confirms[0].time - n[0].requested_at).count();
    EXPECT_GE(took, 5 * 128);
    EXPECT_LE(took, (7 + 15 + 31 + 31 + 31) * 320 + 5 * 128);
}

TEST(MacCsma, BroadcastWithoutAckAndFiltering) {
    Net n(3);  // 0 - 1 - 2 at 8 m: 1 hears both, 0 and 2 do not hear each other
    ASSERT_TRUE(n[1].send(0xffff, 20, true));  // AR on a broadcast is ignored
    n.sched.run_until_idle();
    ASSERT_EQ(n[1].confirms.size(), 1u);
    EXPECT_EQ(n[1].confirms[0].status, MacTxStatus::kSuccess);
    EXPECT_EQ(n[0].payloads.size(), 1u);
    EXPECT_EQ(n[2].payloads.size(), 1u);
    EXPECT_EQ(n.medium.stats().frames, 1u);  // no ack
    // Another node's address, another PAN: filtered, not acked.
    ASSERT_TRUE(n[1].send(0x12, 20, false));
    n.sched.run_until_idle();
    ASSERT_TRUE(n[1].send(0x10, 20, true, 0x9999));
    n.sched.run_until_idle();
    EXPECT_EQ(n[1].confirms.back().status, MacTxStatus::kNoAck);
    EXPECT_EQ(n[0].payloads.size(), 1u);
    EXPECT_EQ(n[2].payloads.size(), 2u);
    EXPECT_EQ(n[0].mac.counters().drops[mac::MacRxDrop::kFiltered], 5u);  // 1 + 4 attempts
}

TEST(MacCsma, HiddenTerminalsRecoverThroughRetries) {
    Net n(3);
    int delivered = 0;
    for (int k = 0; k < 30; ++k) {
        ASSERT_TRUE(n[0].send(0x11, 10));
        ASSERT_TRUE(n[2].send(0x11, 10));
        n.sched.run_until_idle();
    }
    for (int i : {0, 2})
        for (const auto &c : n[i].confirms)
            delivered += c.status == MacTxStatus::kSuccess;
    EXPECT_GT(n[0].mac.counters().retries + n[2].mac.counters().retries, 0u);
    EXPECT_GT(n.medium.stats().drops[sim::RadioRxDrop::kCollision] +
                  n.medium.stats().drops[sim::RadioRxDrop::kBusy],
              0u);
    EXPECT_GE(delivered, 45);  // short frames: random backoffs separate most attempts
}

// A - B - C - D, 8 m apart, 10 m range: B sends to A and C to D. B and C hear each other, so
// CSMA makes one defer to the other although their receivers would not have seen a collision.
TEST(MacCsma, ExposedTerminalsDefer) {
    Net n(4);
    for (int k = 0; k < 20; ++k) {
        ASSERT_TRUE(n[1].send(0x10, 60));
        ASSERT_TRUE(n[2].send(0x13, 60));
        n.sched.run_until_idle();
    }
    for (int i : {1, 2})
        for (const auto &c : n[i].confirms)
            EXPECT_EQ(c.status, MacTxStatus::kSuccess);
    EXPECT_GT(n[1].mac.counters().busy_ccas + n[2].mac.counters().busy_ccas, 5u);
    EXPECT_EQ(n[0].payloads.size(), 20u);
    EXPECT_EQ(n[3].payloads.size(), 20u);
}

}  // namespace
}  // namespace meshwork
