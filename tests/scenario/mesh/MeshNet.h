// Test harness: a Simulation with an 802.15.4 medium (unit disk) and LowpanNdNodes started
// through their MeshBackend with the settings of their configuration (device type given by
// the test), as LoWPANNDInterface::connect() starts them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mesh/api/LowpanNdSettings.h"
#include "meshwork/sim/Simulation.h"
#include "sim/Propagation.h"
#include "sim/RadioMedium.h"
#include "testbed/Capture802154.h"
#include "stack/UdpSockets.h"
#include "testbed/LowpanNdNode.h"

namespace meshwork::meshtest {

constexpr std::uint16_t kPort = 4321;

/// A UDP socket on `n` bound to kPort.
inline stack::UdpSockets::SocketId listen(testbed::LowpanNdNode &n) {
    auto s = n.stack().udp().open();
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(n.stack().udp().bind(*s, wire::Ip6Address(), kPort));
    return *s;
}

/// One 16-byte datagram to `to`:kPort whose first byte is `tag`.
inline bool send_udp(testbed::LowpanNdNode &from, const wire::Ip6Address &to, std::uint8_t tag) {
    auto s = from.stack().udp().open();
    if (!s)
        return false;
    const std::uint8_t data[16] = {tag, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const bool ok = from.stack().udp().send_to(*s, to, kPort, ByteSpan(data, sizeof data)).ok();
    (void)from.stack().udp().close(*s);
    from.touched();
    return ok;
}

/// Tags of the datagrams waiting on `s` (drained), by source.
inline std::multimap<wire::Ip6Address, std::uint8_t> drain(testbed::LowpanNdNode &n,
                                                           stack::UdpSockets::SocketId s) {
    std::multimap<wire::Ip6Address, std::uint8_t> out;
    std::uint8_t buf[64];
    for (;;) {
        stack::UdpDatagramInfo info;
        auto r = n.stack().udp().recv_from(s, MutableByteSpan(buf, sizeof buf), &info);
        if (!r)
            break;
        out.emplace(info.src, *r > 0 ? buf[0] : 0);
    }
    return out;
}

struct MeshNet {
    explicit MeshNet(std::uint64_t seed = 1, double range_m = 30) : sim(seed) {
        medium = &sim.own(std::make_unique<sim::RadioMedium>(
            sim.scheduler(), std::make_unique<sim::UnitDiskPropagation>(range_m)));
    }

    testbed::LowpanNdNode &add(sim::Position pos, net_6lowpan_mode_e type,
                               testbed::LowpanNdNodeConfig cfg = {}) {
        return add(sim.add_node(), pos, type, std::move(cfg));
    }
    /// A node with its own configuration (its mbed_app.json's settings: security, PAN...).
    testbed::LowpanNdNode &add(sim::Position pos, net_6lowpan_mode_e type,
                               config::Configuration configuration,
                               testbed::LowpanNdNodeConfig cfg = {}) {
        return add(sim.add_node({}, std::move(configuration)), pos, type, std::move(cfg));
    }
    testbed::LowpanNdNode &add(sim::Node &n, sim::Position pos, net_6lowpan_mode_e type,
                               testbed::LowpanNdNodeConfig cfg) {
        const sim::RadioNodeId rid = medium->add_node(pos);
        auto &m = n.attach(std::make_unique<testbed::LowpanNdNode>(n, *medium, rid, cfg));
        nodes.push_back(&m);
        types.push_back(type);
        return m;
    }

    /// Starts node `i` as connect() would, recording its status reports.
    void start(std::size_t i) {
        std::vector<std::string> errors;
        meshapi::MeshStartRequest req;
        req.settings =
            meshapi::LowpanNdSettings::from_configuration(nodes[i]->node().config(), errors);
        ASSERT_TRUE(errors.empty());
        req.settings.device_type = types[i];
        reports.resize(nodes.size());
        ASSERT_EQ(nodes[i]->start(
                      req, [this, i](mesh_connection_status_t s) { reports[i].push_back(s); }),
                  MESH_ERROR_NONE);
    }
    void start_all() {
        for (std::size_t i = 0; i < nodes.size(); ++i)
            start(i);
    }
    bool all_connected() const {
        for (auto *n : nodes)
            if (!n->connected())
                return false;
        return true;
    }
    /// Runs until every node is connected or `limit` of virtual time passes.
    bool form(Duration limit) {
        sim.run_until([this] { return all_connected(); }, sim.now() + limit);
        return all_connected();
    }

    sim::Simulation sim;
    sim::RadioMedium *medium = nullptr;
    std::vector<testbed::LowpanNdNode *> nodes;
    std::vector<net_6lowpan_mode_e> types;
    std::vector<std::vector<mesh_connection_status_t>> reports;
};

/// Every node of `net` (or of `which`, indices into it) sends one datagram to every other (one
/// virtual second apart); each must arrive exactly once.
inline void expect_udp_between_every_pair(MeshNet &net, std::vector<std::size_t> which = {}) {
    if (which.empty())
        for (std::size_t i = 0; i < net.nodes.size(); ++i)
            which.push_back(i);
    const std::size_t n = which.size();
    std::vector<stack::UdpSockets::SocketId> socks;
    for (std::size_t j : which)
        socks.push_back(listen(*net.nodes[j]));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (i != j) {
                ASSERT_TRUE(send_udp(*net.nodes[which[i]], net.nodes[which[j]]->global(),
                                     static_cast<std::uint8_t>(i * n + j)));
                net.sim.run_for(std::chrono::seconds(1));
            }
    for (std::size_t j = 0; j < n; ++j) {
        auto got = drain(*net.nodes[which[j]], socks[j]);
        EXPECT_EQ(got.size(), n - 1) << "node " << which[j];
        for (std::size_t i = 0; i < n; ++i) {
            if (i != j) {
                EXPECT_EQ(got.count(net.nodes[which[i]]->global()), 1u)
                    << which[i] << " -> " << which[j];
            }
        }
    }
}

}  // namespace meshwork::meshtest
