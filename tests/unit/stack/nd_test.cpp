// Neighbour discovery, DAD, SLAAC, RS/RA, redirect and MLD through a whole Stack, packet by
// packet with bytes from the src/wire emitters.
#include <gtest/gtest.h>

#include "StackTestUtil.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

std::vector<Decoded> decoded_icmp(const std::vector<Bytes> &frames, std::uint8_t type) {
    std::vector<Decoded> out;
    for (const auto &f : frames) {
        Decoded d = decode(f);
        if (is_icmp(d, type))
            out.push_back(d);
    }
    return out;
}

const NetifAddress *find(const Node &n, const Ip6Address &a) {
    return n.stack.netif(n.if0).find_address(a);
}

TEST(Dad, SendsSolicitationFromUnspecifiedThenPrefers) {
    Node a(1);
    ASSERT_TRUE(a.stack.set_up(a.if0).ok());
    const NetifAddress *ll = find(a, ll_of(1));
    ASSERT_NE(ll, nullptr);
    EXPECT_EQ(ll->state, AddressState::kTentative);
    EXPECT_TRUE(a.stack.link_local(a.if0).is_unspecified());
    a.run_for(1100ms);
    auto ns = decoded_icmp(a.link.take(), wire::Icmp6Type::kNeighborSolicitation);
    ASSERT_EQ(ns.size(), 1u);
    EXPECT_TRUE(ns[0].ip.src.is_unspecified());
    EXPECT_EQ(ns[0].ip.dst, Ip6Address::solicited_node(ll_of(1)));
    EXPECT_EQ(ns[0].ip.hop_limit, 255);
    EXPECT_EQ(ns[0].dst_mac, multicast_mac(Ip6Address::solicited_node(ll_of(1))));
    auto v =
        wire::NdView::parse(ByteSpan(ns[0].upper_bytes.data(), ns[0].upper_bytes.size()), nullptr);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->ns()->target, ll_of(1));
    EXPECT_FALSE(v->options().sllao().has_value());  // RFC 4861 7.2.2: none from ::
    a.run_for(2s);
    EXPECT_EQ(find(a, ll_of(1))->state, AddressState::kPreferred);
    EXPECT_EQ(a.stack.link_local(a.if0), ll_of(1));
    // Then router solicitation, from the link-local address with an SLLAO.
    a.run_for(2s);
    auto rs = decoded_icmp(a.link.take(), wire::Icmp6Type::kRouterSolicitation);
    ASSERT_GE(rs.size(), 1u);
    EXPECT_EQ(rs[0].ip.src, ll_of(1));
    EXPECT_EQ(rs[0].ip.dst, Ip6Address::all_routers_link_local());
}

TEST(Dad, AdvertisementForTentativeAddressIsConflict) {
    Node a(1);
    ASSERT_TRUE(a.stack.set_up(a.if0).ok());
    ASSERT_TRUE(a.stack.join_group(a.if0, addr("ff05::1:3")).ok());  // a report pending
    wire::NdNeighborAdvertisement na;
    na.target = ll_of(1);
    na.flags = wire::NdNeighborAdvertisement::kOverride;
    auto m = nd(ll_of(1), Ip6Address::all_nodes_link_local(), na, [](wire::NdWriter &w) {
        w.add_tllao(wire::NdLinkLayerAddress::from(mac(9).span()));
    });
    a.rx(
        ethernet(multicast_mac(Ip6Address::all_nodes_link_local()), mac(9),
                 ip6(ll_of(1), Ip6Address::all_nodes_link_local(), wire::IpProto::kIcmp6, 255, m)));
    EXPECT_EQ(find(a, ll_of(1))->state, AddressState::kDuplicate);
    EXPECT_EQ(a.stack.stats().dad_failures, 1u);
    EXPECT_TRUE(a.stack.netif(a.if0).disabled);  // RFC 4862 5.4.5
    a.run_for(5s);  // fails if a disabled interface keeps a deadline it never runs
    EXPECT_EQ(find(a, ll_of(1))->state, AddressState::kDuplicate);
    EXPECT_GT(a.stack.next_deadline(), a.clock.now());
}

TEST(Dad, SolicitationFromUnspecifiedForSameTargetIsConflict) {
    Node a(1);
    a.up_and_settle();
    const Ip6Address g = addr("2001:db8::1");
    ASSERT_TRUE(a.stack.add_address(a.if0, g, 64).ok());
    wire::NdNeighborSolicitation ns;
    ns.target = g;
    const Ip6Address sn = Ip6Address::solicited_node(g);
    auto m = nd(Ip6Address(), sn, ns, [](wire::NdWriter &) {});
    a.rx(ethernet(multicast_mac(sn), mac(9), ip6(Ip6Address(), sn, wire::IpProto::kIcmp6, 255, m)));
    EXPECT_EQ(find(a, g)->state, AddressState::kDuplicate);
    EXPECT_FALSE(a.stack.netif(a.if0).disabled);  // only a link-local conflict disables
    EXPECT_FALSE(a.stack.is_local_address(g));
}

TEST(Dad, DefendsPreferredAddressWithAdvertisementToAllNodes) {
    Node a(1);
    a.up_and_settle();
    wire::NdNeighborSolicitation ns;
    ns.target = ll_of(1);
    const Ip6Address sn = Ip6Address::solicited_node(ll_of(1));
    auto m = nd(Ip6Address(), sn, ns, [](wire::NdWriter &) {});
    a.rx(ethernet(multicast_mac(sn), mac(9), ip6(Ip6Address(), sn, wire::IpProto::kIcmp6, 255, m)));
    auto na = decoded_icmp(a.link.take(), wire::Icmp6Type::kNeighborAdvertisement);
    ASSERT_EQ(na.size(), 1u);
    EXPECT_EQ(na[0].ip.dst, Ip6Address::all_nodes_link_local());
    auto v = wire::NdView::parse(ByteSpan(na[0].upper_bytes.data(), na[0].upper_bytes.size()));
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->na()->flags & wire::NdNeighborAdvertisement::kSolicited, 0);
    EXPECT_EQ(find(a, ll_of(1))->state, AddressState::kPreferred);
}

Bytes router_advert(std::uint32_t valid1, std::uint32_t pref1) {
    wire::NdRouterAdvertisement ra;
    ra.cur_hop_limit = 32;
    ra.router_lifetime = 1800;
    ra.reachable_time = 20000;
    ra.retrans_timer = 500;
    return nd(ll_of(9), Ip6Address::all_nodes_link_local(), ra, [&](wire::NdWriter &w) {
        w.add_sllao(wire::NdLinkLayerAddress::from(mac(9).span()));
        w.add_mtu(1400);
        wire::PrefixInfo p1;
        p1.prefix = addr("2001:db8:1::");
        p1.prefix_length = 64;
        p1.flags = wire::PrefixInfo::kFlagOnLink | wire::PrefixInfo::kFlagAutonomous;
        p1.valid_lifetime = valid1;
        p1.preferred_lifetime = pref1;
        w.add(p1);
        wire::PrefixInfo p2;
        p2.prefix = addr("2001:db8:2::");
        p2.prefix_length = 64;
        p2.flags = wire::PrefixInfo::kFlagAutonomous;  // not on-link
        p2.valid_lifetime = 7200;
        p2.preferred_lifetime = 7200;
        w.add(p2);
    });
}

void rx_ra(Node &h, const Bytes &ra) {
    h.rx(ethernet(
        multicast_mac(Ip6Address::all_nodes_link_local()), mac(9),
        ip6(ll_of(9), Ip6Address::all_nodes_link_local(), wire::IpProto::kIcmp6, 255, ra)));
}

TEST(Slaac, RouterAdvertisementWithTwoPrefixes) {
    Node h(1);
    h.up_and_settle();
    rx_ra(h, router_advert(3600, 1800));
    const Ip6Address a1 = addr("2001:db8:1::ff:fe00:1"), a2 = addr("2001:db8:2::ff:fe00:1");
    ASSERT_NE(find(h, a1), nullptr);
    ASSERT_NE(find(h, a2), nullptr);
    EXPECT_EQ(find(h, a1)->state, AddressState::kTentative);
    const Netif &nif = h.stack.netif(h.if0);
    EXPECT_EQ(nif.cur_hop_limit, 32);
    EXPECT_EQ(nif.mtu, 1400u);
    EXPECT_EQ(nif.retrans_timer, Duration(500ms));
    EXPECT_EQ(nif.base_reachable_time, Duration(20s));
    // The router is a STALE neighbour with IsRouter, and the default route.
    const auto *r = nif.neighbors.find(ll_of(9));
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->state, NeighborState::kStale);
    EXPECT_TRUE(r->is_router);
    const Route *def = h.stack.routes().lookup(addr("2001:db8:77::1"));
    ASSERT_NE(def, nullptr);
    EXPECT_EQ(def->next_hop, ll_of(9));
    EXPECT_EQ(def->origin, RouteOrigin::kDefaultRouter);
    // L set only on the first prefix.
    const Route *onlink = h.stack.routes().lookup(addr("2001:db8:1::5"));
    ASSERT_NE(onlink, nullptr);
    EXPECT_TRUE(onlink->on_link());
    EXPECT_FALSE(h.stack.routes().lookup(addr("2001:db8:2::5"))->on_link());
    // DAD for both, then preferred.
    h.run_for(3s);
    auto ns = decoded_icmp(h.link.take(), wire::Icmp6Type::kNeighborSolicitation);
    EXPECT_EQ(ns.size(), 2u);
    EXPECT_EQ(find(h, a1)->state, AddressState::kPreferred);
    EXPECT_EQ(find(h, a2)->state, AddressState::kPreferred);
    EXPECT_TRUE(h.stack.is_local_address(a1));
    // Lifetimes: deprecated after the preferred lifetime, gone after the valid one.
    h.run_for(1800s);
    EXPECT_EQ(find(h, a1)->state, AddressState::kDeprecated);
    EXPECT_TRUE(h.stack.is_local_address(a1));
    h.run_for(1800s);
    EXPECT_EQ(find(h, a1), nullptr);
    // The on-link route and the default router (lifetime 1800 s) have expired as well.
    EXPECT_EQ(h.stack.routes().lookup(addr("2001:db8:1::5")), nullptr);
    Route def2;
    def2.ifindex = h.if0;
    def2.next_hop = ll_of(9);
    h.stack.routes().add(def2);
    // Source selection prefers the remaining global address.
    auto route = h.stack.route_output(addr("2001:db8:77::1"));
    ASSERT_TRUE(route.ok());
    EXPECT_EQ(route->src, a2);
}

TEST(Slaac, TwoHourRuleIgnoresShortValidLifetime) {
    Node h(1);
    h.up_and_settle();
    rx_ra(h, router_advert(100000, 50000));
    const Ip6Address a1 = addr("2001:db8:1::ff:fe00:1");
    h.run_for(3s);
    rx_ra(h, router_advert(60, 30));  // RFC 4862 5.5.3 (e): a forged short lifetime
    const Instant t = h.clock.now();
    EXPECT_EQ(find(h, a1)->valid_until, t + std::chrono::hours(2));
    EXPECT_EQ(find(h, a1)->preferred_until, t + 30s);
}

TEST(Slaac, RouterLifetimeZeroRemovesDefaultRoute) {
    Node h(1);
    h.up_and_settle();
    rx_ra(h, router_advert(3600, 1800));
    ASSERT_NE(h.stack.routes().lookup(addr("2001:db8:77::1")), nullptr);
    wire::NdRouterAdvertisement ra;  // lifetime 0: no longer a default router
    rx_ra(h, nd(ll_of(9), Ip6Address::all_nodes_link_local(), ra, [](wire::NdWriter &) {}));
    EXPECT_EQ(h.stack.routes().lookup(addr("2001:db8:77::1")), nullptr);
}

TEST(Nd, RaWithWrongHopLimitIsDropped) {
    Node h(1);
    h.up_and_settle();
    Bytes ra = router_advert(3600, 1800);
    h.rx(ethernet(
        multicast_mac(Ip6Address::all_nodes_link_local()), mac(9),
        ip6(ll_of(9), Ip6Address::all_nodes_link_local(), wire::IpProto::kIcmp6, 254, ra)));
    EXPECT_EQ(h.drops(StackDrop::kNdInvalid), 1u);
    EXPECT_EQ(h.stack.routes().lookup(addr("2001:db8:77::1")), nullptr);
}

TEST(Nd, AddressResolutionThroughTheStack) {
    Node a(1);
    a.up_and_settle();
    ASSERT_TRUE(a.stack.ping(ll_of(2), 7, 1).ok());
    auto frames = a.link.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded ns = decode(frames[0]);
    ASSERT_TRUE(is_icmp(ns, wire::Icmp6Type::kNeighborSolicitation));
    EXPECT_EQ(ns.ip.src, ll_of(1));
    EXPECT_EQ(ns.dst_mac, LinkAddress::ethernet(0x33, 0x33, 0xff, 0x00, 0x00, 0x02));
    auto v = wire::NdView::parse(ByteSpan(ns.upper_bytes.data(), ns.upper_bytes.size()));
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->options().sllao()->address.subspan(0, 6).equals(mac(1).span()));
    // The solicited NA releases the queued echo request to mac(2).
    wire::NdNeighborAdvertisement na;
    na.target = ll_of(2);
    na.flags = wire::NdNeighborAdvertisement::kSolicited | wire::NdNeighborAdvertisement::kOverride;
    auto m = nd(ll_of(2), ll_of(1), na, [](wire::NdWriter &w) {
        w.add_tllao(wire::NdLinkLayerAddress::from(mac(2).span()));
    });
    a.rx_ip(2, ip6(ll_of(2), ll_of(1), wire::IpProto::kIcmp6, 255, m));
    frames = a.link.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded echo = decode(frames[0]);
    EXPECT_TRUE(is_icmp(echo, wire::Icmp6Type::kEchoRequest));
    EXPECT_EQ(echo.dst_mac, mac(2));
    EXPECT_EQ(a.stack.netif(a.if0).neighbors.find(ll_of(2))->state, NeighborState::kReachable);
}

TEST(Nd, ResolutionFailureCountsAddressUnreachable) {
    Node a(1);
    a.up_and_settle();
    ASSERT_TRUE(a.stack.ping(ll_of(2), 7, 1).ok());
    a.run_for(5s);
    auto ns = decoded_icmp(a.link.take(), wire::Icmp6Type::kNeighborSolicitation);
    EXPECT_EQ(ns.size(), 3u);
    EXPECT_EQ(a.drops(StackDrop::kAddressUnreachable), 1u);
    EXPECT_EQ(a.stack.netif(a.if0).neighbors.find(ll_of(2)), nullptr);
}

TEST(Nd, SolicitationIsAnsweredWithSolicitedAdvertisement) {
    Node a(1);
    a.up_and_settle();
    wire::NdNeighborSolicitation ns;
    ns.target = ll_of(1);
    const Ip6Address sn = Ip6Address::solicited_node(ll_of(1));
    auto m = nd(ll_of(5), sn, ns, [](wire::NdWriter &w) {
        w.add_sllao(wire::NdLinkLayerAddress::from(mac(5).span()));
    });
    a.rx(ethernet(multicast_mac(sn), mac(5), ip6(ll_of(5), sn, wire::IpProto::kIcmp6, 255, m)));
    auto frames = a.link.take();
    ASSERT_EQ(frames.size(), 1u);
    Decoded d = decode(frames[0]);
    ASSERT_TRUE(is_icmp(d, wire::Icmp6Type::kNeighborAdvertisement));
    EXPECT_EQ(d.dst_mac, mac(5));  // straight from the SLLAO, no resolution
    EXPECT_EQ(d.ip.dst, ll_of(5));
    EXPECT_EQ(d.ip.hop_limit, 255);
    auto v = wire::NdView::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()), nullptr);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->na()->flags,
              wire::NdNeighborAdvertisement::kSolicited | wire::NdNeighborAdvertisement::kOverride);
    EXPECT_TRUE(v->options().tllao()->address.subspan(0, 6).equals(mac(1).span()));
}

TEST(Redirect, FromCurrentRouterInstallsHostRoute) {
    Node h(1);
    h.up_and_settle();
    rx_ra(h, router_advert(3600, 1800));
    h.run_for(3s);
    h.link.take();
    const Ip6Address dest = addr("2001:db8:99::1");
    wire::NdRedirect rd;
    rd.target = ll_of(7);
    rd.destination = dest;
    auto build = [&](std::uint8_t from) {
        auto m = nd(ll_of(from), ll_of(1), rd, [](wire::NdWriter &w) {
            w.add_tllao(wire::NdLinkLayerAddress::from(mac(7).span()));
        });
        return ip6(ll_of(from), ll_of(1), wire::IpProto::kIcmp6, 255, m);
    };
    h.rx_ip(5, build(5));  // not the first-hop router: ignored (RFC 4861 8.1)
    EXPECT_EQ(h.stack.routes().lookup(dest)->prefix_length, 0);
    h.rx_ip(9, build(9));
    const Route *r = h.stack.routes().lookup(dest);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->prefix_length, 128);
    EXPECT_EQ(r->next_hop, ll_of(7));
    EXPECT_EQ(r->origin, RouteOrigin::kRedirect);
    ASSERT_TRUE(h.stack.ping(dest, 1, 1).ok());
    auto frames = h.link.take();
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(decode(frames[0]).dst_mac, mac(7));
}

TEST(RouterAdvertisement, AnswersSolicitationWithPrefixes) {
    StackConfig sc;
    sc.forwarding = true;
    NetifConfig nc;
    nc.advertise = true;
    AdvertisedPrefix p;
    p.prefix = addr("2001:db8:5::");
    nc.prefixes.push_back(p);
    Node r(9, sc, nc);
    r.up_and_settle();
    r.run_for(60s);  // the initial unsolicited RAs
    r.link.take();
    auto m =
        nd(ll_of(1), Ip6Address::all_routers_link_local(), wire::NdRouterSolicitation{},
           [](wire::NdWriter &w) { w.add_sllao(wire::NdLinkLayerAddress::from(mac(1).span())); });
    r.rx(ethernet(
        multicast_mac(Ip6Address::all_routers_link_local()), mac(1),
        ip6(ll_of(1), Ip6Address::all_routers_link_local(), wire::IpProto::kIcmp6, 255, m)));
    r.run_for(600ms);
    auto ras = decoded_icmp(r.link.take(), wire::Icmp6Type::kRouterAdvertisement);
    ASSERT_EQ(ras.size(), 1u);
    EXPECT_EQ(ras[0].ip.src, ll_of(9));
    auto v = wire::NdView::parse(ByteSpan(ras[0].upper_bytes.data(), ras[0].upper_bytes.size()),
                                 nullptr);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->ra()->router_lifetime, 1800);
    int pios = 0;
    for (wire::NdOption o : v->options())
        if (auto pio = o.prefix_info()) {
            ++pios;
            EXPECT_EQ(pio->prefix, addr("2001:db8:5::"));
            EXPECT_TRUE(pio->flags & wire::PrefixInfo::kFlagAutonomous);
        }
    EXPECT_EQ(pios, 1);
    // The soliciting host became a STALE neighbour.
    EXPECT_NE(r.stack.netif(r.if0).neighbors.find(ll_of(1)), nullptr);
}

TEST(Mld, JoinSendsReportsWithRouterAlertAndAnswersQueries) {
    Node a(1);
    a.up_and_settle();
    const Ip6Address g = addr("ff05::1:3");
    ASSERT_TRUE(a.stack.join_group(a.if0, g).ok());
    a.run_for(1100ms);
    auto reps = decoded_icmp(a.link.take(), wire::MldType::kV2Report);
    ASSERT_EQ(reps.size(), 2u);  // robustness 2
    for (const auto &d : reps) {
        EXPECT_EQ(d.ip.dst, Ip6Address::all_mldv2_routers());
        EXPECT_EQ(d.ip.hop_limit, 1);
        EXPECT_EQ(d.ip.next_header, wire::IpProto::kHopByHop);
        EXPECT_EQ(d.payload[2], wire::Ip6OptionType::kRouterAlert);
        auto m =
            wire::MldMessage::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()), nullptr);
        ASSERT_TRUE(m.ok());
        ASSERT_EQ(m->record_count, 1);
        EXPECT_EQ(m->records[0].group, g);
        EXPECT_EQ(m->records[0].type, wire::MldRecordType::kChangeToExclude);
    }
    // A general query: one report of every group but ff02::1, within the response delay.
    wire::MldMessage q;
    q.type = wire::MldType::kQuery;
    q.max_response_code = 1000;  // ms
    Bytes qb(q.emitted_size());
    ASSERT_TRUE(q.emit(MutableByteSpan(qb.data(), qb.size()),
                       {ll_of(9), Ip6Address::all_nodes_link_local()})
                    .ok());
    a.rx(ethernet(multicast_mac(Ip6Address::all_nodes_link_local()), mac(9),
                  ip6(ll_of(9), Ip6Address::all_nodes_link_local(), wire::IpProto::kIcmp6, 1, qb)));
    a.run_for(1100ms);
    reps = decoded_icmp(a.link.take(), wire::MldType::kV2Report);
    std::vector<Ip6Address> groups;
    for (const auto &d : reps) {
        auto m = wire::MldMessage::parse(ByteSpan(d.upper_bytes.data(), d.upper_bytes.size()));
        ASSERT_TRUE(m.ok());
        for (int i = 0; i < m->record_count; ++i) {
            EXPECT_EQ(m->records[i].type, wire::MldRecordType::kModeIsExclude);
            groups.push_back(m->records[i].group);
        }
    }
    std::sort(groups.begin(), groups.end());
    std::vector<Ip6Address> want = {Ip6Address::solicited_node(ll_of(1)), g};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(groups, want);
    // Leaving sends a state change to INCLUDE {}.
    ASSERT_TRUE(a.stack.leave_group(a.if0, g).ok());
    reps = decoded_icmp(a.link.take(), wire::MldType::kV2Report);
    ASSERT_EQ(reps.size(), 1u);
    auto m =
        wire::MldMessage::parse(ByteSpan(reps[0].upper_bytes.data(), reps[0].upper_bytes.size()));
    EXPECT_EQ(m->records[0].type, wire::MldRecordType::kChangeToInclude);
}

}  // namespace
}  // namespace meshwork::stack::test
