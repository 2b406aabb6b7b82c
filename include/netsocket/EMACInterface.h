/*
 * meshwork: Mbed-compatible EMACInterface, a NetworkInterface made of an EMAC driver and an
 * OnboardNetworkStack.
 *
 * connect() creates the stack interface on first use and brings it up; disconnect() brings it
 * down, after which connect() works again. IS_CONNECTED (already up), BUSY (connect in
 * progress) and NO_CONNECTION (disconnect while down) are decided here from the interface
 * status, so every backend reports them alike.
 */
#ifndef EMAC_INTERFACE_H
#define EMAC_INTERFACE_H

#include "nsapi_types.h"
#include "NetworkInterface.h"
#include "OnboardNetworkStack.h"
#include "EMAC.h"

/** A network interface over an EMAC and an onboard stack. */
class EMACInterface : public virtual NetworkInterface {
  public:
    EMACInterface(EMAC &emac = EMAC::get_default_instance(),
                  OnboardNetworkStack &stack = OnboardNetworkStack::get_default_instance());

    ~EMACInterface() override;

    using NetworkInterface::get_gateway;
    using NetworkInterface::get_ip_address;
    using NetworkInterface::get_netmask;
    using NetworkInterface::set_network;

    /** Static addresses for the next connect(); disables DHCP. */
    nsapi_error_t set_network(const SocketAddress &ip_address, const SocketAddress &netmask,
                              const SocketAddress &gateway) override;

    nsapi_error_t set_dhcp(bool dhcp) override;
    nsapi_error_t connect() override;
    nsapi_error_t disconnect() override;

    const char *get_mac_address() override;

    /** PARAMETER unless 6 bytes; BUSY once the stack interface exists. */
    nsapi_error_t set_mac_address(uint8_t *mac_addr, nsapi_size_t addr_len) override;

    /** NO_CONNECTION before the interface exists. */
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) override;
    nsapi_error_t get_netmask(SocketAddress *address) override;
    nsapi_error_t get_gateway(SocketAddress *address) override;

    char *get_interface_name(char *interface_name) override;
    void set_as_default() override;
    void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) override;

    /** DISCONNECTED before the first connect(). */
    nsapi_connection_status_t get_connection_status() const override;

    nsapi_error_t set_blocking(bool blocking) override;

    /** The driver. */
    EMAC &get_emac() const { return _emac; }

    EMACInterface *emacInterface() final { return this; }

  protected:
    NetworkStack *get_stack() override;

    EMAC &_emac;
    OnboardNetworkStack &_stack;
    OnboardNetworkStack::Interface *_interface = nullptr;
    bool _dhcp = true;
    bool _blocking = true;
    bool _hw_mac_addr_set = false;
    uint8_t _hw_mac_addr[NSAPI_MAC_BYTES] = {};
    char _mac_address[NSAPI_MAC_SIZE] = {};
    char _ip_address[NSAPI_IPv6_SIZE] = {};
    char _netmask[NSAPI_IPv6_SIZE] = {};
    char _gateway[NSAPI_IPv6_SIZE] = {};
    mbed::Callback<void(nsapi_event_t, intptr_t)> _connection_status_cb;
};

#endif /* EMAC_INTERFACE_H */
