#include "HostInterface.h"

#include <cstdio>
#include <cstring>

#include "EpollLoop.h"

namespace meshwork::host {

HostInterface::HostInterface(EpollLoop &loop, std::string configured_name,
                             NetworkInterface *user_network_interface)
    : loop_(loop), configured_name_(std::move(configured_name)), user_(user_network_interface) {}

nsapi_error_t HostInterface::bringup(bool dhcp, const char *ip, const char *netmask, const char *gw,
                                     nsapi_ip_stack_t stack, bool blocking) {
    // DHCP and static addresses are both accepted and ignored: the host's own configuration is
    // what sockets use, so that is what is reported (docs/host-stack.md).
    unsigned attempt;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (status_ == NSAPI_STATUS_GLOBAL_UP) {
            return NSAPI_ERROR_IS_CONNECTED;
        }
        if (status_ == NSAPI_STATUS_CONNECTING) {
            return NSAPI_ERROR_BUSY;
        }
        status_ = NSAPI_STATUS_CONNECTING;
        ip_stack_ = stack;
        attempt = ++attempt_;
    }
    report(NSAPI_STATUS_CONNECTING);
    if (blocking) {
        return complete_bringup(attempt);
    }
    if (!loop_.post([this, attempt] { complete_bringup(attempt); })) {
        return complete_bringup(attempt);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostInterface::complete_bringup(unsigned attempt) {
    HostInterfaceInfo info;
    const bool found = read_host_interface(choose_host_interface(configured_name_), &info);
    nsapi_connection_status_t result;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (attempt != attempt_) {
            return NSAPI_ERROR_NO_CONNECTION;  // brought down meanwhile
        }
        const bool want6 = ip_stack_ == IPV6_STACK;
        const bool usable =
            found && info.up && (want6 ? info.has_ipv6 : info.has_ipv4 || info.has_ipv6);
        info_ = info;
        status_ = usable ? NSAPI_STATUS_GLOBAL_UP : NSAPI_STATUS_DISCONNECTED;
        result = status_;
    }
    report(result);
    return result == NSAPI_STATUS_GLOBAL_UP ? NSAPI_ERROR_OK : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_error_t HostInterface::bringdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (status_ == NSAPI_STATUS_DISCONNECTED) {
            return NSAPI_ERROR_NO_CONNECTION;
        }
        status_ = NSAPI_STATUS_DISCONNECTED;
        ++attempt_;
    }
    report(NSAPI_STATUS_DISCONNECTED);
    return NSAPI_ERROR_OK;
}

void HostInterface::attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) {
    // Waits for a report in progress on another thread, so that once attach() returns the
    // previous callback is not running any more (its owner may be going away).
    std::lock_guard<std::recursive_mutex> order(report_mutex_);
    std::lock_guard<std::mutex> lock(mutex_);
    status_cb_ = status_cb;
}

void HostInterface::report(nsapi_connection_status_t status) {
    // CONNECTING is always reported before a completion is posted; this lock keeps a
    // bringdown on another thread from interleaving with a report in progress.
    std::lock_guard<std::recursive_mutex> order(report_mutex_);
    mbed::Callback<void(nsapi_event_t, intptr_t)> cb;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        cb = status_cb_;
    }
    if (cb) {
        cb(NSAPI_EVENT_CONNECTION_STATUS_CHANGE, status);
    }
}

nsapi_connection_status_t HostInterface::get_connection_status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

unsigned HostInterface::if_index() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_ == NSAPI_STATUS_GLOBAL_UP ? info_.index : 0;
}

char *HostInterface::get_interface_name(char *interface_name) {
    if (!interface_name) {
        return nullptr;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string name =
        status_ == NSAPI_STATUS_GLOBAL_UP ? info_.name : choose_host_interface(configured_name_);
    // Callers' buffers hold NSAPI_INTERFACE_NAME_MAX_SIZE bytes: longer host names are cut.
    std::snprintf(interface_name, NSAPI_INTERFACE_NAME_MAX_SIZE, "%s", name.c_str());
    return interface_name;
}

char *HostInterface::get_mac_address(char *buf, nsapi_size_t buflen) {
    HostInterfaceInfo info;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        info = info_;
    }
    if (info.name.empty()) {
        read_host_interface(choose_host_interface(configured_name_), &info);
    }
    if (!buf || buflen < NSAPI_MAC_SIZE || !info.has_mac) {
        return nullptr;
    }
    std::snprintf(buf, buflen, "%02x:%02x:%02x:%02x:%02x:%02x", info.mac[0], info.mac[1],
                  info.mac[2], info.mac[3], info.mac[4], info.mac[5]);
    return buf;
}

bool HostInterface::reports_ipv6() const {
    return ip_stack_ == IPV6_STACK || !info_.has_ipv4;
}

nsapi_error_t HostInterface::get_ip_address(SocketAddress *address) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_ != NSAPI_STATUS_GLOBAL_UP) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (reports_ipv6()) {
        if (!info_.has_ipv6) {
            return NSAPI_ERROR_NO_ADDRESS;
        }
        *address = SocketAddress(info_.ipv6);
    } else {
        *address = SocketAddress(info_.ipv4);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostInterface::get_ipv6_link_local_address(SocketAddress *address) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_ != NSAPI_STATUS_GLOBAL_UP) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!info_.has_link_local) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    *address = SocketAddress(info_.link_local);
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostInterface::get_netmask(SocketAddress *address) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_ != NSAPI_STATUS_GLOBAL_UP) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (reports_ipv6()) {
        if (!info_.has_ipv6) {
            return NSAPI_ERROR_NO_ADDRESS;
        }
        *address = SocketAddress(info_.netmask6);
    } else {
        *address = SocketAddress(info_.netmask4);
    }
    return NSAPI_ERROR_OK;
}

nsapi_error_t HostInterface::get_gateway(SocketAddress *address) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_ != NSAPI_STATUS_GLOBAL_UP) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    const nsapi_addr_t &gw = reports_ipv6() ? info_.gateway6 : info_.gateway4;
    if (gw.version == NSAPI_UNSPEC) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    *address = SocketAddress(gw);
    return NSAPI_ERROR_OK;
}

}  // namespace meshwork::host
