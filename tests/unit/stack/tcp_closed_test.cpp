// TCP before connections exist: every port is CLOSED (RFC 9293 3.10.7.1).
#include <gtest/gtest.h>

#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

// TCP before connections exist: every port is CLOSED (RFC 9293 3.10.7.1).
struct ClosedTcp : ::testing::Test {
    ClosedTcp() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
    }
    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    Bytes segment(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::size_t len) {
        wire::TcpHeader h;
        h.src_port = 40000;
        h.dst_port = 80;
        h.seq = seq;
        h.ack = ack;
        h.flags = flags;
        h.window = 1000;
        h.payload_length = len;
        Bytes out(h.emitted_size());
        EXPECT_TRUE(h.emit(MutableByteSpan(out.data(), out.size()), {peer, ours}).ok());
        return out;
    }
    wire::TcpHeader reset_sent() {
        auto frames = n.link.take();
        EXPECT_EQ(frames.size(), 1u);
        Decoded d = decode(frames.at(0));
        EXPECT_EQ(d.upper, wire::IpProto::kTcp);
        wire::PseudoHeader ph{ours, peer};
        auto h = wire::TcpHeader::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()), &ph);
        EXPECT_TRUE(h.ok());
        return h.ok() ? *h : wire::TcpHeader{};
    }
};

TEST_F(ClosedTcp, SynIsAnsweredWithRstAck) {
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, segment(wire::TcpFlag::kSyn, 1000, 0, 0)));
    wire::TcpHeader r = reset_sent();
    EXPECT_EQ(r.flags, wire::TcpFlag::kRst | wire::TcpFlag::kAck);
    EXPECT_EQ(r.seq, 0u);
    EXPECT_EQ(r.ack, 1001u);  // SYN counts one
    EXPECT_EQ(r.src_port, 80);
    EXPECT_EQ(r.dst_port, 40000);
    EXPECT_EQ(n.drops(StackDrop::kNoListener), 1u);
}

TEST_F(ClosedTcp, AckedSegmentGetsRstAtItsAck) {
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64,
                   segment(wire::TcpFlag::kAck | wire::TcpFlag::kPsh, 5, 777, 10)));
    wire::TcpHeader r = reset_sent();
    EXPECT_EQ(r.flags, wire::TcpFlag::kRst);
    EXPECT_EQ(r.seq, 777u);
}

TEST_F(ClosedTcp, RstAndBadChecksumAreNotAnswered) {
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, segment(wire::TcpFlag::kRst, 5, 0, 0)));
    Bytes bad = segment(wire::TcpFlag::kSyn, 5, 0, 0);
    bad[16] ^= 1;
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kTcp, 64, bad));
    EXPECT_TRUE(n.link.take().empty());
    EXPECT_EQ(n.drops(StackDrop::kNoListener), 1u);
    EXPECT_EQ(n.drops(StackDrop::kChecksum), 1u);
}

}  // namespace
}  // namespace meshwork::stack::test
