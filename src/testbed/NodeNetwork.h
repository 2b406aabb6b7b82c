// A simulated node's IPv6 network (docs/sim.md, "Nodes on a network"): its stack::Stack on a
// Link (a Segment port, possibly wrapped in faults or taps), driven in the node's virtual time,
// with the Mbed socket API over it (stack::NodeNetworkStack) and an EthInterface
// (stack::NodeEthInterface), made the node's default interface and stack. NodeFibers runs the
// node's Mbed code on fibers carrying the node's context. Attach the network before the
// fibers: attachments go in reverse order, so the fibers (and their sockets) go first.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "core/Error.h"
#include "core/Link.h"
#include "core/PacketBuffer.h"
#include "meshwork/sim/Node.h"
#include "sim/fiber/FiberExecutor.h"
#include "stack/Stack.h"
#include "stack/nsapi/NodeEthInterface.h"
#include "stack/nsapi/NodeNetworkStack.h"

namespace meshwork::testbed {

struct NodeNetworkConfig {
    stack::StackConfig stack;
    stack::NetifConfig netif;  // an empty mac: the node's MAC-48
    std::size_t pool_bytes = 256 * 1024;
    std::size_t pool_buffers = 512;
    /// Static addresses (/64) added once the interface is up (a router's own address).
    std::vector<wire::Ip6Address> static_addresses;
    bool make_default = true;  // the node's default interface and stack
};

class NodeNetwork final : public sim::NodeAttachment,
                          private LinkReceiver,
                          private stack::LinkOutput {
  public:
    NodeNetwork(sim::Node &node, Link &link, NodeNetworkConfig config = {});
    ~NodeNetwork() override;
    NodeNetwork(const NodeNetwork &) = delete;
    NodeNetwork &operator=(const NodeNetwork &) = delete;

    /// A further interface on `link` (a router's second port), brought up at once, with
    /// `static_addresses` (/64) added once it is up. The NodeNetworkStack and EthInterface stay
    /// on the first interface; the stack forwards between them when config.stack.forwarding.
    /// `netif.mac` empty: the link's own address (give each port its own on a segment).
    Result<stack::IfIndex> add_interface(Link &link, stack::NetifConfig netif,
                                         std::vector<wire::Ip6Address> static_addresses = {});

    stack::Stack &stack() { return *stack_; }
    stack::NodeNetworkStack &network_stack() { return *nsapi_; }
    stack::NodeEthInterface &interface() { return *interface_; }

  private:
    // A further interface's link: its frames in and out, under its own index.
    struct Port final : LinkReceiver, stack::LinkOutput {
        Port(NodeNetwork &o, Link &l) : owner(o), link(l) {}
        void link_receive(ByteSpan frame) override;
        Status send_frame(PacketBuffer frame) override { return link.send(frame.data()); }
        NodeNetwork &owner;
        Link &link;
        stack::IfIndex index = 0;
        std::vector<wire::Ip6Address> static_addresses;
        bool statics_added = false;
    };

    void link_receive(ByteSpan frame) override;
    Status send_frame(PacketBuffer frame) override;
    /// After anything ran the stack: static addresses, the poll timer, the interface status.
    void after();

    sim::Node &node_;
    Link &link_;
    std::vector<wire::Ip6Address> static_addresses_;
    bool statics_added_ = false;
    bool made_default_ = false;
    PacketPool pool_;
    std::unique_ptr<stack::Stack> stack_;
    std::unique_ptr<stack::NodeNetworkStack> nsapi_;
    std::unique_ptr<stack::NodeEthInterface> interface_;
    std::vector<std::unique_ptr<Port>> ports_;
    sim::Node::EventId poll_event_ = 0;
    Instant armed_ = kNever;
    bool in_after_ = false;
};

/// The node's Mbed code as fibers of one FiberExecutor whose tasks carry the node's context
/// (get_default_instance(), DNS, ... answer for this node).
class NodeFibers final : public sim::NodeAttachment {
  public:
    explicit NodeFibers(sim::Node &node, sim::FiberOptions options = {});
    sim::FiberExecutor &executor() { return executor_; }
    std::shared_ptr<Task> spawn(std::function<void()> body, const char *name = "main") {
        return executor_.spawn(std::move(body), name);
    }

  private:
    sim::FiberExecutor executor_;
};

}  // namespace meshwork::testbed
