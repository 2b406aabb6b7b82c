// The simulation kernel's determinism and independence, in virtual time (docs/sim.md
// "Determinism"): a seed fixes every event, its order and every byte of output.
#include "meshwork/sim/Simulation.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace meshwork::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Ticks with a period drawn from its node's stream, prints a random value each tick and now
// and then sends a message to a random peer with a random latency; stops after `limit` ticks.
class Chatter : public Application {
  public:
    Chatter(int limit, std::vector<NodeId> *finished) : limit_(limit), finished_(finished) {}

    void start(Node &node) override {
        const Duration period(1000 + node.random().uniform(19000));
        node.printf("start period=%lld\n", static_cast<long long>(period.count()));
        id_ = node.every(period, [this, &node] { tick(node); });
    }

  private:
    void tick(Node &node) {
        ++ticks_;
        node.printf("tick %d r=%08x\n", ticks_, static_cast<unsigned>(node.random().next_u32()));
        Simulation &sim = node.simulation();
        if (node.random().uniform(3) == 0) {
            Node *peer = sim.node(1 + node.random().uniform(std::uint32_t(sim.node_count())));
            const Duration latency(node.random().uniform(5000));
            const NodeId from = node.id();
            const int seq = ticks_;
            peer->after(latency, [peer, from, seq] { peer->printf("got %u#%d\n", from, seq); });
        }
        if (ticks_ == limit_) {
            node.cancel(id_);
            if (finished_)
                finished_->push_back(node.id());
        }
    }

    int limit_;
    std::vector<NodeId> *finished_;
    int ticks_ = 0;
    Node::EventId id_ = 0;
};

void populate(Simulation &sim, int nodes, int ticks, std::vector<NodeId> *finished = nullptr) {
    sim.set_event_trace(true);
    for (int i = 0; i < nodes; ++i)
        sim.add_node().emplace_application<Chatter>(ticks, finished);
}

// Everything observable about a run: the merged transcript and the event trace.
std::string record(const Simulation &sim) {
    std::string s = sim.transcript();
    char line[48];
    for (const auto &r : sim.event_trace()) {
        std::snprintf(line, sizeof line, "%lld:%u\n",
                      static_cast<long long>(r.at.time_since_epoch().count()),
                      static_cast<unsigned>(r.node));
        s += line;
    }
    return s;
}

std::string run_alone(std::uint64_t seed, int nodes, int ticks) {
    Simulation sim(seed);
    populate(sim, nodes, ticks);
    EXPECT_EQ(sim.run_until_idle(), RunResult::kIdle);
    return record(sim);
}

TEST(KernelScenario, SameSeedSameOutputAndTraceAnotherSeedDiffers) {
    const std::string first = run_alone(7, 20, 30);
    const std::string second = run_alone(7, 20, 30);
    const std::string other = run_alone(8, 20, 30);
    EXPECT_GT(first.size(), 10000u);
    EXPECT_EQ(first, second);
    EXPECT_NE(first, other);

    // Per node as well, not only merged.
    Simulation a(7), b(7);
    populate(a, 20, 30);
    populate(b, 20, 30);
    a.run_until_idle();
    b.run_until_idle();
    for (NodeId id = 1; id <= 20; ++id) {
        EXPECT_EQ(a.node(id)->output_text(), b.node(id)->output_text()) << "node " << id;
        EXPECT_NE(a.node(id)->output_text().find("got "), std::string::npos) << "node " << id;
    }
}

TEST(KernelScenario, TwoSimulationsInterleavedStepByStepEachAsIfAlone) {
    const std::string alone_a = run_alone(1, 30, 25);
    const std::string alone_b = run_alone(2, 30, 25);
    ASSERT_NE(alone_a, alone_b);

    Simulation a(1), b(2);
    populate(a, 30, 25);
    populate(b, 30, 25);
    // Uneven interleaving: one event of a, then up to three of b.
    bool more = true;
    while (more) {
        more = a.step();
        for (int i = 0; i < 3; ++i)
            more = b.step() || more;
    }
    EXPECT_TRUE(a.idle());
    EXPECT_TRUE(b.idle());
    EXPECT_EQ(record(a), alone_a);
    EXPECT_EQ(record(b), alone_b);
}

TEST(KernelScenario, TwoSimulationsOnTwoThreadsEachAsIfAlone) {
    const std::string alone_a = run_alone(11, 30, 25);
    const std::string alone_b = run_alone(12, 30, 25);
    std::string got_a, got_b;
    std::thread ta([&] { got_a = run_alone(11, 30, 25); });
    std::thread tb([&] { got_b = run_alone(12, 30, 25); });
    ta.join();
    tb.join();
    EXPECT_EQ(got_a, alone_a);
    EXPECT_EQ(got_b, alone_b);
}

TEST(KernelScenario, AThousandNodesFinishInTheSameOrderEveryRun) {
    std::vector<std::vector<NodeId>> orders;
    for (int run = 0; run < 3; ++run) {
        std::vector<NodeId> finished;
        Simulation sim(2026);
        populate(sim, 1000, 20, &finished);
        EXPECT_EQ(sim.run_until_idle(), RunResult::kIdle);
        EXPECT_EQ(finished.size(), 1000u);
        orders.push_back(finished);
    }
    EXPECT_EQ(orders[0], orders[1]);
    EXPECT_EQ(orders[0], orders[2]);
    // The order comes from the drawn periods, not from the ids.
    std::vector<NodeId> by_id(1000);
    for (NodeId i = 0; i < 1000; ++i)
        by_id[i] = i + 1;
    EXPECT_NE(orders[0], by_id);
}

TEST(KernelScenario, RunModesOverAScenario) {
    Simulation sim(5);
    populate(sim, 10, 50);
    Node &target = *sim.node(4);
    EXPECT_EQ(sim.run_until(Instant(milliseconds(100))), RunResult::kDeadline);
    EXPECT_EQ(sim.now(), Instant(milliseconds(100)));
    const auto got = [&] { return target.output_text().find("got ") != std::string::npos; };
    EXPECT_EQ(sim.run_until(got), RunResult::kPredicate);
    EXPECT_TRUE(got());
    const Instant when = sim.now();
    EXPECT_GE(when, Instant(milliseconds(100)));
    EXPECT_EQ(sim.run_until_idle(), RunResult::kIdle);
    EXPECT_GT(sim.now(), when);

    // The same scenario run straight through gives the same bytes as the one run in pieces.
    Simulation straight(5);
    populate(straight, 10, 50);
    straight.run_until_idle();
    EXPECT_EQ(straight.transcript(), sim.transcript());
}

TEST(KernelScenario, RealTimePacingChangesNothingButWhenEventsRun) {
    // 100x: one virtual second in about 10 ms of wall time (not asserted: tests never assert
    // timings). Order, virtual times and output must equal the unpaced run.
    const auto build = [](Simulation &sim) {
        sim.set_event_trace(true);
        for (int i = 0; i < 3; ++i) {
            Node &n = sim.add_node();
            n.every(milliseconds(100 + 10 * i), [&n] {
                n.printf("t=%lld r=%u\n",
                         static_cast<long long>(n.now().time_since_epoch().count()),
                         static_cast<unsigned>(n.random().uniform(1000)));
            });
        }
    };
    Simulation fast(3), paced(3);
    build(fast);
    build(paced);
    paced.set_real_time(100.0);
    EXPECT_EQ(paced.real_time_speed(), 100.0);
    EXPECT_EQ(fast.run_for(seconds(1)), RunResult::kDeadline);
    EXPECT_EQ(paced.run_for(seconds(1)), RunResult::kDeadline);
    EXPECT_EQ(paced.now(), Instant(seconds(1)));
    EXPECT_EQ(record(paced), record(fast));
    EXPECT_EQ(paced.events_run(), fast.events_run());
    EXPECT_EQ(paced.events_run(), 10u + 9u + 8u);  // 100, 110, 120 ms periods in 1 s
}

}  // namespace
}  // namespace meshwork::sim
