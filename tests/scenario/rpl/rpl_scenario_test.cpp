// RPL end to end in virtual time (docs/rpl.md): a five-hop line forms with the expected ranks,
// a child following its parent's rank up,
// UDP up to the root, down from the root by source routes and between two non-root nodes
// (up to the root and down again, tunnelled), a router removed mid-run and the DODAG repairing,
// a global repair (a new DODAG version) recovering, and identical captures for identical seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "RplNet.h"
#include "testbed/Capture802154.h"

namespace meshwork::rpltest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

stack::UdpSockets::SocketId listen(Node &n, std::uint16_t port) {
    auto s = n.stack.udp().open();
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(n.stack.udp().bind(*s, Ip6Address(), port));
    return *s;
}

bool send_udp(Node &from, const Ip6Address &to, std::uint16_t port, std::uint8_t tag) {
    auto s = from.stack.udp().open();
    if (!s)
        return false;
    const std::uint8_t data[8] = {tag, 1, 2, 3, 4, 5, 6, 7};
    const bool ok = from.stack.udp().send_to(*s, to, port, ByteSpan(data, sizeof data)).ok();
    (void)from.stack.udp().close(*s);
    from.arm();
    return ok;
}

/// Datagrams waiting on `s` (drained), with their sources.
std::vector<std::pair<Ip6Address, std::uint8_t>> drain(Node &n, stack::UdpSockets::SocketId s) {
    std::vector<std::pair<Ip6Address, std::uint8_t>> out;
    std::uint8_t buf[64];
    for (;;) {
        stack::UdpDatagramInfo info;
        auto r = n.stack.udp().recv_from(s, MutableByteSpan(buf, sizeof buf), &info);
        if (!r)
            break;
        out.emplace_back(info.src, *r > 0 ? buf[0] : 0);
    }
    return out;
}

// The parent's rank rising (its own link got worse) is followed, not detached from: in a line
// the child has no other parent, and it keeps this one with a rank above it, at once (the
// rise resets the parent's trickle timer).
TEST(RplScenario, ChildFollowsItsParentsRankUp) {
    RplNet net(line(4), 12);
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    net.sched.run_for(30s);
    const auto repairs = net[2].rpl.stats().local_repairs;
    const auto changes = net[2].rpl.stats().parent_changes;
    const std::uint16_t before = net[1].rpl.rank();
    // Node 1's link to the root fails a few times: its ETX, and so its rank, goes up.
    ASSERT_FALSE(net[1].rpl.neighbors().empty());
    const wire::MacAddress root_mac = net[1].rpl.neighbors().front().mac;
    for (int i = 0; i < 2; ++i)
        net[1].rpl.on_tx(root_mac, false, 4);
    net[1].rpl.on_tx(root_mac, true, 4);  // not three failures in a row: the root stays
    net[1].node.arm();
    net.sched.run_for(10s);  // Imin is 4 s: the reset DIO has gone out
    ASSERT_TRUE(net[1].rpl.joined());
    ASSERT_GT(net[1].rpl.rank() / 128, before / 128) << "the test needs a DAGRank rise";
    EXPECT_TRUE(net[2].rpl.joined());
    EXPECT_EQ(net[2].rpl.stats().local_repairs, repairs);
    EXPECT_EQ(net[2].rpl.stats().parent_changes, changes);
    ASSERT_TRUE(net[2].rpl.preferred_parent().has_value());
    EXPECT_EQ(*net[2].rpl.preferred_parent(), net[1].node.link_local());
    EXPECT_GT(net[2].rpl.rank() / 128, net[1].rpl.rank() / 128);
    EXPECT_GT(net[3].rpl.rank() / 128, net[2].rpl.rank() / 128);
}

TEST(RplScenario, FiveHopLineFormsWithOf0Ranks) {
    RplNet net(line(6), 12, 1, {}, rpl::Ocp::kOf0);
    net.start();
    const Instant t0 = net.sched.clock().now();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    const auto formed =
        std::chrono::duration_cast<std::chrono::milliseconds>(net.sched.clock().now() - t0);
    RecordProperty("formation_ms", static_cast<int>(formed.count()));
    std::printf("five-hop line joined and DAO-acknowledged in %lld ms of virtual time\n",
                static_cast<long long>(formed.count()));
    for (int i = 0; i < 6; ++i) {
        SCOPED_TRACE(i);
        // OF0 (RFC 6552): ROOT_RANK 128, then (1 * 3 + 0) * 128 per hop.
        EXPECT_EQ(net[i].rpl.rank(), 128 + 384 * i);
        EXPECT_EQ(net[i].rpl.dodag_id(), net[0].rpl.global_address());
        if (i > 0) {
            ASSERT_TRUE(net[i].rpl.preferred_parent().has_value());
            EXPECT_EQ(*net[i].rpl.preferred_parent(), net[i - 1].node.link_local());
            // The global address formed from the PIO prefix and the link-local IID.
            EXPECT_EQ(net[i].rpl.global_address(),
                      Ip6Address::from_prefix_iid(prefix(), net[i].node.link_local().iid()));
        }
    }
    // Each non-root node's default route is its preferred parent's link-local address.
    for (int i = 1; i < 6; ++i) {
        const auto *r = net[i].node.stack.routes().lookup(net[0].rpl.global_address());
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->prefix_length, 0);
        EXPECT_EQ(r->next_hop, net[i - 1].node.link_local());
    }
    // The root's DAO table: every node, with its parent's global address.
    const auto &table = net[0].rpl.dao_routes();
    EXPECT_EQ(table.size(), 5u);
    for (int i = 1; i < 6; ++i) {
        auto it = std::find_if(table.begin(), table.end(), [&](const rpl::RplDaoRoute &r) {
            return r.target == net[i].rpl.global_address();
        });
        ASSERT_NE(it, table.end());
        EXPECT_EQ(it->parent, net[i - 1].rpl.global_address());
    }
    stack::SourceRoute sr;
    ASSERT_TRUE(net[0].rpl.source_route(net[5].rpl.global_address(), sr));
    ASSERT_EQ(sr.count, 5);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(sr.hops[i], net[i + 1].rpl.global_address());
}

TEST(RplScenario, FiveHopLineFormsWithMrhof) {
    RplNet net(line(6), 12, 3);
    net.start();
    const Instant t0 = net.sched.clock().now();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    const auto formed =
        std::chrono::duration_cast<std::chrono::milliseconds>(net.sched.clock().now() - t0);
    RecordProperty("formation_ms", static_cast<int>(formed.count()));
    std::printf("five-hop line joined and DAO-acknowledged in %lld ms of virtual time\n",
                static_cast<long long>(formed.count()));
    EXPECT_EQ(net[0].rpl.rank(), 128);
    EXPECT_EQ(net[1].rpl.objective().ocp(), rpl::Ocp::kMrhof);
    for (int i = 1; i < 6; ++i) {
        SCOPED_TRACE(i);
        ASSERT_TRUE(net[i].rpl.preferred_parent().has_value());
        EXPECT_EQ(*net[i].rpl.preferred_parent(), net[i - 1].node.link_local());
        // RFC 6719 3.3: at least one MinHopRankIncrease above the parent, at most the parent's
        // rank plus MAX_LINK_METRIC (ETX 4); the rank is the parent's plus the link's ETX.
        EXPECT_GE(net[i].rpl.rank(), net[i - 1].rpl.rank() + 128);
        EXPECT_LE(net[i].rpl.rank(), net[i - 1].rpl.rank() + 512);
        const auto &nb = net[i].rpl.neighbors();
        auto p = std::find_if(nb.begin(), nb.end(), [&](const rpl::RplNeighbor &n) {
            return n.link_local == net[i - 1].node.link_local();
        });
        ASSERT_NE(p, nb.end());
        EXPECT_GE(p->etx, rpl::kEtxOne);
        // Through the parent's rank as its last DIO gave it and the ETX now (poll() applies
        // the MAC outcomes that came since the last reselection).
        net[i].rpl.poll();
        EXPECT_EQ(net[i].rpl.rank(),
                  std::max<unsigned>(p->rank + p->etx, (p->rank / 128u + 1u) * 128u));
        EXPECT_GE(net[i].rpl.neighbors().size(), 1u);
    }
}

TEST(RplScenario, UdpUpDownAndAcrossTheRoot) {
    RplNet net(line(6), 12, 5, {5});  // the far end is a leaf
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    EXPECT_EQ(net[5].rpl.stats().dio_sent, 0u);  // a leaf never sends DIOs
    const auto s0 = listen(net[0].node, 7000);
    const auto s5 = listen(net[5].node, 7000);
    const auto s4 = listen(net[4].node, 7000);
    const Ip6Address g0 = net[0].rpl.global_address(), g5 = net[5].rpl.global_address();
    const Ip6Address g2 = net[2].rpl.global_address(), g4 = net[4].rpl.global_address();

    // Up: leaf to root, by default routes, with the RPL option.
    ASSERT_TRUE(send_udp(net[5].node, g0, 7000, 1));
    net.sched.run_for(3s);
    auto got = drain(net[0].node, s0);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].first, g5);
    EXPECT_EQ(got[0].second, 1);
    EXPECT_EQ(net[0].node.stack.stats().rx_forwarded, 0u);

    // Down: root to the far end, source routed through four routers.
    const auto srh_before = net[0].node.stack.stats().srh_originated;
    ASSERT_TRUE(send_udp(net[0].node, g5, 7000, 2));
    net.sched.run_for(3s);
    got = drain(net[5].node, s5);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].first, g0);
    EXPECT_EQ(got[0].second, 2);
    EXPECT_GT(net[0].node.stack.stats().srh_originated, srh_before);
    for (int i = 1; i < 5; ++i)
        EXPECT_GE(net[i].node.stack.stats().srh_forwarded, 1u) << i;

    // Across: node 2 to node 4, up to the root, which tunnels it down (IPv6-in-IPv6 + SRH).
    ASSERT_TRUE(send_udp(net[2].node, g4, 7000, 3));
    net.sched.run_for(3s);
    got = drain(net[4].node, s4);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].first, g2);
    EXPECT_EQ(got[0].second, 3);
    EXPECT_EQ(net[0].node.stack.stats().tunnelled, 1u);
    EXPECT_EQ(net[4].node.stack.stats().decapsulated, 1u);
    // No rank errors on a consistent DODAG; the leaf routed nothing.
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(net[i].node.stack.stats().rpl_rank_errors, 0u) << i;
        EXPECT_EQ(net[i].node.stack.drops()[stack::StackDrop::kRplLoop], 0u) << i;
    }
    EXPECT_EQ(net[5].node.stack.stats().rx_forwarded, 0u);
}

// Root 0; routers 1 and 2 both in range of the root and of router 3; leaf 4 behind 3.
std::vector<sim::Position> diamond() {
    return {{0, 0, 0}, {10, 5, 0}, {10, -5, 0}, {20, 0, 0}, {30, 0, 0}};
}

TEST(RplScenario, RouterRemovedAndTheDodagRepairs) {
    RplNet net(diamond(), 12, 9, {4});
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    const auto s0 = listen(net[0].node, 7000);
    const auto s4 = listen(net[4].node, 7000);
    const Ip6Address g0 = net[0].rpl.global_address(), g4 = net[4].rpl.global_address();
    ASSERT_TRUE(net[3].rpl.preferred_parent().has_value());
    const int via = *net[3].rpl.preferred_parent() == net[1].node.link_local() ? 1 : 2;
    const int other = 3 - via;
    ASSERT_TRUE(send_udp(net[4].node, g0, 7000, 1));
    net.sched.run_for(2s);
    ASSERT_EQ(drain(net[0].node, s0).size(), 1u);

    // The router carrying the traffic fails; traffic keeps coming from the leaf.
    net.medium.set_radio_failed(sim::RadioNodeId(via), true);
    int up = 0, down = 0;
    for (std::uint8_t k = 0; k < 60; ++k) {
        (void)send_udp(net[4].node, g0, 7000, k);
        net.sched.run_for(1s);
        (void)send_udp(net[0].node, g4, 7000, k);
        net.sched.run_for(1s);
        if (k >= 50) {  // after the repair: every datagram arrives
            up += static_cast<int>(drain(net[0].node, s0).size());
            down += static_cast<int>(drain(net[4].node, s4).size());
        } else {
            (void)drain(net[0].node, s0);
            (void)drain(net[4].node, s4);
        }
    }
    EXPECT_EQ(up, 10);
    EXPECT_EQ(down, 10);
    ASSERT_TRUE(net[3].rpl.preferred_parent().has_value());
    EXPECT_EQ(*net[3].rpl.preferred_parent(), net[other].node.link_local());
    EXPECT_GE(net[3].rpl.stats().parent_changes, 1u);
    auto &table = net[0].rpl.dao_routes();
    auto it = std::find_if(table.begin(), table.end(), [&](const rpl::RplDaoRoute &r) {
        return r.target == net[3].rpl.global_address();
    });
    ASSERT_NE(it, table.end());
    EXPECT_EQ(it->parent, net[other].rpl.global_address());
}

TEST(RplScenario, LostOnlyParentDetachesPoisonsAndRejoins) {
    RplNet net(line(4), 12, 13);
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    const Ip6Address g0 = net[0].rpl.global_address();
    // Router 1, the only way to the root, fails; node 3's traffic makes node 2 notice.
    net.medium.set_radio_failed(sim::RadioNodeId(1), true);
    for (std::uint8_t k = 0; k < 30; ++k) {
        (void)send_udp(net[3].node, g0, 7000, k);
        net.sched.run_for(2s);
    }
    EXPECT_FALSE(net[2].rpl.joined());
    EXPECT_FALSE(net[3].rpl.joined());
    EXPECT_GE(net[2].rpl.stats().local_repairs, 1u);
    EXPECT_GE(net[2].rpl.stats().poison_sent, 1u);
    EXPECT_FALSE(net[2].rpl.preferred_parent().has_value());
    EXPECT_EQ(net[2].rpl.rank(), rpl::kInfiniteRank);
    // No loop between the two: neither took the other as its parent.
    EXPECT_EQ(net[2].node.stack.drops()[stack::StackDrop::kRplLoop], 0u);
    // The router comes back: both rejoin (DIS, then the DIOs) and reach the root again.
    net.medium.set_radio_failed(sim::RadioNodeId(1), false);
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 120s));
    EXPECT_EQ(*net[2].rpl.preferred_parent(), net[1].node.link_local());
    const auto s0 = listen(net[0].node, 7000);
    ASSERT_TRUE(send_udp(net[3].node, g0, 7000, 77));
    net.sched.run_for(3s);
    EXPECT_EQ(drain(net[0].node, s0).size(), 1u);
}

TEST(RplScenario, SilentParentTimesOut) {
    // No traffic at all: only the missing DIOs tell node 2 that its parent is gone.
    RplNet net(line(3), 12, 15, {}, rpl::Ocp::kMrhof, [](int, rpl::RplConfig &c) {
        c.dio_interval_doublings = 1;  // the root's DIOs at most every 8.2 s
        c.parent_timeout = std::chrono::seconds(30);
    });
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    net.sched.run_for(60s);
    EXPECT_TRUE(net[2].rpl.joined());  // DIOs keep coming
    net.medium.set_radio_failed(sim::RadioNodeId(1), true);
    const Instant t0 = net.sched.clock().now();
    ASSERT_TRUE(net.run_until([&] { return !net[2].rpl.joined(); }, 60s));
    EXPECT_LE(net.sched.clock().now() - t0, std::chrono::seconds(31));
    EXPECT_EQ(net[2].rpl.stats().local_repairs, 1u);
    EXPECT_TRUE(net[2].rpl.neighbors().empty());
}

TEST(RplScenario, GlobalRepairNewVersionRecovers) {
    RplNet net(line(4), 12, 11);
    net.start();
    ASSERT_TRUE(net.run_until([&] { return net.all_joined() && net.all_acked(); }, 300s));
    const std::uint8_t v = net[0].rpl.dodag_version();
    ASSERT_TRUE(net[0].rpl.increment_version());
    EXPECT_TRUE(net[0].rpl.dao_routes().empty());
    ASSERT_TRUE(net.run_until(
        [&] {
            for (int i = 1; i < 4; ++i)
                if (net[i].rpl.dodag_version() == v || !net[i].rpl.joined())
                    return false;
            return net.all_acked() && net[0].rpl.dao_routes().size() == 3;
        },
        300s));
    for (int i = 1; i < 4; ++i) {
        EXPECT_EQ(net[i].rpl.dodag_version(), rpl::Rpl::lollipop_next(v)) << i;
        EXPECT_EQ(net[i].rpl.stats().global_repairs, 1u) << i;
    }
    const auto s3 = listen(net[3].node, 7000);
    ASSERT_TRUE(send_udp(net[0].node, net[3].rpl.global_address(), 7000, 9));
    net.sched.run_for(3s);
    EXPECT_EQ(drain(net[3].node, s3).size(), 1u);
}

std::vector<std::uint8_t> captured_run(std::uint64_t seed) {
    RplNet net(line(4), 12, seed);
    testbed::Capture802154 cap(net.medium);
    net.start();
    net.sched.run_for(60s);
    (void)send_udp(net[0].node, net[3].rpl.global_address(), 7000, 1);
    net.sched.run_for(5s);
    return cap.bytes();
}

TEST(RplScenario, SameSeedSameCapture) {
    const auto a = captured_run(21), b = captured_run(21);
    EXPECT_GT(a.size(), 2000u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, captured_run(22));
}

}  // namespace
}  // namespace meshwork::rpltest
