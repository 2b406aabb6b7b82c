// ICMPv6 sockets, for Mbed's ICMPSocket through the NetworkStack adapter (issue 12 item 5): like
// an IPv6 raw ICMPv6 socket, a socket sends whole ICMPv6 messages whose checksum the stack
// fills in (RFC 4443 2.3), and receives a copy of every echo request, echo reply and error
// message the node gets (ND and MLD stay inside the stack). Non-blocking like UdpSockets.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>

#include "core/PacketBuffer.h"
#include "StackTypes.h"
#include "UdpSockets.h"
#include "wire/Ip6Address.h"

namespace meshwork::stack {

class Stack;

struct IcmpMessageInfo {
    wire::Ip6Address src;
    wire::Ip6Address dst;
    IfIndex ifindex = 0;
    std::uint8_t hop_limit = 0;
    std::size_t size = 0;  // the whole message (recv_from may have truncated it)
};

class IcmpSockets {
  public:
    using SocketId = int;

    explicit IcmpSockets(Stack &stack) : stack_(stack) {}

    Result<SocketId> open();
    Status close(SocketId s);
    /// Sends `message` (type, code, checksum field, body; at least 4 bytes) to `dst`.
    /// kNoMemory when the pool is exhausted (then a writable event), kNotFound without a route.
    Result<std::size_t> send_to(SocketId s, const wire::Ip6Address &dst, ByteSpan message);
    /// The next message received, truncated to `out`; kWouldBlock when none.
    Result<std::size_t> recv_from(SocketId s, MutableByteSpan out, IcmpMessageInfo *info);
    Status set_hop_limit(SocketId s, std::uint8_t hop_limit);  // 0: the interface's
    void set_callback(SocketId s, std::function<void(SocketEvent)> cb);
    bool readable(SocketId s) const;

    // Called by the Stack for every echo and error message that verified.
    void deliver(IfIndex ifindex, const wire::Ip6Address &src, const wire::Ip6Address &dst,
                 std::uint8_t hop_limit, ByteSpan message);
    void poll();
    bool has_pending_events() const;

  private:
    struct Socket {
        std::uint8_t hop_limit = 0;
        std::deque<std::pair<IcmpMessageInfo, PacketBuffer>> queue;
        std::function<void(SocketEvent)> callback;
        bool want_writable = false;
    };
    Socket *find(SocketId s);
    const Socket *find(SocketId s) const;

    Stack &stack_;
    std::map<SocketId, Socket> sockets_;
    SocketId next_id_ = 1;
};

}  // namespace meshwork::stack
