// Reassembly (RFC 8200 4.5): out of order, overlap refused (RFC 5722), the 60 s timeout with
// Time Exceeded, the limits, and fragment validation.
#include <gtest/gtest.h>

#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

struct Reassembly : ::testing::Test {
    Reassembly() {
        n.up_and_settle();
        EXPECT_TRUE(n.stack.add_address(n.if0, ours, 64, true).ok());
        n.learn(2, peer, ours);
        sock = *n.stack.udp().open();
        EXPECT_TRUE(n.stack.udp().bind(sock, Ip6Address(), 5000).ok());
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<std::uint8_t>(i * 7 + 3);
        whole = udp(peer, ours, 1000, 5000, payload);
    }
    /// Fragment of `whole` at byte `offset`, `len` bytes.
    Bytes fragment(std::size_t offset, std::size_t len, bool more, std::uint32_t id = 77) {
        wire::Ip6FragmentHeader fh;
        fh.next_header = wire::IpProto::kUdp;
        fh.offset_units = static_cast<std::uint16_t>(offset / 8);
        fh.more = more;
        fh.identification = id;
        Bytes body(8);
        EXPECT_TRUE(fh.emit(MutableByteSpan(body.data(), 8)).ok());
        body.insert(body.end(), whole.begin() + static_cast<long>(offset),
                    whole.begin() + static_cast<long>(offset + len));
        return ip6(peer, ours, wire::IpProto::kFragment, 64, body);
    }
    Bytes received() {
        Bytes buf(4000);
        UdpDatagramInfo info;
        auto r = n.stack.udp().recv_from(sock, MutableByteSpan(buf.data(), buf.size()), &info);
        if (!r)
            return {};
        buf.resize(*r);
        return buf;
    }
    std::vector<Decoded> time_exceeded() {
        std::vector<Decoded> out;
        for (const auto &f : n.link.take()) {
            Decoded d = decode(f);
            if (is_icmp(d, wire::Icmp6Type::kTimeExceeded))
                out.push_back(d);
        }
        return out;
    }
    Node n{1};
    Ip6Address ours = addr("2001:db8::1"), peer = addr("2001:db8::2");
    UdpSockets::SocketId sock = 0;
    Bytes payload = Bytes(3000);
    Bytes whole;  // the UDP datagram, 3008 bytes
};

TEST_F(Reassembly, OutOfOrderFragmentsMakeTheDatagram) {
    n.rx_ip(2, fragment(2464, 544, false));
    n.rx_ip(2, fragment(0, 1232, true));
    EXPECT_FALSE(n.stack.udp().readable(sock));
    EXPECT_EQ(n.stack.reassembler().datagrams(), 1u);
    n.rx_ip(2, fragment(1232, 1232, true));
    EXPECT_EQ(received(), payload);
    EXPECT_EQ(n.stack.stats().reassembled, 1u);
    EXPECT_EQ(n.stack.stats().rx_fragments, 3u);
    EXPECT_EQ(n.stack.reassembler().datagrams(), 0u);
    EXPECT_EQ(n.stack.reassembler().bytes(), 0u);
    EXPECT_EQ(n.pool.stats().buffers_in_use, 0u);  // fragments freed, the datagram read
}

TEST_F(Reassembly, OverlapDiscardsTheWholeDatagram) {
    n.rx_ip(2, fragment(0, 1232, true));
    n.rx_ip(2, fragment(1224, 1240, true));  // overlaps the first by 8 bytes
    EXPECT_EQ(n.drops(StackDrop::kFragmentOverlap), 1u);
    EXPECT_EQ(n.stack.reassembler().bytes(), 0u);
    // Later fragments of the same datagram are discarded too (RFC 5722).
    n.rx_ip(2, fragment(1232, 1232, true));
    n.rx_ip(2, fragment(2464, 544, false));
    n.rx_ip(2, fragment(0, 1232, true));
    EXPECT_FALSE(n.stack.udp().readable(sock));
    EXPECT_EQ(n.drops(StackDrop::kFragmentOverlap), 4u);
    EXPECT_EQ(n.stack.stats().reassembled, 0u);
}

TEST_F(Reassembly, ExactDuplicateIsHarmless) {
    n.rx_ip(2, fragment(0, 1232, true));
    n.rx_ip(2, fragment(0, 1232, true));
    n.rx_ip(2, fragment(1232, 1232, true));
    n.rx_ip(2, fragment(2464, 544, false));
    EXPECT_EQ(received(), payload);
}

TEST_F(Reassembly, TimeoutSendsTimeExceededWithTheFirstFragment) {
    const Bytes first = fragment(0, 1232, true);
    n.rx_ip(2, first);
    n.rx_ip(2, fragment(2464, 544, false));
    EXPECT_EQ(n.stack.reassembler().next_deadline(), n.clock.now() + 60s);
    n.run_for(59s);
    EXPECT_EQ(n.stack.reassembler().datagrams(), 1u);
    n.learn(2, peer, ours);  // NUD gave the silent peer up meanwhile: make it known again
    n.run_for(2s);
    EXPECT_EQ(n.stack.reassembler().datagrams(), 0u);
    EXPECT_EQ(n.drops(StackDrop::kReassemblyTimeout), 1u);
    auto frames = time_exceeded();
    ASSERT_EQ(frames.size(), 1u);
    Decoded d = frames[0];
    EXPECT_EQ(d.upper_bytes[1], 1);  // fragment reassembly time exceeded
    EXPECT_EQ(d.ip.dst, peer);
    // The quote is the first fragment, cut to fit 1280.
    Bytes quote(d.upper_bytes.begin() + 8, d.upper_bytes.end());
    EXPECT_EQ(quote, Bytes(first.begin(), first.begin() + static_cast<long>(quote.size())));
    EXPECT_EQ(n.pool.stats().buffers_in_use, 0u);
}

TEST_F(Reassembly, NoTimeExceededWithoutFirstFragment) {
    n.rx_ip(2, fragment(1232, 1232, true));
    n.link.take();
    n.run_for(61s);
    EXPECT_EQ(n.drops(StackDrop::kReassemblyTimeout), 1u);
    EXPECT_TRUE(time_exceeded().empty());
}

TEST_F(Reassembly, LimitsOnDatagramsAndBytes) {
    for (std::uint32_t id = 0; id < 8; ++id)
        n.rx_ip(2, fragment(0, 1232, true, id));
    EXPECT_EQ(n.stack.reassembler().datagrams(), 8u);
    n.rx_ip(2, fragment(0, 1232, true, 100));
    EXPECT_EQ(n.drops(StackDrop::kReassemblyLimit), 1u);
    EXPECT_EQ(n.stack.reassembler().datagrams(), 8u);
    EXPECT_LE(n.stack.reassembler().bytes(), n.stack.reassembler().limits().max_bytes);
}

TEST_F(Reassembly, ByteLimit) {
    StackConfig sc;
    sc.reassembly.max_bytes = 3000;
    Node m(1, sc);
    m.up_and_settle();
    ASSERT_TRUE(m.stack.add_address(m.if0, ours, 64, true).ok());
    m.rx_ip(2, fragment(0, 1232, true, 1));
    m.rx_ip(2, fragment(0, 1232, true, 2));
    EXPECT_EQ(m.stack.reassembler().bytes(), 2560u);
    m.rx_ip(2, fragment(0, 1232, true, 3));  // a third would pass 3000 bytes
    EXPECT_EQ(m.drops(StackDrop::kReassemblyLimit), 1u);
    EXPECT_EQ(m.stack.reassembler().datagrams(), 2u);
    EXPECT_EQ(m.stack.reassembler().bytes(), 2560u);
}

TEST_F(Reassembly, FragmentLengthNotMultipleOfEightIsParameterProblem) {
    n.rx_ip(2, fragment(0, 1230, true));
    EXPECT_EQ(n.drops(StackDrop::kFragmentInvalid), 1u);
    Decoded d = decode(n.link.take().at(0));
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kParameterProblem));
    auto m = wire::Icmp6Message::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
    EXPECT_EQ(m->pointer(), 4u);  // the Payload Length field
    EXPECT_EQ(n.stack.reassembler().datagrams(), 0u);
}

TEST_F(Reassembly, InconsistentLastFragmentDropsDatagram) {
    n.rx_ip(2, fragment(1232, 1232, true));
    n.rx_ip(2, fragment(8, 536, false));  // ends before data already held
    EXPECT_EQ(n.drops(StackDrop::kFragmentInvalid), 1u);
    EXPECT_EQ(n.stack.reassembler().datagrams(), 0u);
}

TEST_F(Reassembly, AtomicFragmentIsProcessedAtOnce) {
    wire::Ip6FragmentHeader fh;
    fh.next_header = wire::IpProto::kUdp;
    Bytes body(8);
    ASSERT_TRUE(fh.emit(MutableByteSpan(body.data(), 8)).ok());
    Bytes u = udp(peer, ours, 1000, 5000, Bytes{9, 9});
    body.insert(body.end(), u.begin(), u.end());
    n.rx_ip(2, ip6(peer, ours, wire::IpProto::kFragment, 64, body));
    EXPECT_EQ(received(), (Bytes{9, 9}));
    EXPECT_EQ(n.stack.reassembler().datagrams(), 0u);
}

TEST_F(Reassembly, PoolExhaustionIsCountedNotFatal) {
    // Hold the pool's room so the fragment copy fails.
    std::vector<PacketBuffer> hold;
    while (auto b = n.pool.allocate(0, 4096))
        hold.push_back(std::move(*b));
    while (auto b = n.pool.allocate(0, 64))
        hold.push_back(std::move(*b));
    n.rx_ip(2, fragment(0, 1232, true));
    EXPECT_EQ(n.drops(StackDrop::kNoMemory), 1u);
    EXPECT_EQ(n.stack.reassembler().datagrams(), 0u);
    hold.clear();
    n.rx_ip(2, fragment(0, 1232, true));
    EXPECT_EQ(n.stack.reassembler().datagrams(), 1u);
}

}  // namespace
}  // namespace meshwork::stack::test
