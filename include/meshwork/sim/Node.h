// One simulated device (ARCHITECTURE rule 1): its identity, random stream, output and per-device
// context, the events it schedules, and the applications it runs. A node belongs to one
// Simulation, which creates it (Simulation::add_node) and outlives it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Random.h"
#include "core/Time.h"
#include "meshwork/config/Configuration.h"
#include "meshwork/sim/NodeContext.h"

namespace meshwork::sim {

class Simulation;
class Node;

/// Application code run on a node: start() runs as the node's event at the instant the
/// application is added, and it goes on through the node's events (timers it schedules).
/// (Mbed applications on fibers come through an executor attached to the node, docs/sim.md.)
class Application {
  public:
    virtual ~Application() = default;
    virtual void start(Node &node) = 0;
};

/// Something that lives as long as its node and is destroyed before the node's applications
/// and context: the seam for an executor (fibers running the node's threads), a network stack.
class NodeAttachment {
  public:
    virtual ~NodeAttachment() = default;
};

class Node {
  public:
    using EventId = std::uint64_t;
    using Event = std::function<void()>;

    Node(const Node &) = delete;
    Node &operator=(const Node &) = delete;
    ~Node();

    NodeId id() const { return context_.id(); }
    const std::string &name() const { return context_.name(); }
    const Eui64 &eui64() const { return context_.eui64(); }
    Random &random() { return context_.random(); }
    const config::Configuration &config() const { return context_.config(); }
    /// What Mbed keeps per device; what this node's tasks carry.
    NodeContext &context() { return context_; }
    const NodeContext &context() const { return context_; }

    Simulation &simulation() { return *sim_; }
    Instant now() const { return context_.clock().now(); }

    /// The node's events: they run with this node current (Simulation::current_node()) and
    /// appear under its id in the simulation's event trace. Same ordering rules as the
    /// simulation's scheduler (time, then scheduling order).
    EventId at(Instant at, Event event);
    EventId after(Duration delay, Event event) {
        return at(saturating_add(now(), delay), std::move(event));
    }
    EventId post(Event event) { return at(now(), std::move(event)); }
    /// Every `period` from one period from now, until cancelled (one id throughout).
    EventId every(Duration period, Event event);
    bool cancel(EventId id);
    /// Moves a pending event to `at`, behind those already scheduled there.
    bool reschedule(EventId id, Instant at);
    bool pending(EventId id) const;

    /// The node's standard output: kept per node, stamped with virtual time.
    void print(std::string_view text) { context_.output().write(text); }
    __attribute__((format(printf, 2, 3))) void printf(const char *format, ...);
    const std::vector<NodeOutput::Line> &output() const { return context_.output().lines(); }
    std::string output_text() const { return context_.output().text(); }
    /// Each line prefixed "[node <id> @ <virtual us> us] ".
    std::string formatted_output() const { return context_.output().formatted(id()); }

    /// Runs `main(node)` as the node's event now (after what is already scheduled now).
    void run(std::function<void(Node &)> main);
    /// Takes `app`, and runs its start() as the node's event now. Returns it.
    Application &add_application(std::unique_ptr<Application> app);
    template <class App, class... Args>
    App &emplace_application(Args &&...args) {
        auto app = std::make_unique<App>(std::forward<Args>(args)...);
        App &ref = *app;
        add_application(std::move(app));
        return ref;
    }

    /// Keeps `a` for the node's lifetime (destroyed first, in reverse order of attaching).
    template <class T>
    T &attach(std::unique_ptr<T> a) {
        T &ref = *a;
        attachments_.push_back(std::move(a));
        return ref;
    }

  private:
    friend class Simulation;
    Node(Simulation &sim, NodeId id, std::string name, std::uint64_t seed, SeededRandom random,
         std::shared_ptr<const config::Configuration> configuration, const Clock &clock,
         std::uint64_t &output_order);

    auto wrap(Event event);

    Simulation *sim_;
    NodeContext context_;
    std::vector<std::unique_ptr<Application>> applications_;
    std::vector<std::unique_ptr<NodeAttachment>> attachments_;  // destroyed before the above
};

}  // namespace meshwork::sim
