// The stack's RPL data plane (docs/rpl.md): source routing header processing on a forwarding
// node (RFC 6554 4.2) with its errors and loop check, IPv6-in-IPv6 decapsulation, and the
// RplDataPlane hooks: source routes on originated packets, tunnelling of forwarded ones, the
// RPL option and its rank check (RFC 6553, RFC 6550 11.2).
#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

const Ip6Address kMe = addr("2001:db8::1");
const Ip6Address kSrc = addr("2001:db8::9");

StackConfig rpl_config() {
    StackConfig c;
    c.forwarding = true;
    c.rpl_data_plane = true;
    c.ip6_in_ip6 = true;
    c.send_redirects = false;
    return c;
}

struct Router : Node {
    explicit Router(StackConfig c = rpl_config()) : Node(1, c) {
        up_and_settle();
        EXPECT_TRUE(stack.add_address(if0, kMe, 64, true).ok());
        learn(3, addr("2001:db8::3"), kMe);
        learn(9, kSrc, kMe);
    }
};

/// IPv6 + SRH(addresses, segments_left) + UDP to port 7.
Bytes srh_packet(const Ip6Address &dst, std::vector<Ip6Address> addrs, std::uint8_t sl,
                 std::uint8_t hop = 64) {
    wire::RplSourceRouteHeader h;
    h.next_header = wire::IpProto::kUdp;
    h.address_count = static_cast<std::uint8_t>(addrs.size());
    for (std::size_t i = 0; i < addrs.size(); ++i)
        h.addresses[i] = addrs[i];
    h.segments_left = static_cast<std::uint8_t>(sl > addrs.size() ? addrs.size() : sl);
    h.choose_compression(dst);
    Bytes ext(h.emitted_size());
    EXPECT_TRUE(h.emit(MutableByteSpan(ext.data(), ext.size()), dst).ok());
    ext[3] = sl;
    const Bytes u = udp(kSrc, addrs.back(), 5000, 7, Bytes{1, 2, 3});
    ext.insert(ext.end(), u.begin(), u.end());
    return ip6(kSrc, dst, wire::IpProto::kRouting, hop, ext);
}

TEST(RplDataPlane, SourceRouteSwapsDestinationAndForwards) {
    Router r;
    r.rx_ip(9, srh_packet(kMe, {addr("2001:db8::3"), addr("2001:db8::5")}, 2));
    auto frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    const Decoded d = decode(frames[0]);
    EXPECT_EQ(d.dst_mac, mac(3));
    EXPECT_EQ(d.ip.dst, addr("2001:db8::3"));
    EXPECT_EQ(d.ip.hop_limit, 63);
    auto h =
        wire::RplSourceRouteHeader::parse(ByteSpan(d.payload.data(), d.payload.size()), d.ip.dst);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->segments_left, 1);
    EXPECT_EQ(h->addresses[0], kMe);  // swapped in
    EXPECT_EQ(h->addresses[1], addr("2001:db8::5"));
    EXPECT_EQ(r.stack.stats().srh_forwarded, 1u);
}

TEST(RplDataPlane, SegmentsLeftBeyondTheAddressesIsAParameterProblem) {
    Router r;
    r.rx_ip(9, srh_packet(kMe, {addr("2001:db8::3"), addr("2001:db8::5")}, 3));
    auto frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    const Decoded d = decode(frames[0]);
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kParameterProblem));
    EXPECT_EQ(d.upper_bytes[1], wire::Icmp6ParamProblem::kErroneousHeaderField);
    // The pointer names Segments Left: 40 + 3.
    EXPECT_EQ(d.upper_bytes[7], 43);
    EXPECT_EQ(r.drops(StackDrop::kRoutingHeader), 1u);
}

TEST(RplDataPlane, OurAddressTwiceWithAnotherBetweenIsALoop) {
    Router r;
    r.rx_ip(9, srh_packet(kMe, {kMe, addr("2001:db8::3"), kMe, addr("2001:db8::5")}, 4));
    auto frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_TRUE(is_icmp(decode(frames[0]), wire::Icmp6Type::kParameterProblem));
    EXPECT_EQ(r.drops(StackDrop::kRplLoop), 1u);
    EXPECT_EQ(r.stack.stats().srh_forwarded, 0u);
}

TEST(RplDataPlane, WithoutTheFlagTypeThreeIsRefusedAsBefore) {
    StackConfig c = rpl_config();
    c.rpl_data_plane = false;
    Router r(c);
    r.rx_ip(9, srh_packet(kMe, {addr("2001:db8::3"), addr("2001:db8::5")}, 2));
    auto frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    const Decoded d = decode(frames[0]);
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kParameterProblem));
    EXPECT_EQ(d.upper_bytes[7], 42);  // the routing type
    EXPECT_EQ(r.drops(StackDrop::kRoutingHeader), 1u);
}

TEST(RplDataPlane, IpInIpAddressedToUsIsDecapsulated) {
    Router r;
    auto s = r.stack.udp().open();
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(r.stack.udp().bind(*s, Ip6Address(), 7).ok());
    const Bytes inner =
        ip6(kSrc, kMe, wire::IpProto::kUdp, 60, udp(kSrc, kMe, 5000, 7, Bytes{9, 8}));
    r.rx_ip(9, ip6(addr("2001:db8::77"), kMe, wire::IpProto::kIpv6, 64, inner));
    std::uint8_t buf[8];
    UdpDatagramInfo info;
    auto n = r.stack.udp().recv_from(*s, MutableByteSpan(buf, sizeof buf), &info);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 2u);
    EXPECT_EQ(info.src, kSrc);
    EXPECT_EQ(r.stack.stats().decapsulated, 1u);
}

struct FakeRpl final : RplDataPlane {
    std::vector<Ip6Address> path;
    std::optional<wire::RplHopOption> option;
    std::uint16_t rank = 512;
    bool source_route(const Ip6Address &dst, SourceRoute &out) override {
        if (path.empty() || path.back() != dst)
            return false;
        out.count = static_cast<std::uint8_t>(path.size());
        for (std::size_t i = 0; i < path.size(); ++i)
            out.hops[i] = path[i];
        return true;
    }
    std::optional<wire::RplHopOption> rpl_option(const Ip6Address &) override { return option; }
    bool forward_rpl_option(wire::RplHopOption &o) override {
        if (o.sender_rank / 128 <= rank / 128) {
            if (o.rank_error())
                return false;
            o.flags |= wire::RplHopOption::kFlagRankError;
        }
        o.sender_rank = rank;
        return true;
    }
};

TEST(RplDataPlane, OriginatedPacketsGetTheSourceRouteAndTheRplOption) {
    Router r;
    FakeRpl fake;
    fake.path = {addr("2001:db8::3"), addr("2001:db8::4"), addr("2001:db8::5")};
    r.stack.set_rpl_data_plane(&fake);
    auto s = r.stack.udp().open();
    const std::uint8_t data[3] = {1, 2, 3};
    ASSERT_TRUE(r.stack.udp().send_to(*s, addr("2001:db8::5"), 7, ByteSpan(data, 3)).ok());
    auto frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded d = decode(frames[0]);
    EXPECT_EQ(d.dst_mac, mac(3));
    EXPECT_EQ(d.ip.dst, addr("2001:db8::3"));
    ASSERT_EQ(d.ip.next_header, wire::IpProto::kRouting);
    auto h =
        wire::RplSourceRouteHeader::parse(ByteSpan(d.payload.data(), d.payload.size()), d.ip.dst);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->address_count, 2);
    EXPECT_EQ(h->segments_left, 2);
    EXPECT_EQ(h->addresses[1], addr("2001:db8::5"));
    EXPECT_EQ(h->next_header, wire::IpProto::kUdp);
    EXPECT_EQ(r.stack.stats().srh_originated, 1u);

    // The RPL option on a packet going up (no source route for this destination).
    fake.path.clear();
    wire::RplHopOption o;
    o.instance_id = 1;
    o.sender_rank = 512;
    fake.option = o;
    ASSERT_TRUE(r.stack.udp().send_to(*s, kSrc, 7, ByteSpan(data, 3)).ok());
    frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    d = decode(frames[0]);
    ASSERT_EQ(d.ip.next_header, wire::IpProto::kHopByHop);
    auto hbh = wire::Ip6OptionsHeader::parse(ByteSpan(d.payload.data(), d.payload.size()));
    ASSERT_TRUE(hbh.ok());
    EXPECT_TRUE(hbh->has_rpl);
    EXPECT_EQ(hbh->rpl.sender_rank, 512);
    EXPECT_EQ(hbh->next_header, wire::IpProto::kUdp);
    r.stack.set_rpl_data_plane(nullptr);
}

// ND's answer to a neighbour that registered goes straight to it (OutputRoute::direct), even
// when the root's DAO table still holds an older, longer path to it.
TEST(RplDataPlane, ADirectPacketGetsNoSourceRoute) {
    Router r;
    r.learn(5, addr("2001:db8::5"), kMe);
    FakeRpl fake;
    fake.path = {addr("2001:db8::3"), addr("2001:db8::5")};
    r.stack.set_rpl_data_plane(&fake);
    const std::uint8_t echo[8] = {128, 0, 0, 0, 0, 1, 0, 1};  // checksum filled by the stack
    OutputRoute route;
    route.ifindex = r.if0;
    route.next_hop = addr("2001:db8::5");
    route.src = kMe;
    for (bool direct : {false, true}) {
        route.direct = direct;
        ASSERT_TRUE(r.stack.send_icmp(route, addr("2001:db8::5"), ByteSpan(echo, 8), 255).ok());
        auto frames = r.link.take();
        ASSERT_EQ(frames.size(), 1u);
        const Decoded d = decode(frames[0]);
        EXPECT_EQ(d.dst_mac, mac(direct ? 5 : 3));
        EXPECT_EQ(d.ip.next_header, direct ? wire::IpProto::kIcmp6 : wire::IpProto::kRouting);
        EXPECT_EQ(d.ip.hop_limit, 255);
    }
    r.stack.set_rpl_data_plane(nullptr);
}

Bytes rpi_packet(std::uint8_t flags, std::uint16_t rank) {
    wire::Ip6OptionsHeader h;
    h.next_header = wire::IpProto::kUdp;
    h.has_rpl = true;
    h.rpl.flags = flags;
    h.rpl.instance_id = 1;
    h.rpl.sender_rank = rank;
    Bytes ext(h.emitted_size());
    EXPECT_TRUE(h.emit(MutableByteSpan(ext.data(), ext.size())).ok());
    const Bytes u = udp(kSrc, addr("2001:db8::3"), 5000, 7, Bytes{1});
    ext.insert(ext.end(), u.begin(), u.end());
    return ip6(kSrc, addr("2001:db8::3"), wire::IpProto::kHopByHop, 64, ext);
}

TEST(RplDataPlane, RankErrorFlaggedOnceThenDropped) {
    Router r;
    FakeRpl fake;
    r.stack.set_rpl_data_plane(&fake);
    // Going up from a sender ranked above us (1024 > 512): consistent, SenderRank updated.
    r.rx_ip(9, rpi_packet(0, 1024));
    auto frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded d = decode(frames[0]);
    auto hbh = wire::Ip6OptionsHeader::parse(ByteSpan(d.payload.data(), d.payload.size()));
    ASSERT_TRUE(hbh.ok());
    EXPECT_EQ(hbh->rpl.sender_rank, 512);
    EXPECT_FALSE(hbh->rpl.rank_error());
    // From a sender not ranked above us: R set, forwarded.
    r.rx_ip(9, rpi_packet(0, 256));
    frames = r.link.take();
    ASSERT_EQ(frames.size(), 1u);
    d = decode(frames[0]);
    hbh = wire::Ip6OptionsHeader::parse(ByteSpan(d.payload.data(), d.payload.size()));
    EXPECT_TRUE(hbh->rpl.rank_error());
    EXPECT_EQ(r.stack.stats().rpl_rank_errors, 1u);
    // Already flagged: dropped.
    r.rx_ip(9, rpi_packet(wire::RplHopOption::kFlagRankError, 256));
    EXPECT_TRUE(r.link.take().empty());
    EXPECT_EQ(r.drops(StackDrop::kRplLoop), 1u);
    r.stack.set_rpl_data_plane(nullptr);
}

}  // namespace
}  // namespace meshwork::stack::test
