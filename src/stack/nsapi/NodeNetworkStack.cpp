// NodeNetworkStack: the nsapi hooks over a node's UdpSockets and IcmpSockets.
#include "NodeNetworkStack.h"

#include <cstring>

#include "stack/IcmpSockets.h"
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

nsapi_error_t NodeNetworkStack::tcp_open(nsapi_socket_t *) {
    return NSAPI_ERROR_UNSUPPORTED;
}

nsapi_error_t NodeNetworkStack::socket_open(nsapi_socket_t *handle, nsapi_protocol_t proto) {
    if (!handle) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (proto == NSAPI_TCP) {
        return tcp_open(handle);
    }
    if (proto != NSAPI_UDP && proto != NSAPI_ICMP) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    Result<int> id = proto == NSAPI_UDP ? stack_.udp().open() : stack_.icmp().open();
    if (!id) {
        return id.error() == Error::kNoMemory ? NSAPI_ERROR_NO_SOCKET : to_nsapi(id.error());
    }
    auto s = std::make_unique<Socket>(Socket{proto, id.value()});
    Socket *raw = s.get();
    auto cb = [this, raw](SocketEvent) { raise(raw); };
    if (proto == NSAPI_UDP) {
        stack_.udp().set_callback(raw->id, cb);
    } else {
        stack_.icmp().set_callback(raw->id, cb);
    }
    const std::uint64_t key = next_key_++;
    keys_[raw] = key;
    sockets_[key] = std::move(s);
    *handle = raw;
    return NSAPI_ERROR_OK;
}

nsapi_error_t NodeNetworkStack::socket_close(nsapi_socket_t handle) {
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (s->proto == NSAPI_UDP) {
        stack_.udp().set_callback(s->id, nullptr);
        stack_.udp().close(s->id);
    } else {
        stack_.icmp().set_callback(s->id, nullptr);
        stack_.icmp().close(s->id);
    }
    const std::uint64_t key = keys_[s];
    keys_.erase(s);
    sockets_.erase(key);
    changed_();
    return NSAPI_ERROR_OK;
}

nsapi_error_t NodeNetworkStack::socket_bind(nsapi_socket_t handle, const SocketAddress &address) {
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (!ipv6_or_unspecified(address)) {
        return NSAPI_ERROR_PARAMETER;
    }
    if (s->proto != NSAPI_UDP) {
        return NSAPI_ERROR_UNSUPPORTED;  // an ICMP socket has no port
    }
    const wire::Ip6Address local =
        address.get_ip_version() == NSAPI_IPv6 ? to_ip6(address) : wire::Ip6Address();
    return to_nsapi(stack_.udp().bind(s->id, local, address.get_port()).error());
}

// The connection hooks: only TCP sockets reach them from the socket layer.
nsapi_error_t NodeNetworkStack::socket_listen(nsapi_socket_t handle, int) {
    return find(handle) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_error_t NodeNetworkStack::socket_connect(nsapi_socket_t handle, const SocketAddress &) {
    return find(handle) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_error_t NodeNetworkStack::socket_accept(nsapi_socket_t server, nsapi_socket_t *,
                                              SocketAddress *) {
    return find(server) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_size_or_error_t NodeNetworkStack::socket_send(nsapi_socket_t handle, const void *,
                                                    nsapi_size_t) {
    return find(handle) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_size_or_error_t NodeNetworkStack::socket_recv(nsapi_socket_t handle, void *, nsapi_size_t) {
    return find(handle) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_size_or_error_t NodeNetworkStack::socket_sendto(nsapi_socket_t handle,
                                                      const SocketAddress &address,
                                                      const void *data, nsapi_size_t size) {
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
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
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    std::uint8_t none = 0;
    const MutableByteSpan out(data ? static_cast<std::uint8_t *>(data) : &none, data ? size : 0);
    Result<std::size_t> r{Error::kWouldBlock};
    if (s->proto == NSAPI_UDP) {
        UdpDatagramInfo info;
        r = stack_.udp().recv_from(s->id, out, &info);
        if (r && address) {
            *address = to_socket_address(info.src, info.src_port);
        }
    } else {
        IcmpMessageInfo info;
        r = stack_.icmp().recv_from(s->id, out, &info);
        if (r && address) {
            *address = to_socket_address(info.src, 0);
        }
    }
    changed_();
    if (!r) {
        return to_nsapi(r.error());
    }
    return static_cast<nsapi_size_or_error_t>(r.value());
}

void NodeNetworkStack::socket_attach(nsapi_socket_t handle, void (*callback)(void *), void *data) {
    if (Socket *s = find(handle)) {
        s->callback = callback;
        s->data = callback ? data : nullptr;
    }
}

nsapi_error_t NodeNetworkStack::setsockopt(nsapi_socket_t handle, int level, int optname,
                                           const void *optval, unsigned optlen) {
    Socket *s = find(handle);
    if (!s) {
        return NSAPI_ERROR_NO_SOCKET;
    }
    if (level != NSAPI_SOCKET || s->proto != NSAPI_UDP) {
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

nsapi_error_t NodeNetworkStack::getsockopt(nsapi_socket_t handle, int, int, void *, unsigned *) {
    return find(handle) ? NSAPI_ERROR_UNSUPPORTED : NSAPI_ERROR_NO_SOCKET;
}

nsapi_error_t NodeNetworkStack::get_ip_address(SocketAddress *address) {
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
