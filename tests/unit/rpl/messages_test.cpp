// DIO and DAO bytes (RFC 6550 6.3, 6.4, 6.7): what a root and a router put on the wire, parsed
// back with the wire codec.
#include <gtest/gtest.h>

#include "RplNet.h"

namespace meshwork::rpltest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

TEST(RplMessages, RootDioCarriesConfigurationAndPio) {
    RplNet net(line(1), 12);
    net.start();
    const Ip6Address ll = net[0].node.link_local();
    const Ip6Address group = Ip6Address::all_rpl_nodes();
    const auto bytes = net[0].rpl.build_dio(ll, group);
    wire::PseudoHeader ph{ll, group};
    auto v = wire::RplView::parse(ByteSpan(bytes.data(), bytes.size()), &ph);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->dio().has_value());
    const auto dio = *v->dio();
    EXPECT_EQ(dio.instance_id, 1);
    EXPECT_EQ(dio.version, 240);
    EXPECT_EQ(dio.rank, 128);  // ROOT_RANK = MinHopRankIncrease
    EXPECT_TRUE(dio.grounded);
    EXPECT_EQ(dio.mop, wire::RplMop::kNonStoring);
    EXPECT_EQ(dio.dodag_id, Ip6Address::from_prefix_iid(prefix(), ll.iid()));
    ASSERT_TRUE(v->dodag_config().has_value());
    const auto c = *v->dodag_config();
    EXPECT_EQ(c.dio_interval_min, 12);
    EXPECT_EQ(c.dio_interval_doublings, 9);
    EXPECT_EQ(c.dio_redundancy_constant, 10);
    EXPECT_EQ(c.max_rank_increase, 2048);
    EXPECT_EQ(c.min_hop_rank_increase, 128);
    EXPECT_EQ(c.ocp, 1);
    EXPECT_EQ(c.default_lifetime, 64);
    EXPECT_EQ(c.lifetime_unit, 60);
    EXPECT_EQ(c.pcs(), 1);
    int pios = 0;
    for (const auto &o : v->options())
        if (auto p = o.prefix_info()) {
            ++pios;
            EXPECT_EQ(p->prefix_length, 64);
            EXPECT_EQ(p->flags,
                      wire::PrefixInfo::kFlagAutonomous | wire::PrefixInfo::kFlagRouterAddress);
            EXPECT_EQ(p->prefix, dio.dodag_id);  // R: the root's full address
        }
    EXPECT_EQ(pios, 1);
}

TEST(RplMessages, RouterDaoNamesItsParentAndExternalTargets) {
    RplNet net(line(2), 12);
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 120s));
    const Ip6Address ext = *Ip6Address::from_text("2001:db8:1::abcd");
    net[1].rpl.add_target(ext);
    const Ip6Address g1 = net[1].rpl.global_address(), g0 = net[0].rpl.global_address();
    const auto bytes = net[1].rpl.build_dao(g1, g0, 64);
    wire::PseudoHeader ph{g1, g0};
    auto v = wire::RplView::parse(ByteSpan(bytes.data(), bytes.size()), &ph);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->dao().has_value());
    const auto dao = *v->dao();
    EXPECT_EQ(dao.instance_id, 1);
    EXPECT_TRUE(dao.flags & wire::RplDao::kAckRequested);
    EXPECT_TRUE(dao.has_dodag_id());
    EXPECT_EQ(dao.dodag_id, g0);
    std::vector<Ip6Address> targets;
    std::vector<wire::RplTransit> transits;
    for (const auto &o : v->options()) {
        if (auto t = o.target())
            targets.push_back(t->prefix);
        if (auto t = o.transit())
            transits.push_back(*t);
    }
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_EQ(targets[0], g1);
    EXPECT_EQ(targets[1], ext);
    ASSERT_EQ(transits.size(), 2u);
    for (const auto &t : transits) {
        EXPECT_TRUE(t.has_parent);
        EXPECT_EQ(t.path_lifetime, 64);
    }
    EXPECT_EQ(transits[0].parent, g0);  // the preferred parent's global address (the root)
    EXPECT_EQ(transits[1].parent, g1);  // external targets are reached through this router
    EXPECT_EQ(transits[0].flags, 0);
    EXPECT_EQ(transits[1].flags, wire::RplTransit::kFlagExternal);
    // The external target reaches the root's table with the router as its parent.
    ASSERT_TRUE(net.run_until(
        [&] {
            for (const auto &r : net[0].rpl.dao_routes())
                if (r.target == ext && r.parent == g1)
                    return true;
            return false;
        },
        30s));
}

TEST(RplMessages, LeafNeverSendsDios) {
    RplNet net(line(2), 12, 1, {1});
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 120s));
    net.sched.run_for(60s);
    EXPECT_EQ(net[1].rpl.stats().dio_sent, 0u);
    EXPECT_GT(net[1].rpl.stats().dis_sent, 0u);
    EXPECT_GT(net[0].rpl.stats().dio_sent, 0u);
}

// With advertise_on_join off a joined router stays silent (no DIO, DISs ignored) until its
// owner says it can serve; then its trickle starts at Imin and the node behind it joins.
TEST(RplMessages, RouterNotReadySendsNoDiosUntilSetReady) {
    RplNet net(line(3), 12, 1, {}, rpl::Ocp::kMrhof, [](int id, rpl::RplConfig &c) {
        if (id == 1)
            c.advertise_on_join = false;
    });
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net[1].rpl.joined(); }, 60s));
    net.sched.run_for(60s);
    EXPECT_FALSE(net[1].rpl.advertising());
    EXPECT_EQ(net[1].rpl.stats().dio_sent, 0u);
    EXPECT_FALSE(net[2].rpl.joined());
    EXPECT_GT(net[1].rpl.drops()[rpl::RplDrop::kRoleIgnores], 0u);  // node 2's DISs
    // Node 2 backs its DISs off: 10 s, 20 s, 40 s, then every 60 s.
    EXPECT_LE(net[2].rpl.stats().dis_sent, 5u);
    net[1].rpl.set_ready(true);
    net[1].node.arm();
    EXPECT_TRUE(net[1].rpl.advertising());
    EXPECT_TRUE(net.run_until([&] { return net[2].rpl.joined(); }, 5s));  // within Imin
    EXPECT_GT(net[1].rpl.stats().dio_sent, 0u);
}

TEST(RplMessages, UnicastDisGetsUnicastDioMulticastDisResetsTrickle) {
    RplNet net(line(2), 12);
    net.start();
    net[1].rpl.stop();  // node 1 only listens here
    std::vector<wire::RplDio> dios;
    std::vector<Ip6Address> dsts;
    net[1].node.stack.set_icmp_handler(155,
                                       [&](stack::IfIndex, const wire::Ip6View &ip, ByteSpan m) {
                                           auto v = wire::RplView::parse(m);
                                           if (v && v->dio()) {
                                               dios.push_back(*v->dio());
                                               dsts.push_back(ip.dst());
                                           }
                                           return true;
                                       });
    net.sched.run_for(60s);  // the root's trickle grows past Imin
    EXPECT_GT(net[0].rpl.trickle().interval(), 4096ms);
    dios.clear();
    dsts.clear();
    const std::uint8_t dis[6] = {155, wire::RplCode::kDis, 0, 0, 0, 0};
    stack::OutputRoute route;
    route.ifindex = net[1].node.ifindex;
    route.next_hop = net[0].node.link_local();
    route.src = net[1].node.link_local();
    ASSERT_TRUE(
        net[1].node.stack.send_icmp(route, net[0].node.link_local(), ByteSpan(dis, 6), 255));
    net[1].node.arm();
    net.sched.run_for(1s);
    ASSERT_EQ(dios.size(), 1u);
    EXPECT_EQ(dsts[0], net[1].node.link_local());  // unicast reply
    EXPECT_EQ(dios[0].rank, 128);
    EXPECT_GT(net[0].rpl.trickle().interval(), 4096ms);  // a unicast DIS is no inconsistency
    // A multicast DIS is (RFC 6550 8.3): trickle back to Imin.
    route.next_hop = Ip6Address::all_rpl_nodes();
    ASSERT_TRUE(
        net[1].node.stack.send_icmp(route, Ip6Address::all_rpl_nodes(), ByteSpan(dis, 6), 255));
    net[1].node.arm();
    net.sched.run_for(100ms);
    EXPECT_EQ(net[0].rpl.trickle().interval(), 4096ms);
    EXPECT_EQ(net[0].rpl.stats().dis_received, 2u);
}

// A DAO sequence that gets no DAO-ACK ends after the bound; the parent stays (its link is fine:
// the path beyond it is what fails) and a new sequence starts after a pause of 24 to 48 s.
TEST(RplMessages, DaoRetransmittedUpToTheBoundThenANewSequenceAfterAPause) {
    RplNet net(line(2), 12);
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 120s));
    net[0].rpl.stop();  // DAOs still arrive, but nobody acknowledges them
    net[1].rpl.add_target(*Ip6Address::from_text("2001:db8:1::99"));
    const auto sent = net[1].rpl.stats().dao_sent;
    const auto retx = net[1].rpl.stats().dao_retransmissions;
    // 4 transmissions, timeouts 3 + 6 + 12 + 24 s.
    net.sched.run_for(30s);
    EXPECT_TRUE(net[1].rpl.joined());
    // A new DAO through the same parent leaves the acknowledged path standing until the
    // sequence fails.
    EXPECT_TRUE(net[1].rpl.dao_acknowledged());
    net.sched.run_for(30s);
    EXPECT_FALSE(net[1].rpl.dao_acknowledged());
    EXPECT_EQ(net[1].rpl.stats().dao_sent - sent, 4u);
    EXPECT_EQ(net[1].rpl.stats().dao_retransmissions - retx, 3u);
    EXPECT_EQ(net[1].rpl.stats().dao_failures, 1u);
    EXPECT_TRUE(net[1].rpl.joined());  // the parent kept: no local repair
    EXPECT_EQ(net[1].rpl.stats().local_repairs, 0u);
    EXPECT_EQ(net[1].rpl.stats().parent_changes, 0u);
    net.sched.run_for(40s);  // the failure came 45 s after the first DAO; the pause ends by 93 s
    // Two sequences in all: the first one's four transmissions and the new one's.
    const auto st = net[1].rpl.stats();
    EXPECT_EQ((st.dao_sent - sent) - (st.dao_retransmissions - retx), 2u);
}

}  // namespace
}  // namespace meshwork::rpltest
