#include "meshwork/sim/Simulation.h"

#include <algorithm>
#include <utility>

#include "sim/Scheduler.h"

namespace meshwork::sim {

Simulation::Simulation(std::uint64_t seed)
    : seed_(seed),
      root_(seed),
      scheduler_(std::make_unique<Scheduler>()),
      default_config_(std::make_shared<const config::Configuration>()) {}

Simulation::~Simulation() {
    // Pending events may capture nodes or applications: drop them first, then the nodes (whose
    // destructors may still cancel events), then the scheduler.
    scheduler_->clear();
    while (!nodes_.empty())
        nodes_.pop_back();
    scheduler_->clear();
    while (!components_.empty())
        components_.pop_back();
    scheduler_->clear();
}

Node &Simulation::add_node(std::string name) {
    return add_node(std::move(name), std::shared_ptr<const config::Configuration>(default_config_));
}

Node &Simulation::add_node(std::string name, config::Configuration configuration) {
    return add_node(std::move(name),
                    std::make_shared<const config::Configuration>(std::move(configuration)));
}

Node &Simulation::add_node(std::string name,
                           std::shared_ptr<const config::Configuration> configuration) {
    const auto id = static_cast<NodeId>(nodes_.size() + 1);
    if (name.empty())
        name = "node" + std::to_string(id);
    nodes_.push_back(std::unique_ptr<Node>(new Node(*this, id, std::move(name), seed_,
                                                    root_.derive(id), std::move(configuration),
                                                    scheduler_->clock(), output_order_)));
    return *nodes_.back();
}

void Simulation::set_default_config(config::Configuration configuration) {
    default_config_ = std::make_shared<const config::Configuration>(std::move(configuration));
}

Node *Simulation::find_node(const std::string &name) {
    for (auto &n : nodes_) {
        if (n->name() == name)
            return n.get();
    }
    return nullptr;
}

const Clock &Simulation::clock() const {
    return scheduler_->clock();
}
Instant Simulation::now() const {
    return scheduler_->now();
}

Simulation::EventId Simulation::at(Instant at, Event event) {
    // Traced as node 0; 8 + 32 bytes, stored in the scheduler's slot without allocating.
    return scheduler_->at(at, [this, e = std::move(event)] {
        Scope scope(*this, nullptr);
        e();
    });
}
Simulation::EventId Simulation::after(Duration delay, Event event) {
    return at(saturating_add(now(), delay), std::move(event));
}
Simulation::EventId Simulation::post(Event event) {
    return at(now(), std::move(event));
}
Simulation::EventId Simulation::every(Duration period, Event event) {
    return scheduler_->every(period, [this, e = std::move(event)] {
        Scope scope(*this, nullptr);
        e();
    });
}
bool Simulation::cancel(EventId id) {
    return scheduler_->cancel(id);
}
bool Simulation::reschedule(EventId id, Instant at) {
    return scheduler_->reschedule(id, at);
}
bool Simulation::pending(EventId id) const {
    return scheduler_->pending(id);
}
bool Simulation::idle() const {
    return scheduler_->idle();
}
Instant Simulation::next_event_time() const {
    return scheduler_->next_event_time();
}
std::uint64_t Simulation::events_run() const {
    return scheduler_->events_run();
}

RunResult Simulation::run_until(Instant deadline) {
    return scheduler_->run_until(deadline);
}
RunResult Simulation::run_for(Duration d) {
    return scheduler_->run_for(d);
}
RunResult Simulation::run_until_idle() {
    return scheduler_->run_until_idle();
}
RunResult Simulation::run_until(const std::function<bool()> &done, Instant deadline) {
    return scheduler_->run_while_not(done, deadline);
}
bool Simulation::step() {
    return scheduler_->step();
}
void Simulation::stop() {
    scheduler_->stop();
}
void Simulation::set_real_time(double speed) {
    scheduler_->set_real_time(speed);
}
double Simulation::real_time_speed() const {
    return scheduler_->real_time_speed();
}

std::string Simulation::transcript() const {
    struct Ref {
        std::uint64_t order;
        NodeId node;
        const NodeOutput::Line *line;
    };
    std::vector<Ref> all;
    for (const auto &n : nodes_) {
        for (const auto &l : n->output())
            all.push_back(Ref{l.order, n->id(), &l});
    }
    std::sort(all.begin(), all.end(), [](const Ref &a, const Ref &b) { return a.order < b.order; });
    std::string s;
    for (const auto &r : all)
        s += NodeOutput::format_line(r.node, *r.line);
    return s;
}

}  // namespace meshwork::sim
