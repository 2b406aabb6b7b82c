// Test harness for 6LoWPAN-ND: nodes on the simulated radio medium at given positions, each a
// SimRadio, the real MAC, the adaptation layer, a real Stack (interface from
// SixLowpanNd::netif_config) and a SixLowpanNd, driven on one scheduler in virtual time.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "LowpanNet.h"
#include "mesh/nd/SixLowpanNd.h"

namespace meshwork::ndtest {

using lowpantest::eui_of;
using lowpantest::kPan;
using lowpantest::SchedTimer;

struct NdNode {
    NdNode(sim::Scheduler &s, sim::RadioMedium &m, int id, std::uint64_t seed, nd::NdConfig cfg,
           stack::StackConfig sc = {})
        : sched(s),
          radio(m, sim::RadioNodeId(id)),
          rng(seed, static_cast<std::uint64_t>(id)),
          mac_timer(s),
          mac(radio, s.clock(), rng, mac_timer, mac::MacConfig{}),
          lp_timer(s),
          lowpan(mac, s.clock(), rng, &lp_timer, lowpan_config(id)),
          pool(1 << 20, 512),
          stack(s.clock(), rng, pool, sc) {
        mac_timer.bind(&mac);
        lp_timer.fire = [this] {
            lowpan.poll();
            arm();
        };
        ifindex =
            *stack.add_interface(nd::SixLowpanNd::netif_config(lowpan.netif_config()), lowpan);
        lowpan.set_deliver([this](ByteSpan p) {
            stack.receive_packet(ifindex, p);
            if (nd)
                nd->poll();
            arm();
        });
        (void)stack.set_up(ifindex);
        nd = std::make_unique<nd::SixLowpanNd>(stack, ifindex, lowpan, s.clock(), rng,
                                               std::move(cfg));
        arm();
    }
    ~NdNode() {
        if (event != 0)
            sched.cancel(event);
        nd.reset();
    }
    static lowpan::LowpanConfig lowpan_config(int id) {
        lowpan::LowpanConfig c;
        c.pan_id = kPan;
        c.extended_address = eui_of(id);
        return c;
    }
    void start() {
        nd->start();
        arm();
    }
    void stop() {
        nd->stop();
        arm();
    }
    /// Keeps one scheduler event at the earlier of the stack's and ND's deadlines.
    void arm() {
        const Instant d = std::min(stack.next_deadline(), nd ? nd->next_deadline() : kNever);
        if (event != 0 && sched.pending(event) && d == armed)
            return;
        if (event != 0)
            sched.cancel(event);
        event = 0;
        armed = d;
        if (d == kNever)
            return;
        event = sched.at(d, [this] {
            event = 0;
            stack.poll();
            if (nd)
                nd->poll();
            arm();
        });
    }
    wire::Ip6Address link_local() const { return stack.link_local(ifindex); }
    wire::Ip6Iid iid() const {
        std::uint8_t eui[8];
        wire::MacAddress::from_extended(lowpan.config().extended_address).to_eui64(eui);
        return wire::Ip6Iid::from_eui64(eui);
    }

    sim::Scheduler &sched;
    sim::SimRadio radio;
    SeededRandom rng;
    testbed::RadioMacTimer mac_timer;
    mac::Mac mac;
    SchedTimer lp_timer;
    lowpan::LowpanAdaptation lowpan;
    PacketPool pool;
    stack::Stack stack;
    stack::IfIndex ifindex = 0;
    std::unique_ptr<nd::SixLowpanNd> nd;
    sim::Scheduler::EventId event = 0;
    Instant armed = kNever;
};

/// Nodes on a line at the given x positions; radio range `range` metres (unit disk).
struct NdNet {
    explicit NdNet(double range = 100, std::uint64_t seed = 1)
        : medium(sched, std::make_unique<sim::UnitDiskPropagation>(range)), seed_(seed) {}
    ~NdNet() { nodes.clear(); }
    NdNode &add(double x, nd::NdConfig cfg, stack::StackConfig sc = {}) {
        const int id = static_cast<int>(nodes.size());
        medium.add_node({x, 0, 0});
        nodes.push_back(std::make_unique<NdNode>(sched, medium, id, seed_, std::move(cfg), sc));
        return *nodes.back();
    }
    NdNode &operator[](int i) { return *nodes[static_cast<std::size_t>(i)]; }
    void run_for(Duration d) { sched.run_for(d); }

    sim::Scheduler sched;
    sim::RadioMedium medium;
    std::vector<std::unique_ptr<NdNode>> nodes;

  private:
    std::uint64_t seed_;
};

inline wire::Ip6Address addr(const char *text) {
    return *wire::Ip6Address::from_text(text);
}

/// Short timers so tests run quickly in virtual time.
inline nd::NdConfig fast(nd::NdRole role) {
    nd::NdConfig c;
    c.role = role;
    c.rs_max_delay = std::chrono::milliseconds(100);
    c.rs_interval = std::chrono::seconds(1);
    c.rs_max_interval = std::chrono::seconds(4);
    c.ns_retrans = std::chrono::milliseconds(500);
    c.dar_retrans = std::chrono::milliseconds(400);
    c.registration_lifetime = 1;  // one minute
    return c;
}

inline nd::NdConfig border_router() {
    nd::NdConfig c = fast(nd::NdRole::kBorderRouter);
    c.prefix = addr("2001:db8:1::");
    c.prefix_length = 64;
    c.abro_version = 7;
    nd::NdContextConfig ctx;
    ctx.cid = 0;
    ctx.prefix = addr("2001:db8:1::");
    ctx.length = 64;
    ctx.compress = true;
    ctx.valid_lifetime = 30;
    c.contexts.push_back(ctx);
    return c;
}

}  // namespace meshwork::ndtest
