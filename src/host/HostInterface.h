// The OnboardNetworkStack::Interface of a HostStack: it cannot configure the host's network
// (that needs privileges and belongs to the host's own tools), so bringing it up means finding
// the chosen host interface and reporting its addresses. Status sequence, as the Mbed interface
// tests require: CONNECTING -> GLOBAL_UP on bringup, DISCONNECTED on bringdown; blocking or
// non-blocking (the completion then runs on the stack's loop thread).
#pragma once

#include <mutex>
#include <string>

#include "OnboardNetworkStack.h"
#include "HostInterfaceInfo.h"

namespace meshwork::host {

class EpollLoop;

class HostInterface final : public OnboardNetworkStack::Interface {
  public:
    /// `configured_name`: the host interface to report, empty for automatic selection.
    HostInterface(EpollLoop &loop, std::string configured_name,
                  NetworkInterface *user_network_interface);

    nsapi_error_t bringup(bool dhcp, const char *ip, const char *netmask, const char *gw,
                          nsapi_ip_stack_t stack = DEFAULT_STACK, bool blocking = true) override;
    nsapi_error_t bringdown() override;
    void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) override;
    nsapi_connection_status_t get_connection_status() const override;
    char *get_interface_name(char *interface_name) override;
    char *get_mac_address(char *buf, nsapi_size_t buflen) override;
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) override;
    nsapi_error_t get_netmask(SocketAddress *address) override;
    nsapi_error_t get_gateway(SocketAddress *address) override;

    NetworkInterface *user_network_interface() const { return user_; }
    /// Kernel interface index while up, else 0 (for pktinfo).
    unsigned if_index() const;

  private:
    nsapi_error_t complete_bringup(unsigned attempt);
    void report(nsapi_connection_status_t status);
    /// The family reported: IPv6 for IPV6_STACK or when the interface has no IPv4 address.
    bool reports_ipv6() const;  // callers hold mutex_

    EpollLoop &loop_;
    const std::string configured_name_;
    NetworkInterface *const user_;

    mutable std::mutex mutex_;
    nsapi_connection_status_t status_ = NSAPI_STATUS_DISCONNECTED;
    nsapi_ip_stack_t ip_stack_ = DEFAULT_STACK;
    unsigned attempt_ = 0;  // bumped by bringup and bringdown; stale completions are dropped
    HostInterfaceInfo info_;
    mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb_;
    std::recursive_mutex report_mutex_;  // keeps status events in order (callbacks may re-enter)
};

}  // namespace meshwork::host
