// 1 MB over TCP between two simulated hosts across two routers, with loss, reordering and
// duplication on the link between the routers (sim/FaultLink.h wrappers on both routers'
// ports, each direction), in virtual time: host A (SLAAC under 2001:db8:1::/64 from router 1)
// sends to host B (2001:db8:3::/64 from router 2), router 1 and router 2 joined by
// 2001:db8:12::/64 with static routes. Ordinary Mbed code on fibers (TCPSocket). The bytes
// must arrive exactly; the transfer time in virtual time is printed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "NetworkInterface.h"
#include "TCPSocket.h"
#include "meshwork/sim/Simulation.h"
#include "rtos/ThisThread.h"
#include "sim/FaultLink.h"
#include "sim/Segment.h"
#include "testbed/NodeNetwork.h"

namespace meshwork::testbed {
namespace {

using namespace std::chrono_literals;
using wire::Ip6Address;

constexpr std::size_t kTransfer = std::size_t{1} << 20;

Ip6Address addr(const char *t) {
    return *Ip6Address::from_text(t);
}

/// Loss, then reordering, then duplication, on what one router sends on the middle link.
/// Attached to the router before its NodeNetwork, so it outlives the network that uses it and
/// goes before the scheduler its reorder events are on.
struct FaultChain final : sim::NodeAttachment {
    FaultChain(Link &port, sim::Scheduler &s, SeededRandom r, double p)
        : rng(r),
          loss(port, rng, sim::LossConfig{p}),
          reorder(loss, s, rng, sim::ReorderConfig{p, Duration(5000)}),
          duplicate(reorder, rng, sim::DuplicateConfig{p}) {}
    SeededRandom rng;
    sim::LossLink loss;
    sim::ReorderLink reorder;
    sim::DuplicateLink duplicate;
};

struct TwoRouters {
    TwoRouters(std::uint64_t seed, double p) : sim(seed) {
        sim::SegmentConfig sc;
        sc.latency = 1ms;
        sc.bit_rate = 100'000'000;
        for (auto &s : segments) {
            s = std::make_unique<sim::Segment>(sim.scheduler(), sc);
        }
        a = &sim.add_node("a");
        r1 = &sim.add_node("r1");
        r2 = &sim.add_node("r2");
        b = &sim.add_node("b");
        // Router n's first interface advertises its host's prefix; the second is the lossy one.
        const char *prefixes[2] = {"2001:db8:1::", "2001:db8:3::"};
        const char *own[2] = {"2001:db8:1::1", "2001:db8:3::1"};
        const char *middle[2] = {"2001:db8:12::1", "2001:db8:12::2"};
        sim::Node *routers[2] = {r1, r2};
        for (int i = 0; i < 2; ++i) {
            NodeNetworkConfig rc;
            rc.stack.forwarding = true;
            rc.netif.advertise = true;
            stack::AdvertisedPrefix ap;
            ap.prefix = addr(prefixes[i]);
            rc.netif.prefixes.push_back(ap);
            rc.static_addresses.push_back(addr(own[i]));
            rc.make_default = false;
            const auto mac = routers[i]->context().mac_address();
            EthernetAddress m = EthernetAddress::from(ByteSpan(mac.data(), mac.size()));
            m.bytes[5] ^= 0x80;  // the second port's own address
            Link &port = segments[1]->attach(m);
            faults[i] = &routers[i]->attach(std::make_unique<FaultChain>(
                port, sim.scheduler(),
                sim.derive_random(sim::Simulation::kComponentStreamBase + std::uint64_t(i)), p));
            routers_net[i] = &attach(*routers[i], *segments[i == 0 ? 0 : 2], rc);
            stack::NetifConfig mc;
            mc.name = "eth1";
            auto index = routers_net[i]->add_interface(faults[i]->duplicate, mc, {addr(middle[i])});
            EXPECT_TRUE(index.ok());
            stack::Route to_far;
            to_far.prefix = addr(prefixes[1 - i]);
            to_far.prefix_length = 64;
            to_far.ifindex = index.ok() ? *index : 0;
            to_far.next_hop = addr(middle[1 - i]);
            routers_net[i]->stack().routes().add(to_far);
            routers_net[i]->interface().set_blocking(false);
            routers_net[i]->interface().connect();
        }
        a_net = &attach(*a, *segments[0], {});
        b_net = &attach(*b, *segments[2], {});
        a_fibers = &a->attach(std::make_unique<NodeFibers>(*a));
        b_fibers = &b->attach(std::make_unique<NodeFibers>(*b));
    }
    NodeNetwork &attach(sim::Node &n, sim::Segment &seg, NodeNetworkConfig c) {
        const auto mac = n.context().mac_address();
        Link &port = seg.attach(EthernetAddress::from(ByteSpan(mac.data(), mac.size())));
        return n.attach(std::make_unique<NodeNetwork>(n, port, std::move(c)));
    }

    std::unique_ptr<sim::Segment> segments[3];  // outlive the simulation's nodes
    sim::Simulation sim;
    FaultChain *faults[2] = {};  // the routers' wrapped middle ports
    sim::Node *a = nullptr, *r1 = nullptr, *r2 = nullptr, *b = nullptr;
    NodeNetwork *routers_net[2] = {};
    NodeNetwork *a_net = nullptr, *b_net = nullptr;
    NodeFibers *a_fibers = nullptr, *b_fibers = nullptr;
};

std::vector<char> pattern() {
    std::vector<char> d(kTransfer);
    std::uint32_t x = 0x9e3779b9;
    for (auto &c : d) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return d;
}

struct Outcome {
    std::vector<char> received;
    bool done = false;
    nsapi_error_t connected = 1, sent = 1, end = 1;
    Instant started{}, finished{};
    sim::FaultStats faults[3][2];  // loss, reorder, duplicate; per router
    std::uint64_t forwarded[2] = {};
};

Outcome transfer(std::uint64_t seed, double p) {
    TwoRouters t(seed, p);
    const std::vector<char> data = pattern();
    Outcome o;
    SocketAddress b_address;
    bool b_done = false;
    t.b_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        TCPSocket server;
        ASSERT_EQ(server.open(net), NSAPI_ERROR_OK);
        ASSERT_EQ(server.bind(80), NSAPI_ERROR_OK);
        ASSERT_EQ(server.listen(1), NSAPI_ERROR_OK);
        net->get_ip_address(&b_address);  // published once B listens
        nsapi_error_t accepted = 1;
        TCPSocket *c = server.accept(&accepted);
        ASSERT_NE(c, nullptr);
        std::vector<char> buf(4096);
        while (true) {
            const auto n = c->recv(buf.data(), buf.size());
            if (n <= 0) {
                o.end = n;
                break;
            }
            o.received.insert(o.received.end(), buf.begin(), buf.begin() + n);
        }
        o.finished = t.sim.now();
        c->close();
        server.close();
        b_done = true;
    });
    t.a_fibers->spawn([&] {
        NetworkInterface *net = NetworkInterface::get_default_instance();
        ASSERT_EQ(net->connect(), NSAPI_ERROR_OK);
        while (b_address.get_ip_version() == NSAPI_UNSPEC) {
            rtos::ThisThread::sleep_for(10ms);
        }
        TCPSocket s;
        ASSERT_EQ(s.open(net), NSAPI_ERROR_OK);
        o.started = t.sim.now();
        b_address.set_port(80);
        o.connected = s.connect(b_address);
        if (o.connected == NSAPI_ERROR_OK) {
            o.sent = s.send(data.data(), static_cast<nsapi_size_t>(data.size()));
            o.sent = o.sent == static_cast<nsapi_size_or_error_t>(data.size()) ? 0 : o.sent;
        }
        s.close();
        while (!b_done) {
            rtos::ThisThread::sleep_for(10ms);  // no fiber is left blocked at teardown
        }
        o.done = true;
    });
    t.sim.run_until([&] { return o.done; }, t.sim.now() + std::chrono::hours(1));
    for (int i = 0; i < 2; ++i) {
        o.forwarded[i] = t.routers_net[i]->stack().stats().rx_forwarded;
        o.faults[0][i] = t.faults[i]->loss.stats();
        o.faults[1][i] = t.faults[i]->reorder.stats();
        o.faults[2][i] = t.faults[i]->duplicate.stats();
    }
    EXPECT_TRUE(o.received == data) << "received " << o.received.size() << " bytes, differing";
    return o;
}

class TcpUnderLoss : public ::testing::TestWithParam<int> {};

TEST_P(TcpUnderLoss, OneMegabyteByteExactAcrossTwoRouters) {
    const double p = GetParam() / 100.0;
    const auto wall = std::chrono::steady_clock::now();
    const Outcome o = transfer(100 + static_cast<std::uint64_t>(GetParam()), p);
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    ASSERT_TRUE(o.done);
    EXPECT_EQ(o.connected, NSAPI_ERROR_OK);
    EXPECT_EQ(o.sent, 0);
    EXPECT_EQ(o.end, 0);  // A's FIN
    EXPECT_EQ(o.received.size(), kTransfer);
    const double virtual_s = std::chrono::duration<double>(o.finished - o.started).count();
    std::uint64_t frames = 0, dropped = 0, reordered = 0, duplicated = 0;
    for (int i = 0; i < 2; ++i) {
        frames += o.faults[0][i].frames;
        dropped += o.faults[0][i].affected;
        reordered += o.faults[1][i].affected;
        duplicated += o.faults[2][i].affected;
    }
    std::printf(
        "TCP 1 MB across two routers, %d%% loss/reordering/duplication on the middle "
        "link: %.2f s virtual (%.1f kB/s), %.2f s wall; middle link frames %llu, "
        "dropped %llu, held back %llu, duplicated %llu\n",
        GetParam(), virtual_s, static_cast<double>(kTransfer) / virtual_s / 1e3, wall_s,
        static_cast<unsigned long long>(frames), static_cast<unsigned long long>(dropped),
        static_cast<unsigned long long>(reordered), static_cast<unsigned long long>(duplicated));
    // Both routers carried the transfer (data one way, ACKs the other).
    EXPECT_GT(o.forwarded[0], kTransfer / 1500);
    EXPECT_GT(o.forwarded[1], kTransfer / 1500);
    // The faults really happened, at about the configured rate.
    EXPECT_GT(dropped, static_cast<std::uint64_t>(static_cast<double>(frames) * p * 0.7));
    EXPECT_GT(reordered, 0u);
    EXPECT_GT(duplicated, 0u);
}

INSTANTIATE_TEST_SUITE_P(Loss, TcpUnderLoss, ::testing::Values(10, 20, 30),
                         [](const ::testing::TestParamInfo<int> &i) {
                             return std::to_string(i.param) + "Percent";
                         });

}  // namespace
}  // namespace meshwork::testbed
