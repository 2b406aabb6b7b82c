#include "meshwork/sim/Node.h"

#include <cstdarg>

#include "meshwork/sim/Simulation.h"
#include "sim/Scheduler.h"

namespace meshwork::sim {

Node::Node(Simulation &sim, NodeId id, std::string name, std::uint64_t seed, SeededRandom random,
           std::shared_ptr<const config::Configuration> configuration, const Clock &clock,
           std::uint64_t &output_order)
    : sim_(&sim),
      context_(id, std::move(name), seed, random, std::move(configuration), clock, output_order) {}

Node::~Node() {
    // Attachments (an executor running the applications) go before the applications.
    while (!attachments_.empty())
        attachments_.pop_back();
    while (!applications_.empty())
        applications_.pop_back();
}

// A node's event: the node is current while it runs. 8 + 32 bytes: stored in the scheduler's
// slot without allocating.
auto Node::wrap(Event event) {
    auto wrapped = [this, e = std::move(event)] {
        Simulation::Scope scope(*sim_, this);
        e();
    };
    static_assert(sizeof(wrapped) <= Scheduler::kInlineBytes, "node events are stored inline");
    return wrapped;
}

Node::EventId Node::at(Instant at, Event event) {
    return sim_->scheduler().at(at, wrap(std::move(event)));
}

Node::EventId Node::every(Duration period, Event event) {
    return sim_->scheduler().every(period, wrap(std::move(event)));
}

bool Node::cancel(EventId id) {
    return sim_->scheduler().cancel(id);
}

bool Node::reschedule(EventId id, Instant at) {
    return sim_->scheduler().reschedule(id, at);
}

bool Node::pending(EventId id) const {
    return sim_->scheduler().pending(id);
}

void Node::printf(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    context_.output().vprintf(format, ap);
    va_end(ap);
}

void Node::run(std::function<void(Node &)> main) {
    post([this, main = std::move(main)] { main(*this); });
}

Application &Node::add_application(std::unique_ptr<Application> app) {
    Application &ref = *app;
    applications_.push_back(std::move(app));
    post([this, &ref] { ref.start(*this); });
    return ref;
}

}  // namespace meshwork::sim
