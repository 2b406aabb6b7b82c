// NodeNetworkStack: the nsapi hooks over a node's UdpSockets, IcmpSockets and TcpSockets.
#include "NodeNetworkStack.h"

#include <chrono>
#include <cstring>

#include "nanostack/socket_api.h"
#include "stack/IcmpSockets.h"
#include "stack/TcpSockets.h"
#include "stack/UdpSockets.h"

namespace meshwork::stack {

namespace {

wire::Ip6Address to_ip6(const SocketAddress &a) {
    return wire::Ip6Address::from_bytes(a.get_addr().bytes);
}

SocketAddress to_socket_address(const wire::Ip6Address &a, std::uint16_t port) {
    nsapi_addr_t addr = {};
    addr.version = NSAPI_IPv6;
    std::memcpy(addr.bytes, a.bytes, 16);
    return SocketAddress(addr, port);
}

// IPv6 only (as Nanostack): an unspecified address (bind) is fine, IPv4 is not.
bool ipv6_or_unspecified(const SocketAddress &a) {
    return a.get_ip_version() == NSAPI_IPv6 || a.get_ip_version() == NSAPI_UNSPEC;
}

}  // namespace

nsapi_error_t to_nsapi(Error e) {
    switch (e) {
        case Error::kOk:
            return NSAPI_ERROR_OK;
        case Error::kWouldBlock:
            return NSAPI_ERROR_WOULD_BLOCK;
        case Error::kNoMemory:
        case Error::kNoSpace:
            return NSAPI_ERROR_NO_MEMORY;
        case Error::kNotFound:
            return NSAPI_ERROR_NO_ADDRESS;  // no route or no source address
        case Error::kInvalidArgument:
        case Error::kBadState:
        case Error::kMalformed:
        case Error::kTruncated:
            return NSAPI_ERROR_PARAMETER;
        case Error::kUnsupported:
            return NSAPI_ERROR_UNSUPPORTED;
        case Error::kTimeout:
            return NSAPI_ERROR_TIMEOUT;
        default:
            return NSAPI_ERROR_DEVICE_ERROR;
    }
}

NodeNetworkStack::NodeNetworkStack(Stack &stack, std::function<void()> changed, IfIndex ifindex)
    : stack_(stack), changed_(std::move(changed)), ifindex_(ifindex) {}

NodeNetworkStack::~NodeNetworkStack() {
    for (auto &[key, s] : sockets_) {
        (void)key;
        if (s->proto == NSAPI_UDP) {
            stack_.udp().set_callback(s->id, nullptr);
            stack_.udp().close(s->id);
        } else if (s->proto == NSAPI_ICMP) {
            stack_.icmp().set_callback(s->id, nullptr);
            stack_.icmp().close(s->id);
        } else {
            stack_.tcp().set_callback(s->id, nullptr);
            stack_.tcp().close(s->id);
        }
    }
}

NodeNetworkStack::Socket *NodeNetworkStack::find(nsapi_socket_t handle) {
    Socket *s = static_cast<Socket *>(handle);
    return s && keys_.count(s) ? s : nullptr;
}

void NodeNetworkStack::raise(Socket *s) {
    if (s->callback) {
        s->callback(s->data);
    }
}

NodeNetworkStack::Socket *NodeNetworkStack::add(nsapi_protocol_t proto, int id) {
    auto s = std::make_unique<Socket>(Socket{proto, id});
    Socket *raw = s.get();
    auto cb = [this, raw](SocketEvent) { raise(raw); };
    if (proto == NSAPI_UDP) {
        stack_.udp().set_callback(raw->id, cb);
    } else if (proto == NSAPI_ICMP) {
        stack_.icmp().set_callback(raw->id, cb);
    } else {
        stack_.tcp().set_callback(raw->id, cb);
        const TcpConfig &cfg = stack_.config().tcp;
        raw->ka_idle = cfg.keepalive_idle;
        raw->ka_interval = cfg.keepalive_interval;
        raw->ka_count = cfg.keepalive_count;
    }
    const std::uint64_t key = next_key_++;
    keys_[raw] = key;
    sockets_[key] = std::move(s);
    return raw;
}

void NodeNetworkStack::release(Socket *s) {
    const std::uint64_t key = keys_[s];
    keys_.erase(s);
    sockets_.erase(key);
}

nsapi_error_t NodeNetworkStack::socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) {
    const Guard guard(*this);
    if (!handle) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (proto != NSAPI_UDP && proto != NSAPI_ICMP && proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    Result<int> id = proto == NSAPI_UDP    ? stack_.udp().open()
                     : proto == NSAPI_ICMP ? stack_.icmp().open()
                                           : stack_.tcp().open();
    if (!id) {
        return id.error() == Error::kNoMemory ? NSAPI_ERROR_NO_SOCKET : to_nsapi(id.error());
    }
    *handle = add(proto, id.value());
    return NSAPI_ERROR_OK;
}

nsapi_error_t NodeNetworkStack::socket_close(nsapi_socket_t handle) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto == NSAPI_UDP) {
        stack_.udp().set_callback(s->id, nullptr);
        stack_.udp().close(s->id);
    } else if (s->proto == NSAPI_ICMP) {
        stack_.icmp().set_callback(s->id, nullptr);
        stack_.icmp().close(s->id);
    } else {
        // Graceful: the FIN follows the queued data, the connection lives on in the stack.
        stack_.tcp().set_callback(s->id, nullptr);
        stack_.tcp().close(s->id);
    }
    release(s);
    changed_();
    return NSAPI_ERROR_OK;
}

nsapi_error_t NodeNetworkStack::tcp_error(const Socket *s, Error e) const {
    switch (e) {
        case Error::kBadState:
            if (stack_.tcp().last_error(s->id) != Error::kTimeout) {
                return NSAPI_ERROR_NO_CONNECTION;  // refused or reset
            }
            // Given up with an ICMPv6 error recorded since data last got through (RFC 1122
            // 4.2.3.9, RFC 9293 3.9.2.2): the peer is unreachable, which Mbed's stacks report
            // as NO_CONNECTION (Nanostack closes the socket on SOCKET_NO_ROUTE / TX_FAIL,
            // LWIP on ERR_ABRT); a plain give-up stays TIMEOUT.
            return stack_.tcp().info(s->id).soft_error_type != 0 ? NSAPI_ERROR_NO_CONNECTION
                                                                 : NSAPI_ERROR_TIMEOUT;
        case Error::kTimeout:
            return NSAPI_ERROR_TIMEOUT;
        case Error::kNoMemory:
            return NSAPI_ERROR_NO_MEMORY;
        case Error::kWouldBlock:
            return NSAPI_ERROR_WOULD_BLOCK;
        case Error::kNotFound:
            return NSAPI_ERROR_NO_SOCKET;
        default:
            return to_nsapi(e);
    }
}

nsapi_error_t NodeNetworkStack::socket_bind(nsapi_socket_t handle, const SocketAddress &address) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (!ipv6_or_unspecified(address)) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (s->proto == NSAPI_ICMP) {
        return NSAPI_ERROR_UNSUPPORTED;  // an ICMP socket has no port
    }
    const wire::Ip6Address local =
        address.get_ip_version() == NSAPI_IPv6 ? to_ip6(address) : wire::Ip6Address();
    const Status st = s->proto == NSAPI_UDP ? stack_.udp().bind(s->id, local, address.get_port())
                                            : stack_.tcp().bind(s->id, local, address.get_port());
    return to_nsapi(st.error());  // already bound, address in use, not local: PARAMETER
}

// The connection hooks: only TCP sockets reach them from the socket layer.
nsapi_error_t NodeNetworkStack::socket_listen(nsapi_socket_t handle, int backlog) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    // As the reference stack: listen needs a bound socket (a connected one is PARAMETER too).
    if (s->connect_started || stack_.tcp().local_port(s->id) == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    const Status st = stack_.tcp().listen(s->id, backlog);
    changed_();
    return to_nsapi(st.error());  // a connected socket: PARAMETER
}

nsapi_error_t NodeNetworkStack::socket_connect(nsapi_socket_t handle,
                                               const SocketAddress &address) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    TcpSockets &tcp = stack_.tcp();
    if (s->connect_started) {
        // Report the progress of the connect already under way.
        switch (tcp.state(s->id)) {
            case TcpState::kSynSent:
            case TcpState::kSynReceived:
                return NSAPI_ERROR_ALREADY;
            case TcpState::kClosed:
            case TcpState::kListen:
                return tcp_error(s, Error::kBadState);
            default:
                // Synchronized, whatever happened since (a FIN keeps it connected).
                return tcp.last_error(s->id) == Error::kOk ? NSAPI_ERROR_IS_CONNECTED
                                                           : tcp_error(s, Error::kBadState);
        }
    }
    if (tcp.state(s->id) == TcpState::kListen) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (address.get_ip_version() != NSAPI_IPv6) {
        return NSAPI_ERROR_PARAMETER;
    }
    const wire::Ip6Address dst = to_ip6(address);
    if (dst.is_unspecified() || dst.is_multicast() || address.get_port() == 0) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (dst.is_link_local()) {
        tcp.set_interface(s->id, ifindex_);
    }
    const Status st = tcp.connect(s->id, dst, address.get_port());
    changed_();
    if (!st) {
        switch (st.error()) {
            case Error::kNotFound:
                return NSAPI_ERROR_NO_ADDRESS;  // no route or no source address
            case Error::kBadState:
                return NSAPI_ERROR_PARAMETER;
            default:
                return tcp_error(s, st.error());
        }
    }
    s->connect_started = true;
    return NSAPI_ERROR_IN_PROGRESS;
}

nsapi_error_t NodeNetworkStack::socket_accept(nsapi_socket_t server, nsapi_socket_t *handle,
                                              SocketAddress *address) {
    const Guard guard(*this);
    Socket *s = find(server);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (!handle) {
        return NSAPI_ERROR_PARAMETER;
    }
    TcpSockets &tcp = stack_.tcp();
    if (tcp.state(s->id) != TcpState::kListen) {
        return NSAPI_ERROR_PARAMETER;
    }
    wire::Ip6Address peer;
    std::uint16_t peer_port = 0;
    Result<int> id = tcp.accept(s->id, &peer, &peer_port);
    changed_();
    if (!id) {
        return tcp_error(s, id.error());
    }
    Socket *c = add(NSAPI_TCP, id.value());
    c->connect_started = true;  // connect on it answers IS_CONNECTED
    *handle = c;
    if (address) {
        *address = to_socket_address(peer, peer_port);
    }
    return NSAPI_ERROR_OK;
}

nsapi_size_or_error_t NodeNetworkStack::socket_send(nsapi_socket_t handle, const void *data,
                                                    nsapi_size_t size) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (size > 0 && !data) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!s->connect_started) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    const std::uint8_t none = 0;
    const ByteSpan bytes(data ? static_cast<const std::uint8_t *>(data) : &none, data ? size : 0);
    Result<std::size_t> r = stack_.tcp().send(s->id, bytes);
    changed_();
    if (!r) {
        return tcp_error(s, r.error());
    }
    return static_cast<nsapi_size_or_error_t>(r.value());
}

nsapi_size_or_error_t NodeNetworkStack::socket_recv(nsapi_socket_t handle, void *data,
                                                    nsapi_size_t size) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto != NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (size > 0 && !data) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (!s->connect_started) {
        return NSAPI_ERROR_NO_CONNECTION;
    }
    std::uint8_t none = 0;
    const MutableByteSpan out(data ? static_cast<std::uint8_t *>(data) : &none, data ? size : 0);
    Result<std::size_t> r = stack_.tcp().recv(s->id, out);
    changed_();  // reading opens the window: a window update may be due
    if (!r) {
        return tcp_error(s, r.error());
    }
    return static_cast<nsapi_size_or_error_t>(r.value());
}

nsapi_size_or_error_t NodeNetworkStack::socket_sendto(nsapi_socket_t handle,
                                                      const SocketAddress &address,
                                                      const void *data, nsapi_size_t size) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto == NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;  // TCPSocket::sendto is send()
    }
    if (size == 0 && address.get_ip_version() == NSAPI_UNSPEC) {
        return 0;  // an empty datagram to nowhere: nothing to send, as on every backend
    }
    if (address.get_ip_version() != NSAPI_IPv6 || (size > 0 && !data)) {
        return NSAPI_ERROR_PARAMETER;
    }
    const ByteSpan bytes(static_cast<const std::uint8_t *>(data), size);
    Result<std::size_t> r =
        s->proto == NSAPI_UDP
            ? stack_.udp().send_to(s->id, to_ip6(address), address.get_port(), bytes)
            : stack_.icmp().send_to(s->id, to_ip6(address), bytes);
    changed_();
    if (!r) {
        return to_nsapi(r.error());
    }
    return static_cast<nsapi_size_or_error_t>(r.value());
}

nsapi_size_or_error_t NodeNetworkStack::socket_recvfrom(nsapi_socket_t handle,
                                                        SocketAddress *address, void *data,
                                                        nsapi_size_t size) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto == NSAPI_TCP) {
        return NSAPI_ERROR_UNSUPPORTED;  // TCPSocket::recvfrom is recv()
    }
    std::uint8_t none = 0;
    const MutableByteSpan out(data ? static_cast<std::uint8_t *>(data) : &none, data ? size : 0);
    wire::Ip6Address src;
    std::uint16_t src_port = 0;
    // Initialised from the call itself (GCC 12 -O2 reports a reassigned Result's value as
    // maybe-uninitialized).
    const Result<std::size_t> r = [&]() -> Result<std::size_t> {
        if (s->proto == NSAPI_UDP) {
            UdpDatagramInfo info;
            Result<std::size_t> u = stack_.udp().recv_from(s->id, out, &info);
            src = info.src;
            src_port = info.src_port;
            return u;
        }
        IcmpMessageInfo info;
        Result<std::size_t> m = stack_.icmp().recv_from(s->id, out, &info);
        src = info.src;
        return m;
    }();
    if (r && address) {
        *address = to_socket_address(src, src_port);
    }
    changed_();
    if (!r) {
        return to_nsapi(r.error());
    }
    return static_cast<nsapi_size_or_error_t>(r.value());
}

void NodeNetworkStack::socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) {
    const Guard guard(*this);
    if (Socket *s = find(handle)) {
        s->callback = callback;
        s->data = callback ? data : nullptr;
    }
}

nsapi_error_t NodeNetworkStack::setsockopt(nsapi_socket_t handle, int level, int optname,
                                           const void *optval, unsigned optlen) {
    const Guard guard(*this);
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (level == SOCKET_IPPROTO_IPV6) {
        return ipv6_setsockopt(s, optname, optval, optlen);
    }
    if (level != NSAPI_SOCKET) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    if (s->proto == NSAPI_TCP) {
        return tcp_setsockopt(s, optname, optval, optlen);
    }
    if (s->proto != NSAPI_UDP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    int value = 0;
    switch (optname) {
        case NSAPI_REUSEADDR:
        case NSAPI_RCVBUF:
            if (!optval || optlen != sizeof(int)) {
                return NSAPI_ERROR_PARAMETER;
            }
            std::memcpy(&value, optval, sizeof value);
            if (optname == NSAPI_REUSEADDR) {
                return to_nsapi(stack_.udp().set_reuse_address(s->id, value != 0).error());
            }
            if (value < 0) {
                return NSAPI_ERROR_PARAMETER;
            }
            return to_nsapi(
                stack_.udp().set_receive_buffer(s->id, static_cast<std::size_t>(value)).error());
        case NSAPI_ADD_MEMBERSHIP:
        case NSAPI_DROP_MEMBERSHIP: {
            if (!optval || optlen != sizeof(nsapi_ip_mreq_t)) {
                return NSAPI_ERROR_PARAMETER;
            }
            nsapi_ip_mreq_t mreq;
            std::memcpy(&mreq, optval, sizeof mreq);
            if (mreq.imr_multiaddr.version != NSAPI_IPv6) {
                return NSAPI_ERROR_PARAMETER;
            }
            const wire::Ip6Address group = wire::Ip6Address::from_bytes(mreq.imr_multiaddr.bytes);
            if (!group.is_multicast()) {
                return NSAPI_ERROR_PARAMETER;
            }
            const Status st = optname == NSAPI_ADD_MEMBERSHIP
                                  ? stack_.udp().join_group(s->id, group, ifindex_)
                                  : stack_.udp().leave_group(s->id, group, ifindex_);
            changed_();
            return to_nsapi(st.error());
        }
        default:
            return NSAPI_ERROR_UNSUPPORTED;
    }
}

nsapi_error_t NodeNetworkStack::ipv6_setsockopt(Socket *s, int optname, const void *optval,
                                                unsigned optlen) {
    if (s->proto != NSAPI_UDP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    switch (optname) {
        case SOCKET_IPV6_UNICAST_HOPS:
        case SOCKET_IPV6_MULTICAST_HOPS: {
            std::int16_t hops = 0;
            if (!optval || optlen != sizeof hops) {
                return NSAPI_ERROR_PARAMETER;
            }
            std::memcpy(&hops, optval, sizeof hops);
            if (hops < -1 || hops > 255) {
                return NSAPI_ERROR_PARAMETER;
            }
            if (hops == 0) {
                return NSAPI_ERROR_UNSUPPORTED;
            }
            const bool multicast = optname == SOCKET_IPV6_MULTICAST_HOPS;
            // -1: the defaults, which UdpSockets spells 1 (multicast) and 0 (the stack's).
            const std::uint8_t value =
                hops == -1 ? (multicast ? 1 : 0) : static_cast<std::uint8_t>(hops);
            const Status st = multicast ? stack_.udp().set_multicast_hop_limit(s->id, value)
                                        : stack_.udp().set_hop_limit(s->id, value);
            return to_nsapi(st.error());
        }
        case SOCKET_IPV6_JOIN_GROUP:
        case SOCKET_IPV6_LEAVE_GROUP: {
            ns_ipv6_mreq_t mreq;
            if (!optval || optlen != sizeof mreq) {
                return NSAPI_ERROR_PARAMETER;
            }
            std::memcpy(&mreq, optval, sizeof mreq);
            const wire::Ip6Address group = wire::Ip6Address::from_bytes(mreq.ipv6mr_multiaddr);
            if (!group.is_multicast() || mreq.ipv6mr_interface < 0) {
                return NSAPI_ERROR_PARAMETER;
            }
            IfIndex ifindex = ifindex_;
            if (mreq.ipv6mr_interface > 0) {
                ifindex = static_cast<IfIndex>(mreq.ipv6mr_interface);
                if (ifindex >= stack_.interface_count()) {
                    return NSAPI_ERROR_PARAMETER;
                }
            }
            const Status st = optname == SOCKET_IPV6_JOIN_GROUP
                                  ? stack_.udp().join_group(s->id, group, ifindex)
                                  : stack_.udp().leave_group(s->id, group, ifindex);
            changed_();
            return to_nsapi(st.error());
        }
        default:
            return NSAPI_ERROR_UNSUPPORTED;
    }
}

nsapi_error_t NodeNetworkStack::tcp_setsockopt(Socket *s, int optname, const void *optval,
                                               unsigned optlen) {
    switch (optname) {
        case NSAPI_REUSEADDR:
        case NSAPI_KEEPALIVE:
        case NSAPI_KEEPIDLE:
        case NSAPI_KEEPINTVL:
        case NSAPI_SNDBUF:
        case NSAPI_RCVBUF:
            break;
        default:
            // NSAPI_LINGER has no value type in Mbed (nsapi_types.h names it, nothing defines
            // its optval, and neither LWIP nor Nanostack takes it), and Mbed has no TCP
            // no-delay option: UNSUPPORTED, as for every unknown option.
            return NSAPI_ERROR_UNSUPPORTED;
    }
    int value = 0;
    if (!optval || optlen != sizeof(int)) {
        return NSAPI_ERROR_PARAMETER;
    }
    std::memcpy(&value, optval, sizeof value);
    if (optname == NSAPI_REUSEADDR) {
        // Any non-zero value sets it, as for UDP (and LWIP): a later bind may take a port
        // held by a connection in TIME-WAIT.
        return to_nsapi(stack_.tcp().set_reuse_address(s->id, value != 0).error());
    }
    if (value < 0 || (value == 0 && optname != NSAPI_KEEPALIVE)) {
        return NSAPI_ERROR_PARAMETER;
    }
    TcpSockets &tcp = stack_.tcp();
    Status st;
    switch (optname) {
        case NSAPI_KEEPALIVE:
            st = tcp.set_keepalive(s->id, value != 0);
            break;
        case NSAPI_KEEPIDLE:  // milliseconds
        case NSAPI_KEEPINTVL: {
            const Duration d =
                std::chrono::duration_cast<Duration>(std::chrono::milliseconds(value));
            Duration idle = optname == NSAPI_KEEPIDLE ? d : s->ka_idle;
            Duration interval = optname == NSAPI_KEEPINTVL ? d : s->ka_interval;
            st = tcp.set_keepalive_params(s->id, idle, interval, s->ka_count);
            if (st) {
                s->ka_idle = idle;
                s->ka_interval = interval;
            }
            break;
        }
        case NSAPI_SNDBUF:
            st = tcp.set_send_buffer(s->id, static_cast<std::size_t>(value));
            break;
        default:
            st = tcp.set_receive_buffer(s->id, static_cast<std::size_t>(value));
            break;
    }
    changed_();
    // kBadState: RCVBUF after connect / listen, SNDBUF below the queued bytes: PARAMETER.
    return to_nsapi(st.error());
}

nsapi_error_t NodeNetworkStack::getsockopt(nsapi_socket_t handle, int, int, void *, unsigned *) {
    const Guard guard(*this);
    return find(handle) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_error_t NodeNetworkStack::get_ip_address(SocketAddress *address) {
    const Guard guard(*this);
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (ifindex_ >= stack_.interface_count()) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    for (const NetifAddress &a : stack_.netif(ifindex_).addresses) {
        if (a.usable() && !a.address.is_link_local() && a.address.is_unicast()) {
            *address = to_socket_address(a.address, 0);
            return NSAPI_ERROR_OK;
        }
    }
    return NSAPI_ERROR_NO_ADDRESS;
}

nsapi_error_t NodeNetworkStack::get_ipv6_link_local_address(SocketAddress *address) {
    const Guard guard(*this);
    if (!address) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (ifindex_ >= stack_.interface_count()) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    const wire::Ip6Address ll = stack_.link_local(ifindex_);
    if (ll.is_unspecified()) {
        return NSAPI_ERROR_NO_ADDRESS;
    }
    *address = to_socket_address(ll, 0);
    return NSAPI_ERROR_OK;
}

nsapi_error_t NodeNetworkStack::gethostbyname(const char *host, SocketAddress *address,
                                              nsapi_version_t version, const char *interface_name) {
    return NetworkStack::gethostbyname(
        host, address, version == NSAPI_UNSPEC ? NSAPI_IPv6 : version, interface_name);
}

}  // namespace meshwork::stack
