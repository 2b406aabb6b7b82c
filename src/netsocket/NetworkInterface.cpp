// NetworkInterface: Mbed's defaults, the 5.x text getters, DNS forwarding and the
// multi-listener status fan-out of add_event_listener.
#include "NetworkInterface.h"

#include <string.h>

#include <algorithm>

#include "NetworkStack.h"

namespace {

// Formats a successful SocketAddress getter into `buf`; NULL otherwise.
const char *to_text(nsapi_error_t err, const SocketAddress &addr, char *buf) {
    const char *text = err == NSAPI_ERROR_OK ? addr.get_ip_address() : nullptr;
    if (!text) {
        buf[0] = '\0';
        return nullptr;
    }
    strncpy(buf, text, NSAPI_IP_SIZE - 1);
    buf[NSAPI_IP_SIZE - 1] = '\0';
    return buf;
}

}  // namespace

NetworkInterface::~NetworkInterface() = default;

void NetworkInterface::set_as_default() {}

const char *NetworkInterface::get_mac_address() {
    return nullptr;
}

nsapi_error_t NetworkInterface::set_mac_address(uint8_t *mac_addr, nsapi_size_t addr_len) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkInterface::get_ip_address(SocketAddress *address) {
    return NSAPI_ERROR_UNSUPPORTED;
}

const char *NetworkInterface::get_ip_address() {
    SocketAddress addr;
    nsapi_error_t err = get_ip_address(&addr);
    return to_text(err, addr, _ip_text);
}

nsapi_error_t NetworkInterface::get_ipv6_link_local_address(SocketAddress *address) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkInterface::get_netmask(SocketAddress *address) {
    return NSAPI_ERROR_UNSUPPORTED;
}

const char *NetworkInterface::get_netmask() {
    SocketAddress addr;
    nsapi_error_t err = get_netmask(&addr);
    return to_text(err, addr, _netmask_text);
}

nsapi_error_t NetworkInterface::get_gateway(SocketAddress *address) {
    return NSAPI_ERROR_UNSUPPORTED;
}

const char *NetworkInterface::get_gateway() {
    SocketAddress addr;
    nsapi_error_t err = get_gateway(&addr);
    return to_text(err, addr, _gateway_text);
}

char *NetworkInterface::get_interface_name(char *interface_name) {
    return nullptr;
}

nsapi_error_t NetworkInterface::set_network(const SocketAddress &ip_address,
                                            const SocketAddress &netmask,
                                            const SocketAddress &gateway) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkInterface::set_network(const char *ip_address, const char *netmask,
                                            const char *gateway) {
    // Text that does not parse becomes an unspecified address, as in Mbed 5.15.
    return set_network(SocketAddress(ip_address), SocketAddress(netmask), SocketAddress(gateway));
}

nsapi_error_t NetworkInterface::set_dhcp(bool dhcp) {
    return dhcp ? NSAPI_ERROR_OK : NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkInterface::gethostbyname(const char *host, SocketAddress *address,
                                              nsapi_version_t version, const char *interface_name) {
    NetworkStack *stack = get_stack();
    return stack ? stack->gethostbyname(host, address, version, interface_name)
                 : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_value_or_error_t NetworkInterface::getaddrinfo(const char *hostname, SocketAddress *hints,
                                                     SocketAddress **res,
                                                     const char *interface_name) {
    NetworkStack *stack = get_stack();
    return stack ? stack->getaddrinfo(hostname, hints, res, interface_name)
                 : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_value_or_error_t NetworkInterface::gethostbyname_async(const char *host,
                                                             hostbyname_cb_t callback,
                                                             nsapi_version_t version,
                                                             const char *interface_name) {
    NetworkStack *stack = get_stack();
    return stack ? stack->gethostbyname_async(host, callback, version, interface_name)
                 : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_value_or_error_t NetworkInterface::getaddrinfo_async(const char *hostname,
                                                           SocketAddress *hints,
                                                           hostbyname_cb_t callback,
                                                           const char *interface_name) {
    NetworkStack *stack = get_stack();
    return stack ? stack->getaddrinfo_async(hostname, hints, callback, interface_name)
                 : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_error_t NetworkInterface::gethostbyname_async_cancel(int id) {
    NetworkStack *stack = get_stack();
    return stack ? stack->gethostbyname_async_cancel(id) : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_error_t NetworkInterface::add_dns_server(const SocketAddress &address,
                                               const char *interface_name) {
    NetworkStack *stack = get_stack();
    return stack ? stack->add_dns_server(address, interface_name) : NSAPI_ERROR_NO_CONNECTION;
}

nsapi_error_t NetworkInterface::get_dns_server(int index, SocketAddress *address,
                                               const char *interface_name) {
    NetworkStack *stack = get_stack();
    return stack ? stack->get_dns_server(index, address, interface_name)
                 : NSAPI_ERROR_NO_CONNECTION;
}

void NetworkInterface::attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) {}

void NetworkInterface::_dispatch_event(nsapi_event_t event, intptr_t value) {
    // Copy first: a listener may add or remove listeners.
    std::vector<event_cb_t> listeners;
    {
        std::lock_guard<std::mutex> lock(_listeners_lock);
        listeners = _listeners;
    }
    for (auto &cb : listeners) {
        if (cb) {
            cb(event, value);
        }
    }
}

#if MBED_CONF_NSAPI_ADD_EVENT_LISTENER_RETURN_CHANGE
nsapi_error_t NetworkInterface::add_event_listener(
    mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb)
#else
void NetworkInterface::add_event_listener(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb)
#endif
{
    {
        std::lock_guard<std::mutex> lock(_listeners_lock);
        _listeners.push_back(status_cb);
    }
    attach(mbed::callback(this, &NetworkInterface::_dispatch_event));
#if MBED_CONF_NSAPI_ADD_EVENT_LISTENER_RETURN_CHANGE
    return NSAPI_ERROR_OK;
#endif
}

void NetworkInterface::remove_event_listener(
    mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) {
    std::lock_guard<std::mutex> lock(_listeners_lock);
    auto it = std::find(_listeners.begin(), _listeners.end(), status_cb);
    if (it != _listeners.end()) {
        _listeners.erase(it);
    }
}

nsapi_connection_status_t NetworkInterface::get_connection_status() const {
    return NSAPI_STATUS_ERROR_UNSUPPORTED;
}

nsapi_error_t NetworkInterface::set_blocking(bool blocking) {
    return NSAPI_ERROR_UNSUPPORTED;
}

void NetworkInterface::set_default_parameters() {}
