// NodeEthInterface: Nanostack-style status over the node stack's address states.
#include "NodeEthInterface.h"

#include <cstdio>

namespace meshwork::stack {

NodeEthInterface::NodeEthInterface(NodeNetworkStack &stack) : stack_(stack) {}

NodeEthInterface::~NodeEthInterface() = default;

nsapi_connection_status_t NodeEthInterface::compute() const {
    if (!connected_) {
        return NSAPI_STATUS_DISCONNECTED;
    }
    Stack &st = stack_.stack();
    const IfIndex i = stack_.interface_index();
    if (i >= st.interface_count()) {
        return NSAPI_STATUS_CONNECTING;
    }
    bool local = false;
    for (const NetifAddress &a : st.netif(i).addresses) {
        if (!a.usable() || !a.address.is_unicast()) {
            continue;
        }
        if (!a.address.is_link_local()) {
            return NSAPI_STATUS_GLOBAL_UP;
        }
        local = true;
    }
    return local ? NSAPI_STATUS_LOCAL_UP : NSAPI_STATUS_CONNECTING;
}

void NodeEthInterface::set_status(nsapi_connection_status_t s) {
    if (s == status_) {
        return;
    }
    status_ = s;
    {
        WaitGuard guard(lock_);
        waiters_.notify_all();
    }
    if (status_cb_) {
        status_cb_(NSAPI_EVENT_CONNECTION_STATUS_CHANGE, s);
    }
}

void NodeEthInterface::update() {
    if (connected_) {
        set_status(compute());
    }
}

nsapi_error_t NodeEthInterface::connect() {
    if (status_ == NSAPI_STATUS_GLOBAL_UP) {
        return NSAPI_ERROR_IS_CONNECTED;
    }
    if (connected_) {
        return NSAPI_ERROR_ALREADY;
    }
    connected_ = true;
    set_status(NSAPI_STATUS_CONNECTING);
    Stack &st = stack_.stack();
    const IfIndex i = stack_.interface_index();
    if (i < st.interface_count() && !st.netif(i).up) {
        st.set_up(i);
    }
    stack_.notify_changed();  // the owner re-arms the stack's timer (DAD, solicitations)
    update();                 // a reconnect finds its addresses at once
    if (!blocking_) {
        return NSAPI_ERROR_OK;
    }
    WaitGuard guard(lock_);
    waiters_.wait_until(guard, kNever,
                        [this] { return status_ == NSAPI_STATUS_GLOBAL_UP || !connected_; });
    return connected_ ? NSAPI_ERROR_OK : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_error_t NodeEthInterface::disconnect() {
    if (!connected_) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    connected_ = false;
    set_status(NSAPI_STATUS_DISCONNECTED);
    return NSAPI_ERROR_OK;
}

nsapi_error_t NodeEthInterface::get_ip_address(SocketAddress *address) {
    return stack_.get_ip_address(address);
}

nsapi_error_t NodeEthInterface::get_ipv6_link_local_address(SocketAddress *address) {
    return stack_.get_ipv6_link_local_address(address);
}

const char *NodeEthInterface::get_mac_address() {
    Stack &st = stack_.stack();
    const IfIndex i = stack_.interface_index();
    if (i >= st.interface_count()) {
        return nullptr;
    }
    const LinkAddress &m = st.netif(i).config.mac;
    if (m.size != 6) {
        return nullptr;
    }
    std::snprintf(mac_text_, sizeof mac_text_, "%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0],
                  m.bytes[1], m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
    return mac_text_;
}

void NodeEthInterface::attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) {
    status_cb_ = status_cb;
}

nsapi_connection_status_t NodeEthInterface::get_connection_status() const {
    return status_;
}

nsapi_error_t NodeEthInterface::set_blocking(bool blocking) {
    blocking_ = blocking;
    return NSAPI_ERROR_OK;
}

}  // namespace meshwork::stack
