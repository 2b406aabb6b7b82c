// Captures of the medium: every frame on the air in a pcap, and the same seed giving the same
// capture bytes.
#include <gtest/gtest.h>

#include "RadioTestSupport.h"
#include "testbed/Capture802154.h"
#include "wire/Pcap.h"

namespace meshwork::sim::test {
namespace {

using testbed::Capture802154;

// 60 nodes with log-distance shadowing from `seed`, random traffic from the same seed.
std::vector<std::uint8_t> run(std::uint64_t seed, std::uint64_t *deliveries,
                              Capture802154::Mode mode = Capture802154::Mode::kAir) {
    LogDistancePropagation::Params p;
    p.seed = seed;
    RadioMediumConfig c;
    c.seed = seed;
    Bench b(std::make_unique<LogDistancePropagation>(p), c);
    Capture802154 cap(b.medium, wire::PcapLinkType::kIeee802154Tap, mode);
    SeededRandom rng(seed, 1);
    for (int i = 0; i < 60; ++i)
        b.add({double(rng.uniform(200)), double(rng.uniform(200)), 0});
    for (int k = 0; k < 300; ++k) {
        const auto tx = rng.uniform(60);
        const auto data = psdu(5 + rng.uniform(120), static_cast<std::uint8_t>(k));
        b.sched.at(us(rng.uniform(2'000'000)),
                   [&b, tx, data] { (void)b.radio(tx).transmit(request(data, true)); });
    }
    b.sched.run_until_idle();
    *deliveries = b.medium.stats().deliveries;
    EXPECT_EQ(cap.write_errors(), 0u);
    EXPECT_EQ(cap.records(), mode == Capture802154::Mode::kAir ? b.medium.stats().frames
                                                               : b.medium.stats().deliveries);
    return cap.bytes();
}

TEST(RadioCapture, SameSeedSameCaptureBytes) {
    std::uint64_t d1 = 0, d2 = 0, d3 = 0;
    const auto a = run(1234, &d1), b = run(1234, &d2), c = run(1235, &d3);
    EXPECT_GT(a.size(), 10000u);
    EXPECT_EQ(a, b);
    EXPECT_EQ(d1, d2);
    EXPECT_NE(a, c);
    std::uint64_t r1 = 0, r2 = 0;
    EXPECT_EQ(run(99, &r1, Capture802154::Mode::kReceptions),
              run(99, &r2, Capture802154::Mode::kReceptions));
}

TEST(RadioCapture, RecordsCarryChannelRssLqiAndTime) {
    auto m = std::make_unique<LinkMatrixPropagation>();
    m->set_symmetric(0, 1, 67);
    Bench b(std::move(m));
    b.add({});
    b.add({});
    ASSERT_TRUE(b.radio(0).set_channel({0, 15}));
    ASSERT_TRUE(b.radio(1).set_channel({0, 15}));
    ASSERT_TRUE(b.radio(0).set_tx_power(3));
    Capture802154 air(b.medium);
    Capture802154 rx(b.medium, wire::PcapLinkType::kIeee802154Tap,
                     Capture802154::Mode::kReceptions);
    Capture802154 fcs(b.medium, wire::PcapLinkType::kIeee802154WithFcs);
    const auto data = psdu(40);
    b.sched.run_until(us(2'000'000));
    ASSERT_TRUE(b.radio(0).transmit(request(data)));
    b.sched.run_until_idle();

    auto reader = wire::PcapReader::parse(ByteSpan(air.bytes().data(), air.bytes().size()));
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->header().link_type, 283u);
    EXPECT_TRUE(reader->header().nanosecond);
    wire::PcapRecord rec;
    ASSERT_TRUE(reader->next(&rec).value());
    EXPECT_EQ(rec.timestamp_ns, (2'000'000u + 192u) * 1000u);  // first preamble symbol
    auto f = wire::pcap_mac_frame(283, rec.data);
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->frame.equals(ByteSpan(data.data(), data.size())));
    EXPECT_EQ(f->tap.channel, 15);
    EXPECT_EQ(f->tap.page, 0);
    EXPECT_EQ(f->tap.rss_dbm, 3.0f);  // the sender's view
    EXPECT_FALSE(reader->next(&rec).value());

    auto r2 = wire::PcapReader::parse(ByteSpan(rx.bytes().data(), rx.bytes().size()));
    ASSERT_TRUE(r2);
    ASSERT_TRUE(r2->next(&rec).value());
    EXPECT_EQ(rec.timestamp_ns, (2'000'000u + 192u + 160u) * 1000u);  // SFD at the receiver
    f = wire::pcap_mac_frame(283, rec.data);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->tap.rss_dbm, -64.0f);
    EXPECT_EQ(f->tap.lqi, b.r(1).rx.at(0).lqi);

    auto r3 = wire::PcapReader::parse(ByteSpan(fcs.bytes().data(), fcs.bytes().size()));
    ASSERT_TRUE(r3);
    EXPECT_EQ(r3->header().link_type, 195u);
    ASSERT_TRUE(r3->next(&rec).value());
    EXPECT_TRUE(rec.data.equals(ByteSpan(data.data(), data.size())));
}

}  // namespace
}  // namespace meshwork::sim::test
