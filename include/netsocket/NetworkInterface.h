/*
 * meshwork: Mbed-compatible NetworkInterface, the common base of every network interface.
 *
 * Offers the 6.x API (SocketAddress out-parameters, status events, default instance) and the
 * 5.x `const char *` getters and string set_network(). A subclass that overrides one overload
 * of get_ip_address/get_netmask/get_gateway/set_network must add
 * `using NetworkInterface::get_ip_address;` (and so on) to keep the other generation visible.
 */
#ifndef NETWORK_INTERFACE_H
#define NETWORK_INTERFACE_H

#include <stdint.h>

#include <mutex>
#include <vector>

#include "nsapi_types.h"
#include "SocketAddress.h"
#include "DNS.h"
#include "NetworkStack.h"
#include "platform/Callback.h"
#include "platform/mbed_toolchain.h"

class EthInterface;
class WiFiInterface;
class MeshInterface;
class CellularInterface;
class EMACInterface;
class PPPInterface;

/** Common interface shared between network interfaces. */
class NetworkInterface : public DNS {
  public:
    virtual ~NetworkInterface();

    /**
     * The application's default interface. Weak: an application may define its own. The
     * library's version returns get_target_default_instance(), chosen by
     * MBED_CONF_TARGET_NETWORK_DEFAULT_INTERFACE_TYPE (ETHERNET when undefined).
     */
    static NetworkInterface *get_default_instance();

    /** Makes this the stack's default interface (no-op unless the stack supports it). */
    virtual void set_as_default();

    /** MAC address as "xx:xx:xx:xx:xx:xx", or NULL. */
    virtual const char *get_mac_address();

    /** Sets the MAC address before connect. Default UNSUPPORTED. */
    virtual nsapi_error_t set_mac_address(uint8_t *mac_addr, nsapi_size_t addr_len);

    /** The interface's IP address. Default UNSUPPORTED. */
    virtual nsapi_error_t get_ip_address(SocketAddress *address);

    /**
     * Mbed 5.x: the IP address as text, or NULL. The default formats
     * get_ip_address(SocketAddress *) into storage owned by the interface.
     */
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    virtual const char *get_ip_address();

    /** The IPv6 link-local address. Default UNSUPPORTED. */
    virtual nsapi_error_t get_ipv6_link_local_address(SocketAddress *address);

    /** The network mask. Default UNSUPPORTED. */
    virtual nsapi_error_t get_netmask(SocketAddress *address);

    /** Mbed 5.x: the netmask as text, or NULL. */
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    virtual const char *get_netmask();

    /** The gateway address. Default UNSUPPORTED. */
    virtual nsapi_error_t get_gateway(SocketAddress *address);

    /** Mbed 5.x: the gateway as text, or NULL. */
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    virtual const char *get_gateway();

    /** Copies the interface name into `interface_name` (NSAPI_INTERFACE_NAME_MAX_SIZE). NULL. */
    virtual char *get_interface_name(char *interface_name);

    /** Static configuration (disables DHCP). Default UNSUPPORTED. */
    virtual nsapi_error_t set_network(const SocketAddress &ip_address, const SocketAddress &netmask,
                                      const SocketAddress &gateway);

    /** Mbed 5.x: static configuration from text; forwards to the SocketAddress form. */
    MBED_DEPRECATED_SINCE("mbed-os-5.15", "String-based APIs are deprecated")
    virtual nsapi_error_t set_network(const char *ip_address, const char *netmask,
                                      const char *gateway);

    /** Enables or disables DHCP. Default: true OK, false UNSUPPORTED. */
    virtual nsapi_error_t set_dhcp(bool dhcp);

    /**
     * Connects. Blocking: returns once up. Non-blocking: returns OK once started. IS_CONNECTED
     * when already up, BUSY while a connect is in progress.
     */
    virtual nsapi_error_t connect() = 0;

    /** Disconnects. NO_CONNECTION when already down. */
    virtual nsapi_error_t disconnect() = 0;

    /** Forwards to get_stack(). */
    virtual nsapi_error_t gethostbyname(const char *host, SocketAddress *address,
                                        nsapi_version_t version = NSAPI_UNSPEC,
                                        const char *interface_name = NULL);

    /** Forwards to get_stack(). */
    virtual nsapi_value_or_error_t getaddrinfo(const char *hostname, SocketAddress *hints,
                                               SocketAddress **res,
                                               const char *interface_name = NULL);

    typedef mbed::Callback<void(nsapi_value_or_error_t result, SocketAddress *address)>
        hostbyname_cb_t;

    /** Forwards to get_stack(). */
    virtual nsapi_value_or_error_t gethostbyname_async(const char *host, hostbyname_cb_t callback,
                                                       nsapi_version_t version = NSAPI_UNSPEC,
                                                       const char *interface_name = NULL);

    /** Forwards to get_stack(). */
    virtual nsapi_value_or_error_t getaddrinfo_async(const char *hostname, SocketAddress *hints,
                                                     hostbyname_cb_t callback,
                                                     const char *interface_name = NULL);

    /** Forwards to get_stack(). */
    virtual nsapi_error_t gethostbyname_async_cancel(int id);

    /**
     * Forwards to get_stack(). Mbed 6 gives no default for `interface_name` here; the one
     * below keeps Mbed 5.9 code `net->add_dns_server(addr)` compiling.
     */
    virtual nsapi_error_t add_dns_server(const SocketAddress &address, const char *interface_name);

    /** Mbed 5.9 form: the global server list. */
    nsapi_error_t add_dns_server(const SocketAddress &address) {
        return add_dns_server(address, NULL);
    }

    /** Forwards to get_stack(). */
    virtual nsapi_error_t get_dns_server(int index, SocketAddress *address,
                                         const char *interface_name = NULL);

    /**
     * Registers the status callback, called with (NSAPI_EVENT_CONNECTION_STATUS_CHANGE,
     * nsapi_connection_status_t). attach(nullptr) detaches. Default: ignored.
     */
    virtual void attach(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb);

#if MBED_CONF_NSAPI_ADD_EVENT_LISTENER_RETURN_CHANGE
    /** Adds a status listener (several may coexist). Uses attach() internally. */
    nsapi_error_t add_event_listener(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb);
#else
    /** Adds a status listener (several may coexist). Uses attach() internally. */
    void add_event_listener(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb);
#endif

    /** Removes a listener added with add_event_listener. */
    void remove_event_listener(mbed::Callback<void(nsapi_event_t, intptr_t)> status_cb);

    /** Connection status. Default NSAPI_STATUS_ERROR_UNSUPPORTED. */
    virtual nsapi_connection_status_t get_connection_status() const;

    /** Non-blocking connect/disconnect when false. Default UNSUPPORTED. */
    virtual nsapi_error_t set_blocking(bool blocking);

    /** Down-casts: NULL unless the interface is of that kind. */
    virtual EthInterface *ethInterface() {
        return nullptr;
    }
    virtual WiFiInterface *wifiInterface() {
        return nullptr;
    }
    virtual MeshInterface *meshInterface() {
        return nullptr;
    }
    virtual CellularInterface *cellularInterface() {
        return nullptr;
    }
    virtual EMACInterface *emacInterface() {
        return nullptr;
    }

    /** Mbed 5.9-5.11 name of cellularInterface(). */
    MBED_DEPRECATED_SINCE("mbed-os-5.12", "Use cellularInterface()")
    CellularInterface *cellularBase() {
        return cellularInterface();
    }

    /** Applies nsapi.default-* configuration (WiFi, cellular). Default: nothing. */
    virtual void set_default_parameters();

  protected:
    friend class InternetSocket;
    friend class UDPSocket;
    friend class TCPSocket;
    friend class TCPServer;
    friend class Socket;
    friend class SocketAddress;
    template <typename IF>
    friend NetworkStack *nsapi_create_stack(IF *iface);

    /** The stack sockets on this interface use. */
    virtual NetworkStack *get_stack() = 0;

    /** The target's default interface (weak; see get_default_instance()). */
    static NetworkInterface *get_target_default_instance();

  private:
    void _dispatch_event(nsapi_event_t event, intptr_t value);

    typedef mbed::Callback<void(nsapi_event_t, intptr_t)> event_cb_t;
    std::mutex _listeners_lock;
    std::vector<event_cb_t> _listeners;  // add_event_listener entries

    // Storage for the 5.x text getters.
    char _ip_text[NSAPI_IP_SIZE] = {};
    char _netmask_text[NSAPI_IP_SIZE] = {};
    char _gateway_text[NSAPI_IP_SIZE] = {};
};

#endif /* NETWORK_INTERFACE_H */
