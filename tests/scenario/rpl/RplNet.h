// Test harness for RPL: the 6LoWPAN harness's nodes (LowpanNet.h: SimRadio, MAC, adaptation,
// Stack) each with an Rpl on its interface, placed by the test on a unit-disk medium, in
// virtual time. Node 0 is the root. No 6LoWPAN-ND: nodes form their global addresses from the
// prefix of the root's DIO PIO (RplConfig::form_address), and context 0 is set statically.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "LowpanNet.h"
#include "mesh/rpl/Rpl.h"

namespace meshwork::rpltest {

using lowpantest::Node;
using lowpantest::NodeOptions;

inline wire::Ip6Address prefix() {
    return *wire::Ip6Address::from_text("2001:db8:1::");
}

inline NodeOptions options(rpl::RplRole role) {
    NodeOptions o;
    o.stack.forwarding = role != rpl::RplRole::kLeaf;
    o.stack.rpl_data_plane = true;
    o.stack.ip6_in_ip6 = true;
    o.stack.send_redirects = false;  // RPL routes; a redirect would point off the DODAG
    return o;
}

/// One node with RPL; poll() runs whenever Rpl's deadline comes, checked at least every 50 ms
/// of virtual time (its inputs arrive through the stack and the MAC's confirms).
struct RplNode {
    RplNode(sim::Scheduler &s, sim::RadioMedium &m, int id, std::uint64_t seed, rpl::RplConfig rc)
        : node(s, m, id, seed, options(rc.role)),
          rpl(node.stack, node.ifindex, node.lowpan, s.clock(), node.rng, rc),
          sched(s) {
        // Context 0 = the DODAG prefix, as the border router's 6CO would give it (6LoWPAN-ND
        // is not part of these tests): without it a tunnelled packet's headers (two IPv6
        // headers, the source route) do not fit one frame, and the adaptation layer does not
        // fragment inside the compressed headers.
        (void)node.lowpan.set_context(0, prefix(), 64, true);
    }
    ~RplNode() {
        if (event != 0)
            sched.cancel(event);
    }
    void start() {
        ASSERT_TRUE(rpl.start());
        tick();
    }
    void tick() {
        const Instant now = sched.clock().now();
        if (rpl.next_deadline() <= now) {
            rpl.poll();
            node.arm();
        }
        Instant at = rpl.next_deadline();
        const Instant soon = now + std::chrono::milliseconds(50);
        if (at > soon || at <= now)
            at = soon;
        event = sched.at(at, [this] {
            event = 0;
            tick();
        });
    }

    Node node;
    rpl::Rpl rpl;
    sim::Scheduler &sched;
    sim::Scheduler::EventId event = 0;
};

struct RplNet {
    /// Nodes at `positions` (metres) on a unit disk of `range` metres; node 0 is the root,
    /// `leaves` lists the leaf nodes, the rest are routers; `tweak` may change each node's
    /// configuration.
    RplNet(const std::vector<sim::Position> &positions, double range, std::uint64_t seed = 1,
           std::vector<int> leaves = {}, std::uint16_t ocp = rpl::Ocp::kMrhof,
           const std::function<void(int, rpl::RplConfig &)> &tweak = {})
        : medium(sched, std::make_unique<sim::UnitDiskPropagation>(range)) {
        for (std::size_t i = 0; i < positions.size(); ++i) {
            medium.add_node(positions[i]);
            rpl::RplConfig rc;
            const int id = static_cast<int>(i);
            rc.role = id == 0 ? rpl::RplRole::kRoot
                      : std::find(leaves.begin(), leaves.end(), id) != leaves.end()
                          ? rpl::RplRole::kLeaf
                          : rpl::RplRole::kRouter;
            rc.prefix = prefix();
            rc.ocp = ocp;
            if (tweak)
                tweak(id, rc);
            nodes.push_back(std::make_unique<RplNode>(sched, medium, id, seed, rc));
        }
    }
    ~RplNet() { nodes.clear(); }
    RplNode &operator[](int i) { return *nodes[static_cast<std::size_t>(i)]; }
    /// DAD of the link-local addresses, then RPL starts everywhere.
    void start() {
        sched.run_for(std::chrono::seconds(3));
        for (auto &n : nodes) {
            n->node.arm();
            n->start();
        }
    }
    bool all_joined() const {
        for (const auto &n : nodes)
            if (!n->rpl.joined())
                return false;
        return true;
    }
    bool all_acked() const {
        for (std::size_t i = 1; i < nodes.size(); ++i)
            if (!nodes[i]->rpl.dao_acknowledged())
                return false;
        return true;
    }
    /// Runs until `pred` holds (checked every 100 ms) or `limit` passes; true if it held.
    template <typename Pred>
    bool run_until(Pred pred, Duration limit) {
        const Instant end = sched.clock().now() + limit;
        while (sched.clock().now() < end) {
            if (pred())
                return true;
            sched.run_for(std::chrono::milliseconds(100));
        }
        return pred();
    }

    sim::Scheduler sched;
    sim::RadioMedium medium;
    std::vector<std::unique_ptr<RplNode>> nodes;
};

/// `n` nodes 10 m apart on a line, each hearing only its neighbours.
inline std::vector<sim::Position> line(int n) {
    std::vector<sim::Position> p;
    for (int i = 0; i < n; ++i)
        p.push_back({10.0 * i, 0, 0});
    return p;
}

}  // namespace meshwork::rpltest
