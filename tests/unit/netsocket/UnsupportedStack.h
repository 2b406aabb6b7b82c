// A stack that supports nothing, playing the backend an application links, so the netsocket
// tests see what the interface classes do when the stack refuses: interfaces can be added,
// bringup() returns NSAPI_ERROR_UNSUPPORTED and sockets cannot be opened.
#pragma once

#include "OnboardNetworkStack.h"

namespace meshwork::test {

class UnsupportedInterface final : public OnboardNetworkStack::Interface {
  public:
    nsapi_error_t bringup(bool, const char *, const char *, const char *, nsapi_ip_stack_t,
                          bool) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_error_t bringdown() override { return NSAPI_ERROR_NO_CONNECTION; }
    void attach(mbed::Callback<void(nsapi_event_t, intptr_t)>) override {}
    nsapi_connection_status_t get_connection_status() const override {
        return NSAPI_STATUS_DISCONNECTED;
    }
    char *get_mac_address(char *, nsapi_size_t) override { return nullptr; }
    nsapi_error_t get_ip_address(SocketAddress *) override { return NSAPI_ERROR_NO_CONNECTION; }
    nsapi_error_t get_netmask(SocketAddress *) override { return NSAPI_ERROR_NO_CONNECTION; }
    nsapi_error_t get_gateway(SocketAddress *) override { return NSAPI_ERROR_NO_CONNECTION; }
};

class UnsupportedStack final : public OnboardNetworkStack {
  public:
    nsapi_error_t add_ethernet_interface(EMAC &, bool, Interface **interface_out,
                                         NetworkInterface *) override {
        *interface_out = &interface_;
        return NSAPI_ERROR_OK;
    }

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *, nsapi_protocol_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_error_t socket_close(nsapi_socket_t) override { return NSAPI_ERROR_UNSUPPORTED; }
    nsapi_error_t socket_bind(nsapi_socket_t, const SocketAddress &) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_error_t socket_listen(nsapi_socket_t, int) override { return NSAPI_ERROR_UNSUPPORTED; }
    nsapi_error_t socket_connect(nsapi_socket_t, const SocketAddress &) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_error_t socket_accept(nsapi_socket_t, nsapi_socket_t *, SocketAddress *) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_size_or_error_t socket_send(nsapi_socket_t, const void *, nsapi_size_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_size_or_error_t socket_recv(nsapi_socket_t, void *, nsapi_size_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_size_or_error_t socket_sendto(nsapi_socket_t, const SocketAddress &, const void *,
                                        nsapi_size_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t, SocketAddress *, void *,
                                          nsapi_size_t) override {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    void socket_attach(nsapi_socket_t, void (*)(void *), void *) override {}

  private:
    UnsupportedInterface interface_;
};

}  // namespace meshwork::test
