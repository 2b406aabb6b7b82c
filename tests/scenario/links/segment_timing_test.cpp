// Latency, serialization delay and queueing on the ideal links, exact to the microsecond, and
// the order in which a broadcast segment delivers.
#include "sim/Segment.h"

#include <gtest/gtest.h>

#include <string>

#include "LinkTestKit.h"

namespace meshwork::sim {
namespace {

using namespace testkit;

std::vector<std::int64_t> times(const Recorder &r) {
    std::vector<std::int64_t> t;
    for (const Arrival &a : r.frames)
        t.push_back(a.us);
    return t;
}

TEST(SegmentTiming, LatencyAloneDelaysEachFrameExactly) {
    Scheduler s;
    PointToPointLink link(s, mac(1), mac(2), SegmentConfig{Duration(1234)});
    Recorder rb(s);
    link.b().set_receiver(&rb);
    for (int i = 0; i < 3; ++i)
        s.at(at_us(100 * i),
             [&, i] { ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), i))).ok()); });
    s.run_until_idle();
    EXPECT_EQ(times(rb), (std::vector<std::int64_t>{1234, 1334, 1434}));
}

TEST(SegmentTiming, SerializationIsBitsOverRateAndFramesQueueFifoAtTheSender) {
    Scheduler s;
    // 1 Mbit/s: a 125-byte frame is 1000 bits, 1000 us on the wire; then 100 us of latency.
    PointToPointLink link(s, mac(1), mac(2), SegmentConfig{Duration(100), 1000000});
    Recorder rb(s);
    link.b().set_receiver(&rb);
    EXPECT_EQ(link.segment().serialization_ns(125), 1000000);
    for (std::uint32_t i = 0; i < 3; ++i)
        ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), i, 125))).ok());
    EXPECT_EQ(link.a().queued(), 2u);
    EXPECT_EQ(link.a().busy_until(), at_us(3000));
    // After the queue drained the transmitter is idle: the next frame starts when sent.
    s.at(at_us(5000),
         [&] { ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), 3, 250))).ok()); });
    // The other direction has its own transmitter: not queued behind a's frames.
    s.at(at_us(500), [&] { ASSERT_TRUE(link.b().send(span(frame(mac(1), mac(2), 9, 125))).ok()); });
    Recorder ra(s);
    link.a().set_receiver(&ra);
    s.run_until_idle();
    EXPECT_EQ(times(rb), (std::vector<std::int64_t>{1100, 2100, 3100, 7100}));
    for (std::uint32_t i = 0; i < 4; ++i)
        EXPECT_EQ(seq_of(rb.frames[i].bytes), i);
    EXPECT_EQ(times(ra), (std::vector<std::int64_t>{1600}));
    EXPECT_EQ(link.a().stats().tx_bytes, 3u * 125 + 250);
}

TEST(SegmentTiming, PerFrameOverheadAndFractionalMicrosecondsAccumulateWithoutDrift) {
    Scheduler s;
    // 3 Mbit/s: 64 bytes (512 bits) take 170666.7 ns; the transmitter counts nanoseconds and
    // rounds only the arrival instant up to a whole microsecond.
    PointToPointLink link(s, mac(1), mac(2), SegmentConfig{Duration(0), 3000000});
    Recorder rb(s);
    link.b().set_receiver(&rb);
    for (std::uint32_t i = 0; i < 3; ++i)
        ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), i, 64))).ok());
    s.run_until_idle();
    EXPECT_EQ(times(rb), (std::vector<std::int64_t>{171, 342, 513}));

    // With Ethernet's 24 bytes of preamble, FCS and gap: 125 + 24 bytes = 1192 bits at 1 Mbit/s.
    Scheduler s2;
    PointToPointLink eth(s2, mac(1), mac(2), SegmentConfig{Duration(8), 1000000, 1500, 0, 24});
    Recorder r2(s2);
    eth.b().set_receiver(&r2);
    ASSERT_TRUE(eth.a().send(span(frame(mac(2), mac(1), 0, 125))).ok());
    ASSERT_TRUE(eth.a().send(span(frame(mac(2), mac(1), 1, 125))).ok());
    s2.run_until_idle();
    EXPECT_EQ(times(r2), (std::vector<std::int64_t>{1200, 2392}));
}

TEST(SegmentTiming, AFullQueueRefusesFramesAndDrainsAsTheyStart) {
    Scheduler s;
    PointToPointLink link(s, mac(1), mac(2), SegmentConfig{Duration(0), 1000000, 1500, 2});
    Recorder rb(s);
    link.b().set_receiver(&rb);
    for (std::uint32_t i = 0; i < 3; ++i)
        ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), i, 125))).ok());
    EXPECT_EQ(link.a().send(span(frame(mac(2), mac(1), 3, 125))).error(), Error::kNoSpace);
    EXPECT_EQ(link.a().stats().drops[PortDrop::kQueueFull], 1u);
    s.run_until(at_us(1000));  // the second frame is on the wire now: one waits
    EXPECT_EQ(link.a().queued(), 1u);
    EXPECT_TRUE(link.a().send(span(frame(mac(2), mac(1), 4, 125))).ok());
    s.run_until_idle();
    EXPECT_EQ(times(rb), (std::vector<std::int64_t>{1000, 2000, 3000, 4000}));
    EXPECT_EQ(seq_of(rb.frames[3].bytes), 4u);
}

TEST(SegmentTiming, GoingDownLosesQueuedAndInFlightFrames) {
    Scheduler s;
    PointToPointLink link(s, mac(1), mac(2), SegmentConfig{Duration(0), 1000000});
    Recorder rb(s);
    link.b().set_receiver(&rb);
    for (std::uint32_t i = 0; i < 3; ++i)
        ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), i, 125))).ok());
    s.at(at_us(1500), [&] { link.a().set_up(false); });
    s.at(at_us(1600), [&] {
        link.a().set_up(true);
        ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), 7, 125))).ok());
    });
    s.run_until_idle();
    // Frame 0 arrived at 1000; frame 1 (on the wire) and 2 (queued) were lost; 7 starts afresh.
    EXPECT_EQ(times(rb), (std::vector<std::int64_t>{1000, 2600}));
    EXPECT_EQ(seq_of(rb.frames[1].bytes), 7u);
    EXPECT_EQ(link.a().stats().drops[PortDrop::kDown], 2u);
}

TEST(SegmentDelivery, BroadcastReachesEveryOtherPortInAttachOrderAndSameInstantInSendOrder) {
    Scheduler s;
    Segment seg(s, SegmentConfig{Duration(50)});
    std::vector<int> order;
    std::vector<std::unique_ptr<Recorder>> rx;
    for (int i = 0; i < 4; ++i) {
        SegmentPort &p = seg.attach(mac(static_cast<std::uint8_t>(i + 1)));
        rx.push_back(std::make_unique<Recorder>(s, i, &order));
        p.set_receiver(rx.back().get());
    }
    std::string log;
    s.at(at_us(0), [&] {
        ASSERT_TRUE(seg.port(2).send(span(frame(EthernetAddress::broadcast(), mac(3), 20))).ok());
        ASSERT_TRUE(seg.port(0).send(span(frame(EthernetAddress::broadcast(), mac(1), 0))).ok());
        ASSERT_TRUE(seg.port(3).send(span(frame(mac(2), mac(4), 30))).ok());
    });
    s.run_until_idle();
    // Frame 20 to ports 0, 1, 3; then frame 0 to 1, 2, 3; then the unicast 30 to port 1 only.
    EXPECT_EQ(order, (std::vector<int>{0, 1, 3, 1, 2, 3, 1}));
    std::vector<std::uint32_t> at1;
    for (const Arrival &a : rx[1]->frames) {
        EXPECT_EQ(a.us, 50);
        at1.push_back(seq_of(a.bytes));
    }
    EXPECT_EQ(at1, (std::vector<std::uint32_t>{20, 0, 30}));
    EXPECT_EQ(seg.port(0).stats().filtered, 1u);
    EXPECT_EQ(seg.port(2).stats().filtered, 1u);
}

TEST(SegmentDelivery, ArrivalOrderFollowsSerializationAcrossSenders) {
    Scheduler s;
    // 8 Mbit/s, so a byte is 1 us: a long frame sent first arrives after a short one sent later.
    Segment seg(s, SegmentConfig{Duration(10), 8000000});
    SegmentPort &a = seg.attach(mac(1));
    SegmentPort &b = seg.attach(mac(2));
    SegmentPort &c = seg.attach(mac(3));
    Recorder rc(s);
    c.set_receiver(&rc);
    s.at(at_us(0), [&] { ASSERT_TRUE(a.send(span(frame(mac(3), mac(1), 1, 1000))).ok()); });
    s.at(at_us(100), [&] { ASSERT_TRUE(b.send(span(frame(mac(3), mac(2), 2, 100))).ok()); });
    s.run_until_idle();
    ASSERT_EQ(rc.frames.size(), 2u);
    EXPECT_EQ(seq_of(rc.frames[0].bytes), 2u);
    EXPECT_EQ(rc.frames[0].us, 210);
    EXPECT_EQ(seq_of(rc.frames[1].bytes), 1u);
    EXPECT_EQ(rc.frames[1].us, 1010);
}

}  // namespace
}  // namespace meshwork::sim
