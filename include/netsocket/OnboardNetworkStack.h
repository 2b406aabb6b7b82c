/*
 * meshwork: Mbed-compatible OnboardNetworkStack, a NetworkStack that owns its interfaces
 * (EMAC, L3IP, PPP) and brings them up and down for EMACInterface and friends.
 */
#ifndef ONBOARD_NETWORK_STACK_H
#define ONBOARD_NETWORK_STACK_H

#include <stdint.h>

#include "NetworkStack.h"
#include "NetworkInterface.h"
#include "EMAC.h"
#include "nsapi_types.h"
#include "platform/Callback.h"

class L3IP;
class PPP;

/** A network stack running on this host that manages its own interfaces. */
class OnboardNetworkStack : public NetworkStack {
  public:
    /**
     * The target's onboard stack. Weak: the library's version is a placeholder whose interfaces
     * cannot be brought up (bringup() returns NSAPI_ERROR_UNSUPPORTED) and whose sockets cannot
     * be opened; the host backend provides the real one.
     */
    static OnboardNetworkStack &get_default_instance();

    /** One interface of the stack. */
    class Interface {
      public:
        virtual ~Interface() = default;

        /**
         * Brings the interface up with DHCP or the given static addresses (NULL: none).
         * Blocking: returns when up (or on failure); non-blocking: returns once started and
         * reports progress through the attached callback. IS_CONNECTED when already up, BUSY
         * while connecting.
         */
        virtual nsapi_error_t bringup(bool dhcp, const char *ip, const char *netmask,
                                      const char *gw, nsapi_ip_stack_t stack = DEFAULT_STACK,
                                      bool blocking = true) = 0;

        /** Brings the interface down. NO_CONNECTION when already down. */
        virtual nsapi_error_t bringdown() = 0;

        /** Registers the status callback (NSAPI_EVENT_CONNECTION_STATUS_CHANGE events). */
        virtual void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb) = 0;

        /** Current status. */
        virtual nsapi_connection_status_t get_connection_status() const = 0;

        /** Copies the interface name into `interface_name`; NULL if none. */
        virtual char *get_interface_name(char *interface_name) { return nullptr; }

        /** Writes "xx:xx:xx:xx:xx:xx" into `buf`; NULL if unknown or `buflen` too small. */
        virtual char *get_mac_address(char *buf, nsapi_size_t buflen) = 0;

        /** Sets the MAC address. Default UNSUPPORTED. */
        virtual nsapi_error_t set_mac_address(uint8_t *buf, nsapi_size_t buflen) {
            return NSAPI_ERROR_UNSUPPORTED;
        }

        /** Current address (NO_ADDRESS / NO_CONNECTION when none). */
        virtual nsapi_error_t get_ip_address(SocketAddress *address) = 0;

        /** IPv6 link-local address. Default UNSUPPORTED. */
        virtual nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) {
            return NSAPI_ERROR_UNSUPPORTED;
        }

        /** Network mask. */
        virtual nsapi_error_t get_netmask(SocketAddress *address) = 0;

        /** Gateway. */
        virtual nsapi_error_t get_gateway(SocketAddress *address) = 0;
    };

    /**
     * Creates an interface over `emac`. `user_network_interface` is the NetworkInterface the
     * application uses (for pktinfo). `*interface_out` receives the new interface.
     */
    virtual nsapi_error_t add_ethernet_interface(
        EMAC &emac, bool default_if, Interface **interface_out,
        NetworkInterface *user_network_interface = NULL) = 0;

    /** As above, with an explicit MAC address. Default UNSUPPORTED. */
    virtual nsapi_error_t add_ethernet_interface(EMAC &emac, bool default_if,
                                                 Interface **interface_out, const uint8_t *mac_addr,
                                                 NetworkInterface *user_network_interface = NULL) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /** Removes an Ethernet interface. Default UNSUPPORTED. */
    virtual nsapi_error_t remove_ethernet_interface(Interface **interface_out) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /** Creates an L3IP interface. Default UNSUPPORTED. */
    virtual nsapi_error_t add_l3ip_interface(L3IP &l3ip, bool default_if,
                                             Interface **interface_out) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /** Removes an L3IP interface. Default UNSUPPORTED. */
    virtual nsapi_error_t remove_l3ip_interface(Interface **interface_out) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /** Creates a PPP interface. Default UNSUPPORTED. */
    virtual nsapi_error_t add_ppp_interface(PPP &ppp, bool default_if, nsapi_ip_stack_t stack,
                                            Interface **interface_out) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /** Removes a PPP interface. Default UNSUPPORTED. */
    virtual nsapi_error_t remove_ppp_interface(Interface **interface_out) {
        return NSAPI_ERROR_UNSUPPORTED;
    }

    /** Makes `interface` the default route. Default: nothing. */
    virtual void set_default_interface(OnboardNetworkStack::Interface *interface) {}

    OnboardNetworkStack *onboardNetworkStack() override { return this; }
};

#endif /* ONBOARD_NETWORK_STACK_H */
