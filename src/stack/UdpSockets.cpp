#include "UdpSockets.h"

#include <cstring>

#include "Stack.h"
#include "wire/Udp.h"

namespace meshwork::stack {

UdpSockets::Socket *UdpSockets::find(SocketId s) {
    auto it = sockets_.find(s);
    return it == sockets_.end() ? nullptr : &it->second;
}

const UdpSockets::Socket *UdpSockets::find(SocketId s) const {
    auto it = sockets_.find(s);
    return it == sockets_.end() ? nullptr : &it->second;
}

Result<UdpSockets::SocketId> UdpSockets::open() {
    const SocketId id = next_id_++;
    sockets_.emplace(id, Socket{});
    return id;
}

Status UdpSockets::close(SocketId s) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    for (const auto &g : k->groups)
        (void)stack_.leave_group(g.first, g.second);
    sockets_.erase(s);
    return Status();
}

bool UdpSockets::port_in_use(std::uint16_t port, const wire::Ip6Address &address,
                             bool reuse) const {
    for (const auto &kv : sockets_) {
        const Socket &k = kv.second;
        if (k.port != port)
            continue;
        if (reuse && k.reuse)
            continue;
        // A group address may be shared: every socket bound to it gets each datagram.
        if (k.bound_address.is_multicast() || address.is_multicast())
            continue;
        if (k.bound_address.is_unspecified() || address.is_unspecified() ||
            k.bound_address == address)
            return true;
    }
    return false;
}

std::uint16_t UdpSockets::pick_ephemeral() {
    const auto &c = stack_.config();
    const std::uint32_t span = static_cast<std::uint32_t>(c.ephemeral_last) - c.ephemeral_first + 1;
    if (next_ephemeral_ == 0)  // RFC 6056 3.3.1: start at a random point of the range
        next_ephemeral_ =
            static_cast<std::uint16_t>(c.ephemeral_first + stack_.random().uniform(span));
    for (std::uint32_t i = 0; i < span; ++i) {
        const std::uint16_t p = next_ephemeral_;
        next_ephemeral_ =
            p == c.ephemeral_last ? c.ephemeral_first : static_cast<std::uint16_t>(p + 1);
        if (!port_in_use(p, wire::Ip6Address(), false))
            return p;
    }
    return 0;
}

Status UdpSockets::bind(SocketId s, const wire::Ip6Address &address, std::uint16_t port) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    if (k->port != 0)
        return Error::kBadState;
    if (!address.is_unspecified() && !address.is_multicast() && !stack_.is_local_address(address))
        return Error::kInvalidArgument;
    if (port == 0) {
        port = pick_ephemeral();
        if (port == 0)
            return Error::kNoSpace;
    } else if (port_in_use(port, address, k->reuse)) {
        return Error::kInvalidArgument;
    }
    k->bound_address = address;
    k->port = port;
    return Status();
}

Result<std::size_t> UdpSockets::send_to(SocketId s, const wire::Ip6Address &dst, std::uint16_t port,
                                        ByteSpan data) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    if (port == 0 || dst.is_unspecified())
        return Error::kInvalidArgument;
    if (data.size > 0xffff - wire::kUdpHeaderSize - 8)
        return Error::kInvalidArgument;
    if (k->port == 0) {
        if (Status st = bind(s, wire::Ip6Address(), 0); !st)
            return st.error();
    }
    const wire::Ip6Address *src =
        k->bound_address.is_unspecified() || k->bound_address.is_multicast() ? nullptr
                                                                             : &k->bound_address;
    IfIndex ifindex = k->ifindex;
    if (ifindex == kAnyInterface && (dst.is_multicast() || dst.is_link_local()))
        ifindex = 0;
    auto route = stack_.route_output(dst, ifindex, src);
    if (!route)
        return route.error();
    route->traffic_class = k->traffic_class;
    auto b = stack_.allocate(wire::kUdpHeaderSize + data.size);
    if (!b) {
        k->want_writable = true;  // a writable event once the pool has room
        return Error::kNoMemory;
    }
    if (data.size != 0)
        std::memcpy(b->mutable_data().data + wire::kUdpHeaderSize, data.data, data.size);
    wire::UdpHeader h;
    h.src_port = k->port;
    h.dst_port = port;
    h.payload_length = static_cast<std::uint16_t>(data.size);
    (void)h.emit(b->mutable_data(), wire::PseudoHeader{route->src, dst});
    const std::uint8_t hop = dst.is_multicast() ? k->multicast_hop_limit : k->hop_limit;
    Status st = stack_.output(std::move(*b), *route, dst, wire::IpProto::kUdp, hop);
    if (!st) {
        if (st.error() == Error::kNoMemory)
            k->want_writable = true;
        return st.error();
    }
    ++(dst.is_multicast() ? stats_.multicast_sent : stats_.unicast_sent);
    return data.size;
}

Result<std::size_t> UdpSockets::recv_from(SocketId s, MutableByteSpan out, UdpDatagramInfo *info) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    if (k->queue.empty())
        return Error::kWouldBlock;
    auto &front = k->queue.front();
    const std::size_t n = front.second.size() < out.size ? front.second.size() : out.size;
    if (n != 0)
        std::memcpy(out.data, front.second.data().data, n);
    if (info)
        *info = front.first;
    k->queued_bytes -= front.second.size();
    k->queue.pop_front();
    return n;
}

Status UdpSockets::join_group(SocketId s, const wire::Ip6Address &group, IfIndex ifindex) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    if (!group.is_multicast())
        return Error::kInvalidArgument;
    for (const auto &g : k->groups)
        if (g.first == ifindex && g.second == group)
            return Error::kBadState;
    if (Status st = stack_.join_group(ifindex, group); !st)
        return st;
    k->groups.emplace_back(ifindex, group);
    return Status();
}

Status UdpSockets::leave_group(SocketId s, const wire::Ip6Address &group, IfIndex ifindex) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    for (auto it = k->groups.begin(); it != k->groups.end(); ++it) {
        if (it->first == ifindex && it->second == group) {
            k->groups.erase(it);
            return stack_.leave_group(ifindex, group);
        }
    }
    return Error::kNotFound;
}

Status UdpSockets::set_hop_limit(SocketId s, std::uint8_t hop_limit) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->hop_limit = hop_limit;
    return Status();
}

Status UdpSockets::set_multicast_hop_limit(SocketId s, std::uint8_t hop_limit) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->multicast_hop_limit = hop_limit;
    return Status();
}

Status UdpSockets::set_interface(SocketId s, IfIndex ifindex) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->ifindex = ifindex;
    return Status();
}

Status UdpSockets::set_reuse_address(SocketId s, bool on) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->reuse = on;
    return Status();
}

Status UdpSockets::set_traffic_class(SocketId s, std::uint8_t tclass) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->traffic_class = tclass;
    return Status();
}

Status UdpSockets::set_receive_buffer(SocketId s, std::size_t bytes) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->rcvbuf = bytes;
    return Status();
}

void UdpSockets::set_callback(SocketId s, std::function<void(SocketEvent)> cb) {
    if (Socket *k = find(s))
        k->callback = std::move(cb);
}

bool UdpSockets::readable(SocketId s) const {
    const Socket *k = find(s);
    return k && !k->queue.empty();
}

std::uint16_t UdpSockets::local_port(SocketId s) const {
    const Socket *k = find(s);
    return k ? k->port : 0;
}

bool UdpSockets::deliver(IfIndex ifindex, const wire::Ip6Address &src, const wire::Ip6Address &dst,
                         std::uint16_t src_port, std::uint16_t dst_port, ByteSpan payload) {
    bool matched = false;
    std::vector<SocketId> notify;
    for (auto &kv : sockets_) {
        Socket &k = kv.second;
        if (k.port != dst_port)
            continue;
        if (!k.bound_address.is_unspecified() && k.bound_address != dst)
            continue;
        matched = true;
        if (k.queue.size() >= stack_.config().udp_receive_queue ||
            (k.rcvbuf != 0 && k.queued_bytes + payload.size > k.rcvbuf)) {
            stack_.count_drop(StackDrop::kSocketQueueFull);
            if (!dst.is_multicast())
                break;
            continue;
        }
        auto b = stack_.pool().allocate(0, payload.size);
        if (!b) {
            stack_.count_drop(StackDrop::kNoMemory);
            if (!dst.is_multicast())
                break;
            continue;
        }
        (void)b->append(payload);
        UdpDatagramInfo info{src, src_port, dst, ifindex, payload.size};
        k.queue.emplace_back(info, std::move(*b));
        k.queued_bytes += payload.size;
        ++(dst.is_multicast() ? stats_.multicast_received : stats_.unicast_received);
        notify.push_back(kv.first);
        if (!dst.is_multicast())
            break;  // unicast: the first (most specific by bind order) socket takes it
    }
    // Callbacks after the walk: a callback may open or close sockets.
    for (SocketId id : notify) {
        Socket *k = find(id);
        if (k && k->callback)
            k->callback(SocketEvent::kReadable);
    }
    return matched;
}

void UdpSockets::on_icmp_error(const wire::Ip6Address &src, const wire::Ip6Address &dst,
                               std::uint16_t src_port, std::uint16_t dst_port, std::uint8_t type,
                               std::uint8_t code) {
    for (auto &kv : sockets_) {
        Socket &k = kv.second;
        if (k.port != src_port || (!k.bound_address.is_unspecified() && k.bound_address != src))
            continue;
        ++k.icmp_errors;
        k.last_icmp_error = UdpIcmpError{type, code, dst, dst_port};
        ++stats_.icmp_errors;
        return;
    }
}

std::uint64_t UdpSockets::icmp_error_count(SocketId s) const {
    const Socket *k = find(s);
    return k ? k->icmp_errors : 0;
}

std::optional<UdpIcmpError> UdpSockets::last_icmp_error(SocketId s) const {
    const Socket *k = find(s);
    return k ? k->last_icmp_error : std::nullopt;
}

bool UdpSockets::has_pending_events() const {
    if (stack_.pool().bytes_available() == 0)
        return false;
    for (const auto &kv : sockets_)
        if (kv.second.want_writable &&
            stack_.pool().stats().buffers_in_use < stack_.pool().max_buffers())
            return true;
    return false;
}

void UdpSockets::poll() {
    if (!has_pending_events())
        return;
    std::vector<SocketId> ids;
    for (auto &kv : sockets_)
        if (kv.second.want_writable) {
            kv.second.want_writable = false;
            ids.push_back(kv.first);
        }
    for (SocketId id : ids) {
        Socket *k = find(id);
        if (k && k->callback)
            k->callback(SocketEvent::kWritable);
    }
}

}  // namespace meshwork::stack
