// NodeNetwork: a node's stack on a Link, in the node's virtual time.
#include "NodeNetwork.h"

#include "meshwork/sim/NodeContext.h"
#include "meshwork/sim/Simulation.h"

namespace meshwork::testbed {

namespace {

sim::FiberOptions with_context(sim::FiberOptions o, sim::NodeContext &c) {
    o.context = &c;
    return o;
}

}  // namespace

NodeNetwork::NodeNetwork(sim::Node &node, Link &link, NodeNetworkConfig config)
    : node_(node),
      link_(link),
      static_addresses_(std::move(config.static_addresses)),
      pool_(config.pool_bytes, config.pool_buffers) {
    stack_ =
        std::make_unique<stack::Stack>(node.context().clock(), node.random(), pool_, config.stack);
    if (config.netif.mac.empty()) {
        const auto mac = node.context().mac_address();
        config.netif.mac = stack::LinkAddress::from(ByteSpan(mac.data(), mac.size()));
    }
    config.netif.mtu = link.mtu() < config.netif.mtu ? link.mtu() : config.netif.mtu;
    const auto index = stack_->add_interface(config.netif, *this);
    nsapi_ = std::make_unique<stack::NodeNetworkStack>(
        *stack_, [this] { after(); }, index ? index.value() : 0);
    interface_ = std::make_unique<stack::NodeEthInterface>(*nsapi_);
    link_.set_receiver(this);
    if (config.make_default) {
        node.context().default_interface = interface_.get();
        node.context().default_stack = nsapi_.get();
        made_default_ = true;
    }
}

NodeNetwork::~NodeNetwork() {
    sim::NodeContext &ctx = node_.context();
    if (made_default_) {
        ctx.default_interface = nullptr;
        ctx.default_stack = nullptr;
    }
    // The node's resolver may hold sockets on this stack.
    ctx.dns = nullptr;
    ctx.dns_owned.reset();
    link_.set_receiver(nullptr);
    for (auto &p : ports_) {
        p->link.set_receiver(nullptr);
    }
    if (poll_event_ != 0) {
        node_.cancel(poll_event_);
    }
    interface_.reset();
    nsapi_.reset();
    stack_.reset();
}

Result<stack::IfIndex> NodeNetwork::add_interface(Link &link, stack::NetifConfig netif,
                                                  std::vector<wire::Ip6Address> static_addresses) {
    auto port = std::make_unique<Port>(*this, link);
    if (netif.mac.empty()) {
        netif.mac = stack::LinkAddress::from(link.address().span());
    }
    netif.mtu = link.mtu() < netif.mtu ? link.mtu() : netif.mtu;
    const auto index = stack_->add_interface(netif, *port);
    if (!index) {
        return index.error();
    }
    port->index = *index;
    port->static_addresses = std::move(static_addresses);
    link.set_receiver(port.get());
    ports_.push_back(std::move(port));
    const Status up = stack_->set_up(*index);
    after();
    if (!up.ok()) {
        return up.error();
    }
    return *index;
}

void NodeNetwork::Port::link_receive(ByteSpan frame) {
    owner.stack_->receive_frame(index, frame);
    owner.after();
}

void NodeNetwork::link_receive(ByteSpan frame) {
    stack_->receive_frame(nsapi_->interface_index(), frame);
    after();
}

Status NodeNetwork::send_frame(PacketBuffer frame) {
    return link_.send(frame.data());
}

void NodeNetwork::after() {
    if (in_after_) {
        return;  // a status callback that touched the stack: the outer call finishes
    }
    in_after_ = true;
    const stack::IfIndex i = nsapi_->interface_index();
    if (!statics_added_ && i < stack_->interface_count() && stack_->netif(i).up) {
        statics_added_ = true;
        for (const auto &a : static_addresses_) {
            stack_->add_address(i, a, 64);
        }
    }
    for (auto &p : ports_) {
        if (!p->statics_added && stack_->netif(p->index).up) {
            p->statics_added = true;
            for (const auto &a : p->static_addresses) {
                stack_->add_address(p->index, a, 64);
            }
        }
    }
    const Instant d = stack_->next_deadline();
    if (!(poll_event_ != 0 && node_.pending(poll_event_) && d == armed_)) {
        if (poll_event_ != 0) {
            node_.cancel(poll_event_);
        }
        poll_event_ = 0;
        armed_ = d;
        if (d != kNever) {
            poll_event_ = node_.at(d, [this] {
                poll_event_ = 0;
                armed_ = kNever;
                stack_->poll();
                after();
            });
        }
    }
    interface_->update();
    in_after_ = false;
}

NodeFibers::NodeFibers(sim::Node &node, sim::FiberOptions options)
    : executor_(node.simulation().scheduler(), node.name(), with_context(options, node.context())) {
}

}  // namespace meshwork::testbed
