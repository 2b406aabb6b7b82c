// Propagation models, neighbour lists (cost grows with neighbours, not N) and fault injection.
#include <gtest/gtest.h>

#include <cmath>

#include "RadioTestSupport.h"

namespace meshwork::sim::test {
namespace {

TEST(RadioPropagation, UnitDiskRangeEdge) {
    Bench b(std::make_unique<UnitDiskPropagation>(10.0, 60.0));
    const auto a = b.add({0, 0, 0});
    const auto edge = b.add({6, 8, 0});      // exactly 10 m
    const auto out = b.add({10.001, 0, 0});  // just beyond
    EXPECT_EQ(b.medium.rx_power_dbm(a, edge), -60);
    EXPECT_TRUE(std::isinf(b.medium.rx_power_dbm(a, out)));
    const auto data = psdu(10);
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(edge).rx.size(), 1u);
    EXPECT_TRUE(b.r(out).rx.empty());
    // Moving a node updates the neighbour lists.
    b.medium.set_position(out, {9.999, 0, 0});
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(out).rx.size(), 1u);
}

TEST(RadioPropagation, LogDistanceIsExactWithoutShadowing) {
    LogDistancePropagation::Params p;
    p.sigma_db = 0;
    p.exponent = 3.0;
    LogDistancePropagation m(p);
    EXPECT_DOUBLE_EQ(m.path_loss_db(0, 1, {0, 0, 0}, {1, 0, 0}), 40.0);
    EXPECT_NEAR(m.path_loss_db(0, 1, {0, 0, 0}, {10, 0, 0}), 70.0, 1e-9);
    EXPECT_NEAR(m.path_loss_db(0, 1, {0, 0, 0}, {100, 0, 0}), 100.0, 1e-9);
    EXPECT_NEAR(m.max_range_m(70.0), 10.0, 1e-9);
}

TEST(RadioPropagation, LogDistanceShadowingIsDeterministicPerSeed) {
    LogDistancePropagation::Params p;
    p.sigma_db = 6;
    p.seed = 42;
    LogDistancePropagation m1(p), m2(p);
    p.seed = 43;
    LogDistancePropagation other(p);
    double sum = 0, sq = 0, max_abs = 0;
    int differ = 0;
    const int n = 4000;
    for (RadioNodeId i = 0; i < n; ++i) {
        const double s = m1.shadowing_db(i, i + 1);
        EXPECT_EQ(s, m2.shadowing_db(i, i + 1));
        EXPECT_EQ(s, m1.shadowing_db(i + 1, i));  // symmetric
        differ += s != other.shadowing_db(i, i + 1);
        sum += s;
        sq += s * s;
        max_abs = std::max(max_abs, std::fabs(s));
    }
    EXPECT_GT(differ, n - 10);  // only links clipped at the same bound may agree
    const double mean = sum / n, sd = std::sqrt(sq / n - mean * mean);
    EXPECT_NEAR(mean, 0.0, 0.4);
    EXPECT_NEAR(sd, 6.0, 0.4);
    EXPECT_LE(max_abs, 18.0);  // clipped at 3 sigma
    // The same links, the same losses on a medium: asymmetric only through the positions.
    const Position a{0, 0, 0}, b{20, 0, 0};
    EXPECT_EQ(m1.path_loss_db(3, 9, a, b), m1.path_loss_db(9, 3, b, a));
    EXPECT_NE(m1.path_loss_db(3, 9, a, b), other.path_loss_db(3, 9, a, b));
}

std::uint64_t matrix_deliveries(std::uint64_t seed, int frames) {
    auto m = std::make_unique<LinkMatrixPropagation>();
    m->set_link(0, 1, 60, 0.3);
    m->set_link(1, 0, 60, 0.0);
    RadioMediumConfig c;
    c.seed = seed;
    Bench b(std::move(m), c);
    b.add({});
    b.add({});
    const auto data = psdu(20);
    for (int i = 0; i < frames; ++i) {
        EXPECT_TRUE(b.radio(0).transmit(request(data)));
        b.sched.run_until_idle();
    }
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kLinkLoss] + b.r(1).rx.size(),
              std::uint64_t(frames));
    EXPECT_TRUE(b.r(0).rx.empty());  // no reverse traffic
    return b.r(1).rx.size();
}

TEST(RadioPropagation, MatrixLossStatisticsForASeed) {
    const int frames = 2000;
    const auto got = matrix_deliveries(7, frames);
    EXPECT_NEAR(double(got) / frames, 0.7, 0.04);
    EXPECT_EQ(matrix_deliveries(7, frames), got);  // same seed, same losses
    EXPECT_NE(matrix_deliveries(8, frames), got);
}

TEST(RadioPropagation, MatrixLinksAreDirectional) {
    auto m = std::make_unique<LinkMatrixPropagation>();
    m->set_link(0, 1, 70);
    Bench b(std::move(m));
    b.add({});
    b.add({});
    EXPECT_EQ(b.medium.neighbours(0), std::vector<RadioNodeId>{1});
    EXPECT_TRUE(b.medium.neighbours(1).empty());
    EXPECT_EQ(b.medium.rx_power_dbm(0, 1), -70);
}

// A 20 x 20 grid 10 m apart with a 25 m unit disk: every frame touches at most 20 nodes.
TEST(RadioPropagation, CostGrowsWithNeighboursNotNodes) {
    for (bool all_pairs : {false, true}) {
        RadioMediumConfig c;
        c.all_pairs = all_pairs;
        Bench b(std::make_unique<UnitDiskPropagation>(25.0), c);
        for (int i = 0; i < 400; ++i)
            b.add({10.0 * (i % 20), 10.0 * (i / 20), 0});
        std::size_t max_nb = 0;
        for (RadioNodeId i = 0; i < 400; ++i)
            max_nb = std::max(max_nb, b.medium.neighbours(i).size());
        EXPECT_EQ(max_nb, 20u);  // (2*2+1)^2 - 1 - 4 corners at 28.3 m
        const auto data = psdu(20);
        for (RadioNodeId i = 0; i < 400; i += 7) {
            ASSERT_TRUE(b.radio(i).transmit(request(data)));
            b.sched.run_until_idle();
        }
        const auto per_frame = double(b.medium.stats().contributions) / b.medium.stats().frames;
        EXPECT_LE(per_frame, 20.0);
        EXPECT_GT(per_frame, 8.0);
        EXPECT_EQ(b.medium.stats().deliveries, b.medium.stats().contributions);
    }
}

// Random traffic on a log-distance medium: the neighbour lists and the all-pairs loop agree on
// every delivery (same seeds, same frames, same receivers, same RSSI).
TEST(RadioPropagation, NeighbourListsAgreeWithAllPairs) {
    auto run = [](bool all_pairs) {
        LogDistancePropagation::Params p;
        p.seed = 5;
        RadioMediumConfig c;
        c.all_pairs = all_pairs;
        Bench b(std::make_unique<LogDistancePropagation>(p), c);
        SeededRandom rng(11);
        for (int i = 0; i < 150; ++i)
            b.add({double(rng.uniform(400)), double(rng.uniform(400)), 0});
        for (int k = 0; k < 600; ++k) {
            const auto tx = rng.uniform(150);
            const auto data = psdu(10 + rng.uniform(100), static_cast<std::uint8_t>(k));
            b.sched.at(us(rng.uniform(3'000'000)),
                       [&b, tx, data] { (void)b.radio(tx).transmit(request(data, true)); });
        }
        b.sched.run_until_idle();
        std::vector<std::tuple<RadioNodeId, std::int64_t, int, std::vector<std::uint8_t>>> log;
        for (RadioNodeId i = 0; i < 150; ++i)
            for (const auto &r : b.r(i).rx)
                log.emplace_back(i, r.end_time.time_since_epoch().count(), r.rssi, r.psdu);
        return std::make_pair(log, b.medium.stats().drops.to_string());
    };
    const auto grid = run(false), all = run(true);
    EXPECT_GT(grid.first.size(), 1000u);
    EXPECT_EQ(grid.first, all.first);
    EXPECT_EQ(grid.second, all.second);
}

TEST(RadioFaults, InterferenceBurstCorruptsAFrameAndBlocksCca) {
    Bench b(std::make_unique<UnitDiskPropagation>(10.0));
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    const auto data = psdu(100);  // on air 192 .. 3584
    b.medium.schedule_interference(us(2000), {0, 11}, Duration(500), -58, {c});
    b.medium.schedule_interference(us(2000), {0, 12}, Duration(50000), -20);  // another channel
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until(us(2100));
    EXPECT_EQ(b.radio(c).rssi(), -56);                                            // -60 + -58 dBm
    EXPECT_EQ(b.radio(a).start_cca(CcaMode::kEnergy).error(), Error::kBadState);  // sending
    b.sched.run_until(us(4000));
    EXPECT_TRUE(b.r(c).rx.empty());
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kCollision], 1u);
    EXPECT_EQ(b.medium.stats().interference_bursts, 2u);
    // A burst on its own: energy CCA busy at the node it covers only.
    b.medium.schedule_interference(us(5000), {0, 11}, Duration(1000), -70, {c});
    b.sched.run_until(us(5100));
    ASSERT_TRUE(b.radio(a).start_cca(CcaMode::kEnergy));
    ASSERT_TRUE(b.radio(c).start_cca(CcaMode::kEnergy));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(a).cca, std::vector<bool>{true});
    EXPECT_EQ(b.r(c).cca, std::vector<bool>{false});
    // And after the burst the frame goes through.
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(c).rx.size(), 1u);
}

TEST(RadioFaults, RadioOffAbortsAndSilences) {
    Bench b(std::make_unique<UnitDiskPropagation>(10.0));
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    const auto data = psdu(100);
    b.medium.schedule_radio_off(a, us(1000), Duration(10000));  // mid-frame
    ASSERT_TRUE(b.radio(a).transmit(request(data)));
    b.sched.run_until(us(1001));
    ASSERT_EQ(b.r(a).tx.size(), 1u);
    EXPECT_EQ(b.r(a).tx[0].status, RadioTxStatus::kAborted);
    EXPECT_EQ(b.r(a).tx_at[0], us(1000));
    EXPECT_EQ(b.radio(a).state(), RadioState::kDisabled);
    EXPECT_EQ(b.radio(a).transmit(request(data)).error(), Error::kBadState);
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kAborted], 1u);
    EXPECT_EQ(b.radio(c).rssi(), -100);  // the energy stopped with it
    // While off it receives nothing.
    ASSERT_TRUE(b.radio(c).transmit(request(data)));
    b.sched.run_until(us(8000));
    EXPECT_TRUE(b.r(a).rx.empty());
    EXPECT_TRUE(b.r(c).rx.empty());
    b.sched.run_until(us(11001));
    EXPECT_EQ(b.radio(a).state(), RadioState::kReceive);
    ASSERT_TRUE(b.radio(c).transmit(request(data)));
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(a).rx.size(), 1u);
    EXPECT_EQ(b.medium.stats().frames_aborted, 1u);
}

TEST(RadioFaults, LinkCutForAWhile) {
    Bench b(std::make_unique<UnitDiskPropagation>(10.0));
    const auto a = b.add({0, 0, 0});
    const auto c = b.add({5, 0, 0});
    const auto d = b.add({0, 5, 0});
    b.medium.schedule_link_cut(a, c, us(10000), Duration(20000));
    const auto data = psdu(30);
    for (std::int64_t t : {0, 9500, 15000, 25000, 35000}) {  // the one at 9500 is cut mid-frame
        b.sched.at(us(t), [&] { ASSERT_TRUE(b.radio(a).transmit(request(data))); });
        b.sched.at(us(t + 3000), [&] { ASSERT_TRUE(b.radio(c).transmit(request(data))); });
    }
    b.sched.run_until_idle();
    EXPECT_EQ(b.r(c).rx.size(), 2u);   // at 0 and 35000
    EXPECT_EQ(b.r(a).rx.size(), 2u);   // c's at 3000 and 38000 (12500 starts during the cut)
    EXPECT_EQ(b.r(d).rx.size(), 10u);  // d is not affected
    EXPECT_EQ(b.medium.stats().drops[RadioRxDrop::kLinkCut], 1u);
    EXPECT_FALSE(b.medium.link_cut(a, c));
}

}  // namespace
}  // namespace meshwork::sim::test
