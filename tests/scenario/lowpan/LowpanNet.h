// Test harness shared by the 6LoWPAN tests: nodes on the simulated RadioMedium, each a SimRadio,
// the real MAC, the adaptation layer and a real Stack on one kIp6 interface, in virtual time.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/PacketBuffer.h"
#include "core/Random.h"
#include "mesh/lowpan/LowpanAdaptation.h"
#include "mesh/mac/Mac.h"
#include "sim/RadioMedium.h"
#include "sim/Scheduler.h"
#include "sim/SimRadio.h"
#include "stack/Stack.h"
#include "stack/UdpSockets.h"
#include "testbed/RadioMacTimer.h"
#include "wire/Ieee802154.h"

namespace meshwork::lowpantest {

constexpr std::uint16_t kPan = 0xabcd;

/// EUI-64 of node i (printed order 00:12:4b:00:00:00:00:<i+1>).
inline std::uint64_t eui_of(int i) {
    return 0x00124b0000000000ull + static_cast<std::uint64_t>(i + 1);
}

/// A MacTimer on the scheduler that calls `fire`.
class SchedTimer final : public mac::MacTimer {
  public:
    explicit SchedTimer(sim::Scheduler &s) : sched_(s) {}
    ~SchedTimer() override { disarm(); }
    std::function<void()> fire;
    void arm(Instant at) override {
        disarm();
        event_ = sched_.at(at, [this] {
            event_ = 0;
            if (fire)
                fire();
        });
    }
    void disarm() override {
        if (event_ != 0)
            sched_.cancel(event_);
        event_ = 0;
    }

  private:
    sim::Scheduler &sched_;
    sim::Scheduler::EventId event_ = 0;
};

struct NodeOptions {
    lowpan::LowpanConfig lowpan;  // addresses and PAN are filled in per node
    mac::MacConfig mac;
    stack::StackConfig stack;
};

struct Node {
    Node(sim::Scheduler &s, sim::RadioMedium &m, int id, std::uint64_t seed, const NodeOptions &o)
        : sched(s),
          pool(1 << 20, 512),
          radio(m, sim::RadioNodeId(id)),
          rng(seed, static_cast<std::uint64_t>(id)),
          mac_timer(s),
          mac(radio, s.clock(), rng, mac_timer, o.mac),
          lp_timer(s),
          lowpan(mac, s.clock(), rng, &lp_timer, config(id, o.lowpan)),
          stack(s.clock(), rng, pool, o.stack) {
        mac_timer.bind(&mac);
        lp_timer.fire = [this] {
            lowpan.poll();
            arm();
        };
        stack::NetifConfig nc = lowpan.netif_config();
        nc.accept_ra = false;  // no router here: no router solicitations
        ifindex = *stack.add_interface(nc, lowpan);
        lowpan.set_deliver([this](ByteSpan p) {
            stack.receive_packet(ifindex, p);
            arm();
        });
        (void)stack.set_up(ifindex);
        arm();
    }
    static lowpan::LowpanConfig config(int id, lowpan::LowpanConfig c) {
        c.pan_id = kPan;
        c.extended_address = eui_of(id);
        return c;
    }
    /// Keeps one scheduler event at the stack's next deadline.
    void arm() {
        const Instant d = stack.next_deadline();
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
            arm();
        });
    }
    wire::Ip6Address link_local() const { return stack.link_local(ifindex); }

    sim::Scheduler &sched;
    PacketPool pool;  // first: the adaptation layer's queue may hold its buffers at the end
    sim::SimRadio radio;
    SeededRandom rng;
    testbed::RadioMacTimer mac_timer;
    mac::Mac mac;
    SchedTimer lp_timer;
    lowpan::LowpanAdaptation lowpan;
    stack::Stack stack;
    stack::IfIndex ifindex = 0;
    sim::Scheduler::EventId event = 0;
    Instant armed = kNever;
};

/// `n` nodes 5 m apart on a line, all in range of each other.
struct Net {
    explicit Net(int n, std::uint64_t seed = 1, const NodeOptions &o = {})
        : medium(sched, std::make_unique<sim::UnitDiskPropagation>(100)) {
        for (int i = 0; i < n; ++i) {
            medium.add_node({5.0 * i, 0, 0});
            nodes.push_back(std::make_unique<Node>(sched, medium, i, seed, o));
        }
    }
    ~Net() {
        nodes.clear();  // before the medium
    }
    Node &operator[](int i) { return *nodes[static_cast<std::size_t>(i)]; }
    /// Runs until every node's link-local address is preferred (DAD done).
    void settle() {
        sched.run_for(std::chrono::seconds(3));
        for (auto &n : nodes)
            n->arm();
    }

    sim::Scheduler sched;
    sim::RadioMedium medium;
    std::vector<std::unique_ptr<Node>> nodes;
};

}  // namespace meshwork::lowpantest
