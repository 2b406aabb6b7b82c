// The Link seam and the ideal segment's single-frame behaviour: addresses, validation,
// filtering, up/down, wrappers passing frames through, taps.
#include "core/Link.h"
#include "sim/LinkTap.h"
#include "sim/Segment.h"

#include <gtest/gtest.h>

#include "LinkTestKit.h"

namespace meshwork::sim {
namespace {

using namespace testkit;

TEST(EthernetAddress, GroupBroadcastAndLocalBits) {
    EXPECT_TRUE(EthernetAddress::broadcast().is_broadcast());
    EXPECT_TRUE(EthernetAddress::broadcast().is_group());
    const EthernetAddress ipv6_multicast{{0x33, 0x33, 0, 0, 0, 1}};
    EXPECT_TRUE(ipv6_multicast.is_group());
    EXPECT_FALSE(ipv6_multicast.is_broadcast());
    EXPECT_FALSE(mac(1).is_group());
    EXPECT_TRUE(mac(1).is_local());
    const std::uint8_t raw[] = {0x02, 0, 0, 0, 0, 9, 0xaa};
    EXPECT_EQ(EthernetAddress::from(ByteSpan(raw)), mac(9));
    EXPECT_EQ(EthernetAddress::from(ByteSpan(raw, 5)), EthernetAddress{});
    EXPECT_NE(mac(1), mac(2));
}

TEST(Segment, RejectsShortLongAndDownFramesAndCountsThem) {
    Scheduler s;
    Segment seg(s, SegmentConfig{});
    SegmentPort &a = seg.attach(mac(1));
    seg.attach(mac(2));
    EXPECT_EQ(a.mtu(), 1500u);
    EXPECT_EQ(a.address(), mac(1));
    std::vector<std::uint8_t> shortf(13);
    EXPECT_EQ(a.send(span(shortf)).error(), Error::kInvalidArgument);
    std::vector<std::uint8_t> max = frame(mac(2), mac(1), 0, 1514);
    EXPECT_TRUE(a.send(span(max)).ok());
    std::vector<std::uint8_t> big = frame(mac(2), mac(1), 0, 1515);
    EXPECT_EQ(a.send(span(big)).error(), Error::kInvalidArgument);
    a.set_up(false);
    EXPECT_FALSE(a.is_up());
    EXPECT_EQ(a.send(span(max)).error(), Error::kBadState);
    EXPECT_EQ(a.stats().drops[PortDrop::kTooShort], 1u);
    EXPECT_EQ(a.stats().drops[PortDrop::kTooLong], 1u);
    // The accepted frame was in flight when the port went down: lost, and so is the refused one.
    s.run_until_idle();
    EXPECT_EQ(a.stats().drops[PortDrop::kDown], 2u);
    EXPECT_EQ(a.stats().tx_frames, 1u);
    EXPECT_EQ(seg.port(1).stats().rx_frames, 0u);
}

TEST(Segment, FiltersUnicastForOthersUnlessPromiscuous) {
    Scheduler s;
    Segment seg(s);
    SegmentPort &a = seg.attach(mac(1));
    SegmentPort &b = seg.attach(mac(2));
    SegmentPort &c = seg.attach(mac(3));
    Recorder rb(s), rc(s);
    b.set_receiver(&rb);
    c.set_receiver(&rc);
    ASSERT_TRUE(a.send(span(frame(mac(2), mac(1), 1))).ok());
    ASSERT_TRUE(a.send(span(frame(EthernetAddress::broadcast(), mac(1), 2))).ok());
    ASSERT_TRUE(a.send(span(frame(EthernetAddress{{0x33, 0x33, 0, 0, 0, 1}}, mac(1), 3))).ok());
    s.run_until_idle();
    ASSERT_EQ(rb.frames.size(), 3u);
    ASSERT_EQ(rc.frames.size(), 2u);
    EXPECT_EQ(seq_of(rc.frames[0].bytes), 2u);
    EXPECT_EQ(c.stats().filtered, 1u);
    // The frame's bytes arrive unchanged.
    EXPECT_EQ(rb.frames[0].bytes, frame(mac(2), mac(1), 1));

    c.set_promiscuous(true);
    ASSERT_TRUE(a.send(span(frame(mac(2), mac(1), 4))).ok());
    s.run_until_idle();
    ASSERT_EQ(rc.frames.size(), 3u);
    EXPECT_EQ(seq_of(rc.frames[2].bytes), 4u);
    EXPECT_EQ(a.stats().tx_frames, 4u);
    EXPECT_EQ(a.stats().rx_frames, 0u);  // a sender does not hear itself
}

TEST(Segment, StateChangesReachTheReceiverAndADownPortHearsNothing) {
    Scheduler s;
    PointToPointLink link(s, mac(1), mac(2));
    Recorder rb(s);
    link.b().set_receiver(&rb);
    link.b().set_up(false);
    link.b().set_up(false);  // no change, no notification
    ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), 1))).ok());
    s.run_until_idle();
    EXPECT_TRUE(rb.frames.empty());
    EXPECT_EQ(link.b().stats().drops[PortDrop::kDown], 1u);
    link.b().set_up(true);
    ASSERT_TRUE(link.a().send(span(frame(mac(2), mac(1), 2))).ok());
    s.run_until_idle();
    ASSERT_EQ(rb.frames.size(), 1u);
    EXPECT_EQ(rb.states, (std::vector<bool>{false, true}));
}

TEST(Segment, PendingDeliveriesOutlivingTheSegmentDoNothing) {
    Scheduler s;
    {
        Segment seg(s, SegmentConfig{Duration(100)});
        SegmentPort &a = seg.attach(mac(1));
        seg.attach(mac(2));
        ASSERT_TRUE(a.send(span(frame(mac(2), mac(1), 1))).ok());
    }
    EXPECT_FALSE(s.idle());
    s.run_until_idle();  // must not touch the destroyed segment (ASan checks)
    EXPECT_EQ(s.now(), at_us(100));
}

class VectorSink final : public FrameSink {
  public:
    void record_frame(Instant at, LinkDirection d, ByteSpan f) override {
        seen.push_back({us_of(at), d, std::vector<std::uint8_t>(f.begin(), f.end())});
    }
    struct Seen {
        std::int64_t us;
        LinkDirection d;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Seen> seen;
};

TEST(LinkTap, RecordsAcceptedSendsAndReceivesWithTheirInstants) {
    Scheduler s;
    PointToPointLink link(s, mac(1), mac(2), SegmentConfig{Duration(250)});
    VectorSink sink;
    LinkTap tap_a(link.a(), s.clock(), sink);
    Recorder ra(s), rb(s);
    tap_a.set_receiver(&ra);
    link.b().set_receiver(&rb);
    EXPECT_EQ(tap_a.address(), mac(1));
    EXPECT_EQ(tap_a.mtu(), 1500u);
    EXPECT_TRUE(tap_a.is_up());

    s.at(at_us(10), [&] { ASSERT_TRUE(tap_a.send(span(frame(mac(2), mac(1), 1))).ok()); });
    s.at(at_us(20), [&] { ASSERT_TRUE(link.b().send(span(frame(mac(1), mac(2), 2))).ok()); });
    s.at(at_us(30), [&] { EXPECT_FALSE(tap_a.send(ByteSpan()).ok()); });  // refused: not recorded
    s.run_until_idle();
    ASSERT_EQ(sink.seen.size(), 2u);
    EXPECT_EQ(sink.seen[0].us, 10);
    EXPECT_EQ(sink.seen[0].d, LinkDirection::kTransmit);
    EXPECT_EQ(seq_of(sink.seen[0].bytes), 1u);
    EXPECT_EQ(sink.seen[1].us, 270);
    EXPECT_EQ(sink.seen[1].d, LinkDirection::kReceive);
    EXPECT_EQ(seq_of(sink.seen[1].bytes), 2u);
    EXPECT_EQ(tap_a.frames_recorded(), 2u);
    ASSERT_EQ(ra.frames.size(), 1u);  // the tap passes received frames up
    ASSERT_EQ(rb.frames.size(), 1u);
    EXPECT_EQ(rb.frames[0].us, 260);
}

TEST(LinkTap, ARemovedWrapperGivesTheInnerLinkBack) {
    Scheduler s;
    PointToPointLink link(s, mac(1), mac(2));
    VectorSink sink;
    {
        LinkTap tap(link.a(), s.clock(), sink, LinkDirection::kReceive);
        EXPECT_NE(link.a().receiver(), nullptr);
    }
    EXPECT_EQ(link.a().receiver(), nullptr);
}

}  // namespace
}  // namespace meshwork::sim
