// The radio medium in virtual time: exact PHY timing, hidden terminals, capture by SINR, CCA,
// channel separation, half duplex and energy detection.
#include <gtest/gtest.h>

#include "RadioTestSupport.h"

namespace meshwork::sim::test {
namespace {

// A on the left, B in the middle, C on the right: A and C reach B but not each other.
std::unique_ptr<Propagation> disk(double range = 10) {
    return std::make_unique<UnitDiskPropagation>(range, 60.0);
}

TEST(RadioTiming, AirtimeTurnaroundAndAckExactFromTheConstants) {
    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    const auto data = psdu(20);
    b.sched.run_until(us(1000));
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    EXPECT_EQ(b.radio(a).state(), RadioState::kTransmit);
    b.sched.run_until_idle();
    // aTurnaroundTime 12 symbols = 192 us, then SHR (5 octets = 160 us) and PHR + PSDU.
    const std::int64_t start = 1000 + 192;
    ASSERT_EQ(b.r(c).rx.size(), 1u);
    EXPECT_EQ(b.r(c).rx[0].sfd_time, us(start + 5 * 32));
    EXPECT_EQ(b.r(c).rx[0].end_time, us(start + (6 + 20) * 32));
    EXPECT_EQ(b.r(c).rx[0].at, us(start + 26 * 32));
    EXPECT_EQ(b.r(c).rx[0].psdu, data);
    EXPECT_EQ(b.r(c).rx[0].rssi, -60);
    ASSERT_EQ(b.r(a).tx.size(), 1u);
    EXPECT_EQ(b.r(a).tx[0].status, RadioTxStatus::kOk);
    EXPECT_EQ(b.r(a).tx_at[0], us(start + 832));
    EXPECT_EQ(b.r(a).tx[0].sfd_time, us(start + 160));

    // The sender listens again after the TX->RX turnaround.
    EXPECT_EQ(b.radio(a).state(), RadioState::kReceive);
}

TEST(RadioTiming, AckRightAfterDataIsHeardAndCcaAddsEightSymbols) {
    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    struct AutoAck : Recorder {
        using Recorder::Recorder;
        SimRadio *radio = nullptr;
        std::vector<std::uint8_t> ack = psdu(5, 0x02);
        void on_radio_receive(const RadioRxFrame &f) override {
            Recorder::on_radio_receive(f);
            ASSERT_TRUE(radio->transmit(request(ack)));
        }
    } acker(b.sched);
    acker.radio = &b.radio(c);
    b.radio(c).set_listener(&acker);
    const auto data = psdu(127);
    ASSERT_TRUE(b.radio(a).transmit(request(data, true)));
    b.sched.run_until_idle();
    // CCA 128 us + turnaround 192 us, then 4256 us of PPDU (deps-and-limits section 6).
    const std::int64_t end = 128 + 192 + 4256;
    ASSERT_EQ(acker.rx.size(), 1u);
    EXPECT_EQ(acker.rx[0].end_time, us(end));
    ASSERT_EQ(b.r(a).rx.size(), 1u);
    EXPECT_EQ(b.r(a).rx[0].end_time, us(end + 192 + 352));
    EXPECT_EQ(b.r(a).rx[0].psdu, acker.ack);
}

TEST(RadioTiming, SubGhzPageTwoRates) {
    PhyTiming t;
    ASSERT_TRUE(phy_timing({2, 0}, &t));  // 868 MHz O-QPSK: 100 kbit/s, 40 us symbols
    EXPECT_EQ(t.bit_rate, 100000u);
    EXPECT_EQ(t.octet(), Duration(80));
    EXPECT_EQ(t.ppdu(20), Duration(26 * 80));
    EXPECT_EQ(t.turnaround(), Duration(480));
    EXPECT_EQ(t.cca(), Duration(320));
    EXPECT_EQ(t.unit_backoff(), Duration(800));
    ASSERT_TRUE(phy_timing({2, 5}, &t));  // 915 MHz O-QPSK: 250 kbit/s
    EXPECT_EQ(t.octet(), Duration(32));
    ASSERT_TRUE(phy_timing({0, 26}, &t));
    EXPECT_EQ(t.unit_backoff(), Duration(320));
    EXPECT_FALSE(phy_timing({0, 10}, &t));  // BPSK is not simulated
    EXPECT_FALSE(phy_timing({0, 27}, &t));
    EXPECT_FALSE(phy_timing({2, 11}, &t));
    EXPECT_FALSE(phy_timing({1, 11}, &t));

    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    EXPECT_EQ(b.radio(a).set_channel({0, 27}).error(), Error::kUnsupported);
    ASSERT_TRUE(b.radio(a).set_channel({2, 0}));
    ASSERT_TRUE(b.radio(c).set_channel({2, 0}));
    const auto data = psdu(20);
    ASSERT_TRUE(b.radio(a).transmit(request(data, true)));
    b.sched.run_until_idle();
    ASSERT_EQ(b.r(c).rx.size(), 1u);
    EXPECT_EQ(b.r(c).rx[0].end_time, us(320 + 480 + 26 * 80));
    EXPECT_EQ(b.r(c).rx[0].channel, (RadioChannel{2, 0}));
}

TEST(RadioTiming, RejectsBadRequests) {
    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    std::vector<std::uint8_t> big(128), one(1);
    EXPECT_EQ(b.radio(a).transmit(request(big)).error(), Error::kInvalidArgument);
    EXPECT_EQ(b.radio(a).transmit(RadioTxRequest{}).error(), Error::kInvalidArgument);
    ASSERT_TRUE(b.radio(a).transmit(request(one)));
    EXPECT_EQ(b.radio(a).transmit(request(one)).error(), Error::kBadState);
    EXPECT_EQ(b.radio(a).start_cca(CcaMode::kEnergy).error(), Error::kBadState);
    EXPECT_EQ(b.radio(a).set_channel({0, 12}).error(), Error::kBadState);
    EXPECT_EQ(b.radio(a).sleep().error(), Error::kBadState);
    b.sched.run_until_idle();
    ASSERT_TRUE(b.radio(a).sleep());
    EXPECT_EQ(b.radio(a).state(), RadioState::kSleep);
    EXPECT_EQ(b.radio(a).transmit(request(one)).error(), Error::kBadState);
    ASSERT_TRUE(b.radio(a).receive());
    EXPECT_EQ(b.radio(a).state(), RadioState::kReceive);
}

TEST(RadioMedium, HiddenTerminalsCollideAtTheMiddle) {
    Bench b(disk(10));
    const auto a = b.add({0, 0, 0});
    const auto m = b.add({8, 0, 0});
    const auto c = b.add({16, 0, 0});
    EXPECT_EQ(b.medium.neighbours(a), (std::vector<RadioNodeId>{m}));
    EXPECT_EQ(b.medium.neighbours(m), (std::vector<RadioNodeId>{a, c}));
    const auto fa = psdu(40, 0xa0), fc = psdu(40, 0xc0);
    // Both sense the channel clear (they cannot hear each other) and send.
    ASSERT_TRUE(b.radio(a).transmit(request(fa, true)));
    b.sched.run_until(us(500));
    ASSERT_TRUE(b.radio(c).transmit(request(fc, true)));
    b.sched.run_until_idle();
    ASSERT_EQ(b.r(a).tx.size(), 1u);
    ASSERT_EQ(b.r(c).tx.size(), 1u);
    EXPECT_EQ(b.r(a).tx[0].status, RadioTxStatus::kOk);
    EXPECT_EQ(b.r(c).tx[0].status, RadioTxStatus::kOk);
    EXPECT_TRUE(b.r(m).rx.empty());
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kCollision] +
                  b.medium.stats().drops[RadioRxDrop::kBusy],
              2u);
    // Apart in time, both get through.
    ASSERT_TRUE(b.radio(a).transmit(request(fa, true)));
    b.sched.run_until_idle();
    ASSERT_TRUE(b.radio(c).transmit(request(fc, true)));
    b.sched.run_until_idle();
    ASSERT_EQ(b.r(m).rx.size(), 2u);
    EXPECT_EQ(b.r(m).rx[0].psdu, fa);
    EXPECT_EQ(b.r(m).rx[1].psdu, fc);
}

// B hears A at -50 dBm and C at -80 dBm; A and C do not hear each other.
std::unique_ptr<Propagation> strong_weak(double weak_loss = 80) {
    auto m = std::make_unique<LinkMatrixPropagation>();
    m->set_symmetric(0, 1, 50);
    m->set_symmetric(2, 1, weak_loss);
    return m;
}

struct ThreeNodes : Bench {
    explicit ThreeNodes(double weak_loss = 80) : Bench(strong_weak(weak_loss)) {
        add({});
        add({});
        add({});
    }
};

TEST(RadioMedium, CaptureStrongSurvivesWeakOverlap) {
    const auto strong = psdu(30, 0x10), weak = psdu(30, 0x20);
    {  // simultaneous
        ThreeNodes t;
        ASSERT_TRUE(t.radio(0).transmit(request(strong)));
        ASSERT_TRUE(t.radio(2).transmit(request(weak)));
        t.sched.run_until_idle();
        ASSERT_EQ(t.r(1).rx.size(), 1u);
        EXPECT_EQ(t.r(1).rx[0].psdu, strong);
        EXPECT_EQ(t.r(1).rx[0].rssi, -50);
    }
    {  // weak first: the strong one captures the receiver
        ThreeNodes t;
        ASSERT_TRUE(t.radio(2).transmit(request(weak)));
        t.sched.run_until(us(400));
        ASSERT_TRUE(t.radio(0).transmit(request(strong)));
        t.sched.run_until_idle();
        ASSERT_EQ(t.r(1).rx.size(), 1u);
        EXPECT_EQ(t.r(1).rx[0].psdu, strong);
        EXPECT_EQ(t.medium.stats().drops[RadioRxDrop::kCollision], 1u);
    }
    {  // strong first: the weak one neither captures nor corrupts it
        ThreeNodes t;
        ASSERT_TRUE(t.radio(0).transmit(request(strong)));
        t.sched.run_until(us(400));
        ASSERT_TRUE(t.radio(2).transmit(request(weak)));
        t.sched.run_until_idle();
        ASSERT_EQ(t.r(1).rx.size(), 1u);
        EXPECT_EQ(t.r(1).rx[0].psdu, strong);
        EXPECT_EQ(t.medium.stats().drops[RadioRxDrop::kBusy], 1u);
    }
    {  // 3 dB apart, below the 5 dB threshold: both lost
        ThreeNodes t(53);
        ASSERT_TRUE(t.radio(0).transmit(request(strong)));
        ASSERT_TRUE(t.radio(2).transmit(request(weak)));
        t.sched.run_until_idle();
        EXPECT_TRUE(t.r(1).rx.empty());
    }
    {  // the weak frame alone gets through, with a lower LQI
        ThreeNodes t;
        ASSERT_TRUE(t.radio(2).transmit(request(weak)));
        t.sched.run_until_idle();
        ASSERT_TRUE(t.radio(0).transmit(request(strong)));
        t.sched.run_until_idle();
        ASSERT_EQ(t.r(1).rx.size(), 2u);
        EXPECT_EQ(t.r(1).rx[0].rssi, -80);
        EXPECT_LT(t.r(1).rx[0].lqi, t.r(1).rx[1].lqi);
    }
}

TEST(RadioMedium, CcaBusyWhileANeighbourTransmits) {
    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    const auto data = psdu(100);
    ASSERT_TRUE(b.radio(a).transmit(request(data)));  // on air 192 .. 192 + 3392
    b.sched.run_until(us(1000));
    for (CcaMode mode : {CcaMode::kEnergy, CcaMode::kCarrierSense, CcaMode::kCarrierAndEnergy,
                         CcaMode::kCarrierOrEnergy}) {
        ASSERT_TRUE(b.radio(c).start_cca(mode));
        EXPECT_EQ(b.radio(c).state(), RadioState::kTransmit);
        b.sched.run_for(Duration(200));
    }
    EXPECT_EQ(b.r(c).cca, (std::vector<bool>{false, false, false, false}));
    EXPECT_EQ(b.r(c).cca_at[0], us(1128));
    // A transmit with CCA fails without sending anything.
    ASSERT_TRUE(b.radio(c).transmit(request(data, true)));
    b.sched.run_for(Duration(200));
    ASSERT_EQ(b.r(c).tx.size(), 1u);
    EXPECT_EQ(b.r(c).tx[0].status, RadioTxStatus::kChannelBusy);
    EXPECT_GT(b.radio(c).rssi(), -61);
    b.sched.run_until_idle();
    ASSERT_TRUE(b.radio(c).start_cca(CcaMode::kEnergy));
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(c).cca.back());
    EXPECT_EQ(b.radio(c).rssi(), -100);  // the noise floor
    EXPECT_EQ(b.medium.stats().frames, 1u);

    // A frame starting during the CCA window makes it busy too.
    ASSERT_TRUE(b.radio(c).start_cca(CcaMode::kEnergy));
    ASSERT_TRUE(b.radio(a).transmit(request(data)));  // starts 192 us later: after the window
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(c).cca.back());
    b.sched.after(Duration(100), [&] { ASSERT_TRUE(b.radio(c).start_cca(CcaMode::kEnergy)); });
    ASSERT_TRUE(b.radio(a).transmit(request(data)));  // starts at 192, inside [100, 228)
    b.sched.run_until_idle();
    EXPECT_FALSE(b.r(c).cca.back());
}

TEST(RadioMedium, CcaThresholdAndModes) {
    // A frame at -90 dBm: above sensitivity (-95), below the ED threshold (-75).
    auto m = std::make_unique<LinkMatrixPropagation>();
    m->set_symmetric(0, 1, 90);
    Bench b(std::move(m));
    b.add({});
    b.add({});
    const auto data = psdu(100);
    ASSERT_TRUE(b.radio(0).transmit(request(data)));
    b.sched.run_until(us(1000));
    ASSERT_TRUE(b.radio(1).start_cca(CcaMode::kEnergy));
    b.sched.run_for(Duration(200));
    ASSERT_TRUE(b.radio(1).start_cca(CcaMode::kCarrierSense));
    b.sched.run_for(Duration(200));
    ASSERT_TRUE(b.radio(1).start_cca(CcaMode::kCarrierAndEnergy));
    b.sched.run_for(Duration(200));
    b.radio(1).set_cca_energy_threshold(-92);
    ASSERT_TRUE(b.radio(1).start_cca(CcaMode::kEnergy));
    b.sched.run_for(Duration(200));
    EXPECT_EQ(b.r(1).cca, (std::vector<bool>{true, false, true, false}));
    b.sched.run_until_idle();
    ASSERT_EQ(b.r(1).rx.size(), 1u);

    // Noise is energy but no carrier.
    b.medium.start_interference({0, 11}, Duration(1000), -60);
    ASSERT_TRUE(b.radio(1).start_cca(CcaMode::kCarrierSense));
    b.sched.run_for(Duration(200));
    ASSERT_TRUE(b.radio(1).start_cca(CcaMode::kCarrierOrEnergy));
    b.sched.run_for(Duration(200));
    EXPECT_TRUE(b.r(1).cca[4]);
    EXPECT_FALSE(b.r(1).cca[5]);
}

TEST(RadioMedium, ChannelsAreSeparate) {
    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    const auto on12 = b.add({1, 0, 0});
    const auto on11 = b.add({2, 0, 0});
    ASSERT_TRUE(b.radio(on12).set_channel({0, 12}));
    const auto data = psdu(50);
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until(us(500));
    ASSERT_TRUE(b.radio(on12).start_cca(CcaMode::kCarrierOrEnergy));
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(on12).rx.empty());
    EXPECT_EQ(b.r(on12).cca, std::vector<bool>{true});
    ASSERT_EQ(b.r(on11).rx.size(), 1u);
    EXPECT_EQ(b.r(on11).rx[0].channel, (RadioChannel{0, 11}));
    // Two frames at once on different channels do not collide.
    ASSERT_TRUE(b.radio(a).set_channel({0, 12}));
    ASSERT_TRUE(b.radio(on11).transmit(request(data)));  // ch 11 -> nobody else on 11
    ASSERT_TRUE(b.radio(a).transmit(request(data)));     // ch 12 -> on12
    b.sched.run_until_idle();
    ASSERT_EQ(b.r(on12).rx.size(), 1u);
    // Tuning in mid-frame: energy, but too late to synchronise.
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until(us(b.sched.now().time_since_epoch().count() + 500));
    ASSERT_TRUE(b.radio(on11).set_channel({0, 12}));
    EXPECT_EQ(b.radio(on11).rssi(), -60);
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(on11).rx.size(), 1u);  // still only the first one
    EXPECT_EQ(b.r(on12).rx.size(), 2u);
}

TEST(RadioMedium, HalfDuplex) {
    Bench b(disk());
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    const auto fa = psdu(60, 1), fc = psdu(60, 2);
    // Both send at once: each is deaf to the other.
    ASSERT_TRUE(b.radio(a).transmit(request(fa)));
    ASSERT_TRUE(b.radio(c).transmit(request(fc)));
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(a).rx.empty());
    EXPECT_TRUE(b.r(c).rx.empty());
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kDeaf], 2u);
    // C starts to send while receiving A's frame: the reception is lost.
    ASSERT_TRUE(b.radio(a).transmit(request(fa)));
    b.sched.run_for(Duration(800));
    ASSERT_TRUE(b.radio(c).transmit(request(fc)));
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(c).rx.empty());
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kHalfDuplex], 1u);
    // A frame starting during the sender's TX->RX turnaround is missed.
    ASSERT_TRUE(b.radio(a).transmit(request(fa)));
    b.sched.run_for(Duration(192 + 66 * 32 - 192 + 100));  // C starts 100 us after A's end
    ASSERT_TRUE(b.radio(c).transmit(request(fc)));
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(a).rx.empty());
    // A sleeping radio hears nothing.
    ASSERT_TRUE(b.radio(a).sleep());
    ASSERT_TRUE(b.radio(c).transmit(request(fc)));
    b.sched.run_until_idle();
    EXPECT_TRUE(b.r(a).rx.empty());
    ASSERT_TRUE(b.radio(a).receive());
    ASSERT_TRUE(b.radio(c).transmit(request(fc)));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(a).rx.size(), 1u);
}

TEST(RadioMedium, EnergyDetectReportsTheStrongestEnergy) {
    auto m = std::make_unique<LinkMatrixPropagation>();
    m->set_symmetric(0, 2, 70);
    m->set_symmetric(1, 2, 55);
    Bench b(std::move(m));
    b.add({});
    b.add({});
    b.add({});
    EXPECT_TRUE(b.radio(2).has(kRadioCapEnergyScan));
    EXPECT_FALSE(b.radio(2).has(kRadioCapAutoAck));
    ASSERT_TRUE(b.radio(2).start_energy_detect(Duration(5000)));
    b.sched.run_until_idle();
    const auto data = psdu(30);
    ASSERT_TRUE(b.radio(2).start_energy_detect(Duration(3000)));
    ASSERT_TRUE(b.radio(0).transmit(request(data)));
    b.sched.run_until(us(b.sched.now().time_since_epoch().count() + 3000));
    ASSERT_TRUE(b.radio(1).transmit(request(data)));
    b.sched.run_until_idle();
    ASSERT_EQ(b.r(2).ed.size(), 2u);
    EXPECT_EQ(b.r(2).ed[0], -100);
    EXPECT_EQ(b.r(2).ed[1], -70);  // the -55 dBm frame started after the window
    ASSERT_TRUE(b.radio(2).start_energy_detect(Duration(5000)));
    ASSERT_TRUE(b.radio(0).transmit(request(data)));
    ASSERT_TRUE(b.radio(1).transmit(request(data)));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(2).ed[2], -55);  // -70 + -55 dBm together: -54.9
}

}  // namespace
}  // namespace meshwork::sim::test
