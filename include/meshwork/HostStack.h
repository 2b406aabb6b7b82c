// HostStack: the Mbed OnboardNetworkStack over the Linux kernel's own sockets.
//
// Every NetworkStack hook maps onto a non-blocking kernel socket (AF_INET6 dual-stack, or
// AF_INET on hosts without IPv6); readiness reaches the socket_attach callbacks from one epoll
// thread per stack, started on first use. Errors follow the reference stack's mapping that the
// Mbed tests encode (see docs/host-stack.md for the table). The pool of sockets is finite:
// NO_SOCKET beyond socket_max() (default: see default_socket_max()).
//
// The interface that add_ethernet_interface() returns reports a host interface chosen by
// set_interface_name() (or Options::interface_name), else the default route, else "lo".
//
// OnboardNetworkStack::get_default_instance() returns one process-wide HostStack when
// meshwork_host is linked (compatibility edge; see docs/host-stack.md for the link mechanism),
// built from the application's meshwork.host-* configuration keys.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "meshwork/config/Configuration.h"
#include "netsocket/OnboardNetworkStack.h"

namespace meshwork {

class HostStack : public OnboardNetworkStack {
  public:
    /// The pool size of stacks built without one: meshwork.host-socket-max of the process's
    /// application configuration (docs/configuration.md), 1024 without one.
    static std::size_t default_socket_max();

    struct Options {
        std::size_t socket_max = 0;  // 0: default_socket_max()
        /// Host interface to report; empty: the interface of the default route.
        std::string interface_name;

        /// meshwork.host-socket-max and meshwork.host-interface of a configuration.
        static Options from(const config::MeshworkConfig &meshwork);
    };

    /// Seeds the stack's random() stream once from OS entropy (getrandom).
    HostStack();
    explicit HostStack(const Options &options);
    ~HostStack() override;
    HostStack(const HostStack &) = delete;
    HostStack &operator=(const HostStack &) = delete;

    /// The process-wide instance behind OnboardNetworkStack::get_default_instance().
    static HostStack &default_instance();

    /// Pool size. Lowering it below the number of open sockets only refuses new ones.
    void set_socket_max(std::size_t max);
    std::size_t socket_max() const;
    std::size_t open_sockets() const;

    /// Host interface reported by interfaces brought up after this call (empty: automatic).
    void set_interface_name(const char *name);

    /// Blocks the calling thread until `handle` may be readable (`read`) and/or writable
    /// (`write`), until `timeout_ms` passes (negative: no limit), or until the socket is
    /// closed from another thread. OK: retry the operation; WOULD_BLOCK: timed out;
    /// NO_SOCKET: closed. The kernel wakes the caller directly, without the hand-off through
    /// the epoll thread that a wait for the sigio callback costs. For native users of the
    /// hooks; the Mbed socket layer waits through its executor instead (socket_kernel_fd).
    nsapi_error_t wait(nsapi_socket_t handle, bool read, bool write, int timeout_ms);

    // NetworkStack
    using NetworkStack::get_ip_address;
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) override;
    nsapi_error_t get_ip_address_if(SocketAddress *address, const char *interface_name) override;

    // OnboardNetworkStack
    nsapi_error_t add_ethernet_interface(EMAC &emac, bool default_if, Interface **interface_out,
                                         NetworkInterface *user_network_interface = NULL) override;
    nsapi_error_t add_ethernet_interface(EMAC &emac, bool default_if, Interface **interface_out,
                                         const uint8_t *mac_addr,
                                         NetworkInterface *user_network_interface = NULL) override;
    nsapi_error_t remove_ethernet_interface(Interface **interface_out) override;
    void set_default_interface(Interface *interface) override;

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) override;
    nsapi_error_t socket_close(nsapi_socket_t handle) override;
    nsapi_error_t socket_bind(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_listen(nsapi_socket_t handle, int backlog) override;
    nsapi_error_t socket_connect(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                SocketAddress *address = 0) override;
    nsapi_size_or_error_t socket_send(nsapi_socket_t handle, const void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recv(nsapi_socket_t handle, void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                        const void *data, nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address, void *data,
                                          nsapi_size_t size) override;
    nsapi_size_or_error_t socket_sendto_control(nsapi_socket_t handle, const SocketAddress &address,
                                                const void *data, nsapi_size_t size,
                                                nsapi_msghdr_t *control,
                                                nsapi_size_t control_size) override;
    nsapi_size_or_error_t socket_recvfrom_control(nsapi_socket_t handle, SocketAddress *address,
                                                  void *data, nsapi_size_t size,
                                                  nsapi_msghdr_t *control,
                                                  nsapi_size_t control_size) override;
    void socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) override;
    /// The socket's descriptor (NetworkStack.h): the host executor's waits poll it.
    int socket_kernel_fd(nsapi_socket_t handle) override;
    nsapi_error_t setsockopt(nsapi_socket_t handle, int level, int optname, const void *optval,
                             unsigned optlen) override;
    nsapi_error_t getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                             unsigned *optlen) override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace meshwork
