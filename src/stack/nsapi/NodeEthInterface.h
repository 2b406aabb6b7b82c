// The EthInterface of a simulated node on an Ethernet-like link, with the connect and status
// semantics of Mbed's NanostackEthernetInterface (docs/stack.md): connect() brings the
// interface up and reports CONNECTING, then LOCAL_UP once the link-local address has passed
// DAD, then GLOBAL_UP once a global address (SLAAC from a router's prefix, or a static one) is
// usable; blocking, it returns only at GLOBAL_UP (Nanostack waits for "connected" forever).
// get_ip_address() is that global address (NO_ADDRESS until then).
#pragma once
#include <cstdint>

#include "NodeNetworkStack.h"
#include "meshwork/Executor.h"
#include "netsocket/EthInterface.h"

namespace meshwork::stack {

class NodeEthInterface : public EthInterface {
  public:
    explicit NodeEthInterface(NodeNetworkStack &stack);
    ~NodeEthInterface() override;

    /// IS_CONNECTED at GLOBAL_UP, ALREADY while connecting; OK otherwise (blocking: once
    /// GLOBAL_UP; NO_CONNECTION if disconnect() ends the wait).
    nsapi_error_t connect() override;
    /// NO_CONNECTION when not connected; else DISCONNECTED (the node keeps its addresses: the
    /// stack has no interface-down yet, and a later connect() finds them).
    nsapi_error_t disconnect() override;
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    using NetworkInterface::get_ip_address;
    nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) override;
    /// The interface's MAC, "xx:xx:xx:xx:xx:xx".
    const char *get_mac_address() override;
    void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) override;
    nsapi_connection_status_t get_connection_status() const override;
    nsapi_error_t set_blocking(bool blocking) override;

    /// The owner calls this after the stack ran (a frame, a timer): reports a status change to
    /// the callback and wakes a blocking connect().
    void update();

  protected:
    NetworkStack *get_stack() override { return &stack_; }

  private:
    nsapi_connection_status_t compute() const;
    void set_status(nsapi_connection_status_t s);

    NodeNetworkStack &stack_;
    mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb_;
    nsapi_connection_status_t status_ = NSAPI_STATUS_DISCONNECTED;
    bool connected_ = false;  // between connect() and disconnect()
    bool blocking_ = true;
    char mac_text_[18] = {};
    WaitLock lock_;
    WaitQueue waiters_;  // blocking connect() calls
};

}  // namespace meshwork::stack
