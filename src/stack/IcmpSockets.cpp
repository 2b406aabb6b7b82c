#include "IcmpSockets.h"

#include <cstring>
#include <vector>

#include "Stack.h"
#include "wire/Icmp6.h"

namespace meshwork::stack {

IcmpSockets::Socket *IcmpSockets::find(SocketId s) {
    auto it = sockets_.find(s);
    return it == sockets_.end() ? nullptr : &it->second;
}

const IcmpSockets::Socket *IcmpSockets::find(SocketId s) const {
    auto it = sockets_.find(s);
    return it == sockets_.end() ? nullptr : &it->second;
}

Result<IcmpSockets::SocketId> IcmpSockets::open() {
    const SocketId id = next_id_++;
    sockets_.emplace(id, Socket{});
    return id;
}

Status IcmpSockets::close(SocketId s) {
    return sockets_.erase(s) != 0 ? Status() : Status(Error::kNotFound);
}

Result<std::size_t> IcmpSockets::send_to(SocketId s, const wire::Ip6Address &dst,
                                         ByteSpan message) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    if (message.size < wire::kIcmp6HeaderSize || message.size > 0xffff - 8)
        return Error::kInvalidArgument;
    auto route = stack_.route_output(dst);
    if (!route)
        return route.error();
    auto b = stack_.allocate(message.size);
    if (!b) {
        k->want_writable = true;
        return Error::kNoMemory;
    }
    std::memcpy(b->mutable_data().data, message.data, message.size);
    wire::icmp6_finish_checksum(b->mutable_data(), wire::PseudoHeader{route->src, dst});
    Status st = stack_.output(std::move(*b), *route, dst, wire::IpProto::kIcmp6, k->hop_limit);
    if (!st) {
        if (st.error() == Error::kNoMemory)
            k->want_writable = true;
        return st.error();
    }
    return message.size;
}

Result<std::size_t> IcmpSockets::recv_from(SocketId s, MutableByteSpan out, IcmpMessageInfo *info) {
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
    k->queue.pop_front();
    return n;
}

Status IcmpSockets::set_hop_limit(SocketId s, std::uint8_t hop_limit) {
    Socket *k = find(s);
    if (!k)
        return Error::kNotFound;
    k->hop_limit = hop_limit;
    return Status();
}

void IcmpSockets::set_callback(SocketId s, std::function<void(SocketEvent)> cb) {
    if (Socket *k = find(s))
        k->callback = std::move(cb);
}

bool IcmpSockets::readable(SocketId s) const {
    const Socket *k = find(s);
    return k && !k->queue.empty();
}

void IcmpSockets::deliver(IfIndex ifindex, const wire::Ip6Address &src, const wire::Ip6Address &dst,
                          std::uint8_t hop_limit, ByteSpan message) {
    std::vector<SocketId> notify;
    for (auto &kv : sockets_) {
        Socket &k = kv.second;
        if (k.queue.size() >= stack_.config().udp_receive_queue) {
            stack_.count_drop(StackDrop::kSocketQueueFull);
            continue;
        }
        auto b = stack_.pool().allocate(0, message.size);
        if (!b) {
            stack_.count_drop(StackDrop::kNoMemory);
            continue;
        }
        (void)b->append(message);
        k.queue.emplace_back(IcmpMessageInfo{src, dst, ifindex, hop_limit, message.size},
                             std::move(*b));
        notify.push_back(kv.first);
    }
    for (SocketId id : notify) {
        Socket *k = find(id);
        if (k && k->callback)
            k->callback(SocketEvent::kReadable);
    }
}

bool IcmpSockets::has_pending_events() const {
    const PacketPool &p = stack_.pool();
    if (p.bytes_available() == 0 || p.stats().buffers_in_use >= p.max_buffers())
        return false;
    for (const auto &kv : sockets_)
        if (kv.second.want_writable)
            return true;
    return false;
}

void IcmpSockets::poll() {
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
