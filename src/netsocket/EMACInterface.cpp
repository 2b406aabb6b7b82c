// EMACInterface: connect/disconnect over an OnboardNetworkStack interface, with the status
// rules (IS_CONNECTED, BUSY, NO_CONNECTION) decided here for every backend.
#include "EMACInterface.h"

#include <stdio.h>
#include <string.h>

namespace {

// Copies the text of `addr` into `buf` ("" for an unspecified address).
void store_text(const SocketAddress &addr, char *buf, size_t size) {
    const char *text = addr.get_ip_address();
    if (text) {
        strncpy(buf, text, size - 1);
        buf[size - 1] = '\0';
    } else {
        buf[0] = '\0';
    }
}

}  // namespace

EMACInterface::EMACInterface(EMAC &emac, OnboardNetworkStack &stack) : _emac(emac), _stack(stack) {}

EMACInterface::~EMACInterface() {
    if (_interface) {
        _interface->attach(nullptr);
        _stack.remove_ethernet_interface(&_interface);
    }
}

nsapi_error_t EMACInterface::set_network(const SocketAddress &ip_address,
                                         const SocketAddress &netmask,
                                         const SocketAddress &gateway) {
    _dhcp = false;
    store_text(ip_address, _ip_address, sizeof(_ip_address));
    store_text(netmask, _netmask, sizeof(_netmask));
    store_text(gateway, _gateway, sizeof(_gateway));
    return NSAPI_ERROR_OK;
}

nsapi_error_t EMACInterface::set_dhcp(bool dhcp) {
    _dhcp = dhcp;
    return NSAPI_ERROR_OK;
}

nsapi_error_t EMACInterface::connect() {
    if (!_interface) {
        nsapi_error_t err =
            _hw_mac_addr_set
                ? _stack.add_ethernet_interface(_emac, true, &_interface, _hw_mac_addr, this)
                : _stack.add_ethernet_interface(_emac, true, &_interface, this);
        if (err != NSAPI_ERROR_OK || !_interface) {
            _interface = nullptr;
            return err != NSAPI_ERROR_OK ? err : NSAPI_ERROR_DEVICE_ERROR;
        }
        _interface->attach(_connection_status_cb);
    }
    switch (_interface->get_connection_status()) {
        case NSAPI_STATUS_GLOBAL_UP:
        case NSAPI_STATUS_LOCAL_UP:
            return NSAPI_ERROR_IS_CONNECTED;
        case NSAPI_STATUS_CONNECTING:
            return NSAPI_ERROR_BUSY;
        default:
            break;
    }
    return _interface->bringup(_dhcp, _ip_address[0] ? _ip_address : nullptr,
                               _netmask[0] ? _netmask : nullptr, _gateway[0] ? _gateway : nullptr,
                               DEFAULT_STACK, _blocking);
}

nsapi_error_t EMACInterface::disconnect() {
    if (!_interface || _interface->get_connection_status() == NSAPI_STATUS_DISCONNECTED) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return _interface->bringdown();
}

const char *EMACInterface::get_mac_address() {
    if (_interface && _interface->get_mac_address(_mac_address, sizeof(_mac_address))) {
        return _mac_address;
    }
    if (_hw_mac_addr_set) {
        snprintf(_mac_address, sizeof(_mac_address), "%02x:%02x:%02x:%02x:%02x:%02x",
                 _hw_mac_addr[0], _hw_mac_addr[1], _hw_mac_addr[2], _hw_mac_addr[3],
                 _hw_mac_addr[4], _hw_mac_addr[5]);
        return _mac_address;
    }
    return nullptr;
}

nsapi_error_t EMACInterface::set_mac_address(uint8_t *mac_addr, nsapi_size_t addr_len) {
    if (!mac_addr || addr_len != NSAPI_MAC_BYTES) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (_interface) {
        return NSAPI_ERROR_BUSY;  // the stack interface already uses its address
    }
    memcpy(_hw_mac_addr, mac_addr, NSAPI_MAC_BYTES);
    _hw_mac_addr_set = true;
    return NSAPI_ERROR_OK;
}

nsapi_error_t EMACInterface::get_ip_address(SocketAddress *address) {
    if (!_interface) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return _interface->get_ip_address(address);
}

nsapi_error_t EMACInterface::get_ipv6_link_local_address(SocketAddress *address) {
    if (!_interface) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return _interface->get_ipv6_link_local_address(address);
}

nsapi_error_t EMACInterface::get_netmask(SocketAddress *address) {
    if (!_interface) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return _interface->get_netmask(address);
}

nsapi_error_t EMACInterface::get_gateway(SocketAddress *address) {
    if (!_interface) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    return _interface->get_gateway(address);
}

char *EMACInterface::get_interface_name(char *interface_name) {
    return _interface ? _interface->get_interface_name(interface_name) : nullptr;
}

void EMACInterface::set_as_default() {
    if (_interface) {
        _stack.set_default_interface(_interface);
    }
}

void EMACInterface::attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) {
    _connection_status_cb = status_cb;
    if (_interface) {
        _interface->attach(status_cb);
    }
}

nsapi_connection_status_t EMACInterface::get_connection_status() const {
    return _interface ? _interface->get_connection_status() : NSAPI_STATUS_DISCONNECTED;
}

nsapi_error_t EMACInterface::set_blocking(bool blocking) {
    _blocking = blocking;
    return NSAPI_ERROR_OK;
}

NetworkStack *EMACInterface::get_stack() {
    return &_stack;
}
