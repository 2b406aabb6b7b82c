#include "meshwork/sim/Simulation.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace meshwork::sim {
namespace {

Instant at_us(std::int64_t us) {
    return Instant(Duration(us));
}

TEST(Simulation, NodesGetIdsNamesStreamsAndAddresses) {
    Simulation sim(1234);
    auto &a = sim.add_node("alpha");
    auto &b = sim.add_node();
    EXPECT_EQ(a.id(), 1u);
    EXPECT_EQ(b.id(), 2u);
    EXPECT_EQ(b.name(), "node2");
    EXPECT_EQ(sim.node(1), &a);
    EXPECT_EQ(sim.node(3), nullptr);
    EXPECT_EQ(sim.node(0), nullptr);
    EXPECT_EQ(sim.find_node("alpha"), &a);
    EXPECT_EQ(sim.find_node("nope"), nullptr);
    EXPECT_EQ(sim.node_count(), 2u);
    auto expect_a = SeededRandom(1234).derive(1);
    auto expect_b = SeededRandom(1234).derive(2);
    EXPECT_EQ(a.random().next_u64(), expect_a.next_u64());
    EXPECT_EQ(b.random().next_u64(), expect_b.next_u64());
    EXPECT_EQ(a.eui64(), Eui64::derive(1234, 1));
    EXPECT_NE(a.eui64(), b.eui64());
    EXPECT_EQ(&a.simulation(), &sim);
}

TEST(Simulation, ConfigurationsAreSharedUnlessGiven) {
    Simulation sim(1);
    config::Configuration c;
    c.nsapi.dns_cache_size = 9;
    sim.set_default_config(c);
    auto &a = sim.add_node();
    auto &b = sim.add_node();
    c.nsapi.dns_cache_size = 11;
    auto &own = sim.add_node("own", c);
    EXPECT_EQ(a.config().nsapi.dns_cache_size, 9u);
    EXPECT_EQ(&a.config(), &b.config());
    EXPECT_EQ(own.config().nsapi.dns_cache_size, 11u);
}

TEST(Simulation, NodeEventsRunWithTheNodeCurrentAndAreTraced) {
    Simulation sim(1);
    auto &a = sim.add_node();
    auto &b = sim.add_node();
    sim.set_event_trace(true);
    std::vector<Node *> seen;
    a.after(Duration(10), [&] {
        seen.push_back(sim.current_node());
        b.post([&] { seen.push_back(sim.current_node()); });
    });
    sim.at(at_us(5), [&] { seen.push_back(sim.current_node()); });
    EXPECT_EQ(sim.current_node(), nullptr);
    EXPECT_EQ(sim.run_until_idle(), RunResult::kIdle);
    EXPECT_EQ(seen, (std::vector<Node *>{nullptr, &a, &b}));
    EXPECT_EQ(sim.current_node(), nullptr);
    const std::vector<Simulation::TraceRecord> expected{
        {at_us(5), 0}, {at_us(10), 1}, {at_us(10), 2}};
    EXPECT_EQ(sim.event_trace(), expected);
    EXPECT_EQ(sim.events_run(), 3u);
}

TEST(Simulation, PeriodicNodeEventsAndCancel) {
    Simulation sim(1);
    auto &a = sim.add_node();
    int ticks = 0;
    const auto id = a.every(std::chrono::milliseconds(10), [&] { ++ticks; });
    EXPECT_TRUE(a.pending(id));
    sim.run_for(std::chrono::milliseconds(55));
    EXPECT_EQ(ticks, 5);
    EXPECT_EQ(sim.now(), at_us(55000));
    EXPECT_TRUE(a.cancel(id));
    EXPECT_FALSE(a.pending(id));
    EXPECT_EQ(sim.run_until_idle(), RunResult::kIdle);
    EXPECT_EQ(ticks, 5);

    std::string log;
    const auto late = a.after(Duration(10), [&] { log += "late"; });
    const auto own = sim.after(Duration(20), [&] { log += "sim"; });
    EXPECT_TRUE(a.reschedule(late, sim.now() + Duration(30)));
    EXPECT_TRUE(sim.pending(own));
    sim.run_until_idle();
    EXPECT_EQ(log, "simlate");
    EXPECT_FALSE(sim.reschedule(own, sim.now()));
}

TEST(Simulation, RunModes) {
    Simulation sim(1);
    auto &a = sim.add_node();
    int n = 0;
    a.every(Duration(100), [&] { ++n; });
    EXPECT_EQ(sim.run_until(at_us(350)), RunResult::kDeadline);
    EXPECT_EQ(n, 3);
    EXPECT_EQ(sim.now(), at_us(350));
    EXPECT_EQ(sim.run_until([&] { return n == 7; }), RunResult::kPredicate);
    EXPECT_EQ(sim.now(), at_us(700));
    EXPECT_EQ(sim.run_until([&] { return n == 100; }, at_us(1000)), RunResult::kDeadline);
    EXPECT_EQ(n, 10);
    EXPECT_EQ(sim.now(), at_us(1000));
    sim.at(at_us(1250), [&] { sim.stop(); });
    EXPECT_EQ(sim.run_until_idle(), RunResult::kStopped);
    EXPECT_EQ(sim.now(), at_us(1250));
    EXPECT_TRUE(sim.step());
    EXPECT_EQ(sim.now(), at_us(1300));
    EXPECT_EQ(n, 13);
    EXPECT_STREQ(run_result_name(RunResult::kPredicate), "predicate");
}

TEST(Simulation, OutputIsKeptPerNodeAndMergedInWritingOrder) {
    Simulation sim(1);
    auto &a = sim.add_node();
    auto &b = sim.add_node();
    a.after(Duration(3), [&] { a.printf("a%d\n", 1); });
    b.after(Duration(3), [&] { b.print("b1\n"); });
    a.after(Duration(7), [&] { a.print("a2\n"); });
    sim.run_until_idle();
    EXPECT_EQ(a.output_text(), "a1\na2\n");
    EXPECT_EQ(b.output_text(), "b1\n");
    EXPECT_EQ(a.formatted_output(), "[node 1 @ 3 us] a1\n[node 1 @ 7 us] a2\n");
    EXPECT_EQ(sim.transcript(), "[node 1 @ 3 us] a1\n[node 2 @ 3 us] b1\n[node 1 @ 7 us] a2\n");
}

class Counter : public Application {
  public:
    explicit Counter(int limit) : limit_(limit) {}
    void start(Node &node) override {
        started_at = node.now();
        id_ = node.every(Duration(10), [this, &node] {
            if (++count == limit_)
                node.cancel(id_);
        });
    }
    Instant started_at{};
    int count = 0;

  private:
    int limit_;
    Node::EventId id_ = 0;
};

TEST(Simulation, ApplicationsStartAsNodeEvents) {
    Simulation sim(1);
    auto &a = sim.add_node();
    sim.run_until(at_us(40));
    auto &app = a.emplace_application<Counter>(3);
    Node *ran_on = nullptr;
    a.run([&](Node &n) { ran_on = sim.current_node() == &n ? &n : nullptr; });
    EXPECT_EQ(app.count, 0);  // not before the run
    sim.run_until_idle();
    EXPECT_EQ(app.started_at, at_us(40));
    EXPECT_EQ(app.count, 3);
    EXPECT_EQ(ran_on, &a);
    EXPECT_EQ(sim.now(), at_us(70));
}

class Tracker : public NodeAttachment {
  public:
    Tracker(std::vector<std::string> &log, std::string name) : log_(log), name_(std::move(name)) {}
    ~Tracker() override { log_.push_back(name_); }

  private:
    std::vector<std::string> &log_;
    std::string name_;
};

class Dying : public Application {
  public:
    explicit Dying(std::vector<std::string> &log) : log_(log) {}
    ~Dying() override { log_.push_back("app"); }
    void start(Node &) override {}

  private:
    std::vector<std::string> &log_;
};

TEST(Simulation, DestroyingWithPendingEventsDropsThemAttachmentsBeforeApplications) {
    std::vector<std::string> log;
    auto owned = std::make_shared<int>(0);
    {
        Simulation sim(1);
        auto &a = sim.add_node();
        a.emplace_application<Dying>(log);
        a.attach(std::make_unique<Tracker>(log, "first"));
        a.attach(std::make_unique<Tracker>(log, "second"));
        a.after(Duration(1000), [owned] { ++*owned; });
        EXPECT_EQ(owned.use_count(), 2);
    }
    EXPECT_EQ(owned.use_count(), 1);
    EXPECT_EQ(*owned, 0);
    EXPECT_EQ(log, (std::vector<std::string>{"second", "first", "app"}));
}

}  // namespace
}  // namespace meshwork::sim
