// The two-node fixture of the nsapi scenario tests: a router (2001:db8:1::1, advertising
// 2001:db8:1::/64) and a SLAAC host on an Ethernet-like segment, each with fibers for ordinary
// Mbed code, and a capture of the segment.
#pragma once
#include <chrono>
#include <memory>

#include "SocketAddress.h"
#include "meshwork/sim/Simulation.h"
#include "sim/Segment.h"
#include "testbed/NodeNetwork.h"
#include "testbed/PcapWriter.h"

namespace meshwork::testbed {

inline const char *const kRouterAddress = "2001:db8:1::1";

struct TwoNodes {
    explicit TwoNodes(std::uint64_t seed, NodeNetworkConfig host_config = {},
                      NodeNetworkConfig router_config = {})
        : sim(seed) {
        sim::SegmentConfig sc;
        sc.latency = std::chrono::microseconds(100);
        segment = std::make_unique<sim::Segment>(sim.scheduler(), sc);
        segment->set_tap(&pcap);
        router = &sim.add_node("router");
        host = &sim.add_node("host");
        NodeNetworkConfig rc = std::move(router_config);
        rc.stack.forwarding = true;
        rc.netif.advertise = true;
        stack::AdvertisedPrefix p;
        p.prefix = *wire::Ip6Address::from_text("2001:db8:1::");
        rc.netif.prefixes.push_back(p);
        rc.static_addresses.push_back(*wire::Ip6Address::from_text(kRouterAddress));
        router_net = &attach_network(*router, rc);
        host_net = &attach_network(*host, std::move(host_config));
        router_fibers = &router->attach(std::make_unique<NodeFibers>(*router));
        host_fibers = &host->attach(std::make_unique<NodeFibers>(*host));
    }
    NodeNetwork &attach_network(sim::Node &n, NodeNetworkConfig c) {
        const auto mac = n.context().mac_address();
        Link &port = segment->attach(EthernetAddress::from(ByteSpan(mac.data(), mac.size())));
        return n.attach(std::make_unique<NodeNetwork>(n, port, std::move(c)));
    }
    /// Runs until `done` or `limit` of virtual time.
    bool run(const bool &done, Duration limit = std::chrono::minutes(1)) {
        sim.run_until([&] { return done; }, sim.now() + limit);
        return done;
    }

    PcapWriter pcap;  // declared first: outlives the segment and the simulation
    std::unique_ptr<sim::Segment> segment;
    sim::Simulation sim;  // destroyed before the segment its nodes' ports are on
    sim::Node *router = nullptr;
    sim::Node *host = nullptr;
    NodeNetwork *router_net = nullptr;
    NodeNetwork *host_net = nullptr;
    NodeFibers *router_fibers = nullptr;
    NodeFibers *host_fibers = nullptr;
};

inline SocketAddress router_address(uint16_t port) {
    return SocketAddress(kRouterAddress, port);
}

}  // namespace meshwork::testbed
