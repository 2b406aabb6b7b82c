// NodeTapLink: a node's TAP device, read from the node's own periodic event.
#include "NodeTapLink.h"

namespace meshwork::testbed {

NodeTapLink::NodeTapLink(sim::Node &node, std::unique_ptr<host::TapLink> link, Duration poll_period)
    : node_(node), link_(std::move(link)) {
    poll_event_ = node_.every(poll_period, [this] { link_->poll(); });
}

NodeTapLink::~NodeTapLink() {
    node_.cancel(poll_event_);
}

}  // namespace meshwork::testbed
