// 6LoWPAN-ND + RPL meshes of LowpanNdNodes (the composition LoWPANNDInterface drives on a
// simulated node) in virtual time: formation over one hop and a five-hop line with routers and
// hosts, UDP between any two nodes across hops, hosts never routing, a router removed mid-run
// and the DODAG repairing, and the same seed giving the same capture.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <vector>

#include "MeshNet.h"
#include "meshwork/config/ConfigLoader.h"
#include "stack/TcpSockets.h"
#include "stack/UdpSockets.h"

namespace meshwork::meshtest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

/// A line of `n` nodes 10 m apart on a 12 m unit disk: node 0 the border router, each further
/// node one more hop out.
void line(MeshNet &net, int n, net_6lowpan_mode_e last = NET_6LOWPAN_ROUTER) {
    for (int i = 0; i < n; ++i)
        net.add({10.0 * i, 0, 0}, i == 0       ? NET_6LOWPAN_BORDER_ROUTER
                                  : i == n - 1 ? last
                                               : NET_6LOWPAN_ROUTER);
}

/// A diamond on a 12 m unit disk: node 0 the border router, routers 1 and 2 both in its reach,
/// node 3 (`far`) in reach of both routers only.
void diamond(MeshNet &net, net_6lowpan_mode_e far) {
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER);
    net.add({8, 6, 0}, NET_6LOWPAN_ROUTER);
    net.add({8, -6, 0}, NET_6LOWPAN_ROUTER);
    net.add({16, 0, 0}, far);
}

TEST(LowpanNdMesh, OneHopRouterAndHostConnect) {
    MeshNet net(1);
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER);
    net.add({10, 0, 0}, NET_6LOWPAN_ROUTER);
    net.add({0, 10, 0}, NET_6LOWPAN_HOST);
    net.start_all();
    ASSERT_TRUE(net.form(120s));
    const Ip6Address br = net.nodes[0]->global();
    for (std::size_t i = 0; i < net.nodes.size(); ++i) {
        auto *n = net.nodes[i];
        EXPECT_TRUE(n->global().matches_prefix(br, 64)) << i;
        ASSERT_FALSE(net.reports[i].empty());
        EXPECT_EQ(net.reports[i].front(), MESH_BOOTSTRAP_STARTED);
        EXPECT_EQ(net.reports[i].back(), MESH_CONNECTED);
        SocketAddress a;
        EXPECT_TRUE(n->border_router_address(&a)) << i;
    }
    // The router is in the root's DAO table; the host is registered with a router.
    ASSERT_NE(net.nodes[1]->rpl(), nullptr);
    EXPECT_TRUE(net.nodes[1]->rpl()->joined());
    EXPECT_EQ(net.nodes[2]->rpl(), nullptr);
    EXPECT_TRUE(net.nodes[2]->nd()->registered());
    // UDP both ways between every pair.
    expect_udp_between_every_pair(net);
}

TEST(LowpanNdMesh, FiveHopLineWithAHostAtTheEnd) {
    MeshNet net(3, 12);
    line(net, 6, NET_6LOWPAN_HOST);
    net.start_all();
    const Instant t0 = net.sim.now();
    ASSERT_TRUE(net.form(600s));
    std::printf("five-hop line formed in %.1f s of virtual time\n",
                std::chrono::duration<double>(net.sim.now() - t0).count());
    // Ranks grow along the line; the far routers are several hops out.
    auto *host = net.nodes[5];
    auto *br = net.nodes[0];
    // The last router's DAO naming the host follows the host's registration.
    net.sim.run_for(5s);
    for (std::size_t i = 1; i < 6; ++i)
        EXPECT_EQ(br->route_hops(net.nodes[i]->global()), i) << "node " << i;
    // The host is registered with the last router, which routes for it.
    EXPECT_EQ(host->nd()->router(), net.nodes[4]->stack().link_local(net.nodes[4]->ifindex()));
    // The last router's DAO names the host; a router registered with its parent is no target
    // of the parent's DAOs (it sends its own).
    EXPECT_EQ(net.nodes[4]->rpl()->targets(), std::vector<Ip6Address>{host->global()});
    for (std::size_t i = 1; i < 4; ++i)
        EXPECT_TRUE(net.nodes[i]->rpl()->targets().empty()) << "node " << i;
    auto sb = listen(*br), sh = listen(*host), s2 = listen(*net.nodes[2]);
    ASSERT_TRUE(send_udp(*host, br->global(), 1));  // up five hops
    net.sim.run_for(2s);
    ASSERT_TRUE(send_udp(*br, host->global(), 2));  // down, source routed
    net.sim.run_for(2s);
    ASSERT_TRUE(send_udp(*host, net.nodes[2]->global(), 3));  // up to the root and down
    net.sim.run_for(2s);
    ASSERT_TRUE(send_udp(*net.nodes[2], host->global(), 4));
    net.sim.run_for(2s);
    EXPECT_EQ(drain(*br, sb).count(host->global()), 1u);
    EXPECT_EQ(drain(*host, sh).size(), 2u);
    EXPECT_EQ(drain(*net.nodes[2], s2).count(host->global()), 1u);
    // The host never forwarded anything.
    EXPECT_EQ(host->stack().stats().rx_forwarded, 0u);
    EXPECT_GT(net.nodes[3]->stack().stats().rx_forwarded, 0u);
}

TEST(LowpanNdMesh, RouterRemovedMidRunTheDodagRepairs) {
    // Two paths from the far node: through router 1 or router 2 (a diamond); router 1 fails.
    MeshNet net(5, 12);
    diamond(net, NET_6LOWPAN_HOST);
    net.start_all();
    ASSERT_TRUE(net.form(300s));
    auto *br = net.nodes[0], *host = net.nodes[3];
    auto sb = listen(*br);
    const Ip6Address via = host->nd()->router();
    const std::size_t failed =
        via == net.nodes[1]->stack().link_local(net.nodes[1]->ifindex()) ? 1 : 2;
    const std::size_t other = 3 - failed;
    net.medium->set_radio_failed(static_cast<sim::RadioNodeId>(failed), true);
    // The host finds the other router, and datagrams reach the border router again.
    bool delivered = false;
    for (int t = 0; t < 120 && !delivered; ++t) {
        ASSERT_TRUE(send_udp(*host, br->global(), static_cast<std::uint8_t>(t)));
        net.sim.run_for(5s);
        delivered = drain(*br, sb).count(host->global()) != 0 &&
                    host->nd()->router() ==
                        net.nodes[other]->stack().link_local(net.nodes[other]->ifindex());
    }
    EXPECT_TRUE(delivered);
}

// Both routers of the diamond fail: the host, connected, loses the mesh (MESH_BOOTSTRAP_STARTED
// after the probes and the 30 s hold) and connects again (MESH_CONNECTED) when one comes back.
TEST(LowpanNdMesh, LosingTheMeshAndConnectingAgain) {
    MeshNet net(5, 12);
    diamond(net, NET_6LOWPAN_HOST);
    net.start_all();
    ASSERT_TRUE(net.form(300s));
    auto *host = net.nodes[3];
    ASSERT_EQ(net.reports[3].back(), MESH_CONNECTED);
    // A router moving (its RPL parent, its registration) is no loss.
    net.sim.run_for(120s);
    EXPECT_EQ(host->losses(), 0u);
    net.medium->set_radio_failed(1, true);
    net.medium->set_radio_failed(2, true);
    const Instant failed_at = net.sim.now();
    net.sim.run_until([&] { return !host->connected(); }, net.sim.now() + 300s);
    ASSERT_FALSE(host->connected());
    EXPECT_EQ(host->losses(), 1u);
    EXPECT_EQ(net.reports[3].back(), MESH_BOOTSTRAP_STARTED);
    const auto lost_after = net.sim.now() - failed_at;
    EXPECT_GE(lost_after, testbed::LowpanNdNode::kLossHold);
    EXPECT_LE(lost_after, 120s);  // a probe interval, the retries, the hold
    net.medium->set_radio_failed(2, false);
    ASSERT_TRUE(net.form(600s));
    EXPECT_EQ(net.reports[3].back(), MESH_CONNECTED);
    EXPECT_EQ(host->nd()->router(), net.nodes[2]->stack().link_local(net.nodes[2]->ifindex()));
    std::printf("lost the mesh %.1f s after both routers failed\n",
                std::chrono::duration<double>(lost_after).count());
}

// A TCP transfer between the border router and the far node of a diamond while the router its
// packets go through fails: the DODAG repairs (a host moves its registration, a router its RPL
// parent; the border router's source routes follow the new DAO) and every byte arrives, in
// order, once. A far node that only receives (downloads) notices the lost router by probing
// it (RPL's parent probe, 6LoWPAN-ND's router probe). One direction at a time: the border
// router and the far node do not hear each other, and data both ways at once collides at the
// routers too often for TCP (see docs/mesh-api.md).
void tcp_across_a_failing_router(net_6lowpan_mode_e far_type, bool upward) {
    MeshNet net(9, 12);
    diamond(net, far_type);
    net.start_all();
    ASSERT_TRUE(net.form(300s));
    net.sim.run_for(10s);
    auto *br = net.nodes[0], *far = net.nodes[3];
    auto &bt = br->stack().tcp();
    auto &ft = far->stack().tcp();
    auto ls = bt.open();
    ASSERT_TRUE(ls.ok());
    ASSERT_TRUE(bt.bind(*ls, Ip6Address(), 5001));
    ASSERT_TRUE(bt.listen(*ls, 1));
    auto cs = ft.open();
    ASSERT_TRUE(cs.ok());
    ASSERT_TRUE(ft.connect(*cs, br->global(), 5001));
    far->touched();
    std::optional<stack::TcpSockets::SocketId> as;
    for (int i = 0; i < 200 && !as; ++i) {
        net.sim.run_for(100ms);
        auto a = bt.accept(*ls);
        if (a)
            as = *a;
    }
    ASSERT_TRUE(as.has_value());
    auto &tx = upward ? ft : bt;
    auto &rx = upward ? bt : ft;
    auto *txn = upward ? far : br;
    const stack::TcpSockets::SocketId ts = upward ? *cs : *as, rs = upward ? *as : *cs;
    // 12 KB; the router on the far node's path fails once the first 2 KB have arrived.
    constexpr std::size_t kBytes = 12000;
    std::vector<std::uint8_t> data(kBytes), got;
    for (std::size_t i = 0; i < kBytes; ++i)
        data[i] = static_cast<std::uint8_t>(i * 7 + 1);
    std::size_t sent = 0;
    bool failed = false;
    std::size_t failed_router = 0;
    const Instant t0 = net.sim.now();
    std::uint8_t buf[512];
    for (int step = 0; step < 6000 && got.size() < kBytes; ++step) {
        if (sent < kBytes)
            if (auto n = tx.send(ts, ByteSpan(data.data() + sent, kBytes - sent)))
                sent += *n;
        txn->touched();
        net.sim.run_for(100ms);
        for (auto r = rx.recv(rs, MutableByteSpan(buf, sizeof buf)); r && *r > 0;
             r = rx.recv(rs, MutableByteSpan(buf, sizeof buf)))
            got.insert(got.end(), buf, buf + *r);
        if (!failed && got.size() >= 2000) {
            // The router the far node's packets go through now.
            const Ip6Address via =
                far->rpl() ? *far->rpl()->preferred_parent() : far->nd()->router();
            failed_router =
                via == net.nodes[1]->stack().link_local(net.nodes[1]->ifindex()) ? 1 : 2;
            net.medium->set_radio_failed(static_cast<sim::RadioNodeId>(failed_router), true);
            failed = true;
        }
    }
    ASSERT_TRUE(failed) << "sent " << sent << ", got " << got.size() << ", state "
                        << int(tx.state(ts)) << ", error " << int(tx.last_error(ts));
    EXPECT_EQ(got, data);
    EXPECT_EQ(ft.state(*cs), stack::TcpState::kEstablished);
    // The far node's traffic now goes through the other router.
    const std::size_t other = 3 - failed_router;
    const Ip6Address via = far->rpl() ? *far->rpl()->preferred_parent() : far->nd()->router();
    EXPECT_EQ(via, net.nodes[other]->stack().link_local(net.nodes[other]->ifindex()));
    std::printf("12 KB %s across a failing router (far node a %s): %.1f s of virtual time\n",
                upward ? "up" : "down", far_type == NET_6LOWPAN_HOST ? "host" : "router",
                std::chrono::duration<double>(net.sim.now() - t0).count());
}

TEST(LowpanNdMesh, TcpUpAcrossAFailingRouterLosesNoByteHost) {
    tcp_across_a_failing_router(NET_6LOWPAN_HOST, true);
}
TEST(LowpanNdMesh, TcpDownAcrossAFailingRouterLosesNoByteHost) {
    tcp_across_a_failing_router(NET_6LOWPAN_HOST, false);
}
TEST(LowpanNdMesh, TcpUpAcrossAFailingRouterLosesNoByteRouter) {
    tcp_across_a_failing_router(NET_6LOWPAN_ROUTER, true);
}
TEST(LowpanNdMesh, TcpDownAcrossAFailingRouterLosesNoByteRouter) {
    tcp_across_a_failing_router(NET_6LOWPAN_ROUTER, false);
}

// 50 nodes at random: formation, then UDP between every ordered pair. MESH_DEBUG=1 prints the
// MAC totals, the per-round losses and, for a node that does not connect, its counters and its
// neighbours'; MESH_PCAP=<path> writes the capture.
TEST(LowpanNdMesh, FiftyRandomNodesFormAndEveryNodeReachesEveryOther) {
    // 50 nodes uniform in a square around the border router (about six neighbours each, a
    // connected placement drawn from the seed); one in five a host.
    MeshNet net(11, 20);
    SeededRandom rng(11, 99);
    const double side = std::sqrt(50 * M_PI * 20.0 * 20.0 / 6.0);
    std::vector<sim::Position> pos;
    auto connected = [&] {
        std::vector<bool> seen(pos.size(), false);
        std::vector<std::size_t> todo{0};
        seen[0] = true;
        std::size_t n = 1;
        while (!todo.empty()) {
            const std::size_t i = todo.back();
            todo.pop_back();
            for (std::size_t j = 0; j < pos.size(); ++j)
                if (!seen[j] && sim::distance(pos[i], pos[j]) <= 20.0 &&
                    (i == 0 || i % 5 != 0)) {  // hosts do not relay
                    seen[j] = true;
                    ++n;
                    todo.push_back(j);
                }
        }
        return n == pos.size();
    };
    do {
        pos.assign(1, sim::Position{side / 2, side / 2, 0});
        for (int i = 1; i < 50; ++i)
            pos.push_back(
                {side * rng.uniform(1000) / 1000.0, side * rng.uniform(1000) / 1000.0, 0});
    } while (!connected());
    for (std::size_t i = 0; i < pos.size(); ++i)
        net.add(pos[i], i == 0       ? NET_6LOWPAN_BORDER_ROUTER
                        : i % 5 == 0 ? NET_6LOWPAN_HOST
                                     : NET_6LOWPAN_ROUTER);
    std::unique_ptr<testbed::Capture802154> cap;
    if (const char *path = std::getenv("MESH_PCAP")) {
        cap = std::make_unique<testbed::Capture802154>(*net.medium);
        (void)cap->open(path);
    }
    net.start_all();
    const Instant t0 = net.sim.now();
    const bool formed = net.form(900s);
    if (std::getenv("MESH_DEBUG")) {
        std::uint64_t req = 0, tx = 0, ok = 0, noack = 0, caf = 0, busy = 0;
        for (auto *m : net.nodes) {
            const auto &c = m->mac().counters();
            req += c.requests, tx += c.transmissions, ok += c.success, noack += c.no_ack,
                caf += c.channel_access_failures, busy += c.busy_ccas;
        }
        std::printf("mac: requests %llu tx %llu success %llu no-ack %llu caf %llu busy %llu\n",
                    (unsigned long long)req, (unsigned long long)tx, (unsigned long long)ok,
                    (unsigned long long)noack, (unsigned long long)caf, (unsigned long long)busy);
    }
    for (std::size_t i = 0; i < net.nodes.size(); ++i) {
        const auto *m = net.nodes[i];
        if (!m->connected())
            ADD_FAILURE() << "node " << i << " not connected: 6LoWPAN-ND "
                          << nd::nd_state_name(m->nd()->state()) << ", RPL "
                          << (m->rpl() ? (m->rpl()->joined() ? "joined" : "not joined") : "none")
                          << (m->rpl() && m->rpl()->dao_acknowledged() ? ", DAO acked" : "");
        if (!m->connected() && std::getenv("MESH_DEBUG")) {
            const auto &st = m->nd()->stats();
            char ll[64];
            m->stack().link_local(m->ifindex()).to_text(ll, sizeof ll);
            std::printf("node %zu: %s\n", i, ll);
            std::printf(
                "rs %llu/%llu ra %llu/%llu ns %llu/%llu na %llu/%llu prefixes %zu "
                "last status %u\n",
                (unsigned long long)st.rs_sent, (unsigned long long)st.rs_received,
                (unsigned long long)st.ra_sent, (unsigned long long)st.ra_received,
                (unsigned long long)st.ns_sent, (unsigned long long)st.ns_received,
                (unsigned long long)st.na_sent, (unsigned long long)st.na_received,
                m->nd()->info().prefixes.size(), m->nd()->last_status());
            for (std::size_t j : {std::size_t(0), std::size_t(17)}) {
                const auto &b = net.nodes[j]->nd()->stats();
                std::printf("node %zu: dar %llu/%llu dac %llu/%llu\n", j,
                            (unsigned long long)b.dar_sent, (unsigned long long)b.dar_received,
                            (unsigned long long)b.dac_sent, (unsigned long long)b.dac_received);
                {
                    const auto &st = net.nodes[j]->stack();
                    std::printf("  stack drops:");
                    for (unsigned r = 0; r < unsigned(stack::StackDrop::kCount); ++r)
                        if (auto c = st.drops()[stack::StackDrop(r)])
                            std::printf(" %s=%llu", stack::drop_reason_name(stack::StackDrop(r)),
                                        (unsigned long long)c);
                    std::printf(" nd drops:");
                    for (unsigned r = 0; r < unsigned(nd::NdDrop::kCount); ++r)
                        if (auto c = net.nodes[j]->nd()->drops()[nd::NdDrop(r)])
                            std::printf(" %s=%llu", nd::drop_reason_name(nd::NdDrop(r)),
                                        (unsigned long long)c);
                    if (auto *rp = net.nodes[j]->rpl())
                        if (auto par = rp->preferred_parent())
                            std::printf(" parent ...%02x rank %u", par->bytes[15], rp->rank());
                    std::printf("\n");
                }
                for (const auto &r : net.nodes[j]->nd()->registrations())
                    if (r.address == m->global() ||
                        r.address == m->stack().link_local(m->ifindex()))
                        std::printf("  has a registration of node %zu (state %d)\n", i,
                                    int(r.state));
            }
            for (std::size_t j = 0; j < net.nodes.size(); ++j)
                if (j != i && sim::distance(pos[i], pos[j]) <= 20.0) {
                    const auto *nd = net.nodes[j]->nd();
                    std::printf(
                        "  neighbour %zu: %s %s rs_rx %llu ra_tx %llu ns_rx %llu na_tx %llu drops:",
                        j, net.types[j] == NET_6LOWPAN_HOST ? "host" : "router",
                        nd::nd_state_name(nd->state()), (unsigned long long)nd->stats().rs_received,
                        (unsigned long long)nd->stats().ra_sent,
                        (unsigned long long)nd->stats().ns_received,
                        (unsigned long long)nd->stats().na_sent);
                    for (unsigned r = 0; r < unsigned(nd::NdDrop::kCount); ++r)
                        if (auto c = nd->drops()[nd::NdDrop(r)])
                            std::printf(" %s=%llu", nd::drop_reason_name(nd::NdDrop(r)),
                                        (unsigned long long)c);
                    std::printf(" lowpan drops: %llu\n",
                                (unsigned long long)net.nodes[j]->lowpan().stats().tx_packets);
                }
        }
    }
    ASSERT_TRUE(formed);
    std::printf("50 nodes formed in %.1f s of virtual time\n",
                std::chrono::duration<double>(net.sim.now() - t0).count());
    net.sim.run_for(10s);  // the last DAOs naming hosts
    std::vector<stack::UdpSockets::SocketId> socks;
    for (auto *n : net.nodes)
        socks.push_back(listen(*n));
    // Every ordered pair, one datagram each, paced so the mesh is not flooded; a lost datagram
    // is sent again once (the MAC retries, but collisions in a busy neighbourhood remain).
    const std::size_t n = net.nodes.size();
    std::vector<std::vector<bool>> got(n, std::vector<bool>(n, false));
    auto collect = [&] {
        for (std::size_t j = 0; j < n; ++j)
            for (const auto &kv : drain(*net.nodes[j], socks[j]))
                for (std::size_t i = 0; i < n; ++i)
                    if (net.nodes[i]->global() == kv.first)
                        got[i][j] = true;
    };
    for (int round = 0; round < 2; ++round) {
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j)
                if (i != j && !got[i][j]) {
                    (void)send_udp(*net.nodes[i], net.nodes[j]->global(), 0);
                    net.sim.run_for(100ms);
                }
            collect();
        }
        net.sim.run_for(10s);
        collect();
        if (std::getenv("MESH_DEBUG")) {
            std::size_t m = 0;
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j)
                    m += i != j && !got[i][j];
            std::printf("round %d: %zu of %zu pairs missing\n", round, m, n * (n - 1));
        }
    }
    std::size_t missing = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (i != j && !got[i][j]) {
                ++missing;
                ADD_FAILURE() << "node " << i << " -> node " << j;
            }
    EXPECT_EQ(missing, 0u);
    // Hosts never relayed anything.
    for (std::size_t i = 5; i < n; i += 5)
        EXPECT_EQ(net.nodes[i]->stack().stats().rx_forwarded, 0u) << "host " << i;
}

/// A node's configuration: these mbed-mesh-api settings in its mbed_app.json.
config::Configuration mesh_app(const std::string &settings) {
    config::LoadOptions o;
    o.app_config_path = "mbed_app.json";
    o.app_config_text = R"({"target_overrides": {"*": {)" + settings + "}}}";
    config::LoadResult r = config::load_configuration(o);
    EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front());
    return r.config;
}

// Nodes given a channel mask (6lowpan-nd-channel 0) scan it for the PAN: the border router's
// channel 20; a router out of its reach finds the PAN through a connected router's beacon. A
// node whose mask leaves channel 20 out, or whose PAN ID filter names another PAN, never
// joins (it keeps scanning).
TEST(LowpanNdMesh, ScanningNodesFindThePanOnItsChannel) {
    MeshNet net(5, 12);
    net.add({0, 0, 0}, NET_6LOWPAN_BORDER_ROUTER,
            mesh_app(R"("mbed-mesh-api.6lowpan-nd-channel": 20)"));
    auto &a = net.add({10, 0, 0}, NET_6LOWPAN_ROUTER);  // default: channel 0, mask 11..26
    auto &b = net.add({20, 0, 0}, NET_6LOWPAN_ROUTER);  // hears a only
    auto &c = net.add({0, 10, 0}, NET_6LOWPAN_ROUTER,
                      mesh_app(R"("mbed-mesh-api.6lowpan-nd-channel-mask": "0x3800")"));  // 11..13
    auto &d = net.add({0, -10, 0}, NET_6LOWPAN_HOST,
                      mesh_app(R"("mbed-mesh-api.6lowpan-nd-panid-filter": "0x1234")"));
    net.start_all();
    EXPECT_TRUE(a.scanning());
    net.sim.run_until([&] { return a.connected() && b.connected(); }, net.sim.now() + 120s);
    ASSERT_TRUE(a.connected());
    ASSERT_TRUE(b.connected());
    EXPECT_EQ(net.nodes[0]->channel().number, 20);
    EXPECT_EQ(a.channel().number, 20);
    EXPECT_EQ(b.channel().number, 20);
    EXPECT_GE(b.scans(), 2u);  // nothing to hear until a was connected
    EXPECT_TRUE(a.mac().coordinator());
    net.sim.run_for(60s);
    for (auto *n : {&c, &d}) {
        EXPECT_FALSE(n->connected());
        EXPECT_TRUE(n->scanning());
        EXPECT_GE(n->scans(), 10u);
        EXPECT_EQ(n->nd(), nullptr);  // ND never started
    }
    expect_udp_between_every_pair(net, {0, 1, 2});
}

TEST(LowpanNdMesh, SameSeedSameCapture) {
    auto run = [](std::uint64_t seed) {
        MeshNet net(seed, 12);
        testbed::Capture802154 cap(*net.medium);
        line(net, 4);
        net.start_all();
        EXPECT_TRUE(net.form(300s));
        net.sim.run_for(30s);
        return cap.bytes();
    };
    const auto a = run(7), b = run(7), c = run(8);
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

}  // namespace
}  // namespace meshwork::meshtest
