// Multicast across a 6LoWPAN-ND mesh with MPL (RFC 7731, mesh/mpl) in virtual time: a router
// several hops from the border router, and a host, send UDP to ff05:: and ff03::1 groups that
// every node joined, over a ladder of nodes where each copy is heard from several neighbours;
// every other node's socket gets each datagram exactly once. A small hop limit reaches the
// near nodes only; a link-local group (ff02::) stays on one hop; the same seed gives the same
// bytes on the air.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "MeshNet.h"
#include "UDPSocket.h"
#include "nanostack/socket_api.h"
#include "stack/UdpSockets.h"

namespace meshwork::meshtest {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

const Ip6Address kSiteGroup = *Ip6Address::from_text("ff05::1234");
const Ip6Address kRealmAllNodes = *Ip6Address::from_text("ff03::1");

/// A ladder of 2 x 4 nodes 10 m apart on a 12 m unit disk: node 0 the border router at (0, 0),
/// routers elsewhere, node 7 at (30, 10) a host. Node 3 at (30, 0) is three hops from the
/// border router; every node but the corners hears three others.
void ladder(MeshNet &net) {
    for (int i = 0; i < 8; ++i) {
        const double x = 10.0 * (i % 4), y = i < 4 ? 0 : 10;
        net.add({x, y, 0}, i == 0   ? NET_6LOWPAN_BORDER_ROUTER
                           : i == 7 ? NET_6LOWPAN_HOST
                                    : NET_6LOWPAN_ROUTER);
    }
}

/// A line of `n` nodes 10 m apart on a 12 m unit disk, node 0 the border router.
void line(MeshNet &net, int n) {
    for (int i = 0; i < n; ++i)
        net.add({10.0 * i, 0, 0}, i == 0 ? NET_6LOWPAN_BORDER_ROUTER : NET_6LOWPAN_ROUTER);
}

/// A socket on every node bound to kPort and joined to `groups`.
std::vector<stack::UdpSockets::SocketId> join_all(MeshNet &net,
                                                  const std::vector<Ip6Address> &groups) {
    std::vector<stack::UdpSockets::SocketId> socks;
    for (auto *n : net.nodes) {
        socks.push_back(listen(*n));
        for (const Ip6Address &g : groups)
            EXPECT_TRUE(n->stack().udp().join_group(socks.back(), g, n->ifindex()));
        n->touched();
    }
    return socks;
}

/// One datagram from `from` to `group` with `hops` as its multicast hop limit (the socket's
/// SOCKET_IPV6_MULTICAST_HOPS).
bool send_multicast(testbed::LowpanNdNode &from, const Ip6Address &group, std::uint8_t tag,
                    std::uint8_t hops) {
    auto &udp = from.stack().udp();
    auto s = udp.open();
    if (!s)
        return false;
    EXPECT_TRUE(udp.set_multicast_hop_limit(*s, hops));
    const std::uint8_t data[16] = {tag, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const bool ok = udp.send_to(*s, group, kPort, ByteSpan(data, sizeof data)).ok();
    (void)udp.close(*s);
    from.touched();
    return ok;
}

/// The tags of the datagrams waiting on each node's socket (drained).
std::vector<std::multiset<std::uint8_t>> drain_tags(
    MeshNet &net, std::vector<stack::UdpSockets::SocketId> &socks) {
    std::vector<std::multiset<std::uint8_t>> tags;
    for (std::size_t i = 0; i < net.nodes.size(); ++i) {
        tags.emplace_back();
        for (const auto &kv : drain(*net.nodes[i], socks[i]))
            tags.back().insert(kv.second);
    }
    return tags;
}

/// How many datagrams with `tag` each node's socket holds (drained: one tag per call).
std::vector<std::size_t> received(MeshNet &net, std::vector<stack::UdpSockets::SocketId> &socks,
                                  std::uint8_t tag) {
    std::vector<std::size_t> counts;
    for (const auto &t : drain_tags(net, socks))
        counts.push_back(t.count(tag));
    return counts;
}

TEST(LowpanNdMpl, EveryNodeGetsEachDatagramOnce) {
    MeshNet net(11, 12);
    ladder(net);
    net.start_all();
    ASSERT_TRUE(net.form(600s));
    auto socks = join_all(net, {kSiteGroup, kRealmAllNodes});
    net.sim.run_for(2s);
    auto *far = net.nodes[3];
    ASSERT_EQ(net.nodes[0]->route_hops(far->global()), 3u);
    // A router three hops out, to a site-local group, then to ff03::1; then the host.
    struct Send {
        std::size_t from;
        Ip6Address group;
    };
    const Send sends[] = {{3, kSiteGroup}, {3, kRealmAllNodes}, {7, kSiteGroup}, {5, kSiteGroup}};
    std::uint8_t tag = 1;
    for (const Send &s : sends) {
        for (int k = 0; k < 3; ++k) {  // three datagrams in a row, each its own MPL message
            ASSERT_TRUE(send_multicast(*net.nodes[s.from], s.group,
                                       static_cast<std::uint8_t>(tag + k), 16));
            net.sim.run_for(50ms);
        }
        net.sim.run_for(3s);
        // Every other node got each of the three datagrams exactly once; the sender none (its
        // multicast is not looped back).
        const auto got = drain_tags(net, socks);
        for (std::size_t i = 0; i < got.size(); ++i) {
            EXPECT_EQ(got[i].size(), i == s.from ? 0u : 3u) << "at node " << i;
            for (int t = tag; t < tag + 3; ++t) {
                EXPECT_EQ(got[i].count(static_cast<std::uint8_t>(t)), i == s.from ? 0u : 1u)
                    << "tag " << t << " from " << s.from << " at node " << i;
            }
        }
        tag = static_cast<std::uint8_t>(tag + 3);
    }
    // Copies were heard from several neighbours and suppressed as duplicates; the host
    // never retransmitted anyone's message.
    std::uint64_t duplicates = 0;
    for (auto *n : net.nodes) {
        ASSERT_NE(n->mpl(), nullptr);
        duplicates += n->mpl()->stats().duplicates;
        EXPECT_EQ(n->stack().drops()[stack::StackDrop::kMplDuplicate],
                  n->mpl()->stats().duplicates);
    }
    EXPECT_GT(duplicates, 0u);
    EXPECT_EQ(net.nodes[7]->mpl()->stats().transmitted, 0u);
    EXPECT_GT(net.nodes[1]->mpl()->stats().transmitted, 0u);
    // The buffered messages go once their trickle and the hold are over; the seeds stay
    // (their MinSequence).
    net.sim.run_for(10s);
    for (auto *n : net.nodes) {
        EXPECT_EQ(n->mpl()->buffered_count(), 0u);
        EXPECT_GE(n->mpl()->seed_count(), 1u);
    }
}

TEST(LowpanNdMpl, HopLimitReachesTheNearNodesOnly) {
    MeshNet net(13, 12);
    line(net, 5);
    net.start_all();
    ASSERT_TRUE(net.form(600s));
    auto socks = join_all(net, {kSiteGroup});
    net.sim.run_for(2s);
    // From the border router with hop limit 2: node 1 gets it with 2 and forwards it with 1,
    // node 2 gets it and forwards no copy (it would carry 0); nodes 3 and 4 never see it.
    ASSERT_TRUE(send_multicast(*net.nodes[0], kSiteGroup, 1, 2));
    net.sim.run_for(3s);
    EXPECT_EQ(received(net, socks, 1), (std::vector<std::size_t>{0, 1, 1, 0, 0}));
    EXPECT_EQ(net.nodes[2]->mpl()->stats().transmitted, 0u);
    EXPECT_EQ(net.nodes[2]->mpl()->stats().hop_limit_exhausted, 1u);
    EXPECT_GT(net.nodes[1]->mpl()->stats().transmitted, 0u);
    // Hop limit 4 reaches the end of the line.
    ASSERT_TRUE(send_multicast(*net.nodes[0], kSiteGroup, 2, 4));
    net.sim.run_for(3s);
    EXPECT_EQ(received(net, socks, 2), (std::vector<std::size_t>{0, 1, 1, 1, 1}));
    // A link-local group is never MPL's: one hop, whatever the hop limit.
    const Ip6Address link_group = *Ip6Address::from_text("ff02::1234");
    for (std::size_t i = 0; i < net.nodes.size(); ++i)
        EXPECT_TRUE(
            net.nodes[i]->stack().udp().join_group(socks[i], link_group, net.nodes[i]->ifindex()));
    net.sim.run_for(2s);
    ASSERT_TRUE(send_multicast(*net.nodes[0], link_group, 3, 16));
    net.sim.run_for(3s);
    EXPECT_EQ(received(net, socks, 3), (std::vector<std::size_t>{0, 1, 0, 0, 0}));
}

// The application's hop limit through the Mbed socket API (a non-blocking UDPSocket on the
// node's NetworkStack): SOCKET_IPV6_MULTICAST_HOPS 2 reaches two hops of the line.
TEST(LowpanNdMpl, MulticastHopsFromTheMbedSocketApi) {
    MeshNet net(19, 12);
    line(net, 4);
    net.start_all();
    ASSERT_TRUE(net.form(600s));
    auto socks = join_all(net, {kSiteGroup});
    net.sim.run_for(2s);
    UDPSocket s;
    ASSERT_EQ(s.open(net.nodes[0]->network_stack()), NSAPI_ERROR_OK);
    s.set_blocking(false);
    const std::int16_t two = 2;
    ASSERT_EQ(s.setsockopt(SOCKET_IPPROTO_IPV6, SOCKET_IPV6_MULTICAST_HOPS, &two, sizeof two),
              NSAPI_ERROR_OK);
    const std::uint8_t data[4] = {7, 0, 0, 0};
    ASSERT_EQ(s.sendto(SocketAddress("ff05::1234", kPort), data, sizeof data), 4);
    net.nodes[0]->touched();
    net.sim.run_for(3s);
    EXPECT_EQ(received(net, socks, 7), (std::vector<std::size_t>{0, 1, 1, 0}));
    ASSERT_EQ(s.close(), NSAPI_ERROR_OK);
}

TEST(LowpanNdMpl, SameSeedSameBytes) {
    auto run = [] {
        MeshNet net(17, 12);
        testbed::Capture802154 cap(*net.medium);
        line(net, 3);
        net.start_all();
        EXPECT_TRUE(net.form(600s));
        auto socks = join_all(net, {kSiteGroup});
        net.sim.run_for(1s);
        EXPECT_TRUE(send_multicast(*net.nodes[2], kSiteGroup, 9, 8));
        net.sim.run_for(2s);
        EXPECT_EQ(received(net, socks, 9), (std::vector<std::size_t>{1, 1, 0}));
        return cap.bytes();
    };
    const auto a = run(), b = run();
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace meshwork::meshtest
