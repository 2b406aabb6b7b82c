// The native API of the simulator (docs/sim.md): one Simulation is one world of nodes in
// deterministic virtual time, created from a scenario seed. Everything it does hangs off the
// object (ARCHITECTURE rule 1): two simulations in one process never interfere, and the same
// seed gives the same events in the same order and byte-identical output.
//
//   meshwork::sim::Simulation sim(42);
//   auto &a = sim.add_node("a");
//   a.every(std::chrono::seconds(1), [&] { a.printf("tick %u\n", a.random().next_u32()); });
//   sim.run_for(std::chrono::minutes(1));
//   std::fputs(sim.transcript().c_str(), stdout);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/Random.h"
#include "core/Time.h"
#include "meshwork/config/Configuration.h"
#include "meshwork/sim/Node.h"
#include "meshwork/sim/NodeContext.h"
#include "meshwork/sim/RunResult.h"

namespace meshwork::sim {

class Scheduler;  // src/sim/Scheduler.h: the kernel's components reach it via scheduler()

class Simulation {
  public:
    using EventId = std::uint64_t;
    using Event = std::function<void()>;

    /// Random streams: node n draws from stream n of the seed; the simulation's own components
    /// (links, the radio medium) take streams from kComponentStreamBase up.
    static constexpr std::uint64_t kComponentStreamBase = std::uint64_t{1} << 32;

    explicit Simulation(std::uint64_t seed);
    ~Simulation();
    Simulation(const Simulation &) = delete;
    Simulation &operator=(const Simulation &) = delete;

    std::uint64_t seed() const { return seed_; }
    /// Stream `stream` of the scenario seed (SeededRandom::derive), independent of every other.
    SeededRandom derive_random(std::uint64_t stream) const { return root_.derive(stream); }

    // --- nodes -----------------------------------------------------------------------------

    /// Adds a node with the next id (1, 2, ...), named `name` ("node<id>" when empty), with the
    /// default configuration (set_default_config) or `configuration`.
    Node &add_node(std::string name = {});
    Node &add_node(std::string name, config::Configuration configuration);
    /// The configuration later add_node() calls give (the library defaults to begin with).
    void set_default_config(config::Configuration configuration);

    std::size_t node_count() const { return nodes_.size(); }
    /// The node with id `id`; nullptr if there is none.
    Node *node(NodeId id) {
        return id >= 1 && id <= nodes_.size() ? nodes_[id - 1].get() : nullptr;
    }
    Node *find_node(const std::string &name);
    /// The node whose event is running; nullptr between events and in the simulation's own.
    Node *current_node() const { return current_; }

    // --- time and events -------------------------------------------------------------------

    const Clock &clock() const;
    Instant now() const;
    /// Events of the simulation itself (no node current).
    EventId at(Instant at, Event event);
    EventId after(Duration delay, Event event);
    EventId post(Event event);
    EventId every(Duration period, Event event);
    bool cancel(EventId id);
    bool reschedule(EventId id, Instant at);
    bool pending(EventId id) const;
    bool idle() const;
    Instant next_event_time() const;
    std::uint64_t events_run() const;

    // --- running ---------------------------------------------------------------------------

    /// Runs every event up to and including `deadline`; the clock then reads `deadline`.
    RunResult run_until(Instant deadline);
    RunResult run_for(Duration d);
    /// Runs until no event is left.
    RunResult run_until_idle();
    /// Runs until `done()` holds (checked before each event), `deadline` passes, or idle.
    RunResult run_until(const std::function<bool()> &done, Instant deadline = kNever);
    /// Runs one event. False when idle.
    bool step();
    /// Makes the current run return after the running event.
    void stop();
    /// Real-time pacing: virtual time follows the wall clock `speed` times faster (1: real
    /// time; 0: as fast as possible, the default). Changes when events run, never which or at
    /// what virtual time.
    void set_real_time(double speed);
    double real_time_speed() const;

    // --- output and tracing ----------------------------------------------------------------

    /// Every node's lines, merged in the order they were written, each prefixed
    /// "[node <id> @ <virtual us> us] ".
    std::string transcript() const;

    /// One record per event run while tracing is on: its virtual time and node (0: the
    /// simulation's own event).
    struct TraceRecord {
        Instant at;
        NodeId node;
        bool operator==(const TraceRecord &o) const { return at == o.at && node == o.node; }
    };
    void set_event_trace(bool on) { tracing_ = on; }
    const std::vector<TraceRecord> &event_trace() const { return trace_; }

    /// The kernel's scheduler, for kernel components (links, medium) that include
    /// "sim/Scheduler.h".
    Scheduler &scheduler() { return *scheduler_; }
    /// Keeps a kernel component (a radio medium, a link) as long as the simulation: it goes
    /// after the nodes, whose radios and ports are on it, and before the scheduler, which its
    /// destructor may still use to cancel its events.
    template <typename T>
    T &own(std::unique_ptr<T> component) {
        T &ref = *component;
        components_.push_back(std::shared_ptr<void>(std::move(component)));
        return ref;
    }

  private:
    friend class Node;
    /// Marks `node` current around one of its events (and records it in the trace).
    class Scope {
      public:
        Scope(Simulation &sim, Node *node) : sim_(sim), previous_(sim.current_) {
            sim.current_ = node;
            if (sim.tracing_)
                sim.trace_.push_back(TraceRecord{sim.now(), node ? node->id() : 0});
        }
        ~Scope() { sim_.current_ = previous_; }
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

      private:
        Simulation &sim_;
        Node *previous_;
    };
    Node &add_node(std::string name, std::shared_ptr<const config::Configuration> configuration);

    std::uint64_t seed_;
    SeededRandom root_;
    std::unique_ptr<Scheduler> scheduler_;
    std::shared_ptr<const config::Configuration> default_config_;
    std::vector<std::unique_ptr<Node>> nodes_;
    std::vector<std::shared_ptr<void>> components_;
    Node *current_ = nullptr;
    std::uint64_t output_order_ = 0;
    bool tracing_ = false;
    std::vector<TraceRecord> trace_;
};

}  // namespace meshwork::sim
