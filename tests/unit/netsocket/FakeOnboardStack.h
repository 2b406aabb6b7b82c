// A scripted OnboardNetworkStack for interface tests: its interfaces change status and raise
// events exactly when the test says so, and record how they were brought up.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "OnboardNetworkStack.h"

namespace meshwork::test {

class FakeInterface : public OnboardNetworkStack::Interface {
  public:
    // What bringup() returns (OK by default) and whether a blocking bring-up completes.
    nsapi_error_t bringup_result = NSAPI_ERROR_OK;
    int bringups = 0;
    int bringdowns = 0;
    bool last_dhcp = true;
    bool last_blocking = true;
    std::string last_ip, last_netmask, last_gw;

    nsapi_error_t bringup(bool dhcp, const char *ip, const char *netmask, const char *gw,
                          nsapi_ip_stack_t, bool blocking) override {
        bringups++;
        last_dhcp = dhcp;
        last_blocking = blocking;
        last_ip = ip ? ip : "";
        last_netmask = netmask ? netmask : "";
        last_gw = gw ? gw : "";
        set_status(NSAPI_STATUS_CONNECTING);
        if (bringup_result != NSAPI_ERROR_OK) {
            set_status(NSAPI_STATUS_DISCONNECTED);
            return bringup_result;
        }
        if (blocking) {
            complete();
        }
        return NSAPI_ERROR_OK;
    }

    // Finishes a non-blocking bring-up.
    void complete() {
        set_status(NSAPI_STATUS_LOCAL_UP);
        set_status(NSAPI_STATUS_GLOBAL_UP);
    }

    nsapi_error_t bringdown() override {
        bringdowns++;
        set_status(NSAPI_STATUS_DISCONNECTED);
        return NSAPI_ERROR_OK;
    }

    void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> cb) override { cb_ = cb; }

    nsapi_connection_status_t get_connection_status() const override { return status_; }

    char *get_interface_name(char *name) override {
        strcpy(name, "fk0");
        return name;
    }

    char *get_mac_address(char *buf, nsapi_size_t len) override {
        if (len < NSAPI_MAC_SIZE) {
            return nullptr;
        }
        strcpy(buf, "02:00:00:00:00:01");
        return buf;
    }

    nsapi_error_t get_ip_address(SocketAddress *a) override {
        if (status_ != NSAPI_STATUS_GLOBAL_UP) {
            return NSAPI_ERROR_NO_ADDRESS;
        }
        a->set_ip_address("192.0.2.10");
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t get_netmask(SocketAddress *a) override {
        a->set_ip_address("255.255.255.0");
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t get_gateway(SocketAddress *a) override {
        a->set_ip_address("192.0.2.1");
        return NSAPI_ERROR_OK;
    }

    void set_status(nsapi_connection_status_t s) {
        status_ = s;
        if (cb_) {
            cb_(NSAPI_EVENT_CONNECTION_STATUS_CHANGE, s);
        }
    }

  private:
    nsapi_connection_status_t status_ = NSAPI_STATUS_DISCONNECTED;
    mbed::Callback<void(nsapi_event_t, intptr_t)> cb_;
};

class FakeOnboardStack : public OnboardNetworkStack {
  public:
    FakeInterface iface;
    int adds = 0;
    bool mac_given = false;
    uint8_t mac[6] = {};
    NetworkInterface *user = nullptr;
    nsapi_error_t add_result = NSAPI_ERROR_OK;

    nsapi_error_t add_ethernet_interface(EMAC &, bool, Interface **out,
                                         NetworkInterface *user_if) override {
        adds++;
        user = user_if;
        if (add_result != NSAPI_ERROR_OK) {
            return add_result;
        }
        *out = &iface;
        return NSAPI_ERROR_OK;
    }
    nsapi_error_t add_ethernet_interface(EMAC &emac, bool d, Interface **out, const uint8_t *m,
                                         NetworkInterface *user_if) override {
        mac_given = true;
        memcpy(mac, m, 6);
        return add_ethernet_interface(emac, d, out, user_if);
    }

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *, nsapi_protocol_t) override {
        return NSAPI_ERROR_NO_SOCKET;
    }
    nsapi_error_t socket_close(nsapi_socket_t) override { return NSAPI_ERROR_OK; }
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
};

}  // namespace meshwork::test
