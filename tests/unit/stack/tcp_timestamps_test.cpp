// RFC 7323 timestamps on one node driven segment by segment: RTTM (section 4) feeding the RFC
// 6298 estimator, the TS.Recent rule of 4.3, PAWS (section 5) with its RST and 24-day rules, the
// TSval offset per connection (7.1) and segments without TSopt once negotiated (3.2).
#include <gtest/gtest.h>

#include "TcpPair.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;
using wire::TcpFlag::kAck;
using wire::TcpFlag::kPsh;
using wire::TcpFlag::kRst;
using wire::TcpFlag::kSyn;

constexpr std::uint32_t kIrs = 5000;

// The node listens on port 80; the test plays the peer (2001:db8::2, port 40000).
struct Timestamps : ::testing::Test {
    Timestamps() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
        l = *tcp().open();
        EXPECT_TRUE(tcp().bind(l, Ip6Address(), 80).ok());
        EXPECT_TRUE(tcp().listen(l, 2).ok());
    }
    TcpSockets &tcp() { return n.stack.tcp(); }
    /// The handshake: a SYN (with timestamps when `ts`, TSval 100), then, 30 ms after the
    /// SYN-ACK, the third segment echoing it (TSval 101).
    void open(bool ts = true) {
        rx(kSyn, kIrs, 0, 0, ts ? 100 : 0, 0, ts);
        auto o = out();
        ASSERT_EQ(o.size(), 1u);
        synack = o[0];
        ASSERT_EQ(synack.has_timestamp, ts);
        iss = synack.seq;
        n.clock.advance(30ms);
        rx(kAck, kIrs + 1, iss + 1, 0, 101, synack.ts_val, ts);
        auto a = tcp().accept(l);
        ASSERT_TRUE(a.ok());
        s = *a;
        rcv_nxt = kIrs + 1;
        snd_una = iss + 1;
    }
    void rx(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::size_t len,
            std::uint32_t tsval, std::uint32_t tsecr, bool ts = true) {
        wire::TcpHeader h;
        h.src_port = peer_port;
        h.dst_port = 80;
        h.seq = seq;
        h.ack = ack;
        h.flags = flags;
        h.window = 8000;
        h.has_mss = (flags & kSyn) != 0;
        h.mss = 1000;
        h.has_timestamp = ts;
        h.ts_val = tsval;
        h.ts_ecr = tsecr;
        h.payload_length = len;
        Bytes seg(h.emitted_size());
        EXPECT_TRUE(h.emit(MutableByteSpan(seg.data(), seg.size()), {peer, ours}).ok());
        n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, seg));
    }
    /// `len` bytes of data at RCV.NXT from the peer.
    void rx_data(std::size_t len, std::uint32_t tsval) {
        rx(kAck | kPsh, rcv_nxt, snd_una, len, tsval, 0);
        rcv_nxt += static_cast<std::uint32_t>(len);
    }
    std::vector<wire::TcpHeader> out() {
        std::vector<wire::TcpHeader> v;
        for (auto &f : n.link.take())
            if (auto h = tcp_of(f))
                v.push_back(*h);
        return v;
    }
    void send(std::size_t len) {
        Bytes d(len, 0x5a);
        ASSERT_EQ(*tcp().send(s, ByteSpan(d.data(), d.size())), len);
    }
    TcpInfo info() { return tcp().info(s); }
    /// The node's clock in milliseconds (what TSval counts, less the offset).
    std::uint32_t clock_ms() const {
        return static_cast<std::uint32_t>(n.clock.now().time_since_epoch().count() / 1000);
    }

    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    int l = -1, s = -1;
    std::uint16_t peer_port = 40000;
    wire::TcpHeader synack;
    std::uint32_t iss = 0, rcv_nxt = 0, snd_una = 0;
};

TEST_F(Timestamps, HandshakeIsTimedFromTheEchoedTsval) {
    open();
    EXPECT_EQ(synack.ts_ecr, 100u);
    EXPECT_EQ(synack.ts_val, clock_ms() - 30 + info().ts_offset);  // sent 30 ms ago
    EXPECT_TRUE(info().timestamps);
    EXPECT_EQ(info().stats.ts_rtt_samples, 1u);
    EXPECT_EQ(info().srtt, Duration(30ms));  // RFC 6298 2.2: the first sample
    EXPECT_EQ(info().rttvar, Duration(15ms));
    EXPECT_EQ(info().ts_recent, 101u);
}

TEST_F(Timestamps, RetransmissionIsTimedAndDuplicateAckIsNot) {
    open();
    send(100);
    auto d1 = out();
    ASSERT_EQ(d1.size(), 1u);
    ASSERT_TRUE(d1[0].has_timestamp);
    EXPECT_EQ(d1[0].ts_val, clock_ms() + info().ts_offset);
    EXPECT_EQ(d1[0].ts_ecr, 101u);
    // A duplicate ACK echoes a TSval too, but does not advance SND.UNA (RFC 7323 4.2).
    n.clock.advance(10ms);
    rx(kAck, rcv_nxt, snd_una, 0, 102, d1[0].ts_val);
    EXPECT_EQ(info().stats.ts_rtt_samples, 1u);
    // The RTO (1 s minimum) resends the data with a fresh TSval; its ACK, 20 ms later, echoes
    // that one: a 20 ms sample Karn's rule would have thrown away.
    n.run_for(990ms);  // the RTO is due at the end
    auto d2 = out();
    ASSERT_EQ(d2.size(), 1u);
    EXPECT_EQ(d2[0].seq, d1[0].seq);
    EXPECT_EQ(info().stats.retransmits, 1u);
    EXPECT_EQ(d2[0].ts_val - d1[0].ts_val, 1000u);
    EXPECT_EQ(d2[0].ts_val, clock_ms() + info().ts_offset);
    // An ACK for part of it echoing the first copy's TSval (the peer had it, our ACK was lost)
    // would measure the timeout: not sampled.
    n.clock.advance(10ms);
    rx(kAck, rcv_nxt, snd_una + 50, 0, 103, d1[0].ts_val);
    EXPECT_EQ(info().stats.ts_rtt_samples, 1u);
    EXPECT_EQ(info().stats.rtt_samples, 1u);
    n.clock.advance(10ms);
    rx(kAck, rcv_nxt, snd_una + 100, 0, 103, d2[0].ts_val);
    EXPECT_EQ(info().stats.ts_rtt_samples, 2u);
    EXPECT_EQ(info().srtt, Duration(30ms) + (Duration(20ms) - Duration(30ms)) / 8);
    EXPECT_EQ(info().rttvar, Duration(15ms) + (Duration(10ms) - Duration(15ms)) / 4);
    EXPECT_EQ(info().rto, Duration(1s));  // the backoff ends; the 1 s minimum holds
}

TEST_F(Timestamps, SamplesOfAFlightAreWeightedByTheirNumber) {
    open();
    const std::size_t mss = info().mss;
    EXPECT_EQ(mss, 1000u - 12u);  // the peer's MSS less the option
    send(4 * mss);                // the initial window: four segments in flight
    auto d = out();
    ASSERT_EQ(d.size(), 4u);
    n.clock.advance(80ms);
    // One ACK for the whole flight: FlightSize / (2 SMSS) = 2 samples expected (RFC 7323
    // appendix G), so alpha and beta are halved.
    rx(kAck, rcv_nxt, snd_una + static_cast<std::uint32_t>(4 * mss), 0, 102, d[0].ts_val);
    EXPECT_EQ(info().stats.ts_rtt_samples, 2u);
    EXPECT_EQ(info().srtt, Duration(30ms) + (Duration(80ms) - Duration(30ms)) / 16);
    EXPECT_EQ(info().rttvar, Duration(15ms) + (Duration(50ms) - Duration(15ms)) / 8);
}

TEST_F(Timestamps, DelayedAckEchoesTheEarliestUnacknowledgedTsval) {
    open();
    rx_data(100, 200);
    EXPECT_TRUE(out().empty());  // the ACK is delayed
    rx_data(100, 300);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);  // every second segment
    EXPECT_EQ(o[0].ack, rcv_nxt);
    EXPECT_EQ(o[0].ts_ecr, 200u);  // RFC 7323 4.3 case (A)
    rx_data(100, 400);             // at Last.ACK.sent: TS.Recent follows
    EXPECT_EQ(info().ts_recent, 400u);
}

TEST_F(Timestamps, PawsDropsAnOldDuplicateAndAcks) {
    open();
    rx_data(10, 500);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 10u);
    // In window, at RCV.NXT even, but its TSval is older than TS.Recent: an old duplicate.
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 400, 0);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 10u);
    EXPECT_EQ(n.drops(StackDrop::kTcpPaws), 1u);
    EXPECT_EQ(info().stats.paws_rejects, 1u);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);  // R1: acknowledged, so a half-open peer learns where we are
    EXPECT_EQ(o[0].flags, kAck);
    EXPECT_EQ(o[0].ack, rcv_nxt);
    EXPECT_EQ(o[0].ts_ecr, 500u);
    // Comparisons are modulo 2^32: 0xfffffff0 is older than 500.
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 0xfffffff0u, 0);
    EXPECT_EQ(info().stats.paws_rejects, 2u);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 10u);
    // The same TSval is not older: accepted.
    rx_data(10, 500);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 20u);
    EXPECT_EQ(info().stats.paws_rejects, 2u);
    EXPECT_EQ(tcp().state(s), TcpState::kEstablished);
}

TEST_F(Timestamps, PawsDoesNotApplyToRst) {
    open();
    rx_data(10, 500);
    rx(kRst, rcv_nxt, 0, 0, 400, 0);
    EXPECT_EQ(info().stats.paws_rejects, 0u);
    EXPECT_EQ(tcp().state(s), TcpState::kClosed);
    EXPECT_EQ(tcp().last_error(s), Error::kBadState);
}

TEST_F(Timestamps, TsRecentOlderThan24DaysIsNotComparedWith) {
    open();
    rx_data(10, 500);
    (void)out();
    n.clock.advance(std::chrono::hours(23 * 24));
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 400, 0);
    EXPECT_EQ(info().stats.paws_rejects, 1u);  // still valid after 23 days
    n.clock.advance(std::chrono::hours(2 * 24));
    rx_data(10, 400);  // 25 days: TS.Recent is invalid, the segment's TSval replaces it
    EXPECT_EQ(info().stats.paws_rejects, 1u);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 20u);
    EXPECT_EQ(info().ts_recent, 400u);
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 399, 0);  // and is compared with again
    EXPECT_EQ(info().stats.paws_rejects, 2u);
}

TEST_F(Timestamps, WithoutTimestampsNeitherRttmNorPaws) {
    open(false);
    EXPECT_FALSE(info().timestamps);
    EXPECT_EQ(info().stats.ts_rtt_samples, 0u);
    EXPECT_EQ(info().stats.rtt_samples, 1u);  // the SYN-ACK was timed the classic way
    EXPECT_EQ(info().srtt, Duration(30ms));
    // Segments carrying timestamps anyway are not checked against them.
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 500, 0, true);
    rcv_nxt += 10;
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 400, 0, true);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 20u);
    EXPECT_EQ(info().stats.paws_rejects, 0u);
    auto o = out();
    ASSERT_FALSE(o.empty());
    EXPECT_FALSE(o.back().has_timestamp);
}

TEST_F(Timestamps, TsvalIsTheClockPlusAnOffsetPerConnection) {
    open();
    const std::uint32_t offset = info().ts_offset;
    // RFC 7323 7.1: TSval does not give the node's clock away.
    EXPECT_NE(synack.ts_val, clock_ms() - 30);
    EXPECT_EQ(synack.ts_val, clock_ms() - 30 + offset);
    n.clock.advance(250ms);
    send(10);
    auto d = out();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].ts_val, clock_ms() + offset);  // the offset stays, the clock runs
    // Another connection (another peer port) counts from another offset.
    peer_port = 40001;
    rx(kSyn, kIrs, 0, 0, 100, 0);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);
    ASSERT_TRUE(o[0].has_timestamp);
    EXPECT_NE(o[0].ts_val - clock_ms(), offset);
}

// The offset of the first connection of a node whose Random has `seed`.
std::uint32_t first_ts_offset(std::uint64_t seed) {
    Node n{1};
    n.rnd = SeededRandom(seed, 1);
    n.up_and_settle();
    const Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
    n.learn(2, peer, ours);
    const int c = *n.stack.tcp().open();
    EXPECT_TRUE(n.stack.tcp().connect(c, peer, 80).ok());
    for (auto &f : n.link.take())
        if (auto h = tcp_of(f)) {
            const auto ms =
                static_cast<std::uint32_t>(n.clock.now().time_since_epoch().count() / 1000);
            EXPECT_EQ(h->ts_val - ms, n.stack.tcp().info(c).ts_offset);
            return h->ts_val - ms;
        }
    ADD_FAILURE() << "no SYN";
    return 0;
}

TEST(TimestampOffset, ComesFromTheNodesRandomDeterministically) {
    EXPECT_EQ(first_ts_offset(42), first_ts_offset(42));
    EXPECT_NE(first_ts_offset(42), first_ts_offset(43));
}

TEST_F(Timestamps, SegmentWithoutTsoptIsDroppedOnceNegotiated) {
    open();
    (void)out();
    // RFC 7323 3.2: data at RCV.NXT without TSopt is dropped silently (no ACK).
    rx(kAck | kPsh, rcv_nxt, snd_una, 10, 0, 0, false);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 0u);
    EXPECT_EQ(n.drops(StackDrop::kTcpNoTimestamp), 1u);
    EXPECT_EQ(info().stats.no_timestamp_drops, 1u);
    EXPECT_STREQ(drop_reason_name(StackDrop::kTcpNoTimestamp), "tcp-no-timestamp");
    n.run_for(500ms);  // not even a delayed ACK
    EXPECT_TRUE(out().empty());
    // The same segment with TSopt is taken.
    rx_data(10, 200);
    EXPECT_EQ(tcp().receive_queue_bytes(s), 10u);
    // An RST without TSopt is still processed.
    rx(kRst, rcv_nxt, 0, 0, 0, 0, false);
    EXPECT_EQ(tcp().state(s), TcpState::kClosed);
    EXPECT_EQ(tcp().last_error(s), Error::kBadState);
    EXPECT_EQ(info().stats.no_timestamp_drops, 1u);
}

TEST_F(Timestamps, ThirdSegmentWithoutTsoptDoesNotComplete) {
    rx(kSyn, kIrs, 0, 0, 100, 0);
    auto o = out();
    ASSERT_EQ(o.size(), 1u);
    ASSERT_TRUE(o[0].has_timestamp);  // both SYNs carried it: negotiated
    rx(kAck, kIrs + 1, o[0].seq + 1, 0, 0, 0, false);
    EXPECT_EQ(tcp().accept(l).error(), Error::kWouldBlock);
    EXPECT_EQ(n.drops(StackDrop::kTcpNoTimestamp), 1u);
    rx(kAck, kIrs + 1, o[0].seq + 1, 0, 101, o[0].ts_val);
    EXPECT_TRUE(tcp().accept(l).ok());
}

}  // namespace
}  // namespace meshwork::stack::test
