// The NetworkStack of one simulated node: Mbed's UDPSocket, ICMPSocket, TCPSocket / TCPServer
// and DNS over the node's own stack::Stack (docs/stack.md). Every hook is non-blocking and runs the
// stack to completion on the caller's fiber; blocking calls wait in the socket layer, through the
// task's executor, for the callbacks the stack raises (in virtual time on a simulated node). IPv6
// only, as Nanostack: an IPv4 address is NSAPI_ERROR_PARAMETER.
//
// Socket options: level NSAPI_SOCKET, and Nanostack's SOCKET_IPPROTO_IPV6 for UDP sockets:
// SOCKET_IPV6_UNICAST_HOPS / SOCKET_IPV6_MULTICAST_HOPS (int16_t, 1..255, -1 restores the
// default: 64 unicast, 1 multicast; 0 is UNSUPPORTED, the stack cannot send with it) and
// SOCKET_IPV6_JOIN_GROUP / SOCKET_IPV6_LEAVE_GROUP (ns_ipv6_mreq_t; interface 0 is the
// socket's). Bad sizes or values are NSAPI_ERROR_PARAMETER, other names UNSUPPORTED.
//
// TCP is POSIX-like non-blocking (the socket layer loops for blocking sockets): connect answers
// IN_PROGRESS, then ALREADY while the handshake runs, then IS_CONNECTED; a refused or reset
// connection is NO_CONNECTION, one the stack gave up on (retransmissions, keepalive) TIMEOUT,
// or NO_CONNECTION when an ICMPv6 error about it arrived since data last got through (the peer
// is unreachable). TCP options: NSAPI_REUSEADDR, NSAPI_KEEPALIVE / KEEPIDLE / KEEPINTVL,
// NSAPI_SNDBUF, NSAPI_RCVBUF (int); NSAPI_LINGER and everything else UNSUPPORTED.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "netsocket/NetworkStack.h"
#include "stack/Stack.h"

namespace meshwork::stack {

class NodeNetworkStack : public NetworkStack {
  public:
    /// `changed` runs after every hook that reached the stack: the owner re-arms the stack's
    /// poll timer there (the hook may have sent, queued or started a timer).
    NodeNetworkStack(Stack &stack, std::function<void()> changed, IfIndex ifindex = 0);
    ~NodeNetworkStack() override;
    NodeNetworkStack(const NodeNetworkStack &) = delete;
    NodeNetworkStack &operator=(const NodeNetworkStack &) = delete;

    Stack &stack() { return stack_; }
    /// Runs the `changed` hook (for code that touched the stack directly).
    void notify_changed() { changed_(); }
    IfIndex interface_index() const { return ifindex_; }

    /// A usable global (non-link-local) address of the interface; NO_ADDRESS before SLAAC or a
    /// static address gives one.
    nsapi_error_t get_ip_address(SocketAddress *address) override;
    using NetworkStack::get_ip_address;
    nsapi_error_t get_ipv6_link_local_address(SocketAddress *address) override;
    /// As Nanostack: an unspecified version means IPv6.
    nsapi_error_t gethostbyname(const char *host, SocketAddress *address,
                                nsapi_version_t version = NSAPI_UNSPEC,
                                const char *interface_name = NULL) override;

    std::size_t open_sockets() const { return sockets_.size(); }

    /// For an owner that drives the stack on one thread and lets others call the socket API:
    /// `lock` / `unlock` bracket every hook that reaches the stack (the owner holds the same
    /// lock while it runs the stack; events raised then are delivered under it). Unset (the
    /// default), hooks run on the caller's fiber as they are.
    void set_lock(std::function<void()> lock, std::function<void()> unlock) {
        lock_ = std::move(lock);
        unlock_ = std::move(unlock);
    }

  protected:
    nsapi_error_t socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) override;
    nsapi_error_t socket_close(nsapi_socket_t handle) override;
    nsapi_error_t socket_bind(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_listen(nsapi_socket_t handle, int backlog) override;
    nsapi_error_t socket_connect(nsapi_socket_t handle, const SocketAddress &address) override;
    nsapi_error_t socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                SocketAddress *address) override;
    nsapi_size_or_error_t socket_send(nsapi_socket_t handle, const void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recv(nsapi_socket_t handle, void *data,
                                      nsapi_size_t size) override;
    nsapi_size_or_error_t socket_sendto(nsapi_socket_t handle, const SocketAddress &address,
                                        const void *data, nsapi_size_t size) override;
    nsapi_size_or_error_t socket_recvfrom(nsapi_socket_t handle, SocketAddress *address, void *data,
                                          nsapi_size_t size) override;
    void socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) override;
    nsapi_error_t setsockopt(nsapi_socket_t handle, int level, int optname, const void *optval,
                             unsigned optlen) override;
    nsapi_error_t getsockopt(nsapi_socket_t handle, int level, int optname, void *optval,
                             unsigned *optlen) override;

  private:
    struct Guard {
        explicit Guard(const NodeNetworkStack &n) : n(n) {
            if (n.lock_) {
                n.lock_();
            }
        }
        ~Guard() {
            if (n.unlock_) {
                n.unlock_();
            }
        }
        Guard(const Guard &) = delete;
        Guard &operator=(const Guard &) = delete;
        const NodeNetworkStack &n;
    };
    struct Socket {
        nsapi_protocol_t proto;
        int id;  // in the stack's UdpSockets / IcmpSockets / TcpSockets
        void (*callback)(void *) = nullptr;
        void *data = nullptr;
        // TCP: connect was called (later calls report its progress); the keepalive
        // parameters, kept here because the options set them one at a time.
        bool connect_started = false;
        Duration ka_idle{0}, ka_interval{0};
        unsigned ka_count = 0;
    };
    Socket *find(nsapi_socket_t handle);
    void raise(Socket *s);
    Socket *add(nsapi_protocol_t proto, int id);
    void release(Socket *s);

    nsapi_error_t tcp_setsockopt(Socket *s, int optname, const void *optval, unsigned optlen);
    /// Nanostack's level SOCKET_IPPROTO_IPV6 (nanostack/socket_api.h), which Mbed mesh
    /// applications use: hop limits and multicast groups of UDP sockets.
    nsapi_error_t ipv6_setsockopt(Socket *s, int optname, const void *optval, unsigned optlen);
    /// The nsapi code of a TCP call that failed with `e` (kBadState: why the connection is gone).
    nsapi_error_t tcp_error(const Socket *s, Error e) const;

    Stack &stack_;
    std::function<void()> changed_;
    IfIndex ifindex_;
    // Keyed by an increasing number, not by address: iteration order is the opening order.
    std::map<std::uint64_t, std::unique_ptr<Socket>> sockets_;
    std::map<Socket *, std::uint64_t> keys_;
    std::uint64_t next_key_ = 1;
    std::function<void()> lock_, unlock_;
};

/// Stack error to the nsapi code a socket reports (Mbed's numbers).
nsapi_error_t to_nsapi(Error e);

}  // namespace meshwork::stack
