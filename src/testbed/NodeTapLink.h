// A node's Ethernet link on a Linux TAP device (docs/stack.md, "Interop with Linux"): owns a
// host::TapLink and reads it from a periodic event of the node (every poll_period of virtual
// time), so received frames reach the node's stack in the node's context like any simulated
// link's. Meant for a simulation paced at real time (Simulation::set_real_time(1)): the kernel
// on the other side runs on the wall clock. Not reproducible: what arrives, and when, comes
// from outside. Attach it before the NodeNetwork that uses link(), so it outlives it.
#pragma once

#include <chrono>
#include <memory>

#include "core/Time.h"
#include "host/TapLink.h"
#include "meshwork/sim/Node.h"

namespace meshwork::testbed {

class NodeTapLink final : public sim::NodeAttachment {
  public:
    NodeTapLink(sim::Node &node, std::unique_ptr<host::TapLink> link,
                Duration poll_period = std::chrono::microseconds(250));
    ~NodeTapLink() override;
    NodeTapLink(const NodeTapLink &) = delete;
    NodeTapLink &operator=(const NodeTapLink &) = delete;

    host::TapLink &link() { return *link_; }

  private:
    sim::Node &node_;
    std::unique_ptr<host::TapLink> link_;
    sim::Node::EventId poll_event_ = 0;
};

}  // namespace meshwork::testbed
